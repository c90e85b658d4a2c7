// The park's area balance: how its 80 ha divide into municipal and ministry lots, common areas
// (roads, green areas) and land not yet allotted; and how much of the municipal land is
// committed to buyers or still available. Pure, in integer dm².
import { PARK_AREA_DM2 } from './area.ts';
import { COMMITTED_STATUSES, type LotStatus, type Owner } from './lot-code.ts';

export interface LotArea {
  area_dm2: number;
  owner: Owner;
  status: LotStatus;
}

export interface CommonArea {
  kind: 'road' | 'green' | 'other';
  area_dm2: number;
}

export interface AreaBalance {
  park_dm2: number;
  lots_dm2: number; // municipal + ministry
  municipal_dm2: number;
  ministry_dm2: number;
  common_dm2: number; // road + green + other
  road_dm2: number;
  green_dm2: number;
  other_common_dm2: number;
  sold_dm2: number; // committed: awaiting down payment, under contract, paid off
  available_dm2: number; // municipal lots still available for sale
  unallocated_dm2: number; // park − lots − common; negative only if the data break the rule
  lot_count: number;
}

function add(a: number, b: number): number {
  const s = a + b;
  if (!Number.isSafeInteger(s)) throw new RangeError('area out of range');
  return s;
}

export function areaBalance(lots: readonly LotArea[], common: readonly CommonArea[], park_dm2 = PARK_AREA_DM2): AreaBalance {
  const b: AreaBalance = {
    park_dm2, lots_dm2: 0, municipal_dm2: 0, ministry_dm2: 0, common_dm2: 0, road_dm2: 0, green_dm2: 0,
    other_common_dm2: 0, sold_dm2: 0, available_dm2: 0, unallocated_dm2: 0, lot_count: lots.length,
  };
  for (const lot of lots) {
    if (!Number.isSafeInteger(lot.area_dm2) || lot.area_dm2 <= 0) throw new RangeError(`bad lot area: ${lot.area_dm2}`);
    b.lots_dm2 = add(b.lots_dm2, lot.area_dm2);
    if (lot.owner === 'municipal') b.municipal_dm2 = add(b.municipal_dm2, lot.area_dm2);
    else b.ministry_dm2 = add(b.ministry_dm2, lot.area_dm2);
    if (COMMITTED_STATUSES.includes(lot.status)) b.sold_dm2 = add(b.sold_dm2, lot.area_dm2);
    else if (lot.owner === 'municipal') b.available_dm2 = add(b.available_dm2, lot.area_dm2);
  }
  for (const c of common) {
    b.common_dm2 = add(b.common_dm2, c.area_dm2);
    if (c.kind === 'road') b.road_dm2 = add(b.road_dm2, c.area_dm2);
    else if (c.kind === 'green') b.green_dm2 = add(b.green_dm2, c.area_dm2);
    else b.other_common_dm2 = add(b.other_common_dm2, c.area_dm2);
  }
  b.unallocated_dm2 = park_dm2 - b.lots_dm2 - b.common_dm2;
  return b;
}

/**
 * By how many dm² lots + common areas would exceed the park (0 when they fit). Every create,
 * edit and import asks this with the totals as they would be after the change.
 */
export function parkExcessDm2(lots_dm2: number, common_dm2: number, park_dm2 = PARK_AREA_DM2): number {
  return Math.max(0, add(lots_dm2, common_dm2) - park_dm2);
}

/** Share of the park, in ppm (for bars and percentages on screen), rounded down. */
export function shareOfParkPpm(dm2: number, park_dm2 = PARK_AREA_DM2): number {
  return Math.floor((Math.max(0, dm2) * 1_000_000) / park_dm2);
}
