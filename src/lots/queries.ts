// SQL for lots, common areas and transfers. Knex only: rows in, rows out.
import type { Db } from '../db/knex.ts';
import type { LandUse, LotStatus, Owner } from '../domain/lot-code.ts';
import type { CommonArea, LotArea } from '../domain/area-balance.ts';

export interface LotRow {
  id: number;
  code: string;
  block: string;
  number: number;
  area_dm2: number;
  land_use: LandUse;
  owner: Owner;
  price_per_m2_cents: number;
  status: LotStatus;
  outline: string | null;
  registry_partida?: string | null;
  boundary_north?: string | null;
  boundary_south?: string | null;
  boundary_east?: string | null;
  boundary_west?: string | null;
  perimeter_cm?: number | null;
  created_at: string;
  updated_at: string;
}

export interface LotFilters {
  owner?: Owner;
  status?: LotStatus;
  block?: string;
  land_use?: LandUse;
  /** part of the code, however written: "a03", "A-03", "a-3" all find A-03 */
  q?: string;
}

export const LOT_SORTS = ['code', 'block', 'area', 'price_m2', 'price', 'status'] as const;
export type LotSort = (typeof LOT_SORTS)[number];
export type SortDir = 'asc' | 'desc';

// Codes sort by block, then number (A-2 before A-10); every sort ends on the code for stability.
const ORDER: Record<LotSort, string[]> = {
  code: ['block', 'number'],
  block: ['block', 'number'],
  area: ['area_dm2', 'block', 'number'],
  price_m2: ['price_per_m2_cents', 'block', 'number'],
  price: ['area_dm2 * price_per_m2_cents', 'block', 'number'],
  status: ['status', 'block', 'number'],
};

function filtered(db: Db, filters: LotFilters) {
  const q = db<LotRow>('lots');
  if (filters.owner) q.where('owner', filters.owner);
  if (filters.status) q.where('status', filters.status);
  if (filters.block) q.where('block', filters.block);
  if (filters.land_use) q.where('land_use', filters.land_use);
  if (filters.q) {
    // "A03", "a-3", "a 03": letters, then an optional number; matched on block and number so zeros do not matter.
    const m = /^([A-Za-z]{1,3})[\s-]*0*(\d{1,4})?$/.exec(filters.q.trim());
    if (m) {
      q.where('block', m[1]!.toUpperCase());
      if (m[2] !== undefined) q.where('number', Number(m[2]));
    } else {
      const like = `%${filters.q.trim().toUpperCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      q.whereRaw("upper(code) like ? escape '\\'", [like]);
    }
  }
  return q;
}

/** The lots that match, in the chosen order; with `page`, only that slice (LIMIT/OFFSET). */
export function listLots(db: Db, filters: LotFilters, sort: LotSort = 'code', dir: SortDir = 'asc',
  page?: { limit: number; offset: number }) {
  const q = filtered(db, filters).select('*');
  const [first, ...rest] = ORDER[sort];
  q.orderByRaw(`${first} ${dir}`);
  for (const col of rest) q.orderBy(col, 'asc');
  if (page) q.limit(page.limit).offset(page.offset);
  return q;
}

/** How many lots match, by status, with their area: the catalogue's count line, without loading them. */
export async function lotCountsByStatus(db: Db, filters: LotFilters): Promise<{ status: LotStatus; n: number; area_dm2: number }[]> {
  const rows = await filtered(db, filters).select('status').count({ n: '*' }).sum({ area_dm2: 'area_dm2' }).groupBy('status');
  return rows.map((r: Record<string, unknown>) => ({ status: r.status as LotStatus, n: Number(r.n), area_dm2: Number(r.area_dm2 ?? 0) }));
}

export const findLotByCode = (db: Db, code: string) => db<LotRow>('lots').where({ code }).first();

export const findLotByBlockNumber = (db: Db, block: string, number: number) =>
  db<LotRow>('lots').where({ block, number }).first();

export async function blocks(db: Db): Promise<string[]> {
  const rows = await db('lots').distinct('block').orderBy('block');
  return rows.map((r: { block: string }) => r.block);
}

/** Every lot's area, owner and status: what the area balance adds up. */
export const lotAreas = (db: Db) => db<LotArea>('lots').select('area_dm2', 'owner', 'status');

export const commonAreas = (db: Db) => db<CommonArea>('common_areas').select('kind', 'area_dm2');

export async function totalLotsDm2(db: Db): Promise<number> {
  const row = await db('lots').sum<{ s: number | null }[]>({ s: 'area_dm2' });
  return Number(row[0]?.s ?? 0);
}

export async function totalCommonDm2(db: Db): Promise<number> {
  const row = await db('common_areas').sum<{ s: number | null }[]>({ s: 'area_dm2' });
  return Number(row[0]?.s ?? 0);
}

/** Block + number of every lot ("C-7"), to find duplicates however the zeros were written. */
export async function lotKeys(db: Db): Promise<Map<string, string>> {
  const rows = await db<LotRow>('lots').select('block', 'number', 'code');
  return new Map(rows.map((r) => [`${r.block}-${r.number}`, r.code]));
}

export const transfersOf = (db: Db, lot_id: number) =>
  db('lot_transfers').leftJoin('users', 'users.id', 'lot_transfers.recorded_by')
    .where('lot_transfers.lot_id', lot_id)
    .select('lot_transfers.resolution_number', 'lot_transfers.resolution_date', 'lot_transfers.recorded_at',
      'users.username as recorded_by_name')
    .orderBy('lot_transfers.id', 'desc');

/** Contracts signed on this lot, live or rescinded, newest first. */
export const contractsOf = (db: Db, lot_id: number) =>
  db('contracts').leftJoin('firms', 'firms.ruc', 'contracts.firm_ruc')
    .where('contracts.lot_id', lot_id)
    .select('contracts.id', 'contracts.number', 'contracts.date', 'contracts.price_cents', 'contracts.status',
      'contracts.firm_ruc', 'firms.name as firm_name')
    .orderBy('contracts.id', 'desc');
