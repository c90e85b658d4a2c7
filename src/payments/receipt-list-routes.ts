// The staff's receipts list (GET /receipts, a page at a time, and GET /receipts.csv, the whole filter):
// what was collected on a day or in a period, by method, voided or not, found by receipt, contract,
// firm, RUC, lot or bank reference.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { toCsv } from '../web/csv.ts';
import { get, sendCsv, translateErrors, STAFF, type RouteDef } from '../web/routing.ts';
import { FormError, parseInput } from '../web/errors.ts';
import { optionalIsoDate } from '../web/fields.ts';
import { t } from '../web/i18n.ts';
import { toSolesString } from '../domain/money.ts';
import { pageHref, pageParam, pager } from '../web/paging.ts';
import { listReceipts, METHODS, RECEIPT_STATUSES, receiptTotals, type ReceiptFilters } from './receipt-list.ts';

const listQuery = z.object({
  q: z.string().trim().max(100).optional().transform((v) => v || undefined),
  from: optionalIsoDate(),
  to: optionalIsoDate(),
  method: z.enum(METHODS).optional().catch(undefined),
  status: z.enum(RECEIPT_STATUSES).optional().catch(undefined),
  page: pageParam(),
});

function filtersOf(req: Request): { filters: ReceiptFilters; page: number } {
  const { page, from, to, ...rest } = parseInput(listQuery, req.query);
  if (from && to && from > to) throw new FormError(400, { from: 'receipts.list.reversed' });
  return { filters: { ...rest, from: from ?? undefined, to: to ?? undefined }, page };
}

const locals = (req: Request) => ({
  title: t(req.lang, 'receipts.list.title'), methods: METHODS, statuses: RECEIPT_STATUSES,
});

const listPage: RequestHandler = async (req, res) => {
  let parsed;
  try {
    parsed = filtersOf(req);
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    // A refused filter is a message next to it, on the list's own page.
    res.status(err.status).render('receipts/list', { ...locals(req), filters: req.query, errors: translateErrors(req.lang, err.fields), receipts: [] });
    return;
  }
  const { filters, page } = parsed;
  const totals = await receiptTotals(req.ctx.db, filters);
  const p = pager({ total: totals.count, requested: page, path: '/receipts', params: { ...filters } });
  const receipts = await listReceipts(req.ctx.db, filters, { limit: p.size, offset: p.offset });
  res.render('receipts/list', {
    ...locals(req), filters, totals, pager: p,
    receipts: receipts.map((r) => ({ ...r, is_void: r.status === 'void' })),
    csvHref: pageHref('/receipts.csv', { ...filters }, 1),
  });
};

const listCsv: RequestHandler = async (req, res) => {
  const { filters } = filtersOf(req);
  const rows = await listReceipts(req.ctx.db, filters);
  sendCsv(res, 'recibos.csv', toCsv(
    ['number', 'date', 'contract', 'firm_ruc', 'firm', 'lot_code', 'amount', 'method', 'reference', 'status'],
    rows.map((r) => [r.number, r.date, r.contract_number, r.firm_ruc, r.firm_name, r.lot_code, toSolesString(r.amount_cents),
      r.method, r.reference, r.status]),
  ));
};

export const routes: RouteDef[] = [
  get('/receipts', STAFF, listPage),
  get('/receipts.csv', STAFF, listCsv),
];
