// The park plan (GET /map): every lot with an outline, coloured by status and owner, linked to its page.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { get, STAFF, type RouteDef } from '../web/routing.ts';
import { parkMapSvg, parseOutline, type MapArea, type MapLot } from '../domain/park-map.ts';
import { formatM2 } from '../domain/area.ts';
import { t } from '../web/i18n.ts';

const query = z.object({
  owner: z.enum(['municipal', 'ministry']).optional(), status: z.string().max(32).optional(),
  // The lot whose details the page shows (a tap on a phone has no hover): ?lot=A-03.
  lot: z.string().trim().max(16).optional(),
});

const showMap: RequestHandler = async (req, res) => {
  const q = query.safeParse(req.query);
  const filter = q.success ? q.data : {};
  const db = req.ctx.db;
  const rows = await db('lots as l')
    .leftJoin('contracts as c', function () {
      // The live statuses written as literals, as in the partial unique index on contracts, so the
      // database can use that index (bound parameters would hide the match from SQLite's planner).
      this.on('c.lot_id', '=', 'l.id').andOn(db.raw("c.status IN ('awaiting_down_payment', 'active', 'paid_off')"));
    })
    .leftJoin('firms as f', 'f.ruc', 'c.firm_ruc')
    .select('l.code', 'l.area_dm2', 'l.owner', 'l.status', 'l.outline', 'f.name as buyer')
    .orderBy('l.code');
  const lang = req.lang;
  const lots: MapLot[] = [];
  // The legend counts what the filter shows (with or without an outline), and the list below the plan
  // names the same lots: the alternative to the plan on a phone, and for the lots without an outline.
  const matching = rows.filter((r: { owner: string; status: string }) =>
    (!filter.owner || r.owner === filter.owner) && (!filter.status || r.status === filter.status));
  const wanted = filter.lot?.toUpperCase();
  const selectedRow = wanted ? rows.find((r: { code: string }) => r.code === wanted) : undefined;
  const list: { code: string; area_dm2: number; owner: string; status: string; buyer: string | null; on_map: boolean }[] = [];
  let missing = 0;
  for (const r of matching) {
    const outline = parseOutline(r.outline);
    list.push({ code: r.code, area_dm2: Number(r.area_dm2), owner: r.owner, status: r.status, buyer: r.buyer ?? null, on_map: outline !== null });
    if (!outline) { missing++; continue; }
    const title = [r.code, formatM2(Number(r.area_dm2)), t(lang, `owner.${r.owner}`), t(lang, `status.${r.status}`), r.buyer]
      .filter(Boolean).join(' · ');
    lots.push({ code: r.code, outline, status: r.status, owner: r.owner, title, selected: r === selectedRow });
  }
  const areas: MapArea[] = [];
  for (const a of await db('common_areas').select('name', 'kind', 'outline')) {
    const outline = parseOutline(a.outline);
    if (outline) areas.push({ name: a.name, kind: a.kind, outline });
  }
  const counts = matching.reduce<Record<string, number>>((acc, r: { status: string }) => { acc[r.status] = (acc[r.status] ?? 0) + 1; return acc; }, {});
  const ministry = matching.filter((r: { owner: string }) => r.owner === 'ministry').length;
  const legend = ['available', 'awaiting_down_payment', 'under_contract', 'paid_off'].map((status) => ({
    status, n: counts[status] ?? 0,
    municipal: matching.filter((r: { owner: string; status: string }) => r.status === status && r.owner === 'municipal').length,
  }));
  res.render('map/show', {
    title: t(lang, 'map.title'),
    svg: parkMapSvg(lots, areas, { title: t(lang, 'map.title'), labels: true }),
    shown: lots.length, missing, counts, filter, list, ministry, legend, matching: matching.length,
    selected: selectedRow ? {
      code: selectedRow.code, area_dm2: Number(selectedRow.area_dm2), owner: selectedRow.owner, status: selectedRow.status,
      buyer: selectedRow.buyer ?? null, sellable: selectedRow.status === 'available' && selectedRow.owner === 'municipal',
    } : null,
    notFound: wanted && !selectedRow ? wanted : null,
  });
};

export const routes: RouteDef[] = [
  get('/map', STAFF, showMap),
];
