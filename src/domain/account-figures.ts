// A contract's figures on a date from its maintained account: the totals stored after its last event and
// its open rows due before that date, to which only the late fees still running are added. Equal to the
// replay's statement on that date (test/unit/account-figures.test.ts checks it on generated histories).
import { daysBetween, type IsoDate } from './dates.ts';
import { bucketFor, UNPAID_INSTALLMENTS_FOR_ACTION, type Delinquency } from './delinquency.ts';
import { pendingFee, type AccountRow, type AccountState, type RatePeriod } from './statement.ts';

export interface StoredFigures {
  valid_from: IsoDate;
  scheduled_outstanding_cents: number;
  late_fee_closed_cents: number;
  late_fee_paid_cents: number;
}

export interface AccountFigures {
  as_of: IsoDate;
  scheduled_outstanding_cents: number;
  late_fee_unpaid_cents: number; // accrued to as_of and not paid
  outstanding_cents: number; // scheduled outstanding + unpaid late fees
  overdue_cents: number; // what rows due before as_of still owe, late fees included
  delinquency: Delinquency;
}

/** `open` are the contract's rows not fully paid whose due date is before as_of (others add nothing). */
export function figuresOn(stored: StoredFigures, open: readonly AccountRow[], as_of: IsoDate, rates: RatePeriod[]): AccountFigures {
  if (as_of < stored.valid_from) throw new RangeError(`the account holds from ${stored.valid_from}, not on ${as_of}`);
  let running = 0;
  let overdue = 0;
  let oldest: IsoDate | null = null;
  let count = 0;
  for (const r of open) {
    if (r.due_date >= as_of) continue;
    const fee = pendingFee(r, as_of, rates);
    running += fee;
    overdue += r.principal_cents + r.interest_cents - r.principal_paid_cents - r.interest_paid_cents
      + r.late_fee_cents + fee - r.late_fee_paid_cents;
    if (r.n >= 1) {
      count += 1;
      if (oldest === null || r.due_date < oldest) oldest = r.due_date;
    }
  }
  const late_fee_unpaid_cents = stored.late_fee_closed_cents - stored.late_fee_paid_cents + running;
  const days_late = oldest === null ? 0 : daysBetween(oldest, as_of);
  return {
    as_of,
    scheduled_outstanding_cents: stored.scheduled_outstanding_cents,
    late_fee_unpaid_cents,
    outstanding_cents: stored.scheduled_outstanding_cents + late_fee_unpaid_cents,
    overdue_cents: overdue,
    delinquency: {
      oldest_due_date: oldest, days_late, bucket: bucketFor(days_late), unpaid_overdue_count: count,
      may_accelerate_or_rescind: count >= UNPAID_INSTALLMENTS_FOR_ACTION,
    },
  };
}

/** What a row still owes of its schedule (principal + interest): > 0 while it bears late fees. */
export const unpaidOf = (r: AccountRow) => r.principal_cents + r.interest_cents - r.principal_paid_cents - r.interest_paid_cents;

export interface AccountTotals {
  valid_from: IsoDate; scheduled_outstanding_cents: number; total_paid_cents: number; principal_paid_cents: number;
  interest_paid_cents: number; late_fee_closed_cents: number; late_fee_paid_cents: number;
  down_payment_paid: boolean; paid_off: boolean; paid_off_on: IsoDate | null; first_open_due_date: IsoDate | null;
}

/** The per-contract figures that do not depend on the date a page asks for. */
export function totalsOf(state: AccountState): AccountTotals {
  const sum = (f: (r: AccountRow) => number) => state.rows.reduce((s, r) => s + f(r), 0);
  const open = (r: AccountRow) => unpaidOf(r) > 0 || r.late_fee_cents > r.late_fee_paid_cents;
  const row0 = state.rows.find((r) => r.n === 0);
  const paid_off = state.rows.every((r) => !open(r));
  const firstOpen = state.rows.filter((r) => r.n >= 1 && open(r)).map((r) => r.due_date).sort()[0] ?? null;
  return {
    valid_from: state.valid_from,
    scheduled_outstanding_cents: sum(unpaidOf),
    total_paid_cents: sum((r) => r.principal_paid_cents + r.interest_paid_cents + r.late_fee_paid_cents),
    principal_paid_cents: sum((r) => r.principal_paid_cents),
    interest_paid_cents: sum((r) => r.interest_paid_cents),
    late_fee_closed_cents: sum((r) => r.late_fee_cents),
    late_fee_paid_cents: sum((r) => r.late_fee_paid_cents),
    down_payment_paid: row0 !== undefined && !open(row0),
    paid_off,
    // The day the last row became paid (a row of 0 is paid on its due date).
    paid_off_on: paid_off ? state.rows.map((r) => r.paid_on ?? r.due_date).sort().at(-1) ?? null : null,
    first_open_due_date: firstOpen,
  };
}

