// Routes of the lots area: one table, read top to bottom. Staff see the catalogue; managers
// create, edit, import and transfer. The `:code` routes come after the fixed paths they share
// a prefix with (/lots/new, /lots/import/…).
import type { RequestHandler } from 'express';
import multer from 'multer';
import { receiveUpload } from '../web/upload.ts';
import { z } from 'zod';
import { get, post, formAction, sendCsv, MANAGERS, STAFF, type RouteDef } from '../web/routing.ts';
import { parseForm, parseInput } from '../web/errors.ts';
import { areaM2, choice, eventDate, isoDate, optionalText, pricePerM2, requiredText } from '../web/fields.ts';
import { MAX_LENGTH_CM, parseMetres, toMetresString } from '../domain/length.ts';
import { translate, t } from '../web/i18n.ts';
import { flash } from '../web/flash.ts';
import { actorOf } from '../web/actor.ts';
import { toM2String, formatM2 } from '../domain/area.ts';
import { toSolesString } from '../domain/money.ts';
import { shareOfParkPpm } from '../domain/area-balance.ts';
import { formatPercent } from '../domain/percent.ts';
import { LAND_USES, LOT_STATUSES, OWNERS, parseLotCode } from '../domain/lot-code.ts';
import { historyView } from '../audit/history-view.ts';
import { LOT_SORTS, type LotFilters, type LotRow, type LotSort, type SortDir } from './queries.ts';
import { type LotRegistry, catalogue, createLot, getLot, importLots, ImportRefused, lotPage, lotProblems, lotsCsvExport, transferLot, updateLot } from './service.ts';
import { CSV_COLUMNS } from './csv.ts';
import { firstOf, pageParam, pager } from '../web/paging.ts';
import { documentsSection } from '../attachments/panel.ts';

// ---- input ---------------------------------------------------------------------------------

const catalogueQuery = z.object({
  owner: z.enum(OWNERS).optional().catch(undefined),
  status: z.enum(LOT_STATUSES).optional().catch(undefined),
  block: z.string().trim().toUpperCase().regex(/^[A-Z]{1,3}$/).optional().catch(undefined),
  land_use: z.enum(LAND_USES).optional().catch(undefined),
  sort: z.enum(LOT_SORTS).catch('code'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
  q: z.preprocess(firstOf, z.string().trim().max(20).optional()).catch(undefined).transform((v) => v || undefined),
  page: pageParam(),
});

const lotCode = () => z.string().trim().min(1, 'errors.required')
  .refine((v) => parseLotCode(v) !== null, 'lots.errors.code_format')
  .transform((v) => parseLotCode(v)!);

/** "182.50" m → cm, optional (blank → null), at most MAX_LENGTH_CM. */
const optionalMetres = () => z.string().trim().optional()
  .refine((v) => !v || parseMetres(v) !== null, 'lots.errors.perimeter')
  .transform((v) => (v ? parseMetres(v)! : null))
  .refine((v) => v === null || v <= MAX_LENGTH_CM, 'lots.errors.perimeter');

const lotFields = {
  area_m2: areaM2(),
  land_use: choice(LAND_USES),
  owner: choice(OWNERS),
  price_per_m2: pricePerM2(),
  // What the land registry says of the lot (all optional; the printed contract says "por inscribir" without them).
  registry_partida: optionalText(32),
  boundary_north: optionalText(300),
  boundary_south: optionalText(300),
  boundary_east: optionalText(300),
  boundary_west: optionalText(300),
  perimeter_m: optionalMetres(),
};

type LotForm = { registry_partida: string | null; boundary_north: string | null; boundary_south: string | null;
  boundary_east: string | null; boundary_west: string | null; perimeter_m: number | null };
const registryOf = (f: LotForm): LotRegistry => ({
  registry_partida: f.registry_partida, boundary_north: f.boundary_north, boundary_south: f.boundary_south,
  boundary_east: f.boundary_east, boundary_west: f.boundary_west, perimeter_cm: f.perimeter_m,
});
const newLotForm = z.object({ code: lotCode(), ...lotFields });
const editLotForm = z.object(lotFields);

const transferForm = z.object({
  resolution_number: requiredText(64),
  resolution_date: eventDate(),
});

// ---- helpers for the views -----------------------------------------------------------------

function queryString(filters: LotFilters, sort: LotSort, dir: SortDir): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  if (sort !== 'code') params.set('sort', sort);
  if (dir !== 'asc') params.set('dir', dir);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Each column header links to its sort; clicking the current one flips the direction. */
function sortLinks(filters: LotFilters, sort: LotSort, dir: SortDir) {
  const links: Record<string, { href: string; aria: string; arrow: string }> = {};
  for (const col of LOT_SORTS) {
    const active = col === sort;
    const next: SortDir = active && dir === 'asc' ? 'desc' : 'asc';
    links[col] = {
      href: `/lots${queryString(filters, col, next)}`,
      aria: active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none',
      arrow: active ? (dir === 'asc' ? ' ▲' : ' ▼') : '',
    };
  }
  return links;
}

const options = <T extends string>(values: readonly T[], prefix: string) => values.map((value) => ({ value, key: `${prefix}${value}` }));
const formChoices = { landUses: options(LAND_USES, 'land_use.'), owners: options(OWNERS, 'owner.') };

// ---- handlers ------------------------------------------------------------------------------

const list: RequestHandler = async (req, res) => {
  const q = parseInput(catalogueQuery, req.query);
  const filters: LotFilters = { owner: q.owner, status: q.status, block: q.block, land_use: q.land_use, q: q.q };
  const data = await catalogue(req.ctx.db, filters, q.sort, q.dir, q.page);
  const b = data.balance;
  const share = (dm2: number) => formatPercent(Math.round(shareOfParkPpm(dm2) / 100) * 100);
  const imported = typeof req.query.imported === 'string' && /^\d+$/.test(req.query.imported) ? req.query.imported : null;
  res.render('lots/index', {
    title: t(req.lang, 'lots.title'),
    ...data, filters, sort: q.sort, dir: q.dir,
    filtered: Object.values(filters).some(Boolean),
    sortLinks: sortLinks(filters, q.sort, q.dir),
    csvHref: `/lots.csv${queryString(filters, q.sort, q.dir)}`,
    statuses: options(LOT_STATUSES, 'status.'), ...formChoices,
    shares: {
      municipal: share(b.municipal_dm2), ministry: share(b.ministry_dm2), common: share(b.common_dm2),
      sold: share(b.sold_dm2), available: share(b.available_dm2), unallocated: share(b.unallocated_dm2),
    },
    // Widths of the bar's segments, in percent of the park.
    bar: {
      municipal: shareOfParkPpm(b.municipal_dm2) / 10_000, ministry: shareOfParkPpm(b.ministry_dm2) / 10_000,
      road: shareOfParkPpm(b.road_dm2) / 10_000, green: shareOfParkPpm(b.green_dm2 + b.other_common_dm2) / 10_000,
    },
    shownArea: formatM2(data.shown_area_dm2),
    pager: pager({ total: data.matching, requested: data.page, path: '/lots',
      params: { ...filters, sort: q.sort === 'code' ? undefined : q.sort, dir: q.dir === 'asc' ? undefined : q.dir } }),
    imported,
  });
};

const exportCsv: RequestHandler = async (req, res) => {
  const q = parseInput(catalogueQuery, req.query);
  const filters: LotFilters = { owner: q.owner, status: q.status, block: q.block, land_use: q.land_use, q: q.q };
  sendCsv(res, 'lotes.csv', await lotsCsvExport(req.ctx.db, filters, q.sort, q.dir));
};

const newLot: RequestHandler = (req, res) => {
  res.render('lots/form', { title: t(req.lang, 'lots.new'), isNew: true, values: {}, ...formChoices });
};

const create = formAction({
  view: 'lots/form',
  locals: (req) => ({ title: t(req.lang, 'lots.new'), isNew: true, ...formChoices }),
  act: async (req) => {
    const f = await parseForm(newLotForm, req.body,
      async (v) => (await lotProblems(req.ctx.db, { ...v.code, area_dm2: v.area_m2 })).fields);
    const code = await createLot(req.ctx.db, {
      ...f.code, area_dm2: f.area_m2, land_use: f.land_use, owner: f.owner, price_per_m2_cents: f.price_per_m2, ...registryOf(f),
    }, actorOf(req));
    flash(req, { key: 'flash.lot_created', params: { code } });
    return `/lots/${encodeURIComponent(code)}`;
  },
});

/** Puts the lot named in the URL on res.locals (404 when there is none). */
const loadLot: RequestHandler = async (req, res, next) => {
  res.locals.lot = await getLot(req.ctx.db, String(req.params.code));
  next();
};

export const show: RequestHandler = async (req, res) => {
  const page = await lotPage(req.ctx.db, String(req.params.code));
  res.render('lots/show', {
    title: t(req.lang, 'lots.page.title', { code: page.lot.code }),
    ...page, history: historyView(page.history, req.lang),
    attachments: await documentsSection(req, 'lot', page.lot.code),
  });
};

/** A lot committed to a buyer (awaiting its down payment, under contract, paid off) keeps its area and owner. */
const lockedOf = (lot: LotRow) => (lot.status === 'available' ? null : { area_m2: toM2String(lot.area_dm2) });

const editLot: RequestHandler = (req, res) => {
  const lot = res.locals.lot;
  res.render('lots/form', {
    title: t(req.lang, 'lots.edit_title', { code: lot.code }), ...formChoices, locked: lockedOf(lot),
    values: {
      area_m2: toM2String(lot.area_dm2), land_use: lot.land_use, owner: lot.owner, price_per_m2: toSolesString(lot.price_per_m2_cents),
      registry_partida: lot.registry_partida, boundary_north: lot.boundary_north, boundary_south: lot.boundary_south,
      boundary_east: lot.boundary_east, boundary_west: lot.boundary_west,
      perimeter_m: lot.perimeter_cm === null || lot.perimeter_cm === undefined ? '' : toMetresString(Number(lot.perimeter_cm)),
    },
  });
};

const update = formAction({
  view: 'lots/form',
  locals: (req) => ({
    title: t(req.lang, 'lots.edit_title', { code: String(req.params.code).toUpperCase() }), ...formChoices,
    locked: lockedOf(req.res!.locals.lot),
  }),
  act: async (req, res) => {
    const existing: LotRow = res.locals.lot;
    const f = await parseForm(editLotForm, req.body,
      async (v) => (await lotProblems(req.ctx.db, { area_dm2: v.area_m2, owner: v.owner }, existing)).fields);
    const code = await updateLot(req.ctx.db, String(req.params.code), {
      area_dm2: f.area_m2, land_use: f.land_use, owner: f.owner, price_per_m2_cents: f.price_per_m2, ...registryOf(f),
    }, actorOf(req));
    return `/lots/${encodeURIComponent(code)}`;
  },
});

const newTransfer: RequestHandler = (req, res) => {
  res.render('lots/transfer', { title: t(req.lang, 'lots.transfer.title', { code: res.locals.lot.code }), values: {}, today: req.ctx.clock.today() });
};

const transfer = formAction({
  view: 'lots/transfer',
  locals: (req) => ({ title: t(req.lang, 'lots.transfer.title', { code: String(req.params.code).toUpperCase() }), today: req.ctx.clock.today() }),
  act: async (req) => {
    const f = parseInput(transferForm, req.body);
    const code = await transferLot(req.ctx.db, String(req.params.code), f, actorOf(req), req.ctx.clock.today());
    return `/lots/${encodeURIComponent(code)}`;
  },
});

// The upload is parsed before the CSRF check (the token travels in the multipart body). A file
// over the limit is not an exception: the form says so, with status 400.
const MAX_UPLOAD_BYTES = 1024 * 1024;
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } }).single('file');
const receiveFile = receiveUpload(upload, 'lots.import.errors.too_large');

const importChoices = { columns: CSV_COLUMNS.join(','), landUseCodes: LAND_USES.join(', ') };

const importForm: RequestHandler = (req, res) => {
  res.render('lots/import', { title: t(req.lang, 'lots.import.title'), ...importChoices });
};

const doImport: RequestHandler = async (req, res) => {
  const refuse = (lines: { line: number; message: string }[], fileError?: string) =>
    res.status(400).render('lots/import', { title: t(req.lang, 'lots.import.title'), ...importChoices, lines, fileError, hasErrors: true });
  if (res.locals.uploadError) return refuse([], t(req.lang, res.locals.uploadError));
  if (!req.file || req.file.size === 0) return refuse([], t(req.lang, 'lots.import.errors.no_file'));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(req.file.buffer);
  } catch {
    return refuse([], t(req.lang, 'lots.import.errors.encoding'));
  }
  try {
    const count = await importLots(req.ctx.db, text, actorOf(req));
    res.redirect(303, `/lots?imported=${count}`);
  } catch (err) {
    if (!(err instanceof ImportRefused)) throw err;
    refuse(err.errors.map((e) => ({ line: e.line, message: translate(req.lang, e.message) })));
  }
};

export const routes: RouteDef[] = [
  get('/lots', STAFF, list),
  get('/lots.csv', STAFF, exportCsv),
  get('/lots/new', MANAGERS, newLot),
  post('/lots', MANAGERS, create),
  get('/lots/import/new', MANAGERS, importForm),
  { ...post('/lots/import', MANAGERS, doImport), before: [receiveFile] },
  get('/lots/:code', STAFF, show),
  get('/lots/:code/edit', MANAGERS, loadLot, editLot),
  post('/lots/:code', MANAGERS, loadLot, update),
  get('/lots/:code/transfer/new', MANAGERS, loadLot, newTransfer),
  post('/lots/:code/transfer', MANAGERS, loadLot, transfer),
];
