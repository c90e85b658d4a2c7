import { describe, expect, it } from 'vitest';
import { cents, divRoundHalfUp, formatSoles, MAX_AMOUNT_CENTS, parseSoles, readSoles, percentOf, sum, toSolesString, ZERO } from '../../src/domain/money.ts';

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
    ['10000000000.00', 1_000_000_000_000],
    // As the screens show amounts and as a Peruvian user types them: comma thousands, dot decimals.
    ['18,049.50', 1_804_950], ['1,416.67', 141_667], ['1,234', 123_400], ['1,000,000', 100_000_000],
    ['S/ 120330', 12_033_000], ['S/120330', 12_033_000], ['s/ 1,416.67', 141_667], ['S/. 25.50', 2_550],
    [`S/${NBSP}18,049.50`, 1_804_950], ['18 049.50', 1_804_950],
    // A single comma followed by one or two digits can only be a decimal comma.
    ['120330,00', 12_033_000], ['1416,5', 141_650],
  ])('%s → %i céntimos', (text, value) => {
    expect(parseSoles(text)).toBe(value);
  });
  it.each(['1416.678', '-1', '', '.5', '1.', 'S/', '1e3', '12 00', '10000000000.01', '99999999999999999999'])('refuses %j', (text) => {
    expect(parseSoles(text)).toBeNull();
  });
  it.each([
    ['abc', 'format'], ['1e3', 'format'], ['', 'format'], ['S/', 'format'],
    ['1.234', 'ambiguous'], ['1.234,5', 'ambiguous'], ['1.234,50', 'ambiguous'], ['1,23,4', 'ambiguous'],
    ['12,34,567.00', 'ambiguous'], ['1,2345', 'ambiguous'], ['1.000.000', 'ambiguous'], ['1,234,5', 'ambiguous'],
    ['-1', 'negative'], ['-18,049.50', 'negative'], ['S/ -5', 'negative'], ['−5.00', 'negative'],
    ['10000000000.01', 'too_large'], ['99999999999999999999', 'too_large'],
  ])('%j is refused as %s', (text, error) => {
    expect(readSoles(text)).toEqual({ ok: false, error });
  });
  it('bounds every amount at S/ 10,000,000,000.00', () => {
    expect(MAX_AMOUNT_CENTS).toBe(1_000_000_000_000);
    expect(readSoles('10,000,000,000.00')).toEqual({ ok: true, cents: MAX_AMOUNT_CENTS });
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
