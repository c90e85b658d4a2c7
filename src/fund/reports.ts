// The finance reports: each loads its rows and hands them to a pure function in src/domain.
import type { Db } from '../db/knex.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { cents } from '../domain/money.ts';
import { SOURCE_TYPES } from '../domain/accounts.ts';
import {
  balanceOn, balanceSeries, balancesFromSums, budgetReport, collectionsReport, expectedInflows, fundStatement,
  receivablesFromControl,
} from '../domain/fund-reports.ts';
import { reconcile } from '../domain/fund-reconciliation.ts';
import { toHledgerJournal, type JournalTxn } from '../domain/hledger.ts';
import { contractAccounts, type ContractAccount } from './replay.ts';
import {
  accountSums, entryExtras, flaggedCounts, loadEntriesById, fundDailyEffects, lineNames, listAccounts, listCashDeposits, listProjects, listSpendings, loadEntries, loadReceipts,
  loadProjectEntries, loadReconEntries, loadRefunds, receivablesControl, receivablesEntries, reconBankExplanations, reconDeposits, reconSpendings,
  waivedLateFees,
} from './queries.ts';

export async function accountsReport(db: Db, as_of: IsoDate) {
  const [accounts, sums] = await Promise.all([listAccounts(db), accountSums(db, as_of)]);
  const rows = balancesFromSums(accounts, sums);
  const debits = cents(rows.reduce((s, r) => s + r.debit_cents, 0));
  const credits = cents(rows.reduce((s, r) => s + r.credit_cents, 0));
  return { as_of, rows, debits, credits };
}

/** The entries of the period with their lines named, and each reversal linked both ways. */
/** How many entries the period has (the journal page's pager). */
export async function journalCount(db: Db, from: IsoDate, to: IsoDate): Promise<number> {
  const [r] = await db('journal_entries').whereBetween('date', [from, to]).count({ n: '*' });
  return Number(r?.n ?? 0);
}

/** The entries of the period (one page of them when `window` is given, in date order) with their lines
 *  named, and each reversal linked both ways. */
export async function journalReport(db: Db, from: IsoDate, to: IsoDate, window?: { offset: number; limit: number }) {
  const q = db('journal_entries').whereBetween('date', [from, to]).orderBy([{ column: 'date' }, { column: 'id' }]);
  if (window) q.limit(window.limit).offset(window.offset);
  const ids = (await q.select('id')).map((r: { id: number }) => Number(r.id));
  const entries = (await loadEntriesById(db, ids)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  const [accounts, names] = await Promise.all([listAccounts(db), lineNames(db, entries)]);
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
  const [projects, entries, flagged] = await Promise.all([listProjects(db), loadProjectEntries(db, to), flaggedCounts(db)]);
  return budgetReport(projects.map((p) => ({ ...p, flagged: flagged.get(p.id) ?? 0 })), entries, from, to);
}

const subledgerOf = (accounts: ContractAccount[]) => accounts.filter((a) => a.recognized).map((a) => ({
  contract_id: a.contract_id, contract_number: a.contract_number, firm_name: a.firm_name, lot_code: a.lot_code,
  scheduled_outstanding_cents: a.scheduled_outstanding_cents,
}));

export async function receivables(db: Db, to: IsoDate) {
  const [accounts, control] = await Promise.all([contractAccounts(db, to), receivablesControl(db, to)]);
  return receivablesFromControl(subledgerOf(accounts), control, to);
}

/** Unpaid scheduled amounts (principal + interest) of recognized contracts, by the month they fall due. */
export async function inflows(db: Db, as_of: IsoDate) {
  const accounts = (await contractAccounts(db, as_of, { unpaid: true })).filter((a) => a.recognized);
  const rows = accounts.flatMap((a) => a.unpaid);
  return expectedInflows(rows, as_of);
}

export async function reconciliation(db: Db, from: IsoDate, to: IsoDate) {
  // The period's entries and documents, the receivables control as one aggregate: not the whole ledger.
  const [entries, periodReceipts, refunds, spendings, deposits, accounts, sums] = await Promise.all([
    loadReconEntries(db, from, to), loadReceipts(db, { from, to }), loadRefunds(db), listSpendings(db), listCashDeposits(db),
    contractAccounts(db, to), receivablesControl(db, to),
  ]);
  // Receipts outside the period that an entry of the period belongs to (a late posting, a reversal).
  const known = new Set(periodReceipts.map((r) => r.id));
  const named = [...new Set(entries.filter((e) => e.source_type === SOURCE_TYPES.receipt).map((e) => Number(e.source_id)))]
    .filter((id) => !known.has(id));
  const receipts = named.length ? [...periodReceipts, ...await loadReceipts(db, { ids: named })] : periodReceipts;
  const subledger = subledgerOf(accounts);
  // Only where a contract's 1201 differs from its subledger are the entries behind it read.
  const differing: (number | null)[] = [];
  const rest = new Map(sums);
  for (const s of subledger) {
    if ((rest.get(s.contract_id) ?? 0) !== s.scheduled_outstanding_cents) differing.push(s.contract_id);
    rest.delete(s.contract_id);
  }
  for (const [id, amount] of rest) if (amount !== 0) differing.push(id);
  const behind = await receivablesEntries(db, to, differing);
  const control = new Map([...sums].map(([id, amount]) => [id, { amount, entries: behind.get(id) ?? [] }]));
  return reconcile({
    from, to, entries, receipts, refunds, spendings: reconSpendings(spendings), deposits: reconDeposits(deposits),
    bankExplanations: await reconBankExplanations(db, from, to),
    subledger, control,
  });
}

/** The dashboard: the figures finance looks at first, and the data of its three charts. */
export async function dashboard(db: Db, today: IsoDate, from: IsoDate, to: IsoDate) {
  const yearStart = `${today.slice(0, 4)}-01-01`;
  // The fund by day from one aggregate query, not the whole ledger loaded.
  const [daily, year, accounts, budgetLines, period] = await Promise.all([
    fundDailyEffects(db), collections(db, yearStart, today), contractAccounts(db, today), budget(db, from, to), collections(db, from, to),
  ]);
  const recognized = accounts.filter((a) => a.recognized);
  return {
    waived_cents: await waivedLateFees(db, from, to),
    fund_balance_cents: balanceOn(daily, today),
    collected_year_cents: year.total_cents,
    receivables_cents: cents(recognized.reduce((s, a) => s + a.scheduled_outstanding_cents, 0)),
    overdue_cents: cents(recognized.reduce((s, a) => s + a.overdue_cents, 0)),
    overdue_contracts: recognized.filter((a) => a.overdue_cents > 0).length,
    collections: period,
    series: balanceSeries(daily, from, to),
    budget: budgetLines,
  };
}

/** The journal in hledger's format; from a date, it opens with every account's balance the day before. */
export async function ledgerJournal(db: Db, range: { from?: IsoDate | null; to?: IsoDate | null } = {}): Promise<string> {
  const [accounts, entries] = await Promise.all([listAccounts(db), loadEntries(db, range)]);
  const names = await lineNames(db, entries);
  let opening;
  if (range.from) {
    const before = addDays(range.from, -1);
    const balances = balancesFromSums(accounts, await accountSums(db, before));
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
