import { describe, expect, it } from 'vitest';
import { compactDni, dniCheckCharacters, dniProblem, isValidRuc, rucCheckDigit, rucProblem } from '../../src/domain/ruc.ts';

describe('RUC', () => {
  it('accepts 20512333797 (weighted sum 125, 125 mod 11 = 4, check (11 − 4) mod 10 = 7)', () => {
    // 2·5 + 0·4 + 5·3 + 1·2 + 2·7 + 3·6 + 3·5 + 3·4 + 7·3 + 9·2 = 125; 125 mod 11 = 4; (11 − 4) mod 10 = 7
    expect(rucCheckDigit('2051233379')).toBe(7);
    expect(rucProblem('20512333797')).toBeNull();
    expect(isValidRuc('20512333797')).toBe(true);
  });

  it('refuses 20512333798 for its check digit', () => {
    expect(rucProblem('20512333798')).toBe('check_digit');
  });

  it('takes (11 − sum mod 11) mod 10: remainder 0 gives 1, remainder 1 gives 0', () => {
    expect(rucCheckDigit('2000000000')).toBe(1); // 2·5 = 10 → 11 − 10 = 1
    expect(rucCheckDigit('1000000000')).toBe(6); // 5 → 6
    expect(rucCheckDigit('1000000004')).toBe(9); // 5 + 4·2 = 13, mod 11 = 2 → 9
    expect(rucCheckDigit('1020000000')).toBe(1); // 5 + 2·3 = 11, mod 11 = 0 → 11 mod 10 = 1
    expect(rucCheckDigit('2000000001')).toBe(0); // 10 + 2 = 12, mod 11 = 1 → 10 mod 10 = 0
    expect(rucProblem('20000000010')).toBeNull();
  });

  it('accepts each prefix 10, 15, 16, 17, 20 with its right check digit', () => {
    for (const prefix of ['10', '15', '16', '17', '20']) {
      const stem = `${prefix}45678901`;
      expect(rucProblem(`${stem}${rucCheckDigit(stem)}`)).toBeNull();
    }
  });

  it('says which check failed: length, digits, prefix, check digit', () => {
    expect(rucProblem('2051233379')).toBe('length');
    expect(rucProblem('205123337970')).toBe('length');
    expect(rucProblem('')).toBe('length');
    expect(rucProblem('2051233379A')).toBe('digits');
    expect(rucProblem('30512333797')).toBe('prefix');
    expect(rucProblem('11512333797')).toBe('prefix');
    expect(rucProblem('20512333790')).toBe('check_digit');
  });
});

describe('DNI', () => {
  it('accepts 8 digits without a check character', () => {
    expect(dniProblem('10117410')).toBeNull();
  });

  it('computes both check characters: 10117410 → 2 or G (Σ = 70, 70 mod 11 = 4)', () => {
    expect(dniCheckCharacters('10117410')).toEqual({ digit: '2', letter: 'G' });
    expect(dniProblem('10117410-2')).toBeNull();
    expect(dniProblem('101174102')).toBeNull();
    expect(dniProblem('10117410g')).toBeNull();
    expect(dniProblem('10117410 G')).toBeNull();
  });

  it('maps remainders 0 and 10 to the ends of both tables', () => {
    expect(dniCheckCharacters('00000000')).toEqual({ digit: '6', letter: 'K' }); // Σ 0
    // 00000500 → 5·4 = 20, mod 11 = 9 → digit '8', letter 'B'
    expect(dniCheckCharacters('00000500')).toEqual({ digit: '8', letter: 'B' });
    // 00001000 → 1·5 = 5 → digit '1', letter 'F'
    expect(dniCheckCharacters('00001000')).toEqual({ digit: '1', letter: 'F' });
    // Σ mod 11 = 10: 00000005 → 5·2 = 10 → digit '7', letter 'A'
    expect(dniCheckCharacters('00000005')).toEqual({ digit: '7', letter: 'A' });
  });

  it('says which check failed: length, digits, check character', () => {
    expect(dniProblem('1011741')).toBe('length');
    expect(dniProblem('1011741023')).toBe('length');
    expect(dniProblem('1011741A')).toBe('digits');
    expect(dniProblem('10117410-3')).toBe('check_character');
    expect(dniProblem('10117410-H')).toBe('check_character');
  });

  it('stores the DNI without separators, letter upper case', () => {
    expect(compactDni(' 10117410-g ')).toBe('10117410G');
  });
});
