// Demo data: the land of a fictitious 80-ha park laid out like Ilo's (called by
// seeds/01_demo_park.ts on an empty database). Deterministic: a fixed-seed generator, so every
// demo install has the same lots.
//
// Park coordinates in metres, as the plan is drawn: origin at the north-west corner, x to the
// east, y to the south; the park is 1000 m × 800 m. Streets 14 m wide make a 4 × 4 grid of
// blocks of 230 m × 180 m; a 10 m strip along the north and east edges is left unallocated.
// Blocks M–P (north row) are the upper zone, A–D (south row, by the entrance) the lower zone.
// The Ministry of Housing owns the upper zone and blocks K and L; the rest is municipal.
// Each block is two rows of lots 90 m deep, fronting the streets to its north and south;
// blocks F, G, J and K give a 55 m strip at their east end to a green area.
import type { Knex } from 'knex';
import type { LandUse, Owner } from '../../src/domain/lot-code.ts';

type Point = [number, number];

export interface DemoLot {
  code: string;
  block: string;
  number: number;
  area_dm2: number;
  land_use: LandUse;
  owner: Owner;
  price_per_m2_cents: number;
  outline: Point[];
}

export interface DemoCommonArea {
  name: string;
  kind: 'road' | 'green';
  area_dm2: number;
  outline: Point[];
}

const STREET_M = 14;
const BLOCK_W_M = 230;
const BLOCK_H_M = 180;
const ROW_DEPTH_M = BLOCK_H_M / 2;
const GREEN_STRIP_M = 55;
const COLS = 4;
const ROWS = 4;
const GRID_W_M = COLS * BLOCK_W_M + (COLS + 1) * STREET_M; // 990
const TOP_MARGIN_M = 10; // unallocated strip along the north edge (and 10 m along the east)

// Rows of blocks from north to south.
const BLOCK_ROWS = [['M', 'N', 'O', 'P'], ['I', 'J', 'K', 'L'], ['E', 'F', 'G', 'H'], ['A', 'B', 'C', 'D']];
const MINISTRY_BLOCKS = new Set(['M', 'N', 'O', 'P', 'K', 'L']);
const GREEN_BLOCKS = new Set(['F', 'G', 'J', 'K']);

interface Zone {
  width_m: [number, number]; // frontage of a lot, whole metres
  price_soles: [number, number]; // per m²
  uses: LandUse[]; // repeated entries weigh more
}
// Small, dearer lots by the entrance; large, cheaper ones uphill.
const LOWER: Zone = { width_m: [8, 16], price_soles: [90, 120], uses: ['commerce', 'commerce', 'services', 'services', 'carpentry', 'light_industry'] };
const MIDDLE: Zone = { width_m: [14, 30], price_soles: [60, 95], uses: ['metalworking', 'metalworking', 'light_industry', 'light_industry', 'carpentry', 'warehousing', 'services'] };
const UPPER: Zone = { width_m: [20, 40], price_soles: [40, 65], uses: ['fishing', 'fishing', 'agroindustry', 'agroindustry', 'warehousing'] };
const zoneOfRow = (row: number): Zone => (row === 0 ? UPPER : row === ROWS - 1 ? LOWER : MIDDLE);

/** mulberry32: a small deterministic generator, so the demo park is the same on every install. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { int, pick: <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T };
}

/** Splits a frontage into lot widths within [min, max] that add up to it exactly. */
function widths(length: number, [min, max]: [number, number], int: (a: number, b: number) => number): number[] {
  const out: number[] = [];
  let left = length;
  while (left > 0) {
    let w = left <= max ? left : int(min, max);
    if (left - w > 0 && left - w < min) w = left - min;
    out.push(w);
    left -= w;
  }
  return out;
}

const rect = (x: number, y: number, w: number, h: number): Point[] => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
const dm2 = (w_m: number, h_m: number) => Math.round(w_m * h_m * 100);

export function demoLand(): { lots: DemoLot[]; commonAreas: DemoCommonArea[] } {
  const { int, pick } = generator(20261125);
  const lots: DemoLot[] = [];
  const commonAreas: DemoCommonArea[] = [];

  // Streets: east–west ones the whole width, north–south ones in sections between them.
  for (let k = 0; k <= ROWS; k++) {
    const y = TOP_MARGIN_M + k * (BLOCK_H_M + STREET_M);
    commonAreas.push({ name: k === ROWS ? 'Av. Industrial' : `Calle ${k + 1}`, kind: 'road', area_dm2: dm2(GRID_W_M, STREET_M), outline: rect(0, y, GRID_W_M, STREET_M) });
  }
  for (let c = 0; c <= COLS; c++) {
    for (let r = 0; r < ROWS; r++) {
      const x = c * (BLOCK_W_M + STREET_M);
      const y = TOP_MARGIN_M + STREET_M + r * (BLOCK_H_M + STREET_M);
      commonAreas.push({ name: `Pasaje ${c + 1}, tramo ${r + 1}`, kind: 'road', area_dm2: dm2(STREET_M, BLOCK_H_M), outline: rect(x, y, STREET_M, BLOCK_H_M) });
    }
  }

  BLOCK_ROWS.forEach((letters, r) => {
    const zone = zoneOfRow(r);
    letters.forEach((block, c) => {
      const x0 = STREET_M + c * (BLOCK_W_M + STREET_M);
      const y0 = TOP_MARGIN_M + STREET_M + r * (BLOCK_H_M + STREET_M);
      let frontage = BLOCK_W_M;
      if (GREEN_BLOCKS.has(block)) {
        frontage -= GREEN_STRIP_M;
        commonAreas.push({ name: `Área verde de la manzana ${block}`, kind: 'green', area_dm2: dm2(GREEN_STRIP_M, BLOCK_H_M), outline: rect(x0 + frontage, y0, GREEN_STRIP_M, BLOCK_H_M) });
      }
      const owner: Owner = MINISTRY_BLOCKS.has(block) ? 'ministry' : 'municipal';
      let number = 0;
      for (let half = 0; half < 2; half++) {
        let x = x0;
        for (const w of widths(frontage, zone.width_m, int)) {
          number += 1;
          const [lo, hi] = zone.price_soles;
          lots.push({
            code: `${block}-${String(number).padStart(2, '0')}`, block, number,
            area_dm2: dm2(w, ROW_DEPTH_M), land_use: pick(zone.uses), owner,
            price_per_m2_cents: int(lo * 2, hi * 2) * 50, // whole soles or half soles
            outline: rect(x, y0 + half * ROW_DEPTH_M, w, ROW_DEPTH_M),
          });
          x += w;
        }
      }
    });
  });
  return { lots, commonAreas };
}

export async function seedLots(knex: Knex): Promise<void> {
  const { lots, commonAreas } = demoLand();
  const now = new Date().toISOString();
  await knex.transaction(async (trx) => {
    await trx.batchInsert('lots', lots.map((l) => ({
      ...l, outline: JSON.stringify(l.outline), status: 'available', created_at: now, updated_at: now,
    })), 100);
    await trx.batchInsert('common_areas', commonAreas.map((a) => ({
      ...a, outline: JSON.stringify(a.outline), created_at: now,
    })), 100);
  });
}
