// The schedule as CSV (GET /quote.csv and /contracts/<id>/schedule.csv share these columns):
// n,due_date,principal,interest,installment,balance — soles with a dot and two decimals.
import { toCsv } from '../web/csv.ts';
import { toSolesString } from '../domain/money.ts';
import type { ScheduleRowDb } from './queries.ts';

export const SCHEDULE_COLUMNS = ['n', 'due_date', 'principal', 'interest', 'installment', 'balance'];

/** A schedule row as stored, without its contract (the quote builds the same shape). */
export type ScheduleCsvRow = Omit<ScheduleRowDb, 'contract_id' | 'version'>;

export function scheduleCsv(rows: readonly ScheduleCsvRow[]): string {
  return toCsv(SCHEDULE_COLUMNS, rows.map((r) => [String(r.n), r.due_date, toSolesString(r.principal_cents),
    toSolesString(r.interest_cents), toSolesString(r.installment_cents), toSolesString(r.balance_cents)]));
}

/** Totals of a schedule for the screens: principal (= the price), interest, all installments. */
export function scheduleTotals(rows: readonly ScheduleCsvRow[]) {
  let principal = 0;
  let interest = 0;
  let total = 0;
  for (const r of rows) {
    principal += r.principal_cents;
    interest += r.interest_cents;
    total += r.installment_cents;
  }
  return { principal_cents: principal, interest_cents: interest, total_cents: total };
}
