// Routes of the contracts area: one table, read top to bottom. Managers sign sales; staff read;
// a buyer reads its own contracts on the same URLs (loadContract answers 404 for another firm's).
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { paperLocals } from '../identity/paper.ts';
import { get, post, formAction, sendCsv, translateErrors, MANAGERS, STAFF, type RouteDef } from '../web/routing.ts';
import { FormError, notFound, parseForm, parseInput } from '../web/errors.ts';
import { eventDate, isoDate, optionalIsoDate, optionalSoles, optionalText, requiredText } from '../web/fields.ts';
import { flash } from '../web/flash.ts';
import { actorOf } from '../web/actor.ts';
import { listPrice } from '../domain/schedule.ts';
import { formatDni } from '../domain/ruc.ts';
import { amountInWords } from '../domain/amount-words.ts';
import { t } from '../web/i18n.ts';
import { checkSale, saleRefusal, signContract, type SaleInput, type SalePreview } from './service.ts';
import { changedSincePreview, confirmable, isConfirmation, StalePreview } from '../web/previewed.ts';
import {
  availableMunicipalLots, CONTRACT_STATUSES, contractTotals, eventsOf, firmsForSale, listContracts, loadContract, scheduleOf,
} from './queries.ts';
import { scheduleCsv, scheduleTotals } from './csv.ts';
import { contractPageSections } from './page-sections.ts';
import { resolveLotCode } from '../lots/service.ts';
import { pageParam, pager } from '../web/paging.ts';
import { scheduleVersions } from '../acts/panel.ts';
import type { ContractView } from './queries.ts';
import { daysBetween } from '../domain/dates.ts';
import { translate } from '../web/i18n.ts';
import { withdrawContract, withdrawalConflict, withdrawalDateRefusals } from './withdrawal.ts';
import { documentsSection } from '../attachments/panel.ts';

const saleSchema = z.object({
  lot_code: requiredText(16),
  firm_ruc: requiredText(11),
  date: eventDate(),
  price: optionalSoles(),
  price_reason: optionalText(500),
  member_number: optionalText(32),
  joined_on: optionalIsoDate(),
});

type SaleValues = z.infer<typeof saleSchema>;

async function saleValues(req: Request, body: unknown): Promise<SaleValues> {
  // Every message at once: the parsing's, and the sale's rules on the fields that parsed.
  return parseForm(saleSchema, body, async (p) => {
    const lot_code = p.lot_code ? await resolveLotCode(req.ctx.db, p.lot_code) : undefined;
    const refused = await saleRefusal(req.ctx.db, {
      lot_code, firm_ruc: p.firm_ruc, date: p.date, price_cents: p.price, price_reason: p.price_reason,
      member_number: p.member_number, joined_on: p.joined_on,
    }, req.ctx.clock.today());
    if (refused) throw refused;
  });
}

async function saleInput(req: Request, body: unknown): Promise<SaleInput> {
  return toSaleInput(req, await saleValues(req, body));
}

async function toSaleInput(req: Request, v: SaleValues): Promise<SaleInput> {
  return {
    lot_code: await resolveLotCode(req.ctx.db, v.lot_code), firm_ruc: v.firm_ruc, date: v.date, price_cents: v.price, price_reason: v.price_reason,
    member_number: v.member_number, joined_on: v.joined_on,
  };
}

const listQuery = z.object({
  // Sent twice or too long: 400 with the message (parseInput), as every input.
  q: z.string().trim().max(100).optional().transform((v) => v || undefined),
  status: z.enum(CONTRACT_STATUSES).optional().catch(undefined),
  year: z.coerce.number().int().min(1990).max(2100).optional().catch(undefined),
  title: z.literal('pending').optional().catch(undefined), // title=pending: no title registered with SUNARP yet
  page: pageParam(),
});

async function formLocals(req: Request) {
  const [lotRows, firms] = await Promise.all([availableMunicipalLots(req.ctx.db), firmsForSale(req.ctx.db)]);
  const lots = lotRows.map((l: { code: string; area_dm2: number; price_per_m2_cents: number }) => ({
    ...l, list_price_cents: listPrice(Number(l.area_dm2), Number(l.price_per_m2_cents)),
  }));
  return { title: t(req.lang, 'contracts.new'), lots, firms, today: req.ctx.clock.today() };
}

const listPage: RequestHandler = async (req, res) => {
  const { page, ...filters } = parseInput(listQuery, req.query);
  const totals = await contractTotals(req.ctx.db, filters, req.user!);
  const p = pager({ total: totals.n, requested: page, path: '/contracts', params: filters });
  const contracts = await listContracts(req.ctx.db, filters, req.user!, { limit: p.size, offset: p.offset });
  res.render('contracts/list', {
    title: t(req.lang, 'contracts.title'), contracts, filters, statuses: CONTRACT_STATUSES, total_cents: totals.price_cents,
    count: totals.n, pager: p,
  });
};

/** What the preview section shows of a checked sale. */
function previewView(p: SalePreview) {
  return {
    ...p, rows: p.schedule.rows, totals: scheduleTotals(p.schedule.rows),
    installment_cents: p.schedule.rows[1]?.installment_cents ?? 0,
  };
}

/** The sale form; with entered values (a GET from its own form) it shows the preview to confirm. */
const newPage: RequestHandler = async (req, res) => {
  const locals = await formLocals(req);
  const q = req.query as Record<string, string>;
  // /contracts/new?lot=A-03 (from a lot's page) comes with that lot chosen.
  const lot = typeof q.lot === 'string' && !q.lot_code ? await resolveLotCode(req.ctx.db, q.lot) : undefined;
  const values = { date: locals.today, ...q, ...(lot ? { lot_code: lot } : {}) };
  if (!q.preview) return res.render('contracts/new', { ...locals, values });
  try {
    const p = await checkSale(req.ctx.db, await saleInput(req, q), locals.today);
    res.render('contracts/new', { ...locals, values, preview: previewView(p) });
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    res.status(err.status).render('contracts/new', { ...locals, values, errors: translateErrors(req.lang, err.fields), hasErrors: true });
  }
};

/**
 * Signs the sale. From the preview's confirm button the form comes with its previewed_* copy: if the
 * form was changed after the preview, nothing is signed (409) and the page shows the new preview.
 */
const create = confirmable(formAction({
  view: 'contracts/new',
  locals: formLocals,
  act: async (req) => {
    const v = await saleValues(req, req.body);
    const input = await toSaleInput(req, v);
    if (isConfirmation(req.body)) {
      const db = req.ctx.db;
      const changed = await changedSincePreview(saleSchema, req.body, v, { lot_code: (code) => resolveLotCode(db, code) });
      if (changed.length) {
        const p = await checkSale(db, input, req.ctx.clock.today());
        throw new StalePreview('contracts/new', { ...await formLocals(req), values: req.body, preview: previewView(p) });
      }
    }
    const id = await signContract(req.ctx.db, input, actorOf(req), req.ctx.clock.today());
    flash(req, 'flash.sale_signed');
    return `/contracts/${id}`;
  },
}));

/** ?version=N: an earlier schedule version of a rescheduled contract (default: the one in force). */
async function versionAsked(req: Request, contract: ContractView) {
  const versions = await scheduleVersions(req.ctx.db, contract);
  const given = (req.query as Record<string, unknown>).version;
  const asked = given === undefined || given === '' ? null : versions.find((x) => String(x.version) === String(given));
  if (asked === undefined) throw notFound(); // a version this contract does not have
  const v = asked ?? versions.find((x) => x.in_force) ?? versions[0]!;
  return { ...v, state_key: v.in_force ? 'acts.schedule.in_force' : 'acts.schedule.earlier' };
}

async function contractPage(req: Request) {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const schedule_version = await versionAsked(req, contract);
  const [rows, events, signed] = await Promise.all([scheduleOf(req.ctx.db, contract.id, schedule_version.version),
    eventsOf(req.ctx.db, contract.id), scheduleOf(req.ctx.db, contract.id, 1)]);
  const today = req.ctx.clock.today();
  const sections = await contractPageSections({ db: req.ctx.db, contract, today, user: req.user });
  const eventsView = events.map((e: Record<string, unknown>) => ({ ...e, data: e.details ? JSON.parse(String(e.details)) : {} }));
  return {
    title: contract.number, contract: { ...contract, firm_representative_dni: formatDni(contract.firm_representative_dni) }, rows, events: eventsView, today, totals: scheduleTotals(rows),
    // The terms as signed (version 1), whatever schedule is in force now.
    installment_cents: signed[1]?.installment_cents ?? 0, terms_total_cents: scheduleTotals(signed).total_cents, negotiated: contract.price_cents !== contract.list_price_cents,
    price_words: amountInWords(contract.price_cents),
    schedule_version, schedule_first: rows[0]?.n, schedule_last: rows.at(-1)?.n,
    ...sections,
    attachments: await documentsSection(req, 'contract', String(contract.id)),
  };
}

export const showPage: RequestHandler = async (req, res) => {
  res.render('contracts/show', await contractPage(req));
};

const printPage: RequestHandler = async (req, res) => {
  const page = await contractPage(req);
  // The letterhead, the signing official and the issue on every sheet (issue 14).
  res.render('contracts/print', { ...page, ...(await paperLocals(req, `${t(req.lang, 'contracts.doc_title')} ${page.contract.number}`)) });
};

const scheduleCsvRoute: RequestHandler = async (req, res) => {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const v = await versionAsked(req, contract);
  const rows = await scheduleOf(req.ctx.db, contract.id, v.version);
  sendCsv(res, `cronograma-${contract.number}${v.version > 1 ? `-v${v.version}` : ''}.csv`, scheduleCsv(rows));
};

const withdrawalSchema = z.object({
  reason: requiredText(500),
  resolution_number: requiredText(64),
  resolution_date: eventDate(),
});

/** The withdrawal form's page: the contract, how long it has waited, and why it cannot be withdrawn, if so. */
async function withdrawalLocals(req: Request) {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const today = req.ctx.clock.today();
  const conflict = await withdrawalConflict(req.ctx.db, contract);
  return {
    title: t(req.lang, 'withdrawal.title'), contract, today, days_waiting: daysBetween(contract.date, today),
    conflict: conflict ? translate(req.lang, Object.values(conflict.fields)[0]!) : null,
    values: { resolution_date: today },
  };
}

const withdrawalPage: RequestHandler = async (req, res) => {
  res.render('contracts/withdrawal', await withdrawalLocals(req));
};

const withdraw = formAction({
  view: 'contracts/withdrawal',
  locals: withdrawalLocals,
  act: async (req) => {
    const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
    // Every message at once: the fields', and the contract's state (409 wins over 400).
    const input = await parseForm(withdrawalSchema, req.body, async (v) => {
      const conflict = await withdrawalConflict(req.ctx.db, contract);
      if (conflict) throw conflict;
      return withdrawalDateRefusals(contract, req.ctx.clock.today(), v.resolution_date).fields;
    });
    await withdrawContract(req.ctx.db, contract.id, input, req.ctx.clock.today(), actorOf(req));
    flash(req, { key: 'flash.withdrawn', params: { number: contract.number, lot: contract.lot_code } });
    return `/contracts/${contract.id}`;
  },
});

export const routes: RouteDef[] = [
  get('/contracts', STAFF, listPage),
  get('/contracts/new', MANAGERS, newPage),
  post('/contracts', MANAGERS, create),
  get('/contracts/:id', 'user', showPage),
  get('/contracts/:id/print', 'user', printPage),
  get('/contracts/:id/schedule.csv', 'user', scheduleCsvRoute),
  get('/contracts/:id/withdrawal/new', MANAGERS, withdrawalPage),
  post('/contracts/:id/withdrawal', MANAGERS, withdraw),
];
