// The finance reports: each loads its rows and hands them to a pure function in src/domain.
import type { Db } from '../db/knex.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { cents } from '../domain/money.ts';
import {
  accountBalances, budgetReport, collectionsReport, expectedInflows, fundBalance, fundBalanceSeries, fundStatement,
  receivablesReport, type LedgerEntry,
} from '../domain/fund-reports.ts';
import { reconcile } from '../domain/fund-reconciliation.ts';
import { toHledgerJournal, type JournalTxn } from '../domain/hledger.ts';
import { contractAccounts, type ContractAccount } from './replay.ts';
import {
  entryExtras, flaggedCounts, lineNames, listAccounts, listCashDeposits, listProjects, listSpendings, loadEntries, loadReceipts,
  loadRefunds, reconDeposits, reconSpendings,
} from './queries.ts';

export async function accountsReport(db: Db, as_of: IsoDate) {
  const [accounts, entries] = await Promise.all([listAccounts(db), loadEntries(db, { to: as_of })]);
  const rows = accountBalances(accounts, entries, as_of);
  const debits = cents(rows.reduce((s, r) => s + r.debit_cents, 0));
  const credits = cents(rows.reduce((s, r) => s + r.credit_cents, 0));
  return { as_of, rows, debits, credits };
}

/** The entries of the period with their lines named, and each reversal linked both ways. */
export async function journalReport(db: Db, from: IsoDate, to: IsoDate) {
  const [accounts, entries, names] = await Promise.all([listAccounts(db), loadEntries(db, { from, to }), lineNames(db)]);
  const extras = await entryExtras(db, entries);
  const account = new Map(accounts.map((a) => [a.code, a]));
  return {
    from, to,
    entries: entries.map((e) => ({
      ...e,
      recorded_by: extras.made.get(e.id) ?? null,
      reversed_by: extras.reversedBy.get(e.id) ?? null,
      reverses_date: e.reverses_entry_id === null ? null : extras.dateOf.get(e.reverses_entry_id) ?? null,
      debit_cents: cents(e.lines.reduce((s, l) => s + l.debit_cents, 0)),
      credit_cents: cents(e.lines.reduce((s, l) => s + l.credit_cents, 0)),
      lines: e.lines.map((l) => ({
        ...l, account: account.get(l.account_code),
        contract_number: l.contract_id === null ? null : names.contracts.get(l.contract_id) ?? `#${l.contract_id}`,
        contract_id: l.contract_id,
        project_code: l.project_id === null ? null : names.projects.get(l.project_id) ?? `#${l.project_id}`,
      })),
    })),
  };
}

export async function fundStatementReport(db: Db, from: IsoDate, to: IsoDate) {
  const [entries, projects] = await Promise.all([loadEntries(db, { to }), listProjects(db)]);
  return fundStatement(entries, projects, from, to);
}

export async function collections(db: Db, from: IsoDate, to: IsoDate) {
  return collectionsReport(await loadReceipts(db, { from, to }), from, to);
}

export async function budget(db: Db, from: IsoDate, to: IsoDate) {
  return budgetOf(db, await loadEntries(db, { to }), from, to);
}

/** The budget report from entries already loaded (any superset: only those dated up to `to` are used,
 *  which is what loadEntries(db, { to }) returns, in the same order). */
async function budgetOf(db: Db, entries: LedgerEntry[], from: IsoDate, to: IsoDate) {
  const [projects, flagged] = await Promise.all([listProjects(db), flaggedCounts(db)]);
  return budgetReport(projects.map((p) => ({ ...p, flagged: flagged.get(p.id) ?? 0 })), entries.filter((e) => e.date <= to), from, to);
}

const subledgerOf = (accounts: ContractAccount[]) => accounts.filter((a) => a.recognized).map((a) => ({
  contract_id: a.contract_id, contract_number: a.contract_number, firm_name: a.firm_name, lot_code: a.lot_code,
  scheduled_outstanding_cents: a.scheduled_outstanding_cents,
}));

export async function receivables(db: Db, to: IsoDate) {
  const [accounts, entries] = await Promise.all([contractAccounts(db, to), loadEntries(db, { to })]);
  return receivablesReport(subledgerOf(accounts), entries, to);
}

/** Unpaid scheduled amounts (principal + interest) of recognized contracts, by the month they fall due. */
export async function inflows(db: Db, as_of: IsoDate) {
  const accounts = (await contractAccounts(db, as_of, { unpaid: true })).filter((a) => a.recognized);
  const rows = accounts.flatMap((a) => a.unpaid);
  return expectedInflows(rows, as_of);
}

export async function reconciliation(db: Db, from: IsoDate, to: IsoDate) {
  const [entries, receipts, refunds, spendings, deposits, accounts] = await Promise.all([
    loadEntries(db), loadReceipts(db), loadRefunds(db), listSpendings(db), listCashDeposits(db), contractAccounts(db, to),
  ]);
  return reconcile({
    from, to, entries, receipts, refunds, spendings: reconSpendings(spendings), deposits: reconDeposits(deposits),
    subledger: subledgerOf(accounts),
  });
}

/** The dashboard: the figures finance looks at first, and the data of its three charts. */
export async function dashboard(db: Db, today: IsoDate, from: IsoDate, to: IsoDate) {
  const yearStart = `${today.slice(0, 4)}-01-01`;
  // The whole ledger is loaded once (it was twice: here and again for the budget).
  const [entries, year, accounts, period] = await Promise.all([
    loadEntries(db), collections(db, yearStart, today), contractAccounts(db, today), collections(db, from, to),
  ]);
  const budgetLines = await budgetOf(db, entries, from, to);
  const recognized = accounts.filter((a) => a.recognized);
  return {
    fund_balance_cents: fundBalance(entries, today),
    collected_year_cents: year.total_cents,
    receivables_cents: cents(recognized.reduce((s, a) => s + a.scheduled_outstanding_cents, 0)),
    overdue_cents: cents(recognized.reduce((s, a) => s + a.overdue_cents, 0)),
    overdue_contracts: recognized.filter((a) => a.overdue_cents > 0).length,
    collections: period,
    series: fundBalanceSeries(entries, from, to),
    budget: budgetLines,
  };
}

/** The journal in hledger's format; from a date, it opens with every account's balance the day before. */
export async function ledgerJournal(db: Db, range: { from?: IsoDate | null; to?: IsoDate | null } = {}): Promise<string> {
  const [accounts, entries, names] = await Promise.all([listAccounts(db), loadEntries(db, range), lineNames(db)]);
  let opening;
  if (range.from) {
    const before = addDays(range.from, -1);
    const prior: LedgerEntry[] = await loadEntries(db, { to: before });
    const balances = accountBalances(accounts, prior, before);
    opening = {
      date: range.from, description: `Saldos al ${before}`,
      balances: balances.map((b) => ({ account_code: b.code, balance_cents: b.debit_cents - b.credit_cents })),
    };
  }
  const txns: JournalTxn[] = entries.map((e) => ({
    id: e.id, date: e.date, description: e.description, source_type: e.source_type, source_id: e.source_id,
    reverses_entry_id: e.reverses_entry_id,
    postings: e.lines.map((l) => ({
      account_code: l.account_code, debit_cents: l.debit_cents, credit_cents: l.credit_cents,
      tags: {
        contract: l.contract_id === null ? null : names.contracts.get(l.contract_id) ?? String(l.contract_id),
        project: l.project_id === null ? null : names.projects.get(l.project_id) ?? String(l.project_id),
      },
    })),
  }));
  return toHledgerJournal({
    title: 'Municipalidad Provincial de Ilo: Parque Industrial, fondo de reinversión',
    accounts: accounts.map((a) => ({ code: a.code, name: a.name, label: a.label_es, type: a.type })),
    entries: txns, opening,
  });
}
