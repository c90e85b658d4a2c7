import { describe, expect, it } from 'vitest';
import {
  addDays, addMonths, assertIsoDate, dayNumber, daysBetween, endOfMonth, formatDate, formatLongDate, formatMonth,
  isIsoDate, limaDate, startOfMonth,
} from '../../src/domain/dates.ts';

describe('isIsoDate', () => {
  it.each(['2026-01-31', '2024-02-29', '2000-02-29', '1999-12-31'])('accepts %s', (d) => {
    expect(isIsoDate(d)).toBe(true);
  });
  it.each(['2026-02-30', '2025-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-1-5', '26-01-05', '05/01/2026', '2026-01-05T00:00', ''])(
    'refuses %j', (d) => {
      expect(isIsoDate(d)).toBe(false);
      expect(() => assertIsoDate(d)).toThrow(TypeError);
    },
  );
});

describe('addMonths', () => {
  it('keeps the day of month and moves to the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addMonths('2026-01-31', 3)).toBe('2026-04-30');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
  it('from 29 February: 29 March, then 28 February of a common year, 29 of the next leap year', () => {
    expect(addMonths('2024-02-29', 1)).toBe('2024-03-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
  });
  it('crosses years and keeps day 30 in 30-day months', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-08-30', 1)).toBe('2026-09-30');
    expect(addMonths('2026-12-15', 60)).toBe('2031-12-15');
  });
});

describe('day arithmetic', () => {
  it('addDays crosses month, year and leap day', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
  it('daysBetween counts whole days, negative backwards', () => {
    expect(daysBetween('2026-01-31', '2026-03-01')).toBe(29);
    expect(daysBetween('2024-01-31', '2024-03-01')).toBe(30);
    expect(daysBetween('2026-03-01', '2026-01-31')).toBe(-29);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2026-05-05', '2026-05-05')).toBe(0);
  });
  it('dayNumber counts from 1970-01-01 and agrees with daysBetween', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('2026-03-01') - dayNumber('2026-01-31')).toBe(29);
    for (const [a, b] of [['2019-06-30', '2031-01-31'], ['2024-02-29', '2025-02-28']] as const) {
      expect(dayNumber(b) - dayNumber(a)).toBe(daysBetween(a, b));
    }
  });
  it('startOfMonth and endOfMonth', () => {
    expect(startOfMonth('2026-09-17')).toBe('2026-09-01');
    expect(endOfMonth('2024-02-10')).toBe('2024-02-29');
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28');
    expect(endOfMonth('2026-12-01')).toBe('2026-12-31');
  });
});

describe('limaDate', () => {
  it('is the calendar day in Peru (UTC−5): 04:59 UTC is still the previous day', () => {
    expect(limaDate(new Date('2026-01-01T04:59:59Z'))).toBe('2025-12-31');
    expect(limaDate(new Date('2026-01-01T05:00:00Z'))).toBe('2026-01-01');
    expect(limaDate(new Date('2026-07-28T23:30:00Z'))).toBe('2026-07-28');
  });
});

describe('formatting', () => {
  it('dd/mm/yyyy', () => {
    expect(formatDate('2026-02-05')).toBe('05/02/2026');
  });
  it('months as Peru writes them (setiembre) and in English', () => {
    expect(formatMonth('2026-09-01')).toBe('setiembre de 2026');
    expect(formatMonth('2026-09-01', 'en')).toBe('September 2026');
    expect(formatMonth('2026-01-31')).toBe('enero de 2026');
    expect(formatMonth('2026-12-31')).toBe('diciembre de 2026');
  });
  it('long dates for receipts', () => {
    expect(formatLongDate('2026-11-25')).toBe('25 de noviembre de 2026');
    expect(formatLongDate('2026-09-05')).toBe('5 de setiembre de 2026');
    expect(formatLongDate('2026-09-05', 'en')).toBe('5 September 2026');
  });
});

describe('dayNumber validation', () => {
  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-1-5', ''])('refuses %j like assertIsoDate', (d) => {
    expect(() => dayNumber(d)).toThrow(TypeError);
  });
  it('accepts leap days and years before 1970', () => {
    expect(dayNumber('2024-02-29')).toBe(19_782);
    expect(dayNumber('1969-12-31')).toBe(-1);
  });
});
