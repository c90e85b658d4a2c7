import { describe, expect, it } from 'vitest';
import { refundOf, rescissionAllowed } from '../../src/domain/rescission.ts';

describe('rescissionAllowed (art. 1562, threshold 50% of S/ 100,000.00)', () => {
  it('one céntimo below the line: still available', () => {
    expect(rescissionAllowed(4_999_999, 10_000_000, 500_000)).toEqual({ allowed: true, paid_ppm: 499_999 });
  });
  it('exactly at the line: no longer available', () => {
    expect(rescissionAllowed(5_000_000, 10_000_000, 500_000)).toEqual({ allowed: false, paid_ppm: 500_000 });
  });
  it('above the line: not available', () => {
    expect(rescissionAllowed(5_000_001, 10_000_000, 500_000)).toEqual({ allowed: false, paid_ppm: 500_000 });
    expect(rescissionAllowed(10_000_000, 10_000_000, 500_000)).toEqual({ allowed: false, paid_ppm: 1_000_000 });
  });
  it('only the down payment (15%) paid: available', () => {
    expect(rescissionAllowed(1_500_000, 10_000_000, 500_000)).toEqual({ allowed: true, paid_ppm: 150_000 });
  });
  it('an odd price whose half is not a whole céntimo (S/ 1,234.57 → line at 617.285)', () => {
    expect(rescissionAllowed(61_728, 123_457, 500_000)).toEqual({ allowed: true, paid_ppm: 499_995 });
    expect(rescissionAllowed(61_729, 123_457, 500_000)).toEqual({ allowed: false, paid_ppm: 500_004 });
  });
  it('other thresholds: 33.3333% and 100%', () => {
    expect(rescissionAllowed(3_333_329, 10_000_000, 333_333)).toEqual({ allowed: true, paid_ppm: 333_332 }); // line: 3,333,330
    expect(rescissionAllowed(3_333_330, 10_000_000, 333_333)).toMatchObject({ allowed: false });
    expect(rescissionAllowed(9_999_999, 10_000_000, 1_000_000)).toMatchObject({ allowed: true });
  });
  it('refuses nonsense as programmer errors', () => {
    expect(() => rescissionAllowed(1, 0, 500_000)).toThrow(RangeError);
    expect(() => rescissionAllowed(-1, 100, 500_000)).toThrow(RangeError);
    expect(() => rescissionAllowed(1, 100, -1)).toThrow(RangeError);
  });
});

describe('refundOf (art. 1563)', () => {
  it('returns what was received less compensation and penalty', () => {
    expect(refundOf(1_641_667, 300_000, 100_000)).toEqual({ ok: true, returned_cents: 1_241_667 });
  });
  it('keeping everything returns 0', () => {
    expect(refundOf(1_641_667, 1_541_667, 100_000)).toEqual({ ok: true, returned_cents: 0 });
    expect(refundOf(0, 0, 0)).toEqual({ ok: true, returned_cents: 0 });
  });
  it('keeping one céntimo more than received is refused', () => {
    expect(refundOf(1_641_667, 1_541_668, 100_000)).toEqual({ ok: false, error: 'kept_exceeds_received' });
  });
  it('negative or fractional amounts are programmer errors', () => {
    expect(() => refundOf(100, -1, 0)).toThrow(RangeError);
    expect(() => refundOf(100, 0.5, 0)).toThrow(TypeError);
  });
});
