// What the payment, receipt and statement pages show, built from a replay and the stored rows.
// Plain objects for the views: amounts stay céntimos (the `money` helper formats them).
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { toSolesString } from '../domain/money.ts';
import type { Statement } from '../domain/statement.ts';
import { partTotal, type AppliedPart } from '../domain/allocation.ts';
import { amountInWords } from '../domain/amount-words.ts';
import { delinquencyOf } from '../domain/delinquency.ts';
import { rescissionAllowed } from '../domain/rescission.ts';
import { findContractView, scheduleOf, type ContractView } from '../contracts/queries.ts';
import { resolutionsOn } from '../acts/queries.ts';
import type { CurrentUser } from '../web/routing.ts';
import { notFound } from '../web/errors.ts';
import { accountOf } from './account.ts';
import { settlementOf } from '../contracts/settlement.ts';
import { allocationsOf, findReceipt, type ReceiptRow } from './queries.ts';

/** The figures every screen that shows what is owed carries (late fees included, never hidden). */
export function summaryOf(s: Statement) {
  return {
    as_of: s.as_of,
    total_paid_cents: s.total_paid_cents,
    principal_paid_cents: s.principal_paid_cents,
    interest_paid_cents: s.interest_paid_cents,
    late_fee_paid_cents: s.late_fee_paid_cents,
    late_fee_accrued_cents: s.late_fee_accrued_cents,
    late_fee_unpaid_cents: s.late_fee_unpaid_cents,
    scheduled_outstanding_cents: s.scheduled_outstanding_cents,
    outstanding_cents: s.outstanding_cents,
    overdue_cents: s.overdue_cents,
    next_due: s.next_due,
    down_payment_paid: s.down_payment_paid,
    paid_off: s.paid_off,
  };
}

/** A payment's parts with each row's due date, and their totals. */
export function partsView(parts: readonly AppliedPart[], dueDates: Map<number, IsoDate>) {
  const rows = parts.map((p) => ({
    ...p, due_date: dueDates.get(p.n) ?? null, total_cents: partTotal(p),
  }));
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    rows,
    late_fee_cents: sum((r) => r.late_fee_cents), interest_cents: sum((r) => r.interest_cents),
    principal_cents: sum((r) => r.principal_cents), total_cents: sum((r) => r.total_cents),
  };
}

type PartRow = ReturnType<typeof partsView>['rows'][number];
/** Consecutive installments paid in one receipt, shown on one printed line. */
export interface PartRun { from: number; to: number; count: number; first_due: IsoDate | null; last_due: IsoDate | null;
  late_fee_cents: number; interest_cents: number; principal_cents: number; total_cents: number }

/** Up to this many rows a printed receipt lists every installment (a voided one with its note still fits one
 *  A4 page with room to spare); beyond it, runs of consecutive installments keep it on one page. */
export const PRINT_ROWS_MAX = 8;

/** The printed receipt's lines when a payment covers many installments (a prepayment of the balance):
 *  rows with a late fee stay on their own line, runs of consecutive rows without one are merged; if that is
 *  still too long, every run of consecutive rows is merged. Null when every row fits. Sums stay exact. */
export function printRuns(rows: readonly PartRow[]): PartRun[] | null {
  if (rows.length <= PRINT_ROWS_MAX) return null;
  const group = (apart: (r: PartRow) => boolean) => {
    const runs: PartRun[] = [];
    for (const r of rows) {
      const last = runs.at(-1);
      if (last && last.to === r.n - 1 && !apart(r) && last.late_fee_cents === 0) {
        Object.assign(last, { to: r.n, count: last.count + 1, last_due: r.due_date,
          late_fee_cents: last.late_fee_cents + r.late_fee_cents, interest_cents: last.interest_cents + r.interest_cents,
          principal_cents: last.principal_cents + r.principal_cents, total_cents: last.total_cents + r.total_cents });
      } else {
        runs.push({ from: r.n, to: r.n, count: 1, first_due: r.due_date, last_due: r.due_date, late_fee_cents: r.late_fee_cents,
          interest_cents: r.interest_cents, principal_cents: r.principal_cents, total_cents: r.total_cents });
      }
    }
    return runs;
  };
  const byFee = group((r) => r.late_fee_cents > 0);
  if (byFee.length <= PRINT_ROWS_MAX) return byFee;
  const all: PartRun[] = [];
  for (const r of byFee) {
    const last = all.at(-1);
    if (last && last.to === r.from - 1) {
      Object.assign(last, { to: r.to, count: last.count + r.count, last_due: r.last_due,
        late_fee_cents: last.late_fee_cents + r.late_fee_cents, interest_cents: last.interest_cents + r.interest_cents,
        principal_cents: last.principal_cents + r.principal_cents, total_cents: last.total_cents + r.total_cents });
    } else all.push({ ...r });
  }
  return all;
}

export const dueDatesOf = (s: Statement) => new Map(s.rows.map((r) => [r.n, r.due_date]));

/** One statement.csv / screen row per schedule row (INTERFACES.md "Payments"). */
export function statementCsv(s: Statement): string[][] {
  const header = ['n', 'due_date', 'installment', 'paid', 'late_fee', 'outstanding', 'status'];
  return [header, ...s.rows.map((r) => [String(r.n), r.due_date, toSolesString(r.installment_cents),
    toSolesString(r.paid_cents), toSolesString(r.late_fee_cents), toSolesString(r.outstanding_cents), r.status])];
}

/** The receipt `user` may see (a buyer only its firm's, else 404), with what its printout shows. */
export async function receiptPage(db: Db, number: string, user: CurrentUser | undefined) {
  const receipt = await findReceipt(db, number);
  if (!receipt || !user) throw notFound();
  const contract = await findContractView(db, receipt.contract_id);
  if (!contract) throw notFound();
  // The firm that paid it (the holder on its date: an assignment does not change who paid a receipt).
  // A buyer sees the receipts of the contracts it holds, and those it paid of a contract since assigned.
  const payerRuc = receipt.payer_ruc ?? contract.firm_ruc;
  const holder = user.role !== 'buyer' || contract.firm_ruc === user.firm_ruc;
  if (!holder && payerRuc !== user.firm_ruc) throw notFound();
  const payer = payerRuc === contract.firm_ruc ? { ruc: contract.firm_ruc, name: contract.firm_name }
    : await db('firms').where({ ruc: payerRuc }).first('ruc', 'name');
  const dueDates = new Map((await scheduleOf(db, contract.id, 'all')).map((r) => [r.n, r.due_date]));
  const allocation = partsView((await allocationsOf(db, receipt.id)) as AppliedPart[], dueDates);
  // Waivers decided before this payment: what it did not have to pay.
  const waivers = (await resolutionsOn(db, contract.id, receipt.date)).filter((r) => r.kind === 'waiver');
  return {
    waived_cents: waivers.reduce((s, w) => s + (w.amount_cents ?? 0), 0),
    waiver_resolutions: waivers.map((w) => w.resolution_number).join(', '),
    receipt, contract, payer, holder, allocation, print_runs: printRuns(allocation.rows),
    amount_words: amountInWords(receipt.amount_cents),
    is_void: receipt.status === 'void',
    can_reverse: receipt.status === 'valid' && contract.status !== 'rescinded' && contract.status !== 'withdrawn' && ['admin', 'manager'].includes(user.role),
  };
}

/** The statement of account on `as_of`: rows, receipts, summary, and the art. 1561 flag. */
export async function statementPage(db: Db, contract: ContractView, requested: IsoDate) {
  // A rescinded or withdrawn contract shows how it was settled instead of what it would owe, and its
  // account stops on the resolution's date: no late fee accrues on a contract that has ended.
  const settlement = await settlementOf(db, contract);
  const as_of = settlement && settlement.resolution_date < requested ? settlement.resolution_date : requested;
  const { statement, receipts } = await accountOf(db, contract, as_of);
  const delinquency = delinquencyOf(statement);
  return {
    contract, statement, summary: summaryOf(statement), delinquency, resolutions: await resolutionsOn(db, contract.id, as_of),
    settlement, closed_on: as_of !== requested ? as_of : null,
    rows: statement.rows,
    receipts: receipts.filter((r) => r.date <= as_of).map((r) => receiptLine(r, statement)),
  };
}

function receiptLine(r: ReceiptRow, s: Statement) {
  const parts = s.allocations.get(r.id) ?? [];
  return {
    ...r, is_void: r.status === 'void',
    rows: parts.map((p) => p.n),
    late_fee_cents: parts.reduce((t, p) => t + p.late_fee_cents, 0),
    scheduled_cents: parts.reduce((t, p) => t + p.interest_cents + p.principal_cents, 0),
  };
}

/** The contract page's payments panel: summary, receipts, and what the law allows now. */
export async function contractPaymentsPanel(db: Db, contract: ContractView, today: IsoDate, user: CurrentUser | undefined) {
  const page = await statementPage(db, contract, today);
  const staff = user?.role === 'admin' || user?.role === 'manager';
  const live = contract.status === 'active';
  const may = page.delinquency.may_accelerate_or_rescind && live;
  const share = rescissionAllowed(page.statement.principal_paid_cents, contract.price_cents, contract.rescission_threshold_ppm);
  const rescission = contract.status === 'rescinded' ? await db('rescissions').where({ contract_id: contract.id }).first() : null;
  return {
    ...page, rescission,
    can_pay: staff && (contract.status === 'awaiting_down_payment' || live),
    can_act: staff && may,
    // Withdrawal (desistimiento): only while the down payment awaits and no receipt is valid.
    can_withdraw: staff && contract.status === 'awaiting_down_payment' && !page.receipts.some((r) => r.status === 'valid'),
    may_act: may,
    accelerated: contract.accelerated_on !== null,
    rescission_allowed: share.allowed,
    paid_ppm: share.paid_ppm,
  };
}
