import { describe, expect, it } from 'vitest';
import { cents, divRoundHalfUp, formatSoles, parseSoles, percentOf, sum, toSolesString, ZERO } from '../../src/domain/money.ts';

const NBSP = '\u00a0'; // what es-PE puts between "S/" and the figure

describe('cents', () => {
  it('accepts whole numbers and refuses fractions, NaN and unsafe integers', () => {
    expect(cents(141_667)).toBe(141_667);
    expect(cents(-5)).toBe(-5);
    expect(ZERO).toBe(0);
    expect(() => cents(1416.67)).toThrow(TypeError);
    expect(() => cents(Number.NaN)).toThrow(TypeError);
    expect(() => cents(2 ** 53)).toThrow(TypeError);
  });
  it('sum adds exactly and guards each value', () => {
    expect(sum([141_667, 141_667, 141_666])).toBe(425_000);
    expect(sum([])).toBe(0);
    expect(() => sum([1, 0.5])).toThrow(TypeError);
  });
});

describe('parseSoles', () => {
  it.each([
    ['1416.67', 141_667], ['1416.5', 141_650], ['1416', 141_600], ['0.01', 1], ['0', 0], [' 85000.00 ', 8_500_000],
    ['9999999999999.99', 999_999_999_999_999],
  ])('%s → %i céntimos', (text, value) => {
    expect(parseSoles(text)).toBe(value);
  });
  it.each(['1,416.67', '1416.678', '-1', '', '.5', '1.', 'S/ 10', '1e3', '12 000'])('refuses %j', (text) => {
    expect(parseSoles(text)).toBeNull();
  });
});

describe('toSolesString / formatSoles', () => {
  it('writes the form and CSV format with two decimals and no separators', () => {
    expect(toSolesString(141_667)).toBe('1416.67');
    expect(toSolesString(5)).toBe('0.05');
    expect(toSolesString(0)).toBe('0.00');
    expect(toSolesString(-5)).toBe('-0.05');
    expect(toSolesString(8_500_000)).toBe('85000.00');
  });
  it('shows soles as es-PE does: S/ 1,416.67', () => {
    expect(formatSoles(141_667)).toBe(`S/${NBSP}1,416.67`);
    expect(formatSoles(0)).toBe(`S/${NBSP}0.00`);
    expect(formatSoles(10_000_000)).toBe(`S/${NBSP}100,000.00`);
    expect(formatSoles(-5)).toBe(`-S/${NBSP}0.05`);
  });
  it('stays exact beyond float precision: 90,071,992,547,409.91', () => {
    expect(formatSoles(Number.MAX_SAFE_INTEGER)).toBe(`S/${NBSP}90,071,992,547,409.91`);
  });
  it('round-trips every form value', () => {
    for (const v of [0, 1, 99, 100, 141_667, 141_647, 8_500_000, 123_456_789]) {
      expect(parseSoles(toSolesString(v))).toBe(v);
    }
  });
});

describe('divRoundHalfUp', () => {
  it.each([
    [5n, 2n, 3n], [7n, 2n, 4n], [4n, 3n, 1n], [5n, 3n, 2n], [0n, 7n, 0n], [1n, 3n, 0n],
    [-5n, 2n, -3n], [5n, -2n, -3n], [-5n, -2n, 3n], [-4n, 3n, -1n],
  ])('%s / %s → %s (ties away from zero)', (n, d, q) => {
    expect(divRoundHalfUp(n, d)).toBe(q);
  });
  it('refuses division by zero', () => {
    expect(() => divRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});

describe('percentOf', () => {
  it('15% of S/ 1,234.57 = 185.1855 → S/ 185.19; of S/ 100,000.00 = S/ 15,000.00', () => {
    expect(percentOf(123_457, 150_000)).toBe(18_519);
    expect(percentOf(10_000_000, 150_000)).toBe(1_500_000);
  });
  it('half a céntimo rounds up: 50% of 1 céntimo = 1; 49.9999% of 1 = 0', () => {
    expect(percentOf(1, 500_000)).toBe(1);
    expect(percentOf(1, 499_999)).toBe(0);
  });
  it('0% and 100%', () => {
    expect(percentOf(123_457, 0)).toBe(0);
    expect(percentOf(123_457, 1_000_000)).toBe(123_457);
  });
});
