import { describe, expect, it } from 'vitest';
import { areaBalance, parkExcessDm2, shareOfParkPpm, type LotArea } from '../../src/domain/area-balance.ts';
import { PARK_AREA_DM2 } from '../../src/domain/area.ts';

const lot = (area_dm2: number, owner: LotArea['owner'], status: LotArea['status'] = 'available'): LotArea => ({ area_dm2, owner, status });

describe('areaBalance', () => {
  it('is all unallocated for an empty park of 80 ha = 80,000,000 dm²', () => {
    expect(PARK_AREA_DM2).toBe(80_000_000);
    expect(areaBalance([], [])).toEqual({
      park_dm2: 80_000_000, lots_dm2: 0, municipal_dm2: 0, ministry_dm2: 0, common_dm2: 0, road_dm2: 0, green_dm2: 0,
      other_common_dm2: 0, sold_dm2: 0, available_dm2: 0, unallocated_dm2: 80_000_000, lot_count: 0,
    });
  });

  it('splits lots by owner and by commitment, and common areas by kind, to the dm²', () => {
    const b = areaBalance([
      lot(125_050, 'municipal'), // 1,250.50 m² available
      lot(200_001, 'municipal', 'under_contract'), // 2,000.01 m²
      lot(30_000, 'municipal', 'awaiting_down_payment'), // 300.00 m²
      lot(99_999, 'municipal', 'paid_off'), // 999.99 m²
      lot(320_000, 'ministry'), // 3,200.00 m²: not for sale, so neither sold nor available
    ], [
      { kind: 'road', area_dm2: 11_970_000 },
      { kind: 'road', area_dm2: 1 },
      { kind: 'green', area_dm2: 3_960_000 },
      { kind: 'other', area_dm2: 50 },
    ]);
    expect(b).toEqual({
      park_dm2: 80_000_000,
      lots_dm2: 775_050,
      municipal_dm2: 455_050,
      ministry_dm2: 320_000,
      common_dm2: 15_930_051,
      road_dm2: 11_970_001,
      green_dm2: 3_960_000,
      other_common_dm2: 50,
      sold_dm2: 330_000,
      available_dm2: 125_050,
      unallocated_dm2: 80_000_000 - 775_050 - 15_930_051,
      lot_count: 5,
    });
    // The parts add up to the park.
    expect(b.municipal_dm2 + b.ministry_dm2).toBe(b.lots_dm2);
    expect(b.lots_dm2 + b.common_dm2 + b.unallocated_dm2).toBe(b.park_dm2);
  });

  it('shows a negative unallocated area when the data break the 80 ha rule, instead of hiding it', () => {
    const b = areaBalance([lot(79_999_999, 'municipal')], [{ kind: 'road', area_dm2: 2 }]);
    expect(b.unallocated_dm2).toBe(-1);
  });

  it('refuses areas that are not whole positive dm² (a programmer error)', () => {
    expect(() => areaBalance([lot(0, 'municipal')], [])).toThrow(RangeError);
    expect(() => areaBalance([lot(10.5, 'municipal')], [])).toThrow(RangeError);
  });
});

describe('parkExcessDm2', () => {
  it('is 0 up to exactly 80 ha and the excess beyond, in dm²', () => {
    expect(parkExcessDm2(0, 0)).toBe(0);
    expect(parkExcessDm2(64_000_000, 16_000_000)).toBe(0);
    expect(parkExcessDm2(64_000_001, 16_000_000)).toBe(1);
    expect(parkExcessDm2(80_025_050, 0)).toBe(25_050);
  });
});

describe('shareOfParkPpm', () => {
  it('is the share of 80 ha in parts per million, rounded down', () => {
    expect(shareOfParkPpm(80_000_000)).toBe(1_000_000);
    expect(shareOfParkPpm(12_000_000)).toBe(150_000); // 15%
    expect(shareOfParkPpm(1)).toBe(0); // 0.0125 ppm
    expect(shareOfParkPpm(-5)).toBe(0);
  });
});
