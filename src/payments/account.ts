// A contract's account on a date. From its maintained state (src/accounts) when the date is on or after
// the contract's last event, which is what every page asks; by replaying its schedule and valid receipts
// (computeStatement) for a date before it. Both give the same statement: the replay defines the rules.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { computeStatement, statementFromState, type ScheduleLine, type Statement, type StatementInput } from '../domain/statement.ts';
import { loadAccountState } from '../accounts/queries.ts';
import type { AppliedPart } from '../domain/allocation.ts';
import { getMoratoriumRates } from '../settings/service.ts';
import { scheduleOf, type ContractRow } from '../contracts/queries.ts';
import { receiptsOf, type ReceiptRow } from './queries.ts';
import { accountEventRows, toAccountEvents } from '../acts/queries.ts';

export interface Account {
  statement: Statement;
  receipts: ReceiptRow[]; // valid and void, in order of application
}

type ContractTerms = Pick<ContractRow, 'id' | 'accelerated_on'>;

/** The replay's input: schedule, valid receipts, the moratorium rate history, acceleration. */
export async function statementInput(db: Db, contract: ContractTerms, as_of: IsoDate, receipts?: ReceiptRow[]): Promise<StatementInput> {
  // One after the other: `db` may be a transaction, whose single PostgreSQL connection takes one query at a time.
  const rows = await scheduleOf(db, contract.id, 'all');
  const rates = await getMoratoriumRates(db);
  const list = receipts ?? await receiptsOf(db, contract.id);
  const eventRows = await accountEventRows(db, contract.id);
  const byVersion = new Map<number, ScheduleLine[]>();
  for (const r of rows) {
    const lines = byVersion.get(r.version) ?? [];
    lines.push({ n: r.n, due_date: r.due_date, principal_cents: r.principal_cents, interest_cents: r.interest_cents });
    byVersion.set(r.version, lines);
  }
  // Versions after the first enter through the reschedule events that made them.
  const schedule = byVersion.get(1) ?? [];
  const events = toAccountEvents(eventRows, byVersion);
  const payments = list.filter((r) => r.status === 'valid')
    .map((r) => ({ id: r.id, date: r.date, amount_cents: r.amount_cents }));
  // The acceleration comes in as an event; the contract's column only for a history from before events were kept.
  return { schedule, payments, rates, as_of, accelerated_on: contract.accelerated_on, events };
}

export async function accountOf(db: Db, contract: ContractTerms, as_of: IsoDate): Promise<Account> {
  const receipts = await receiptsOf(db, contract.id);
  const state = await loadAccountState(db, contract.id);
  if (state && as_of >= state.valid_from) {
    return { statement: statementFromState(state, as_of, await getMoratoriumRates(db)), receipts };
  }
  const input = await statementInput(db, contract, as_of, receipts);
  return { statement: computeStatement(input), receipts };
}

/** S: what a payment paid of the schedule itself (interest + principal), as opposed to late fees. */
export function scheduledPart(parts: readonly AppliedPart[] | undefined): number {
  return (parts ?? []).reduce((s, p) => s + p.interest_cents + p.principal_cents, 0);
}

/** Σ installments of rows 0..n: what activation recognizes as receivable. */
export function scheduledTotal(statement: Statement): number {
  return statement.rows.reduce((s, r) => s + r.installment_cents, 0);
}

/** The day the last row became paid (the payoff date), when every row is paid. */
export function paidOffOn(statement: Statement): IsoDate | null {
  if (!statement.paid_off) return null;
  return statement.rows.reduce<IsoDate | null>((d, r) => (r.paid_on && (!d || r.paid_on > d) ? r.paid_on : d), null);
}
