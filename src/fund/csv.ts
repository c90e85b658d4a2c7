// The finance reports as CSV: a header row, soles as "1234.56", dates and months as ISO text.
// The columns are a public contract (see the README): add at the end, never rename.
import { toCsv } from '../web/csv.ts';
import { toSolesString as s } from '../domain/money.ts';
import { METHODS, type AccountBalance, type BudgetLine, type Collections, type FundStatement, type InflowMonth, type ReceivableLine } from '../domain/fund-reports.ts';
import type { Reconciliation } from '../domain/fund-reconciliation.ts';
import type { CashDepositRow } from './queries.ts';

const csv = (columns: string[], rows: string[][]) => toCsv(columns, rows);

export const RECONCILIATION_COLUMNS = ['check', 'left', 'right', 'difference'];
export const reconciliationCsv = (r: Reconciliation) =>
  csv(RECONCILIATION_COLUMNS, r.checks.map((c) => [c.key, s(c.left_cents), s(c.right_cents), s(c.difference_cents)]));

export const COLLECTIONS_COLUMNS = ['month', 'method', 'status', 'receipts', 'amount'];
/** One row per month and method with valid receipts, then the void ones (status "void"), never added in. */
export function collectionsCsv(c: Collections): string {
  const rows: string[][] = [];
  for (const m of c.months) {
    for (const method of METHODS) {
      if (m.counts[method] > 0) rows.push([m.month, method, 'valid', String(m.counts[method]), s(m.by_method[method])]);
    }
  }
  const voids = new Map<string, { n: number; amount: number }>();
  for (const v of c.voids) {
    const k = `${v.date.slice(0, 7)}|${v.method}`;
    const x = voids.get(k) ?? { n: 0, amount: 0 };
    x.n += 1;
    x.amount += v.amount_cents;
    voids.set(k, x);
  }
  for (const [k, v] of voids) {
    const [month, method] = k.split('|') as [string, string];
    rows.push([month, method, 'void', String(v.n), s(v.amount)]);
  }
  return csv(COLLECTIONS_COLUMNS, rows);
}

export const FUND_STATEMENT_COLUMNS = ['item', 'project', 'amount'];
export function fundStatementCsv(f: FundStatement): string {
  return csv(FUND_STATEMENT_COLUMNS, [
    ['opening_balance', '', s(f.opening_cents)],
    ['collections', '', s(f.collections_cents)],
    ['voided_receipts', '', s(f.voided_cents)],
    ['refunds', '', s(f.refunds_cents)],
    ...f.spending.map((p) => ['spending', p.code, s(p.amount_cents)]),
    ['other', '', s(f.other_cents)],
    ['closing_balance', '', s(f.closing_cents)],
  ]);
}

export const BUDGET_COLUMNS = ['code', 'name', 'status', 'budget', 'spent_period', 'spent_total', 'remaining', 'over_budget', 'flagged'];
export const budgetCsv = (lines: BudgetLine[]) => csv(BUDGET_COLUMNS, lines.map((l) => [
  l.code, l.name, l.status, s(l.budget_cents), s(l.spent_period_cents), s(l.spent_total_cents), s(l.remaining_cents),
  l.over_budget ? 'yes' : 'no', String(l.flagged),
]));

export const RECEIVABLES_COLUMNS = ['contract', 'firm', 'lot_code', 'subledger', 'control', 'difference'];
export const receivablesCsv = (lines: ReceivableLine[]) => csv(RECEIVABLES_COLUMNS, lines.map((l) => [
  l.contract_number, l.firm_name, l.lot_code, s(l.subledger_cents), s(l.control_cents), s(l.difference_cents),
]));

export const INFLOWS_COLUMNS = ['month', 'installments', 'amount', 'overdue'];
export const inflowsCsv = (months: InflowMonth[]) => csv(INFLOWS_COLUMNS, months.map((m) => [
  m.month, String(m.installments), s(m.amount_cents), m.overdue ? 'yes' : 'no',
]));

export const ACCOUNTS_COLUMNS = ['code', 'account', 'type', 'debit', 'credit', 'balance'];
export const accountsCsv = (rows: AccountBalance[]) => csv(ACCOUNTS_COLUMNS, rows.map((a) => [
  a.code, a.name, a.type, s(a.debit_cents), s(a.credit_cents), s(a.balance_cents),
]));

export const CASH_DEPOSITS_COLUMNS = ['id', 'date', 'reference', 'amount', 'status', 'recorded_by', 'reversed_on', 'reversal_reason'];
/** Every deposit, reversed ones too (status "reversed"), in date order. */
export const cashDepositsCsv = (rows: CashDepositRow[]) => csv(CASH_DEPOSITS_COLUMNS, rows.map((d) => [
  String(d.id), d.date, d.reference, s(d.amount_cents), d.status, d.recorded_by_name ?? '', d.reversed_on ?? '', d.reversal_reason ?? '',
]));
