// SQL of the fund area: reads only. Rows come out with numbers as numbers (SQLite bigints arrive
// as numbers, PostgreSQL's as strings) and dates as 'YYYY-MM-DD'.
import type { Db } from '../db/knex.ts';
import { ACCOUNTS, SOURCE_TYPES } from '../domain/accounts.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { AccountRow, LedgerEntry, ReceiptRow } from '../domain/fund-reports.ts';
import type { ReconBankExplanation, ReconDeposit, ReconReceipt, ReconRefund, ReconSpending } from '../domain/fund-reconciliation.ts';

const num = (v: unknown) => Number(v ?? 0);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function listAccounts(db: Db): Promise<AccountRow[]> {
  const rows = await db('accounts').orderBy('code');
  return rows.map((a: Record<string, unknown>) => ({
    code: String(a.code), name: String(a.name), label_es: String(a.label_es), label_en: String(a.label_en), type: String(a.type),
  }));
}

/** Journal entries with their lines, optionally only those dated in [from, to]. */
export async function loadEntries(db: Db, range: { from?: IsoDate | null; to?: IsoDate | null } = {}): Promise<LedgerEntry[]> {
  const q = db('journal_entries').orderBy([{ column: 'date' }, { column: 'id' }]);
  if (range.from) q.where('date', '>=', range.from);
  if (range.to) q.where('date', '<=', range.to);
  const entries = await q.select('id', 'date', 'description', 'source_type', 'source_id', 'reverses_entry_id');
  const lq = db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id').orderBy('l.id')
    .select('l.entry_id', 'l.account_code', 'l.debit_cents', 'l.credit_cents', 'l.contract_id', 'l.project_id');
  if (range.from) lq.where('e.date', '>=', range.from);
  if (range.to) lq.where('e.date', '<=', range.to);
  const lines = await lq;
  const byEntry = new Map<number, LedgerEntry>();
  const out = entries.map((e: Record<string, unknown>) => {
    const entry: LedgerEntry = {
      id: num(e.id), date: String(e.date), description: String(e.description), source_type: String(e.source_type),
      source_id: String(e.source_id), reverses_entry_id: numOrNull(e.reverses_entry_id), lines: [],
    };
    byEntry.set(entry.id, entry);
    return entry;
  });
  for (const l of lines as Record<string, unknown>[]) {
    byEntry.get(num(l.entry_id))?.lines.push({
      account_code: String(l.account_code), debit_cents: num(l.debit_cents), credit_cents: num(l.credit_cents),
      contract_id: numOrNull(l.contract_id), project_id: numOrNull(l.project_id),
    });
  }
  return out;
}

/** The lines charged to a project (spending and its reversals) up to `to`, grouped as entries: all the
 *  budget needs, without loading the collections that make up most of the ledger. */
export async function loadProjectEntries(db: Db, to: IsoDate): Promise<LedgerEntry[]> {
  const lines = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .whereNotNull('l.project_id').andWhere('e.date', '<=', to).orderBy([{ column: 'e.date' }, { column: 'e.id' }, { column: 'l.id' }])
    .select('e.id', 'e.date', 'e.description', 'e.source_type', 'e.source_id', 'e.reverses_entry_id',
      'l.account_code', 'l.debit_cents', 'l.credit_cents', 'l.contract_id', 'l.project_id');
  const byEntry = new Map<number, LedgerEntry>();
  for (const l of lines as Record<string, unknown>[]) {
    const id = num(l.id);
    let entry = byEntry.get(id);
    if (!entry) {
      entry = { id, date: String(l.date), description: String(l.description), source_type: String(l.source_type),
        source_id: String(l.source_id), reverses_entry_id: numOrNull(l.reverses_entry_id), lines: [] };
      byEntry.set(id, entry);
    }
    entry.lines.push({ account_code: String(l.account_code), debit_cents: num(l.debit_cents), credit_cents: num(l.credit_cents),
      contract_id: numOrNull(l.contract_id), project_id: numOrNull(l.project_id) });
  }
  return [...byEntry.values()];
}

/** The entries a reconciliation of [from, to] looks at, not the whole ledger: those dated in the period
 *  and the entries they reverse; reversals of those, whatever their date; every entry of a receipt dated
 *  in the period and of the (few) refunds, spendings and deposits, with their reversals. Then, until none
 *  is missing, the entries any of them reverses (so each one's document is found). */
export async function loadReconEntries(db: Db, from: IsoDate, to: IsoDate): Promise<LedgerEntry[]> {
  const inPeriod = () => db('journal_entries').select('id').whereBetween('date', [from, to]);
  const docsEntries = () => db('journal_entries').select('id')
    .where((w) => w.whereIn('source_type', [SOURCE_TYPES.rescission, SOURCE_TYPES.spending, SOURCE_TYPES.cashDeposit])
      .orWhere((r) => r.where('source_type', SOURCE_TYPES.receipt)
        .whereIn('source_id', db('receipts').select(db.raw('CAST(id AS TEXT)')).whereBetween('date', [from, to]))));
  const chosen = (q: ReturnType<Db>) => q.where((w) => w.whereBetween('date', [from, to])
    .orWhereIn('reverses_entry_id', inPeriod())
    .orWhereIn('id', db('journal_entries').select('reverses_entry_id').whereBetween('date', [from, to]).whereNotNull('reverses_entry_id'))
    .orWhereIn('id', docsEntries())
    .orWhereIn('reverses_entry_id', docsEntries()));
  const entries = await chosen(db('journal_entries')).select('id');
  const ids = new Set<number>(entries.map((e: { id: number }) => num(e.id)));
  let out = await loadEntriesById(db, [...ids]);
  for (let missing = out.filter((e) => e.reverses_entry_id !== null && !ids.has(e.reverses_entry_id)); missing.length > 0;) {
    const more = await loadEntriesById(db, [...new Set(missing.map((e) => e.reverses_entry_id!))]);
    for (const e of more) ids.add(e.id);
    out = [...out, ...more];
    missing = more.filter((e) => e.reverses_entry_id !== null && !ids.has(e.reverses_entry_id));
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
}

/** Debits and credits per account over the entries dated up to `as_of`, from one aggregate. */
export async function accountSums(db: Db, as_of: IsoDate): Promise<Map<string, { d: number; c: number }>> {
  const rows = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('e.date', '<=', as_of).groupBy('l.account_code').select('l.account_code').sum({ d: 'l.debit_cents', c: 'l.credit_cents' });
  return new Map(rows.map((r: Record<string, unknown>) => [String(r.account_code), { d: num(r.d), c: num(r.c) }]));
}

/** Account 1201 per contract on `to` (Σ debit − credit), from one aggregate. */
export async function receivablesControl(db: Db, to: IsoDate): Promise<Map<number | null, number>> {
  const rows = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account_code', ACCOUNTS.receivables).andWhere('e.date', '<=', to)
    .groupBy('l.contract_id').select('l.contract_id').sum({ d: 'l.debit_cents', c: 'l.credit_cents' });
  return new Map(rows.map((r: Record<string, unknown>) => [numOrNull(r.contract_id), num(r.d) - num(r.c)]));
}

/** The entries up to `to` that touch 1201 for the given contracts (null: lines without a contract). */
export async function receivablesEntries(db: Db, to: IsoDate, contractIds: (number | null)[]): Promise<Map<number | null, LedgerEntry[]>> {
  const out = new Map<number | null, LedgerEntry[]>();
  if (contractIds.length === 0) return out;
  const ids = contractIds.filter((c): c is number => c !== null);
  const rows = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account_code', ACCOUNTS.receivables).andWhere('e.date', '<=', to)
    .andWhere((w) => {
      if (ids.length) w.whereIn('l.contract_id', ids);
      if (contractIds.includes(null)) w.orWhereNull('l.contract_id');
    })
    .distinct('l.entry_id', 'l.contract_id');
  const entryIds: number[] = [...new Set<number>(rows.map((r: { entry_id: number }) => num(r.entry_id)))];
  const entries = new Map((await loadEntriesById(db, entryIds)).map((e) => [e.id, e]));
  for (const r of rows as { entry_id: number; contract_id: number | null }[]) {
    const key = numOrNull(r.contract_id);
    out.set(key, [...(out.get(key) ?? []), entries.get(num(r.entry_id))!].sort((a, b) => a.id - b.id));
  }
  return out;
}

/** Some entries by id, with their lines (a document's entry and its reversal). */
export async function loadEntriesById(db: Db, ids: number[]): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  // In chunks: a statement binds at most a few thousand parameters.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const entries = await db('journal_entries').whereIn('id', chunk).orderBy('id')
      .select('id', 'date', 'description', 'source_type', 'source_id', 'reverses_entry_id');
    const lines = await db('journal_lines').whereIn('entry_id', chunk).orderBy('id');
    const byEntry = new Map<number, LedgerEntry>();
    for (const e of entries as Record<string, unknown>[]) {
      const entry: LedgerEntry = {
        id: num(e.id), date: String(e.date), description: String(e.description), source_type: String(e.source_type),
        source_id: String(e.source_id), reverses_entry_id: numOrNull(e.reverses_entry_id), lines: [],
      };
      byEntry.set(entry.id, entry);
      out.push(entry);
    }
    for (const l of lines as Record<string, unknown>[]) {
      byEntry.get(num(l.entry_id))?.lines.push({
        account_code: String(l.account_code), debit_cents: num(l.debit_cents), credit_cents: num(l.credit_cents),
        contract_id: numOrNull(l.contract_id), project_id: numOrNull(l.project_id),
      });
    }
  }
  return out;
}

/** The fund's net movement per day (credits − debits on 3101): all that its availability needs. */
export async function fundDailyEffects(db: Db): Promise<{ date: IsoDate; effect_cents: number }[]> {
  const rows = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account_code', ACCOUNTS.fund).groupBy('e.date').orderBy('e.date')
    .select('e.date').sum({ c: 'l.credit_cents', d: 'l.debit_cents' });
  return rows.map((r: Record<string, unknown>) => ({ date: String(r.date), effect_cents: num(r.c) - num(r.d) }));
}

/** An account's net movement per day (debits − credits), e.g. the till's (1101) for what it can give. */
export async function accountDailyEffects(db: Db, account_code: string): Promise<{ date: IsoDate; effect_cents: number }[]> {
  const rows = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account_code', account_code).groupBy('e.date').orderBy('e.date')
    .select('e.date').sum({ c: 'l.credit_cents', d: 'l.debit_cents' });
  return rows.map((r: Record<string, unknown>) => ({ date: String(r.date), effect_cents: num(r.d) - num(r.c) }));
}

/** Who recorded each entry, which entry reversed it and the dates of both ends of each reversal,
 *  so that the journal can link an entry to its reversal even across periods. */
export async function entryExtras(db: Db, entries: { id: number; reverses_entry_id: number | null }[]) {
  const made = new Map<number, string | null>();
  const reversedBy = new Map<number, { id: number; date: string }>();
  const dateOf = new Map<number, string>();
  const ids = entries.map((e) => e.id);
  const originals = entries.map((e) => e.reverses_entry_id).filter((id): id is number => id !== null);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db('journal_entries as e').leftJoin('users as u', 'u.id', 'e.created_by')
      .whereIn('e.id', chunk).select('e.id', 'u.username');
    for (const r of rows) made.set(num(r.id), r.username ?? null);
    const rev = await db('journal_entries').whereIn('reverses_entry_id', chunk).select('id', 'date', 'reverses_entry_id');
    for (const r of rev) reversedBy.set(num(r.reverses_entry_id), { id: num(r.id), date: String(r.date) });
  }
  for (let i = 0; i < originals.length; i += 500) {
    const rows = await db('journal_entries').whereIn('id', originals.slice(i, i + 500)).select('id', 'date');
    for (const r of rows) dateOf.set(num(r.id), String(r.date));
  }
  return { made, reversedBy, dateOf };
}

/** Contract numbers and project codes by id, to name the lines of the journal. */
/** The numbers of the contracts and the codes of the projects that the entries' lines name. */
export async function lineNames(db: Db, entries: readonly LedgerEntry[]) {
  const contractIds = new Set<number>();
  const projectIds = new Set<number>();
  for (const e of entries) {
    for (const l of e.lines) {
      if (l.contract_id !== null) contractIds.add(l.contract_id);
      if (l.project_id !== null) projectIds.add(l.project_id);
    }
  }
  const inChunks = async (table: string, column: string, ids: Set<number>) => {
    const list = [...ids];
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < list.length; i += 500) rows.push(...await db(table).whereIn('id', list.slice(i, i + 500)).select('id', column));
    return rows;
  };
  const contracts = await inChunks('contracts', 'number', contractIds) as { id: number; number: string }[];
  const projects = await inChunks('projects', 'code', projectIds) as { id: number; code: string }[];
  return {
    contracts: new Map(contracts.map((c: { id: number; number: string }) => [num(c.id), c.number])),
    projects: new Map(projects.map((p: { id: number; code: string }) => [num(p.id), p.code])),
  };
}

/** The SQL condition "the contract's lot was municipal when it was sold": municipal now, and not
 *  by a transfer from the ministry resolved after the contract's date. */
const MUNICIPAL_AT_SALE = `(l.owner = 'municipal' AND NOT EXISTS (SELECT 1 FROM lot_transfers t
  WHERE t.lot_id = l.id AND t.resolution_date > c.date))`;

export async function loadReceipts(db: Db, range: { from?: IsoDate; to?: IsoDate; ids?: number[] } = {}): Promise<(ReceiptRow & ReconReceipt)[]> {
  const q = db('receipts as r').join('contracts as c', 'c.id', 'r.contract_id').join('lots as l', 'l.id', 'c.lot_id')
    .join('firms as f', 'f.ruc', 'c.firm_ruc')
    .orderBy([{ column: 'r.date' }, { column: 'r.id' }])
    .select('r.id', 'r.number', 'r.date', 'r.amount_cents', 'r.method', 'r.status', 'r.void_reason', 'r.contract_id',
      'c.number as contract_number', 'f.name as firm_name', 'l.code as lot_code', db.raw(`${MUNICIPAL_AT_SALE} as municipal`));
  if (range.from) q.where('r.date', '>=', range.from);
  if (range.to) q.where('r.date', '<=', range.to);
  if (range.ids) q.whereIn('r.id', range.ids);
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({
    id: num(r.id), number: String(r.number), date: String(r.date), amount_cents: num(r.amount_cents), method: String(r.method),
    status: String(r.status), void_reason: (r.void_reason as string | null) ?? null, contract_id: num(r.contract_id),
    contract_number: String(r.contract_number), firm_name: String(r.firm_name), municipal: Boolean(Number(r.municipal)),
  }));
}

/** Refunds on rescission, dated by the rescission's resolution. */
export async function loadRefunds(db: Db): Promise<ReconRefund[]> {
  const rows = await db('rescissions as r').join('contracts as c', 'c.id', 'r.contract_id')
    .select('r.id', 'r.contract_id', 'c.number as contract_number', 'r.resolution_date', 'r.returned_cents');
  return rows.map((r: Record<string, unknown>) => ({
    id: num(r.id), contract_id: num(r.contract_id), contract_number: String(r.contract_number),
    date: String(r.resolution_date), returned_cents: num(r.returned_cents),
  }));
}

export interface ProjectRow {
  id: number; code: string; name: string; description: string | null; budget_cents: number; status: string;
  created_at: string; updated_at: string;
}

const projectOf = (p: Record<string, unknown>): ProjectRow => ({
  id: num(p.id), code: String(p.code), name: String(p.name), description: (p.description as string | null) ?? null,
  budget_cents: num(p.budget_cents), status: String(p.status), created_at: String(p.created_at), updated_at: String(p.updated_at),
});

export async function listProjects(db: Db): Promise<ProjectRow[]> {
  return (await db('projects').orderBy('code')).map(projectOf);
}

export async function findProject(db: Db, id: number): Promise<ProjectRow | undefined> {
  const p = await db('projects').where({ id }).first();
  return p ? projectOf(p) : undefined;
}

/** How many spendings of each project were recorded beyond its budget or the fund (valid ones). */
export async function flaggedCounts(db: Db): Promise<Map<number, number>> {
  const rows = await db('spendings').where({ status: 'valid' })
    .andWhere((w) => w.where('over_budget', true).orWhere('over_fund', true))
    .groupBy('project_id').select('project_id').count({ n: '*' });
  return new Map(rows.map((r: Record<string, unknown>) => [num(r.project_id), num(r.n)]));
}

export interface SpendingRow {
  id: number; project_id: number; project_code: string; project_name: string; date: string;
  supplier_ruc: string; supplier_name: string; document_number: string; description: string; amount_cents: number;
  fund_available_cents: number; budget_remaining_cents: number; over_fund: boolean; over_budget: boolean;
  entry_id: number; status: string; reversal_reason: string | null; reversed_on: string | null;
  reversal_entry_id: number | null; reversed_by_name: string | null; recorded_by_name: string | null; created_at: string;
}

function spendingQuery(db: Db) {
  return db('spendings as s').join('projects as p', 'p.id', 's.project_id').leftJoin('users as u', 'u.id', 's.reversed_by')
    .select('s.*', 'p.code as project_code', 'p.name as project_name', 'u.username as reversed_by_name')
    .orderBy([{ column: 's.date' }, { column: 's.id' }]);
}

const spendingOf = (s: Record<string, unknown>): SpendingRow => ({
  id: num(s.id), project_id: num(s.project_id), project_code: String(s.project_code), project_name: String(s.project_name),
  date: String(s.date), supplier_ruc: String(s.supplier_ruc), supplier_name: String(s.supplier_name),
  document_number: String(s.document_number), description: String(s.description), amount_cents: num(s.amount_cents),
  fund_available_cents: num(s.fund_available_cents), budget_remaining_cents: num(s.budget_remaining_cents),
  over_fund: Boolean(Number(s.over_fund)), over_budget: Boolean(Number(s.over_budget)), entry_id: num(s.entry_id),
  status: String(s.status), reversal_reason: (s.reversal_reason as string | null) ?? null,
  reversed_on: (s.reversed_on as string | null) ?? null, reversal_entry_id: numOrNull(s.reversal_entry_id),
  reversed_by_name: (s.reversed_by_name as string | null) ?? null, recorded_by_name: (s.recorded_by_name as string | null) ?? null,
  created_at: String(s.created_at),
});

export async function listSpendings(db: Db, filter: { project_id?: number } = {}): Promise<SpendingRow[]> {
  const q = spendingQuery(db);
  if (filter.project_id !== undefined) q.where('s.project_id', filter.project_id);
  return (await q).map(spendingOf);
}

export async function findSpending(db: Db, id: number): Promise<SpendingRow | undefined> {
  const s = await spendingQuery(db).where('s.id', id).first();
  return s ? spendingOf(s) : undefined;
}

export function reconSpendings(rows: SpendingRow[]): ReconSpending[] {
  return rows.map((s) => ({ id: s.id, date: s.date, amount_cents: s.amount_cents, status: s.status, project_code: s.project_code }));
}

/** Σ of a project's valid spendings: what its budget has already paid for. */
export async function spentOnProject(db: Db, projectId: number): Promise<number> {
  const [r] = await db('spendings').where({ project_id: projectId, status: 'valid' }).sum({ s: 'amount_cents' });
  return num(r?.s);
}

export interface CashDepositRow {
  id: number; date: string; amount_cents: number; reference: string; cash_available_cents: number;
  entry_id: number; status: string; reversal_reason: string | null; reversed_on: string | null;
  reversal_entry_id: number | null; reversed_by_name: string | null; recorded_by_name: string | null; created_at: string;
}

function cashDepositQuery(db: Db) {
  return db('cash_deposits as d').leftJoin('users as u', 'u.id', 'd.reversed_by')
    .select('d.*', 'u.username as reversed_by_name')
    .orderBy([{ column: 'd.date' }, { column: 'd.id' }]);
}

const cashDepositOf = (d: Record<string, unknown>): CashDepositRow => ({
  id: num(d.id), date: String(d.date), amount_cents: num(d.amount_cents), reference: String(d.reference),
  cash_available_cents: num(d.cash_available_cents), entry_id: num(d.entry_id), status: String(d.status),
  reversal_reason: (d.reversal_reason as string | null) ?? null, reversed_on: (d.reversed_on as string | null) ?? null,
  reversal_entry_id: numOrNull(d.reversal_entry_id), reversed_by_name: (d.reversed_by_name as string | null) ?? null,
  recorded_by_name: (d.recorded_by_name as string | null) ?? null, created_at: String(d.created_at),
});

export async function listCashDeposits(db: Db): Promise<CashDepositRow[]> {
  return (await cashDepositQuery(db)).map(cashDepositOf);
}

export async function findCashDeposit(db: Db, id: number): Promise<CashDepositRow | undefined> {
  const d = await cashDepositQuery(db).where('d.id', id).first();
  return d ? cashDepositOf(d) : undefined;
}

/** The valid deposit with this voucher number (compared without regard to case), if any. */
export async function validDepositWithReference(db: Db, reference: string): Promise<number | null> {
  const d = await db('cash_deposits').where({ status: 'valid' }).andWhereRaw('upper(reference) = upper(?)', [reference]).first('id');
  return d ? num(d.id) : null;
}

export function reconDeposits(rows: CashDepositRow[]): ReconDeposit[] {
  return rows.map((d) => ({ id: d.id, date: d.date, amount_cents: d.amount_cents, status: d.status, reference: d.reference }));
}

/** Bank statement lines explained by an entry, dated in the period (the line's date is the entry's). */
export async function reconBankExplanations(db: Db, from: IsoDate, to: IsoDate): Promise<ReconBankExplanation[]> {
  const rows = await db('bank_matches as m').join('bank_match_statement_lines as ms', 'ms.match_id', 'm.id')
    .join('bank_statement_lines as l', 'l.id', 'ms.statement_line_id')
    .where('m.kind', 'explained').whereBetween('l.date', [from, to]).orderBy('m.id')
    .select('m.id', 'l.date', 'l.amount_cents', 'm.undone_at', 'm.explanation');
  return rows.map((r: Record<string, unknown>) => ({
    id: num(r.id), date: String(r.date), amount_cents: num(r.amount_cents), status: r.undone_at ? 'undone' as const : 'valid' as const,
    explanation: String(r.explanation),
  }));
}

/** Late fees waived by resolution in a period: the memorandum account 0701 (see src/acts/postings.ts). */
export async function waivedLateFees(db: Db, from: IsoDate, to: IsoDate): Promise<number> {
  const r = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account_code', ACCOUNTS.waivedLateFees).andWhere('e.date', '>=', from).andWhere('e.date', '<=', to)
    .sum({ d: 'l.debit_cents', c: 'l.credit_cents' }).first();
  return Number(r?.d ?? 0) - Number(r?.c ?? 0);
}
