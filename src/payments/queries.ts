// SQL of the payments area: receipts, their allocations, and the inputs of a contract's replay.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Method } from './postings.ts';
import { currentBatch } from '../db/batch-scope.ts';

export const RECEIPT_SERIES = 'R001';

/** R001-00000123: a four-character series and an eight-digit correlative, as Peruvian receipts are. */
export function receiptNumber(series: string, correlative: number): string {
  return `${series}-${String(correlative).padStart(8, '0')}`;
}

export const RECEIPT_NUMBER_RE = /^[A-Z0-9]{4}-\d{8}$/;

export interface ReceiptRow {
  id: number;
  number: string;
  series: string;
  correlative: number;
  contract_id: number;
  date: IsoDate;
  amount_cents: number;
  method: Method;
  reference: string | null;
  form_token: string | null;
  recorded_by: number | null;
  recorded_by_name: string | null;
  created_at: string;
  status: 'valid' | 'void';
  void_reason: string | null;
  voided_by: number | null;
  voided_by_name?: string | null;
  voided_at: string | null;
  payer_ruc?: string | null; // the firm that paid (the contract's holder on the receipt's date)
  paper_number?: string | null; // imported from paper (go-live): the paper receipt's number
  import_id?: number | null;
}

export interface AllocationRow { n: number; late_fee_cents: number; interest_cents: number; principal_cents: number }

const toReceipt = (r: Record<string, unknown>): ReceiptRow => ({
  ...(r as unknown as ReceiptRow),
  id: Number(r.id), correlative: Number(r.correlative), contract_id: Number(r.contract_id),
  amount_cents: Number(r.amount_cents),
});

const receiptQuery = (db: Db) => db('receipts as r').leftJoin('users as v', 'v.id', 'r.voided_by')
  .select('r.*', 'v.username as voided_by_name');

/** Every receipt of a contract (valid and void), in the order they apply: by date, then as recorded. */
export async function receiptsOf(db: Db, contractId: number): Promise<ReceiptRow[]> {
  const batch = currentBatch(); // a go-live import: the receipts kept, and those written since
  const kept = batch?.receipts.get(contractId);
  if (!batch || !kept?.length) {
    const rows = (await receiptQuery(db).where('r.contract_id', contractId).orderBy([{ column: 'r.date' }, { column: 'r.id' }])).map(toReceipt);
    batch?.receipts.set(contractId, rows.map((r: ReceiptRow) => ({ ...r })));
    return rows;
  }
  const last = Math.max(...kept.map((r) => r.id));
  const added = (await receiptQuery(db).where('r.contract_id', contractId).andWhere('r.id', '>', last).orderBy('r.id')).map(toReceipt);
  const all = [...kept, ...added].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  batch.receipts.set(contractId, all);
  return all.map((r) => ({ ...r }));
}

export async function findReceipt(db: Db, number: string): Promise<ReceiptRow | undefined> {
  const row = await receiptQuery(db).where('r.number', number).first();
  return row ? toReceipt(row) : undefined;
}

export async function findReceiptByToken(db: Db, token: string): Promise<ReceiptRow | undefined> {
  const row = await receiptQuery(db).where('r.form_token', token).first();
  return row ? toReceipt(row) : undefined;
}

export async function allocationsOf(db: Db, receiptId: number): Promise<AllocationRow[]> {
  const rows = await db('receipt_allocations').where({ receipt_id: receiptId }).orderBy('n');
  return rows.map((r: Record<string, unknown>) => ({
    n: Number(r.n), late_fee_cents: Number(r.late_fee_cents), interest_cents: Number(r.interest_cents),
    principal_cents: Number(r.principal_cents),
  }));
}
