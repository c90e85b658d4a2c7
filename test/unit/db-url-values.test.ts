import { describe, expect, it } from 'vitest';
import { displayUrl, isPostgres, parseSafeInteger } from '../../src/db/knex.ts';

describe('the database URL', () => {
  it('is PostgreSQL for postgres:// and postgresql://, a SQLite file otherwise', () => {
    expect(isPostgres('postgres://ilo:pw@db.example:5432/ilo')).toBe(true);
    expect(isPostgres('postgresql://localhost/ilo')).toBe(true);
    expect(isPostgres('data/ilo.sqlite')).toBe(false);
  });

  it('is printed without its password', () => {
    expect(displayUrl('postgres://ilo:s3cr3t-pw@db.example:5432/ilo')).toBe('postgres://ilo:***@db.example:5432/ilo');
    expect(displayUrl('postgres://ilo@db.example/ilo')).toBe('postgres://ilo@db.example/ilo');
    expect(displayUrl('data/ilo.sqlite')).toBe('data/ilo.sqlite');
  });
});

describe('PostgreSQL bigint and numeric values', () => {
  it('become JS numbers when they are safe integers', () => {
    expect(parseSafeInteger('123456789012')).toBe(123_456_789_012);
    expect(parseSafeInteger('-1416')).toBe(-1416);
    expect(parseSafeInteger('0')).toBe(0);
    expect(parseSafeInteger('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('are refused, never rounded, beyond 2^53 or with a fraction', () => {
    expect(() => parseSafeInteger('9007199254740993')).toThrow(/not a safe integer/);
    expect(() => parseSafeInteger('1416.67')).toThrow(/not a safe integer/);
    expect(() => parseSafeInteger('NaN')).toThrow(/not a safe integer/);
  });
});
