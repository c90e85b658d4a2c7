// SQL of the staff's receipts list (GET /receipts and its CSV twin): receipts of every contract, newest
// first, filtered by text (receipt or contract number, firm, RUC, lot, reference), dates, method and
// status; read a page at a time, with the count and the total of the valid ones for the whole filter.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';

export const RECEIPT_STATUSES = ['valid', 'void'] as const;
export const METHODS = ['cash', 'deposit', 'transfer'] as const;

export interface ReceiptFilters {
  q?: string; from?: IsoDate; to?: IsoDate; method?: (typeof METHODS)[number]; status?: (typeof RECEIPT_STATUSES)[number];
}

export interface ReceiptListRow {
  number: string; date: IsoDate; amount_cents: number; method: string; reference: string | null; status: string;
  contract_id: number; contract_number: string; firm_ruc: string; firm_name: string; lot_code: string;
  recorded_by_name: string | null;
}

function filtered(db: Db, f: ReceiptFilters) {
  const q = db('receipts as r').join('contracts as c', 'c.id', 'r.contract_id').join('lots as l', 'l.id', 'c.lot_id')
    // The firm that paid the receipt (after an assignment the contract's firm is another one).
    .join('firms as f', function () { this.on('f.ruc', '=', db.raw('coalesce(r.payer_ruc, c.firm_ruc)')); });
  if (f.from) q.where('r.date', '>=', f.from);
  if (f.to) q.where('r.date', '<=', f.to);
  if (f.method) q.where('r.method', f.method);
  if (f.status) q.where('r.status', f.status);
  if (f.q) {
    const text = f.q.toLowerCase();
    const like = `%${text}%`;
    q.where((w) => w.whereRaw('lower(r.number) like ?', [like]).orWhereRaw('lower(c.number) like ?', [like])
      .orWhereRaw('lower(f.name) like ?', [like]).orWhere('f.ruc', 'like', `${f.q}%`)
      .orWhereRaw('lower(l.code) = ?', [text]).orWhereRaw('lower(r.reference) like ?', [like]));
  }
  return q;
}

export async function receiptTotals(db: Db, f: ReceiptFilters): Promise<{ count: number; valid_cents: number }> {
  const [r] = await filtered(db, f).count({ n: '*' })
    .sum({ v: db.raw("CASE WHEN r.status = 'valid' THEN r.amount_cents ELSE 0 END") });
  return { count: Number(r?.n ?? 0), valid_cents: Number(r?.v ?? 0) };
}

export async function listReceipts(db: Db, f: ReceiptFilters, window?: { limit: number; offset: number }): Promise<ReceiptListRow[]> {
  const q = filtered(db, f).orderBy([{ column: 'r.date', order: 'desc' }, { column: 'r.id', order: 'desc' }])
    .select('r.number', 'r.date', 'r.amount_cents', 'r.method', 'r.reference', 'r.status', 'r.contract_id', 'r.recorded_by_name',
      'c.number as contract_number', 'f.ruc as firm_ruc', 'f.name as firm_name', 'l.code as lot_code');
  if (window) q.limit(window.limit).offset(window.offset);
  return (await q).map((r: Record<string, unknown>) => ({
    ...(r as unknown as ReceiptListRow), amount_cents: Number(r.amount_cents), contract_id: Number(r.contract_id),
  }));
}
