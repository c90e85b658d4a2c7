// A contract's account, replayed from its schedule and its valid receipts: what each payment
// paid (late fees, interest, principal of which rows), and where every row stands on `as_of`.
// Replaying (rather than storing balances) is what makes a reversal exact: drop the receipt, replay.
import { cents, type Cents } from './money.ts';
import { assertIsoDate, type IsoDate } from './dates.ts';
import { lateFeeFor, type RatePeriod } from './late-fees.ts';
import { allocateOldestFirst, dueTotal, type AppliedPart, type RowDue } from './allocation.ts';

export type { AppliedPart } from './allocation.ts';
export type { RatePeriod } from './late-fees.ts';

export interface ScheduleLine { n: number; due_date: IsoDate; principal_cents: number; interest_cents: number } // n=0 down payment
export interface PaymentIn { id: number; date: IsoDate; amount_cents: number } // valid (non-void) receipts
export interface RowState {
  n: number; due_date: IsoDate;        // effective due date (after acceleration)
  scheduled_due_date: IsoDate;
  installment_cents: Cents;            // principal + interest scheduled
  principal_cents: Cents; interest_cents: Cents; // the scheduled split of installment_cents
  principal_paid_cents: Cents; interest_paid_cents: Cents;
  late_fee_cents: Cents;               // late fees accrued on this row up to as_of, paid or not
  late_fee_paid_cents: Cents;
  paid_cents: Cents;                   // all applied to this row: late fees + interest + principal
  outstanding_cents: Cents;            // installment + late_fee − paid
  status: 'paid' | 'overdue' | 'partial' | 'pending'; // paid when outstanding 0; else overdue when due_date < as_of; else partial when paid>0; else pending
  paid_on: IsoDate | null;             // date the row became fully paid (a row of 0 is paid on its due date)
  version: number;                     // the schedule version the row belongs to (1: as signed; 2…: reschedules)
  late_fee_waived_cents: Cents;        // late fees taken off by a waiver or a reschedule (already out of late_fee_cents)
  moved_cents: Cents;                  // what a reschedule moved from this row to the new schedule
}
export interface Statement {
  as_of: IsoDate;
  rows: RowState[];
  allocations: Map<number, AppliedPart[]>; // payment id → how it was applied (rows in order)
  total_paid_cents: Cents; principal_paid_cents: Cents; interest_paid_cents: Cents; late_fee_paid_cents: Cents;
  late_fee_accrued_cents: Cents; late_fee_unpaid_cents: Cents;
  late_fee_waived_cents: Cents;         // taken off by waivers and reschedules (not in late_fee_accrued_cents)
  scheduled_outstanding_cents: Cents;   // principal+interest not yet paid (what the receivables subledger holds)
  outstanding_cents: Cents;             // scheduled_outstanding + unpaid late fees as of
  overdue_cents: Cents;                 // outstanding of rows with due_date < as_of (incl. their late fees)
  next_due: { n: number; due_date: IsoDate; amount_cents: Cents } | null; // first row not fully paid with due_date >= as_of; amount = its outstanding
  down_payment_paid: boolean;           // row 0 fully paid
  paid_off: boolean;                    // every row paid
}
/**
 * What a resolution does to the account on its date (after the payments of that day):
 * - acceleration: every row due after that day falls due on it;
 * - acceleration_undo: the rows it had brought forward fall due on their scheduled dates again (late fees
 *   charged until that day stay);
 * - waiver: late fees taken off chosen rows, an amount or (amount_cents null) all accrued to that day;
 * - reschedule: what the rows still owe of their schedule (principal, and interest already due) moves to
 *   the new version's lines; unpaid late fees stay owed (keep), are taken off (waive) or move with the
 *   balance (capitalise). Rows left with nothing paid and nothing owed leave the account.
 */
export type AccountEvent =
  | { kind: 'acceleration'; date: IsoDate }
  | { kind: 'acceleration_undo'; date: IsoDate }
  | { kind: 'waiver'; date: IsoDate; parts: { n: number; amount_cents: number | null }[] }
  | { kind: 'reschedule'; date: IsoDate; version: number; late_fees: LateFeeOption; lines: ScheduleLine[] };
export type LateFeeOption = 'keep' | 'waive' | 'capitalise';

export interface StatementInput {
  schedule: ScheduleLine[]; payments: PaymentIn[]; rates: RatePeriod[]; as_of: IsoDate;
  /** When set (and not after as_of), every row scheduled after that date falls due on it. The same as an
   *  acceleration event; kept for callers that know only the contract's column. */
  accelerated_on?: IsoDate | null;
  /** Resolutions in the order they were recorded (applied by date, after the payments of their day). */
  events?: AccountEvent[];
}

/** A payment larger than everything owed on its date (scheduled outstanding + late fees to that day). */
export class OverpaymentError extends Error {
  readonly payment_id: number;
  readonly max_cents: Cents;
  constructor(payment_id: number, max_cents: Cents) {
    super(`payment ${payment_id} exceeds the outstanding balance of ${max_cents} céntimos`);
    this.name = 'OverpaymentError';
    this.payment_id = payment_id;
    this.max_cents = max_cents;
  }
}

/** One schedule row as the replay leaves it after the payments it applied: what a contract's maintained
 *  account stores between events. `late_fee_cents` holds the stretches closed so far (a stretch is closed
 *  when a payment reaches the row); the stretch still running is added for the date a statement asks. */
export interface AccountRow {
  n: number; due_date: IsoDate; scheduled_due_date: IsoDate;
  principal_cents: number; interest_cents: number;
  principal_paid_cents: number; interest_paid_cents: number;
  late_fee_cents: number; late_fee_paid_cents: number;
  accrued_to: IsoDate; // late fees are charged up to this day (starts at the due date: nothing yet)
  paid_on: IsoDate | null;
  version: number; late_fee_waived_cents: number; moved_cents: number; // see RowState
}

/** A contract's account after its payments: rows and how each payment was applied. It yields the statement
 *  for any date on or after `valid_from` (the last payment applied, or the acceleration) without a replay. */
export interface AccountState {
  rows: AccountRow[];
  allocations: Map<number, AppliedPart[]>;
  valid_from: IsoDate;
}

type Work = AccountRow;
const EPOCH = '0000-01-01' as IsoDate;

const unpaidScheduled = (w: Work) => w.principal_cents + w.interest_cents - w.principal_paid_cents - w.interest_paid_cents;
const outstanding = (w: Work) => unpaidScheduled(w) + w.late_fee_cents - w.late_fee_paid_cents;

/** Charges the segment (accrued_to, day] on the row's unpaid scheduled part, which is constant in
 *  between payments; each segment is rounded on its own, when the next event closes it. */
function accrueTo(w: Work, day: IsoDate, rates: RatePeriod[]): void {
  // Row 0 is the down payment: the contract is not active until it is paid, so it bears no late fee.
  if (w.n === 0) return;
  const from = w.accrued_to > w.due_date ? w.accrued_to : w.due_date;
  if (day <= from) return;
  const unpaid = unpaidScheduled(w);
  if (unpaid > 0) w.late_fee_cents += lateFeeFor(unpaid, from, day, rates);
  w.accrued_to = day;
}

/** The fee the open segment (accrued_to, day] would add, without closing it. */
export function pendingFee(w: AccountRow, day: IsoDate, rates: RatePeriod[]): number {
  if (w.n === 0) return 0;
  const from = w.accrued_to > w.due_date ? w.accrued_to : w.due_date;
  const unpaid = unpaidScheduled(w);
  return day <= from || unpaid <= 0 ? 0 : lateFeeFor(unpaid, from, day, rates);
}

function checkInput(input: StatementInput): void {
  assertIsoDate(input.as_of);
  const ns = new Set<number>();
  for (const l of input.schedule) {
    assertIsoDate(l.due_date);
    if (!Number.isInteger(l.n) || l.n < 0 || ns.has(l.n)) throw new RangeError(`bad schedule row n=${l.n}`);
    ns.add(l.n);
    if (cents(l.principal_cents) < 0 || cents(l.interest_cents) < 0) throw new RangeError(`negative schedule row n=${l.n}`);
  }
  const ids = new Set<number>();
  for (const p of input.payments) {
    assertIsoDate(p.date);
    if (ids.has(p.id)) throw new RangeError(`duplicate payment id ${p.id}`);
    ids.add(p.id);
    if (cents(p.amount_cents) <= 0) throw new RangeError(`payment ${p.id} must be > 0`);
  }
  if (input.accelerated_on) assertIsoDate(input.accelerated_on);
  for (const e of input.events ?? []) assertIsoDate(e.date);
}

const newRow = (l: ScheduleLine, version: number): Work => ({
  n: l.n, due_date: l.due_date, scheduled_due_date: l.due_date,
  principal_cents: l.principal_cents, interest_cents: l.interest_cents,
  principal_paid_cents: 0, interest_paid_cents: 0, late_fee_cents: 0, late_fee_paid_cents: 0,
  accrued_to: l.due_date, paid_on: null, version, late_fee_waived_cents: 0, moved_cents: 0,
});

/** Takes up to `amount` (all when null) of a row's unpaid late fees, charged up to `day`, off the row. */
function waiveFee(w: Work, day: IsoDate, amount: number | null, rates: RatePeriod[]): number {
  accrueTo(w, day, rates);
  const unpaid = w.late_fee_cents - w.late_fee_paid_cents;
  const take = Math.max(0, Math.min(unpaid, amount ?? unpaid));
  w.late_fee_cents -= take;
  w.late_fee_waived_cents += take;
  if (take > 0 && outstanding(w) === 0 && w.paid_on === null) w.paid_on = day;
  return take;
}

/**
 * A reschedule's first half, on the rows in place: each row's schedule is cut to what was paid, and what it
 * still owed (principal; interest only when already due) is counted as moved; unpaid late fees stay
 * (keep) or are taken off (waive, capitalise: capitalised ones are moved too). Returns the rows that stay
 * in the account (row 0 and those with anything paid or charged) and the figures.
 */
export function closeForReschedule(rows: AccountRow[], date: IsoDate, late_fees: LateFeeOption, rates: RatePeriod[]):
  { kept: AccountRow[]; moved_cents: number; late_fees_taken_cents: number; late_fees_kept_cents: number; interest_dropped_cents: number } {
  const kept: Work[] = [];
  let moved = 0, taken = 0, keptFees = 0, dropped = 0;
  for (const w of rows) {
    accrueTo(w, date, rates);
    const unpaidPrincipal = w.principal_cents - w.principal_paid_cents;
    const unpaidInterest = w.interest_cents - w.interest_paid_cents;
    // Interest not yet due is not owed: the new schedule charges its own.
    const owedInterest = w.due_date <= date ? unpaidInterest : 0;
    dropped += unpaidInterest - owedInterest;
    w.moved_cents += unpaidPrincipal + owedInterest;
    moved += unpaidPrincipal + owedInterest;
    w.principal_cents = w.principal_paid_cents;
    w.interest_cents = w.interest_paid_cents;
    if (late_fees !== 'keep') taken += waiveFee(w, date, null, rates);
    else keptFees += w.late_fee_cents - w.late_fee_paid_cents;
    if (outstanding(w) === 0 && w.paid_on === null) w.paid_on = date;
    const touched = w.principal_paid_cents + w.interest_paid_cents + w.late_fee_paid_cents + w.late_fee_cents + w.late_fee_waived_cents > 0;
    if (touched || w.n === 0) kept.push(w);
  }
  if (late_fees === 'capitalise') moved += taken;
  return { kept, moved_cents: moved, late_fees_taken_cents: taken, late_fees_kept_cents: keptFees, interest_dropped_cents: dropped };
}

/** Applies one resolution to the rows on its day; returns the rows after it (a reschedule replaces some). */
function applyEvent(rows: Work[], e: AccountEvent, rates: RatePeriod[]): Work[] {
  switch (e.kind) {
    case 'acceleration':
      for (const w of rows) {
        // Not yet due, so nothing was charged: its late fees start the day after the acceleration.
        if (w.due_date > e.date) { w.due_date = e.date; w.accrued_to = e.date; }
      }
      return rows;
    case 'acceleration_undo':
      for (const w of rows) {
        if (w.due_date >= w.scheduled_due_date) continue;
        accrueTo(w, e.date, rates); // the fees of the accelerated days stay charged
        w.due_date = w.scheduled_due_date;
      }
      return rows;
    case 'waiver': {
      const byN = new Map(rows.map((w) => [w.n, w]));
      for (const p of e.parts) {
        const w = byN.get(p.n);
        if (w) waiveFee(w, e.date, p.amount_cents, rates);
      }
      return rows;
    }
    case 'reschedule': {
      const kept = closeForReschedule(rows, e.date, e.late_fees, rates).kept;
      const last = rows.reduce((m, w) => Math.max(m, w.n), -1);
      for (const l of e.lines) {
        if (l.n <= last) throw new RangeError(`reschedule line n=${l.n} must follow row ${last}`);
        kept.push(newRow(l, e.version));
      }
      return kept;
    }
  }
}

/** Applies one payment on its day to the rows (in place). Throws OverpaymentError beyond all that is owed. */
function applyPayment(work: Work[], p: PaymentIn, rates: RatePeriod[]): AppliedPart[] {
  // Each row's fee as it stands on the payment day. It is only charged (the segment closed and
  // rounded) on the rows this payment reaches: a row's stretch is split only when its own
  // unpaid part changes, so paying an older row does not move a newer row's fee by a céntimo.
  const dues: RowDue[] = work.map((w) => ({
    n: w.n,
    late_fee_cents: w.late_fee_cents + pendingFee(w, p.date, rates) - w.late_fee_paid_cents,
    interest_cents: w.interest_cents - w.interest_paid_cents,
    principal_cents: w.principal_cents - w.principal_paid_cents,
  }));
  const max = cents(dues.reduce((s, d) => s + dueTotal(d), 0));
  if (p.amount_cents > max) throw new OverpaymentError(p.id, max);
  const { parts } = allocateOldestFirst(p.amount_cents, dues);
  const byN = new Map(work.map((w) => [w.n, w]));
  for (const part of parts) {
    const w = byN.get(part.n)!;
    accrueTo(w, p.date, rates);
    w.late_fee_paid_cents += part.late_fee_cents;
    w.interest_paid_cents += part.interest_cents;
    w.principal_paid_cents += part.principal_cents;
    if (outstanding(w) === 0 && w.paid_on === null) w.paid_on = p.date;
  }
  return parts;
}

/** The replay up to and including the last payment dated on or before as_of (no accrual after it).
 *  Payments are applied in (date, id) order. Throws OverpaymentError (exported class with .payment_id and
 *  .max_cents) if a payment exceeds the whole outstanding (scheduled outstanding + late fees to its date). */
export function replayAccount(input: StatementInput): AccountState {
  checkInput(input);
  const { as_of, rates } = input;
  let rows: Work[] = [...input.schedule].sort((a, b) => a.n - b.n).map((l) => newRow(l, 1));
  // Resolutions decided after as_of had not happened yet on that day.
  const events = [...(input.events ?? [])];
  if (input.accelerated_on && !events.some((e) => e.kind === 'acceleration')) {
    events.push({ kind: 'acceleration', date: input.accelerated_on });
  }
  const timeline: ({ at: IsoDate; order: number; payment: PaymentIn } | { at: IsoDate; order: number; event: AccountEvent })[] = [
    ...input.payments.filter((p) => p.date <= as_of).map((p) => ({ at: p.date, order: p.id, payment: p })),
    // On the same day a resolution comes after the payments (order past every payment id), in recording order.
    ...events.filter((e) => e.date <= as_of).map((e, i) => ({ at: e.date, order: Number.MAX_SAFE_INTEGER - events.length + i, event: e })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));

  const allocations = new Map<number, AppliedPart[]>();
  let valid_from: IsoDate = EPOCH;
  for (const step of timeline) {
    if ('payment' in step) allocations.set(step.payment.id, applyPayment(rows, step.payment, rates));
    else rows = applyEvent(rows, step.event, rates);
    if (step.at > valid_from) valid_from = step.at;
  }
  return { rows, allocations, valid_from };
}

/**
 * The account after one more payment dated after everything it holds (`valid_from`): the state the replay
 * reaches with that payment added, since the replay is a fold in (date, id) order and this payment comes
 * last, without folding the history again. Null when it does not come strictly after (a payment of the
 * last day could come before a resolution of that day): then the caller replays.
 */
export function appendPayment(state: AccountState, p: PaymentIn, rates: RatePeriod[]): AccountState | null {
  assertIsoDate(p.date);
  if (p.date <= state.valid_from) return null;
  const rows = state.rows.map((r) => ({ ...r }));
  const allocations = new Map(state.allocations);
  allocations.set(p.id, applyPayment(rows, p, rates));
  return { rows, allocations, valid_from: p.date };
}

/** The statement on `as_of` from an account's state: only the late fees still running are added. */
export function statementFromState(state: AccountState, as_of: IsoDate, rates: RatePeriod[]): Statement {
  assertIsoDate(as_of);
  if (as_of < state.valid_from) throw new RangeError(`the account holds from ${state.valid_from}, not on ${as_of}`);
  // The last segment: late fees still running on as_of (on copies: the state stays as stored).
  const work = state.rows.map((r) => ({ ...r }));
  for (const w of work) accrueTo(w, as_of, rates);

  const rows: RowState[] = work.map((w) => {
    const installment = w.principal_cents + w.interest_cents;
    const paid = w.principal_paid_cents + w.interest_paid_cents + w.late_fee_paid_cents;
    const out = outstanding(w);
    const status: RowState['status'] = out === 0 ? 'paid'
      : w.due_date < as_of ? 'overdue'
        : paid > 0 ? 'partial' : 'pending';
    return {
      n: w.n, due_date: w.due_date, scheduled_due_date: w.scheduled_due_date,
      installment_cents: cents(installment),
      principal_cents: cents(w.principal_cents), interest_cents: cents(w.interest_cents),
      principal_paid_cents: cents(w.principal_paid_cents), interest_paid_cents: cents(w.interest_paid_cents),
      late_fee_cents: cents(w.late_fee_cents), late_fee_paid_cents: cents(w.late_fee_paid_cents),
      paid_cents: cents(paid), outstanding_cents: cents(out), status,
      paid_on: w.paid_on ?? (installment === 0 ? w.due_date : null),
      version: w.version, late_fee_waived_cents: cents(w.late_fee_waived_cents), moved_cents: cents(w.moved_cents),
    };
  });

  const total = (f: (r: RowState) => number, rs: RowState[] = rows) => cents(rs.reduce((s, r) => s + f(r), 0));
  const late_fee_accrued_cents = total((r) => r.late_fee_cents);
  const late_fee_paid_cents = total((r) => r.late_fee_paid_cents);
  const scheduled_outstanding_cents = total((r) => r.installment_cents - r.principal_paid_cents - r.interest_paid_cents);
  const late_fee_unpaid_cents = cents(late_fee_accrued_cents - late_fee_paid_cents);
  const next = rows.find((r) => r.outstanding_cents > 0 && r.due_date >= as_of);
  const row0 = rows.find((r) => r.n === 0);

  return {
    as_of,
    rows,
    allocations: state.allocations,
    total_paid_cents: total((r) => r.paid_cents),
    principal_paid_cents: total((r) => r.principal_paid_cents),
    interest_paid_cents: total((r) => r.interest_paid_cents),
    late_fee_paid_cents,
    late_fee_accrued_cents,
    late_fee_unpaid_cents,
    late_fee_waived_cents: total((r) => r.late_fee_waived_cents),
    scheduled_outstanding_cents,
    outstanding_cents: cents(scheduled_outstanding_cents + late_fee_unpaid_cents),
    overdue_cents: total((r) => r.outstanding_cents, rows.filter((r) => r.due_date < as_of)),
    next_due: next ? { n: next.n, due_date: next.due_date, amount_cents: next.outstanding_cents } : null,
    down_payment_paid: row0 !== undefined && row0.outstanding_cents === 0,
    paid_off: rows.every((r) => r.status === 'paid'),
  };
}

/** The replay as of a date: applied payments, then the late fees still running on as_of (see replayAccount). */
export function computeStatement(input: StatementInput): Statement {
  const state = replayAccount(input);
  return statementFromState(state, input.as_of, input.rates);
}

const nextPaymentId = (payments: readonly PaymentIn[]) => payments.reduce((m, p) => Math.max(m, p.id), 0) + 1;

/** The history replays without refusing any payment when a new one of `amount` is added on `date`. */
function fits(input: StatementInput, date: IsoDate, amount: number, as_of: IsoDate): boolean {
  const payments = amount > 0
    ? [...input.payments, { id: nextPaymentId(input.payments), date, amount_cents: amount }]
    : input.payments;
  try {
    computeStatement({ ...input, as_of, payments });
    return true;
  } catch (e) {
    if (e instanceof OverpaymentError && amount > 0) return false;
    throw e;
  }
}

/** The largest payment that can be recorded on `date`: all that is owed that day (scheduled outstanding +
 *  late fees to that day); less when the payment is backdated before receipts that would then exceed the
 *  balance themselves. */
export function maxPaymentOn(input: StatementInput, date: IsoDate): Cents {
  const as_of = input.as_of > date ? input.as_of : date;
  const owedThatDay = computeStatement({ ...input, as_of: date }).outstanding_cents;
  if (owedThatDay === 0 || fits(input, date, owedThatDay, as_of)) return owedThatDay;
  // Paying more earlier never makes a later payment fit better, so the limit is found by bisection.
  let lo = 0; // always fits (no new payment)
  let hi: number = owedThatDay; // does not fit
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(input, date, mid, as_of)) lo = mid; else hi = mid;
  }
  return cents(lo);
}

/** What a new payment would do (the preview before confirming): statement before, the parts it would apply,
 *  or { error: 'exceeds_balance', max_cents } when it exceeds the outstanding on that date.
 *  Both statements are as of the later of input.as_of and the payment's date. */
export function previewPayment(input: StatementInput, payment: { date: IsoDate; amount_cents: number }):
  { ok: true; parts: AppliedPart[]; statement_before: Statement; statement_after: Statement }
  | { ok: false; error: 'exceeds_balance'; max_cents: Cents } {
  assertIsoDate(payment.date);
  if (cents(payment.amount_cents) <= 0) throw new RangeError('payment must be > 0');
  const as_of = input.as_of > payment.date ? input.as_of : payment.date;
  const statement_before = computeStatement({ ...input, as_of });
  const id = nextPaymentId(input.payments);
  try {
    const statement_after = computeStatement({
      ...input, as_of, payments: [...input.payments, { id, ...payment }],
    });
    return { ok: true, parts: statement_after.allocations.get(id) ?? [], statement_before, statement_after };
  } catch (e) {
    if (!(e instanceof OverpaymentError)) throw e;
    return { ok: false, error: 'exceeds_balance', max_cents: maxPaymentOn(input, payment.date) };
  }
}
