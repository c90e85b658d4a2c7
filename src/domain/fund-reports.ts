// Finance reports on plain rows: account balances, the fund statement, collections, budget vs
// spent, receivables, expected inflows and the fund balance over time. Pure and exact: sums of
// integer céntimos, periods as inclusive 'YYYY-MM-DD' bounds.
import { ACCOUNTS, SOURCE_TYPES } from './accounts.ts';
import { cents, type Cents } from './money.ts';
import { addDays, addMonths, endOfMonth, startOfMonth, type IsoDate } from './dates.ts';

// Short names for the accounts and source types these reports read (src/domain/accounts.ts).
export const CASH = ACCOUNTS.cash;
export const BANK = ACCOUNTS.bank;
export const RECEIVABLES = ACCOUNTS.receivables;
export const FUND = ACCOUNTS.fund;
export const MINISTRY = ACCOUNTS.ministryCollections;
export const SOURCE = SOURCE_TYPES;

export interface LedgerLine {
  account_code: string;
  debit_cents: number;
  credit_cents: number;
  contract_id: number | null;
  project_id: number | null;
}
export interface LedgerEntry {
  id: number;
  date: IsoDate;
  description: string;
  source_type: string;
  source_id: string;
  reverses_entry_id: number | null;
  lines: LedgerLine[];
}

/** The entry an entry ultimately reverses (itself when it reverses nothing). */
export function rootsOf(entries: readonly LedgerEntry[]): Map<number, LedgerEntry> {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const roots = new Map<number, LedgerEntry>();
  for (const e of entries) {
    let r = e;
    const seen = new Set<number>();
    while (r.reverses_entry_id !== null && byId.has(r.reverses_entry_id) && !seen.has(r.id)) {
      seen.add(r.id);
      r = byId.get(r.reverses_entry_id)!;
    }
    roots.set(e.id, r);
  }
  return roots;
}

/** Σ (debit − credit) on the accounts over the lines matching `where`. */
export function net(entry: LedgerEntry, accounts: readonly string[], where: (l: LedgerLine) => boolean = () => true): number {
  let n = 0;
  for (const l of entry.lines) if (accounts.includes(l.account_code) && where(l)) n += l.debit_cents - l.credit_cents;
  return n;
}

/** What an entry does to the fund: its credits minus its debits on the fund account. */
export const fundEffect = (e: LedgerEntry, where?: (l: LedgerLine) => boolean) => 0 - net(e, [FUND], where);

export const inPeriod = (date: IsoDate, from: IsoDate, to: IsoDate) => date >= from && date <= to;

// ---------------------------------------------------------------------------------------------
// Chart of accounts with balances

export interface AccountRow { code: string; name: string; label_es: string; label_en: string; type: string }
export interface AccountBalance extends AccountRow {
  debit_cents: Cents;
  credit_cents: Cents;
  /** In the account's natural direction: debit − credit for assets and expenses, else credit − debit. */
  balance_cents: Cents;
}

export const debitNormal = (type: string) => type === 'asset' || type === 'expense';

export function accountBalances(accounts: readonly AccountRow[], entries: readonly LedgerEntry[], as_of: IsoDate): AccountBalance[] {
  const sums = new Map<string, { d: number; c: number }>();
  for (const e of entries) {
    if (e.date > as_of) continue;
    for (const l of e.lines) {
      const s = sums.get(l.account_code) ?? { d: 0, c: 0 };
      s.d += l.debit_cents;
      s.c += l.credit_cents;
      sums.set(l.account_code, s);
    }
  }
  return balancesFromSums(accounts, sums);
}

/** The same from debits and credits already summed per account. */
export function balancesFromSums(accounts: readonly AccountRow[], sums: ReadonlyMap<string, { d: number; c: number }>): AccountBalance[] {
  return accounts.map((a) => {
    const s = sums.get(a.code) ?? { d: 0, c: 0 };
    return {
      ...a, debit_cents: cents(s.d), credit_cents: cents(s.c),
      balance_cents: cents(debitNormal(a.type) ? s.d - s.c : s.c - s.d),
    };
  });
}

/** The fund's balance (credits − debits on the fund account) over entries dated up to `as_of`. */
export function fundBalance(entries: readonly LedgerEntry[], as_of: IsoDate): Cents {
  let b = 0;
  for (const e of entries) if (e.date <= as_of) b += fundEffect(e);
  return cents(b);
}

// ---------------------------------------------------------------------------------------------
// Fund statement

export interface ProjectRef { id: number; code: string; name: string }
export interface FundStatement {
  from: IsoDate;
  to: IsoDate;
  opening_cents: Cents;
  collections_cents: Cents; // receipts on municipal lots credited to the fund
  voided_cents: Cents; // receipts voided in the period (negative)
  refunds_cents: Cents; // returned to buyers on rescission (negative)
  spending: { project_id: number | null; code: string; name: string; amount_cents: Cents }[]; // negative
  spending_cents: Cents;
  other_cents: Cents; // anything else that touched the fund (should be 0)
  closing_cents: Cents;
}

/** Every movement of the fund in the period, by kind, as its effect on the balance (outflows negative). */
export function fundStatement(entries: readonly LedgerEntry[], projects: readonly ProjectRef[], from: IsoDate, to: IsoDate): FundStatement {
  const roots = rootsOf(entries);
  const opening = fundBalance(entries, addDays(from, -1));
  let collections = 0, voided = 0, refunds = 0, other = 0;
  const byProject = new Map<number | null, number>();
  for (const e of entries) {
    if (!inPeriod(e.date, from, to)) continue;
    const root = roots.get(e.id)!;
    const reversal = root.id !== e.id;
    if (root.source_type === SOURCE.receipt) {
      if (reversal) voided += fundEffect(e); else collections += fundEffect(e);
    } else if (root.source_type === SOURCE.rescission) {
      refunds += fundEffect(e);
    } else if (root.source_type === SOURCE.spending) {
      for (const l of e.lines) {
        if (l.account_code !== FUND) continue;
        byProject.set(l.project_id, (byProject.get(l.project_id) ?? 0) + l.credit_cents - l.debit_cents);
      }
    } else {
      other += fundEffect(e);
    }
  }
  const spending = projects
    .filter((p) => byProject.has(p.id))
    .map((p) => ({ project_id: p.id as number | null, code: p.code, name: p.name, amount_cents: cents(byProject.get(p.id)!) }));
  for (const [id, amount] of byProject) {
    if (id === null || !projects.some((p) => p.id === id)) spending.push({ project_id: id, code: '', name: '', amount_cents: cents(amount) });
  }
  const spendingTotal = spending.reduce((s, p) => s + p.amount_cents, 0);
  return {
    from, to, opening_cents: opening,
    collections_cents: cents(collections), voided_cents: cents(voided), refunds_cents: cents(refunds),
    spending, spending_cents: cents(spendingTotal), other_cents: cents(other),
    closing_cents: cents(opening + collections + voided + refunds + spendingTotal + other),
  };
}

// ---------------------------------------------------------------------------------------------
// Collections (from receipts)

export const METHODS = ['cash', 'deposit', 'transfer'] as const;
export type Method = (typeof METHODS)[number];

export interface ReceiptRow {
  id: number;
  number: string;
  date: IsoDate;
  amount_cents: number;
  method: string;
  status: string; // valid | void
  void_reason: string | null;
  contract_number: string;
  firm_name: string;
}
export interface CollectionsMonth { month: string; by_method: Record<Method, Cents>; counts: Record<Method, number>; count: number; total_cents: Cents }
export interface Collections {
  months: CollectionsMonth[];
  by_method: Record<Method, Cents>;
  count: number;
  total_cents: Cents;
  voids: ReceiptRow[];
  void_total_cents: Cents;
}

/** The months 'YYYY-MM' from the month of `from` to the month of `to`. */
export function monthsBetween(from: IsoDate, to: IsoDate): string[] {
  const out: string[] = [];
  for (let d = startOfMonth(from); d <= to; d = addMonths(d, 1)) out.push(d.slice(0, 7));
  return out;
}

const zeroMethods = (): Record<Method, Cents> => ({ cash: cents(0), deposit: cents(0), transfer: cents(0) });

/** Valid receipts of the period by month and method; void ones listed apart, never added in. */
export function collectionsReport(receipts: readonly ReceiptRow[], from: IsoDate, to: IsoDate): Collections {
  const months = new Map(monthsBetween(from, to).map((m): [string, CollectionsMonth] =>
    [m, { month: m, by_method: zeroMethods(), counts: { cash: 0, deposit: 0, transfer: 0 }, count: 0, total_cents: cents(0) }]));
  const byMethod = zeroMethods();
  let count = 0, total = 0, voidTotal = 0;
  const voids: ReceiptRow[] = [];
  for (const r of receipts) {
    if (!inPeriod(r.date, from, to)) continue;
    if (r.status !== 'valid') {
      voids.push(r);
      voidTotal += r.amount_cents;
      continue;
    }
    const m = months.get(r.date.slice(0, 7))!;
    const method = (METHODS as readonly string[]).includes(r.method) ? (r.method as Method) : 'cash';
    m.by_method[method] = cents(m.by_method[method] + r.amount_cents);
    m.counts[method] += 1;
    m.count += 1;
    m.total_cents = cents(m.total_cents + r.amount_cents);
    byMethod[method] = cents(byMethod[method] + r.amount_cents);
    count += 1;
    total += r.amount_cents;
  }
  voids.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  return { months: [...months.values()], by_method: byMethod, count, total_cents: cents(total), voids, void_total_cents: cents(voidTotal) };
}

// ---------------------------------------------------------------------------------------------
// Budget vs spent (from the ledger: net charges to the fund per project)

export interface ProjectBudgetRow { id: number; code: string; name: string; status: string; budget_cents: number; flagged: number }
export interface BudgetLine {
  id: number; code: string; name: string; status: string;
  budget_cents: Cents;
  spent_period_cents: Cents;
  spent_total_cents: Cents; // up to `to`
  remaining_cents: Cents;
  over_budget: boolean;
  flagged: number; // spendings recorded beyond the budget or the fund with confirmation
  spent_ppm: number; // spent_total / budget, floored to 0.1% (1000 ppm)
  bar_pct: number; // the same in whole percent, at most 100 (the width of its bar)
}

/** What each project spent: net debits to the fund carrying its project, by entry date. */
export function spentByProject(entries: readonly LedgerEntry[], from: IsoDate | null, to: IsoDate): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of entries) {
    if (e.date > to || (from !== null && e.date < from)) continue;
    for (const l of e.lines) {
      if (l.account_code !== FUND || l.project_id === null) continue;
      out.set(l.project_id, (out.get(l.project_id) ?? 0) + l.debit_cents - l.credit_cents);
    }
  }
  return out;
}

export function budgetReport(projects: readonly ProjectBudgetRow[], entries: readonly LedgerEntry[], from: IsoDate, to: IsoDate) {
  const period = spentByProject(entries, from, to);
  const total = spentByProject(entries, null, to);
  const lines: BudgetLine[] = projects.map((p) => {
    const spent = total.get(p.id) ?? 0;
    const remaining = p.budget_cents - spent;
    // Floored to a tenth of a percent: "108.3%" is what a reader needs.
    const spent_ppm = p.budget_cents > 0 ? Math.floor((Math.max(0, spent) * 1_000) / p.budget_cents) * 1_000 : 0;
    return {
      id: p.id, code: p.code, name: p.name, status: p.status,
      budget_cents: cents(p.budget_cents),
      spent_period_cents: cents(period.get(p.id) ?? 0),
      spent_total_cents: cents(spent),
      remaining_cents: cents(remaining),
      over_budget: remaining < 0,
      flagged: p.flagged,
      spent_ppm, bar_pct: Math.min(100, Math.floor(spent_ppm / 10_000)),
    };
  });
  const sumOf = (f: (l: BudgetLine) => number) => cents(lines.reduce((s, l) => s + f(l), 0));
  return {
    lines,
    budget_cents: sumOf((l) => l.budget_cents),
    spent_period_cents: sumOf((l) => l.spent_period_cents),
    spent_total_cents: sumOf((l) => l.spent_total_cents),
    remaining_cents: sumOf((l) => l.remaining_cents),
  };
}

// ---------------------------------------------------------------------------------------------
// Receivables: the control account against the contracts' scheduled outstanding

export interface SubledgerRow { contract_id: number; contract_number: string; firm_name: string; lot_code: string; scheduled_outstanding_cents: number }
export interface ReceivableLine {
  contract_id: number | null;
  contract_number: string;
  firm_name: string;
  lot_code: string;
  subledger_cents: Cents;
  control_cents: Cents;
  difference_cents: Cents; // subledger − control
}

/** Per contract: the subledger (from its statement) beside account 1201's lines for it, as of `to`. */
export function receivablesReport(subledger: readonly SubledgerRow[], entries: readonly LedgerEntry[], to: IsoDate) {
  const control = new Map<number | null, number>();
  for (const e of entries) {
    if (e.date > to) continue;
    for (const l of e.lines) {
      if (l.account_code !== RECEIVABLES) continue;
      control.set(l.contract_id, (control.get(l.contract_id) ?? 0) + l.debit_cents - l.credit_cents);
    }
  }
  return receivablesFromControl(subledger, control, to);
}

/** The same from account 1201 already summed per contract on `to`. */
export function receivablesFromControl(subledger: readonly SubledgerRow[], sums: ReadonlyMap<number | null, number>, to: IsoDate) {
  const control = new Map(sums);
  const lines: ReceivableLine[] = subledger.map((s) => {
    const c = control.get(s.contract_id) ?? 0;
    control.delete(s.contract_id);
    return {
      contract_id: s.contract_id, contract_number: s.contract_number, firm_name: s.firm_name, lot_code: s.lot_code,
      subledger_cents: cents(s.scheduled_outstanding_cents), control_cents: cents(c),
      difference_cents: cents(s.scheduled_outstanding_cents - c),
    };
  });
  // Ledger balances on contracts that are not live on `to` (or on no contract at all) are differences too.
  for (const [id, c] of control) {
    if (c === 0) continue;
    lines.push({ contract_id: id, contract_number: id === null ? '' : `#${id}`, firm_name: '', lot_code: '',
      subledger_cents: cents(0), control_cents: cents(c), difference_cents: cents(-c) });
  }
  const subledger_cents = cents(lines.reduce((s, l) => s + l.subledger_cents, 0));
  const control_cents = cents(lines.reduce((s, l) => s + l.control_cents, 0));
  return { to, lines, subledger_cents, control_cents, difference_cents: cents(subledger_cents - control_cents) };
}

// ---------------------------------------------------------------------------------------------
// Expected inflows: scheduled amounts still unpaid, by the month they fall due

export interface UnpaidRow { due_date: IsoDate; unpaid_cents: number }
export interface InflowMonth { month: string; installments: number; amount_cents: Cents; overdue: boolean }

export function expectedInflows(rows: readonly UnpaidRow[], as_of: IsoDate) {
  const months = new Map<string, InflowMonth>();
  for (const r of rows) {
    if (r.unpaid_cents <= 0) continue;
    const key = r.due_date.slice(0, 7);
    const m = months.get(key) ?? { month: key, installments: 0, amount_cents: cents(0), overdue: false };
    m.installments += 1;
    m.amount_cents = cents(m.amount_cents + r.unpaid_cents);
    if (r.due_date < as_of) m.overdue = true;
    months.set(key, m);
  }
  const list = [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
  const overdue_cents = cents(rows.filter((r) => r.due_date < as_of && r.unpaid_cents > 0).reduce((s, r) => s + r.unpaid_cents, 0));
  return { as_of, months: list, total_cents: cents(list.reduce((s, m) => s + m.amount_cents, 0)), overdue_cents };
}

// ---------------------------------------------------------------------------------------------
// The fund's balance at each month end of the period (the last point on `to`)

export function fundBalanceSeries(entries: readonly LedgerEntry[], from: IsoDate, to: IsoDate): { date: IsoDate; balance_cents: Cents }[] {
  return balanceSeries(dailyFundEffects(entries), from, to);
}

/** The same from the fund's net movement per day (what SQL sums without loading the ledger). */
export function balanceSeries(daily: readonly { date: IsoDate; effect_cents: number }[], from: IsoDate, to: IsoDate): { date: IsoDate; balance_cents: Cents }[] {
  const dates = monthsBetween(from, to).map((m) => {
    const end = endOfMonth(`${m}-01`);
    return end > to ? to : end;
  });
  const sorted = [...daily].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: { date: IsoDate; balance_cents: Cents }[] = [];
  let i = 0, balance = 0;
  for (const d of dates) {
    while (i < sorted.length && sorted[i]!.date <= d) balance += sorted[i++]!.effect_cents;
    out.push({ date: d, balance_cents: cents(balance) });
  }
  return out;
}

/** The balance on `as_of` from the net movement per day. */
export const balanceOn = (daily: readonly { date: IsoDate; effect_cents: number }[], as_of: IsoDate): Cents =>
  cents(daily.reduce((s, d) => (d.date <= as_of ? s + d.effect_cents : s), 0));

/** The fund's net movement per day (credits − debits on the fund account), from a whole ledger. */
export function dailyFundEffects(entries: readonly LedgerEntry[]): { date: IsoDate; effect_cents: number }[] {
  const byDate = new Map<IsoDate, number>();
  for (const e of entries) byDate.set(e.date, (byDate.get(e.date) ?? 0) + fundEffect(e));
  return [...byDate].map(([date, effect_cents]) => ({ date, effect_cents }));
}

/** The lowest fund balance from `date` on (inclusive): what can still be spent on that date
 *  without the fund going below zero on that day or any later one. */
export function availableOn(daily: readonly { date: IsoDate; effect_cents: number }[], date: IsoDate): Cents {
  const sorted = [...daily].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let balance = 0, i = 0;
  while (i < sorted.length && sorted[i]!.date <= date) balance += sorted[i++]!.effect_cents;
  let min = balance;
  for (; i < sorted.length; i++) {
    balance += sorted[i]!.effect_cents;
    if (balance < min) min = balance;
  }
  return cents(min);
}

export const fundAvailableOn = (entries: readonly LedgerEntry[], date: IsoDate): Cents => availableOn(dailyFundEffects(entries), date);
