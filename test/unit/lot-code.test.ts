import { describe, expect, it } from 'vitest';
import { isLandUse, isOwner, lotKey, parseLotCode } from '../../src/domain/lot-code.ts';

describe('parseLotCode', () => {
  it('reads block and number from a code', () => {
    expect(parseLotCode('C-07')).toEqual({ code: 'C-07', block: 'C', number: 7 });
    expect(parseLotCode('AB-112')).toEqual({ code: 'AB-112', block: 'AB', number: 112 });
    expect(parseLotCode('XYZ-999')).toEqual({ code: 'XYZ-999', block: 'XYZ', number: 999 });
    expect(parseLotCode('P-1')).toEqual({ code: 'P-1', block: 'P', number: 1 });
  });

  it('takes small letters and spaces around, and writes the code in capitals', () => {
    expect(parseLotCode('  c-07 ')).toEqual({ code: 'C-07', block: 'C', number: 7 });
  });

  it('refuses anything else', () => {
    for (const text of ['', 'C07', 'C-', '-07', 'C-0', 'C-000', 'ABCD-1', 'C-1000', 'C–07', 'Ñ-01', 'C-07a', 'C 07', '7-C', 'C-+7', 'C--7']) {
      expect(parseLotCode(text), text).toBeNull();
    }
  });

  it('names the same lot with the same key whatever zeros its code was written with', () => {
    const a = parseLotCode('C-7')!;
    const b = parseLotCode('C-007')!;
    expect(lotKey(a.block, a.number)).toBe('C-7');
    expect(lotKey(b.block, b.number)).toBe('C-7');
  });
});

describe('owners and land uses', () => {
  it('know their codes', () => {
    expect(isOwner('municipal')).toBe(true);
    expect(isOwner('ministry')).toBe(true);
    expect(isOwner('Municipal')).toBe(false);
    expect(isLandUse('metalworking')).toBe(true);
    expect(isLandUse('metalmecánica')).toBe(false);
  });
});
