import { describe, expect, it } from 'vitest';
import { demoLand, seedLots } from '../../seeds/demo/lots.ts';
import { tempDb } from '../support/app.ts';
import { areaBalance } from '../../src/domain/area-balance.ts';
import { parseLotCode, isLandUse } from '../../src/domain/lot-code.ts';
import fs from 'node:fs';

type Point = [number, number];
const box = (pts: Point[]) => ({
  x0: Math.min(...pts.map((p) => p[0])), x1: Math.max(...pts.map((p) => p[0])),
  y0: Math.min(...pts.map((p) => p[1])), y1: Math.max(...pts.map((p) => p[1])),
});
/** Shoelace area in dm² (outlines are in metres). */
const polygonDm2 = (pts: Point[]) =>
  Math.round(Math.abs(pts.reduce((s, [x, y], i) => { const [nx, ny] = pts[(i + 1) % pts.length]!; return s + x * ny - nx * y; }, 0)) / 2 * 100);

describe('the demo park land', () => {
  const { lots, commonAreas } = demoLand();

  it('is the same on every call (fixed seed)', () => {
    expect(demoLand()).toEqual({ lots, commonAreas });
  });

  it('has a few hundred lots of hundreds to a few thousand m², with valid unique codes and fields', () => {
    expect(lots).toHaveLength(363);
    expect(new Set(lots.map((l) => l.code)).size).toBe(lots.length);
    for (const l of lots) {
      expect(parseLotCode(l.code)).toEqual({ code: l.code, block: l.block, number: l.number });
      expect(isLandUse(l.land_use)).toBe(true);
      expect(l.area_dm2).toBeGreaterThanOrEqual(72_000); // 720 m²
      expect(l.area_dm2).toBeLessThanOrEqual(360_000); // 3,600 m²
      expect(l.price_per_m2_cents).toBeGreaterThanOrEqual(4000);
      expect(l.price_per_m2_cents).toBeLessThanOrEqual(12000);
      expect(l.price_per_m2_cents % 50).toBe(0);
    }
  });

  it('divides the 80 ha into lots (about 60% municipal), roads (~15%), green areas (~5%) and a little unallocated land', () => {
    const b = areaBalance(lots.map((l) => ({ ...l, status: 'available' as const })), commonAreas);
    expect(b).toMatchObject({
      lots_dm2: 62_280_000, municipal_dm2: 38_430_000, ministry_dm2: 23_850_000,
      road_dm2: 11_970_000, green_dm2: 3_960_000, common_dm2: 15_930_000, unallocated_dm2: 1_790_000,
    });
  });

  it('gives every lot and common area an outline inside the 1000 m × 800 m park whose area is its area, none overlapping', () => {
    const shapes = [...lots.map((l) => ({ name: l.code, ...l })), ...commonAreas];
    for (const s of shapes) {
      expect(polygonDm2(s.outline), s.name).toBe(s.area_dm2);
      const b = box(s.outline);
      expect(b.x0).toBeGreaterThanOrEqual(0);
      expect(b.y0).toBeGreaterThanOrEqual(0);
      expect(b.x1).toBeLessThanOrEqual(1000);
      expect(b.y1).toBeLessThanOrEqual(800);
    }
    const boxes = shapes.map((s) => ({ name: s.name, ...box(s.outline) }));
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!, c = boxes[j]!;
        if (a.x0 < c.x1 && c.x0 < a.x1 && a.y0 < c.y1 && c.y0 < a.y1) overlaps.push(`${a.name} × ${c.name}`);
      }
    }
    expect(overlaps).toEqual([]);
  });

  it('is written to the database in one go, every lot available with its outline', async () => {
    const { db, dir } = await tempDb();
    try {
      await seedLots(db);
      const rows = await db('lots').select('code', 'status', 'outline');
      expect(rows).toHaveLength(363);
      expect(rows.every((r) => r.status === 'available' && JSON.parse(r.outline).length === 4)).toBe(true);
      expect(await db('common_areas').count({ n: '*' })).toEqual([{ n: commonAreas.length }]);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
