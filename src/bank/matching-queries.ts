// SQL of bank matching and the bank reconciliation: reads only. Numbers come out as numbers (PostgreSQL
// gives bigints as strings), dates as 'YYYY-MM-DD'.
import type { Db } from '../db/knex.ts';
import { SOURCE_TYPES } from '../domain/accounts.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { BookItem, BookKind } from '../domain/bank-matching.ts';

const num = (v: unknown) => Number(v ?? 0);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export interface BankAccountRow { id: number; name: string; bank_name: string; account_number: string; ledger_account_code: string; status: string }
export interface StatementRow {
  id: number; bank_account_id: number; period_from: IsoDate; period_to: IsoDate;
  opening_balance_cents: number; closing_balance_cents: number; file_name: string; created_at: string;
  account: BankAccountRow;
}

export async function findStatement(db: Db, id: number): Promise<StatementRow | null> {
  const s = await db('bank_statements').where({ id }).first();
  if (!s) return null;
  const a = await db('bank_accounts').where({ id: s.bank_account_id }).first();
  return {
    id: num(s.id), bank_account_id: num(s.bank_account_id), period_from: String(s.period_from), period_to: String(s.period_to),
    opening_balance_cents: num(s.opening_balance_cents), closing_balance_cents: num(s.closing_balance_cents),
    file_name: String(s.file_name), created_at: String(s.created_at),
    account: {
      id: num(a.id), name: String(a.name), bank_name: String(a.bank_name), account_number: String(a.account_number),
      ledger_account_code: String(a.ledger_account_code), status: String(a.status),
    },
  };
}

/** The first day the bank's statements cover for an account: book movements before it are in the first
 *  statement's opening balance, so they are never items of a reconciliation (null: no statement yet). */
export async function matchingStart(db: Db, bankAccountId: number): Promise<IsoDate | null> {
  const r = await db('bank_statements').where({ bank_account_id: bankAccountId }).min({ d: 'period_from' }).first();
  return r?.d ? String(r.d) : null;
}

export interface LineRow {
  id: number; statement_id: number; line_number: number; date: IsoDate; description: string; reference: string | null;
  amount_cents: number; balance_cents: number | null; status: string; match_id: number | null;
}

/** The account's statement lines dated in [from, to] (any statement that brought them), with their active match. */
export async function statementLines(db: Db, bankAccountId: number, from: IsoDate | null, to: IsoDate): Promise<LineRow[]> {
  const q = db('bank_statement_lines as l')
    .leftJoin(db('bank_match_statement_lines as ms').join('bank_matches as m', 'm.id', 'ms.match_id').whereNull('m.undone_at')
      .select('ms.statement_line_id', 'ms.match_id').as('am'), 'am.statement_line_id', 'l.id')
    .where('l.bank_account_id', bankAccountId).andWhere('l.date', '<=', to)
    .orderBy([{ column: 'l.date' }, { column: 'l.id' }])
    .select('l.id', 'l.statement_id', 'l.line_number', 'l.date', 'l.description', 'l.reference', 'l.amount_cents', 'l.balance_cents',
      'l.status', 'am.match_id');
  if (from) q.andWhere('l.date', '>=', from);
  return (await q).map((r: Record<string, unknown>) => ({
    id: num(r.id), statement_id: num(r.statement_id), line_number: num(r.line_number), date: String(r.date),
    description: String(r.description), reference: (r.reference as string | null) ?? null, amount_cents: num(r.amount_cents),
    balance_cents: numOrNull(r.balance_cents), status: String(r.status), match_id: numOrNull(r.match_id),
  }));
}

export interface BookLineRow extends BookItem {
  entry_id: number;
  description: string;
  source_type: string;
  source_id: string;
  reverses_entry_id: number | null;
  match_id: number | null;
  /** What a person reads: "Recibo R001-00000003 · transferencia OP-1 · Empresa …". */
  label: string;
  /** Where the document is: /receipts/…, /finance/cash-deposits/…, /finance/spending/…, /contracts/…. */
  href: string | null;
}

const KIND: Record<string, BookKind> = {
  [SOURCE_TYPES.receipt]: 'receipt', [SOURCE_TYPES.receiptVoid]: 'receipt_void',
  [SOURCE_TYPES.cashDeposit]: 'cash_deposit', [SOURCE_TYPES.cashDepositReversal]: 'cash_deposit_reversal',
  [SOURCE_TYPES.spending]: 'spending', [SOURCE_TYPES.spendingReversal]: 'spending_reversal',
  [SOURCE_TYPES.rescission]: 'refund',
  [SOURCE_TYPES.bankExplanation]: 'explanation', [SOURCE_TYPES.bankExplanationReversal]: 'explanation_reversal',
};

/**
 * The lines of the ledger account (1102) dated in [from, to], with their entry, the active match they are
 * in, and what names their document (the root document of a reversal: a voided receipt keeps its number
 * and reference). `ids` instead reads those journal lines whatever their date.
 */
export async function bookLines(db: Db, ledgerCode: string,
  range: { from?: IsoDate | null; to?: IsoDate; ids?: number[]; entryIds?: number[] }): Promise<BookLineRow[]> {
  const q = db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .leftJoin('journal_entries as o', 'o.id', 'e.reverses_entry_id')
    .leftJoin(db('bank_match_book_lines as mb').join('bank_matches as m', 'm.id', 'mb.match_id').whereNull('m.undone_at')
      .select('mb.journal_line_id', 'mb.match_id').as('am'), 'am.journal_line_id', 'l.id')
    .where('l.account_code', ledgerCode)
    .orderBy([{ column: 'e.date' }, { column: 'l.id' }])
    .select('l.id', 'l.entry_id', 'l.debit_cents', 'l.credit_cents', 'l.contract_id', 'e.date', 'e.description', 'e.source_type',
      'e.source_id', 'e.reverses_entry_id', 'o.source_type as root_type', 'o.source_id as root_id', 'am.match_id');
  if (range.ids) q.whereIn('l.id', range.ids.length ? range.ids : [0]);
  if (range.entryIds) q.whereIn('l.entry_id', range.entryIds.length ? range.entryIds : [0]);
  if (range.from) q.andWhere('e.date', '>=', range.from);
  if (range.to) q.andWhere('e.date', '<=', range.to);
  const rows = (await q) as Record<string, unknown>[];
  const root = (r: Record<string, unknown>) => (r.root_type
    ? { type: String(r.root_type), id: String(r.root_id) } : { type: String(r.source_type), id: String(r.source_id) });
  const idsOf = (type: string) => [...new Set(rows.map(root).filter((x) => x.type === type).map((x) => Number(x.id)))];
  const inChunks = async (table: string, ids: number[], build: (q: ReturnType<Db>) => ReturnType<Db>) => {
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < ids.length; i += 500) out.push(...await build(db(table)).whereIn(`${table.split(' ')[2] ?? table}.id`, ids.slice(i, i + 500)));
    return out;
  };
  const receipts = new Map((await inChunks('receipts as r', idsOf(SOURCE_TYPES.receipt), (q) => q
    .join('contracts as c', 'c.id', 'r.contract_id').leftJoin('firms as f', 'f.ruc', db.raw('coalesce(r.payer_ruc, c.firm_ruc)'))
    .select('r.id', 'r.number', 'r.method', 'r.reference', 'r.contract_id', 'c.number as contract_number',
      db.raw('coalesce(r.payer_ruc, c.firm_ruc) as ruc'), 'f.name as firm_name')))
    .map((r) => [String(r.id), r]));
  const deposits = new Map((await inChunks('cash_deposits as d', idsOf(SOURCE_TYPES.cashDeposit), (q) => q.select('d.id', 'd.reference')))
    .map((r) => [String(r.id), r]));
  const spendings = new Map((await inChunks('spendings as s', idsOf(SOURCE_TYPES.spending), (q) => q
    .join('projects as p', 'p.id', 's.project_id').select('s.id', 's.document_number', 's.supplier_ruc', 's.supplier_name', 'p.code as project_code')))
    .map((r) => [String(r.id), r]));
  const refunds = new Map((await inChunks('rescissions as x', idsOf(SOURCE_TYPES.rescission), (q) => q
    .join('contracts as c', 'c.id', 'x.contract_id').select('x.id', 'x.resolution_number', 'x.contract_id', 'c.number as contract_number')))
    .map((r) => [String(r.id), r]));

  return rows.map((r) => {
    const rt = root(r);
    const kind = KIND[String(r.source_type)] ?? 'other';
    let references: string[] = [];
    let ruc: string | null = null;
    let group: string | null = null;
    let label = String(r.description);
    let href: string | null = null;
    if (rt.type === SOURCE_TYPES.receipt && receipts.has(rt.id)) {
      const x = receipts.get(rt.id)!;
      references = [x.reference as string | null, x.number as string].filter((v): v is string => !!v);
      ruc = (x.ruc as string | null) ?? null;
      group = `contract:${x.contract_id}`;
      label = `${kind === 'receipt_void' ? 'Anulación del recibo' : 'Recibo'} ${x.number} · ${x.contract_number} · ${x.firm_name ?? ruc ?? ''}`
        + `${x.reference ? ` · ${x.method === 'transfer' ? 'transferencia' : x.method === 'deposit' ? 'depósito' : 'efectivo'} ${x.reference}` : ''}`;
      href = `/receipts/${x.number}`;
    } else if (rt.type === SOURCE_TYPES.cashDeposit && deposits.has(rt.id)) {
      const x = deposits.get(rt.id)!;
      references = [String(x.reference)];
      label = `${kind === 'cash_deposit_reversal' ? 'Anulación del depósito' : 'Depósito de caja'} #${x.id} · constancia ${x.reference}`;
      href = `/finance/cash-deposits/${x.id}`;
    } else if (rt.type === SOURCE_TYPES.spending && spendings.has(rt.id)) {
      const x = spendings.get(rt.id)!;
      references = [String(x.document_number)];
      ruc = String(x.supplier_ruc);
      label = `${kind === 'spending_reversal' ? 'Anulación del gasto' : 'Gasto'} #${x.id} · obra ${x.project_code} · ${x.supplier_name} · comprobante ${x.document_number}`;
      href = `/finance/spending/${x.id}`;
    } else if (rt.type === SOURCE_TYPES.rescission && refunds.has(rt.id)) {
      const x = refunds.get(rt.id)!;
      references = [String(x.resolution_number), String(x.contract_number)];
      label = `Devolución por resolución ${x.resolution_number} · ${x.contract_number}`;
      href = `/contracts/${x.contract_id}`;
    }
    return {
      id: num(r.id), entry_id: num(r.entry_id), date: String(r.date), amount_cents: num(r.debit_cents) - num(r.credit_cents),
      kind, references, ruc, group, matched: r.match_id !== null && r.match_id !== undefined,
      description: String(r.description), source_type: String(r.source_type), source_id: String(r.source_id),
      reverses_entry_id: numOrNull(r.reverses_entry_id), match_id: numOrNull(r.match_id), label, href,
    };
  });
}

/**
 * The book lines from `from` to `to`, and the lines of the entries they reverse when those are older (a
 * receipt of before the first statement voided within it): so that an entry and its reversal offset.
 */
export async function bookLinesWithOriginals(db: Db, ledgerCode: string, from: IsoDate, to: IsoDate): Promise<BookLineRow[]> {
  const lines = await bookLines(db, ledgerCode, { from, to });
  const have = new Set(lines.map((l) => l.entry_id));
  const missing = [...new Set(lines.map((l) => l.reverses_entry_id).filter((id): id is number => id !== null && !have.has(id)))];
  if (missing.length === 0) return lines;
  return [...(await bookLines(db, ledgerCode, { entryIds: missing })), ...lines];
}

export interface MatchRow {
  id: number; bank_account_id: number; kind: string; explanation: string | null; note: string | null; entry_id: number | null;
  created_by_name: string | null; created_at: string; undone_at: string | null; undo_reason: string | null; undo_entry_id: number | null;
  statement_line_ids: number[]; book_line_ids: number[];
}

/** Matches by id (active or not), with the ids of their lines on both sides. */
export async function matchesById(db: Db, ids: number[]): Promise<MatchRow[]> {
  if (ids.length === 0) return [];
  const out: MatchRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db('bank_matches').whereIn('id', chunk).orderBy('id');
    const sl = await db('bank_match_statement_lines').whereIn('match_id', chunk).orderBy('statement_line_id');
    const bl = await db('bank_match_book_lines').whereIn('match_id', chunk).orderBy('journal_line_id');
    for (const m of rows as Record<string, unknown>[]) {
      const id = num(m.id);
      out.push({
        id, bank_account_id: num(m.bank_account_id), kind: String(m.kind), explanation: (m.explanation as string | null) ?? null,
        note: (m.note as string | null) ?? null, entry_id: numOrNull(m.entry_id), created_by_name: (m.created_by_name as string | null) ?? null,
        created_at: String(m.created_at), undone_at: (m.undone_at as string | null) ?? null, undo_reason: (m.undo_reason as string | null) ?? null,
        undo_entry_id: numOrNull(m.undo_entry_id),
        statement_line_ids: sl.filter((x: Record<string, unknown>) => num(x.match_id) === id).map((x: Record<string, unknown>) => num(x.statement_line_id)),
        book_line_ids: bl.filter((x: Record<string, unknown>) => num(x.match_id) === id).map((x: Record<string, unknown>) => num(x.journal_line_id)),
      });
    }
  }
  return out;
}

/** Each active match's latest date over both sides (what the reconciliation needs to tell it cleared). */
export async function matchLastDates(db: Db, matchIds: number[]): Promise<Map<number, IsoDate>> {
  const out = new Map<number, IsoDate>();
  const keep = (id: unknown, d: unknown) => {
    const k = num(id);
    const v = String(d);
    if (!out.has(k) || out.get(k)! < v) out.set(k, v);
  };
  for (let i = 0; i < matchIds.length; i += 500) {
    const chunk = matchIds.slice(i, i + 500);
    const a = await db('bank_match_statement_lines as ms').join('bank_statement_lines as l', 'l.id', 'ms.statement_line_id')
      .whereIn('ms.match_id', chunk).groupBy('ms.match_id').select('ms.match_id').max({ d: 'l.date' });
    for (const r of a as Record<string, unknown>[]) keep(r.match_id, r.d);
    const b = await db('bank_match_book_lines as mb').join('journal_lines as l', 'l.id', 'mb.journal_line_id')
      .join('journal_entries as e', 'e.id', 'l.entry_id')
      .whereIn('mb.match_id', chunk).groupBy('mb.match_id').select('mb.match_id').max({ d: 'e.date' });
    for (const r of b as Record<string, unknown>[]) keep(r.match_id, r.d);
  }
  return out;
}

export interface SavedReconciliation {
  id: number; statement_id: number; as_of: IsoDate; statement_balance_cents: number; book_balance_cents: number;
  in_transit_cents: number; not_recorded_cents: number; difference_cents: number; items: unknown;
  saved_by_name: string | null; saved_at: string;
}

/** The reconciliations saved for a statement, newest first. */
export async function savedReconciliations(db: Db, statementId: number): Promise<SavedReconciliation[]> {
  const rows = await db('bank_reconciliations').where({ statement_id: statementId }).orderBy('id', 'desc');
  return rows.map((r: Record<string, unknown>) => ({
    id: num(r.id), statement_id: num(r.statement_id), as_of: String(r.as_of), statement_balance_cents: num(r.statement_balance_cents),
    book_balance_cents: num(r.book_balance_cents), in_transit_cents: num(r.in_transit_cents), not_recorded_cents: num(r.not_recorded_cents),
    difference_cents: num(r.difference_cents), items: JSON.parse(String(r.items)), saved_by_name: (r.saved_by_name as string | null) ?? null,
    saved_at: String(r.saved_at),
  }));
}
