// The records documents attach to, and who may see and add them. A document is seen by whoever may
// see its record's page, exactly: staff as the page allows (a spending's page is finance's), a buyer
// its own firm's contracts, receipts and firm (another firm's answers 404, as the record does), and
// never a lot's or a spending's (404). Adding and withdrawing is for the role that keeps the record.
import type { Db } from '../db/knex.ts';
import { HttpError, notFound } from '../web/errors.ts';
import { FINANCE, MANAGERS, STAFF, type CurrentUser, type Role } from '../web/routing.ts';

export const RECORD_KINDS = ['contract', 'firm', 'receipt', 'spending', 'lot'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Who may add (and withdraw) documents on each kind of record. */
export const UPLOADERS: Record<RecordKind, Role[]> = {
  contract: MANAGERS, // the signed contract, resolutions: managers sign and resolve
  firm: MANAGERS, // licences, powers of attorney: managers keep the firms
  lot: MANAGERS, // registry papers, plans: managers keep the land register
  // The bank voucher of a payment: managers record payments, finance reconciles them.
  receipt: STAFF,
  spending: FINANCE, // the supplier's invoice: finance records spending
};

/** The staff roles that may open each kind of record's page (buyers: see recordFor). */
const STAFF_VIEWERS: Record<RecordKind, Role[]> = {
  contract: STAFF, firm: STAFF, lot: STAFF, receipt: STAFF, spending: FINANCE,
};

/** One record, as the attachments need it: which column of `attachments` names it, and its page. */
export interface RecordRef {
  kind: RecordKind;
  column: 'contract_id' | 'firm_ruc' | 'receipt_id' | 'spending_id' | 'lot_id';
  value: number | string;
  /** The record's page, where its documents are listed: /contracts/12, /receipts/R001-00000007… */
  path: string;
  /** What names the record in URLs and in the audit log: a contract's id, a RUC, a receipt number, a lot code. */
  param: string;
  /** A contract's id (a contract's documents show in its history too). */
  contract_id: number | null;
}

export const COLUMN_OF: Record<RecordKind, RecordRef['column']> = {
  contract: 'contract_id', firm: 'firm_ruc', receipt: 'receipt_id', spending: 'spending_id', lot: 'lot_id',
};

const positiveId = (param: string): number | null => (/^\d{1,9}$/.test(param) && Number(param) > 0 ? Number(param) : null);

/**
 * The record that `param` (the URL's :id, :ruc, :number or :code) names, if `user` may see it:
 * 404 when there is none or a buyer may not see it, 403 for a staff role whose page it is not.
 */
export async function recordFor(db: Db, kind: RecordKind, param: string, user: CurrentUser | undefined): Promise<RecordRef> {
  if (!user) throw notFound();
  const buyer = user.role === 'buyer';
  if (!buyer && !STAFF_VIEWERS[kind].includes(user.role)) throw new HttpError(403, 'errors.forbidden');
  switch (kind) {
    case 'contract': {
      const id = positiveId(param);
      const c = id === null ? undefined : await db('contracts').where({ id }).first('id', 'firm_ruc');
      if (!c || (buyer && c.firm_ruc !== user.firm_ruc)) throw notFound();
      return { kind, column: 'contract_id', value: Number(c.id), param: String(c.id), path: `/contracts/${c.id}`, contract_id: Number(c.id) };
    }
    case 'firm': {
      const f = /^\d{11}$/.test(param) ? await db('firms').where({ ruc: param }).first('ruc') : undefined;
      if (!f || (buyer && f.ruc !== user.firm_ruc)) throw notFound();
      return { kind, column: 'firm_ruc', value: String(f.ruc), param: String(f.ruc), path: `/firms/${f.ruc}`, contract_id: null };
    }
    case 'receipt': {
      const r = param.length <= 16 ? await db('receipts as r').join('contracts as c', 'c.id', 'r.contract_id')
        .where('r.number', param).first('r.id', 'r.number', 'r.payer_ruc', 'c.firm_ruc') : undefined;
      // As the receipt's page: the contract's holder, or the firm that paid it before an assignment.
      if (!r || (buyer && r.firm_ruc !== user.firm_ruc && (r.payer_ruc ?? r.firm_ruc) !== user.firm_ruc)) throw notFound();
      return { kind, column: 'receipt_id', value: Number(r.id), param: String(r.number), path: `/receipts/${r.number}`, contract_id: null };
    }
    case 'spending': {
      const id = positiveId(param);
      const s = id === null || buyer ? undefined : await db('spendings').where({ id }).first('id');
      if (!s) throw notFound();
      return { kind, column: 'spending_id', value: Number(s.id), param: String(s.id), path: `/finance/spending/${s.id}`, contract_id: null };
    }
    case 'lot': {
      const l = buyer || param.length > 16 ? undefined : await db('lots').where({ code: param.toUpperCase() }).first('id', 'code');
      if (!l) throw notFound();
      return { kind, column: 'lot_id', value: Number(l.id), param: String(l.code), path: `/lots/${encodeURIComponent(l.code)}`, contract_id: null };
    }
  }
}

/** The URL parameter of the record an attachment row belongs to (what recordFor takes). */
export async function recordParamOf(db: Db, row: {
  record_type: string; contract_id: number | null; firm_ruc: string | null; receipt_id: number | null; spending_id: number | null; lot_id: number | null;
}): Promise<{ kind: RecordKind; param: string }> {
  const kind = row.record_type as RecordKind;
  switch (kind) {
    case 'contract': return { kind, param: String(row.contract_id) };
    case 'firm': return { kind, param: String(row.firm_ruc) };
    case 'spending': return { kind, param: String(row.spending_id) };
    case 'receipt': return { kind, param: String((await db('receipts').where({ id: row.receipt_id }).first('number'))?.number) };
    case 'lot': return { kind, param: String((await db('lots').where({ id: row.lot_id }).first('code'))?.code) };
    default: throw new Error(`attachment of an unknown record type: ${String(row.record_type)}`);
  }
}

export const mayUpload = (kind: RecordKind, user: CurrentUser | undefined): boolean => Boolean(user && UPLOADERS[kind].includes(user.role));
