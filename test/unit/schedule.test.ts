import { describe, expect, it } from 'vitest';
import { buildSchedule, listPrice, type SaleTerms } from '../../src/domain/schedule.ts';

const terms = (over: Partial<SaleTerms> = {}): SaleTerms => ({
  price_cents: 10_000_000, date: '2026-01-31', down_payment_ppm: 150_000, installment_count: 60, annual_rate_ppm: 0,
  ...over,
});

/** Half-up rounding written independently of money.ts. */
function roundHalfUp(num: bigint, den: bigint): bigint {
  const q = num / den;
  return 2n * (num % den) >= den ? q + 1n : q;
}

/** The French installment from the annuity's present value, F = I·Σ_{k=1..n} (1+r)^−k, r = a/12e6:
 *  I = F·A^n / Σ B^k·A^(n−k), A = 12e6 + a, B = 12e6 — a different route from the one schedule.ts takes. */
function frenchInstallment(financed: bigint, annual_ppm: bigint, n: number): bigint {
  const B = 12_000_000n;
  const A = B + annual_ppm;
  let pv = 0n;
  for (let k = 1; k <= n; k++) pv += B ** BigInt(k) * A ** BigInt(n - k);
  return roundHalfUp(financed * A ** BigInt(n), pv);
}

describe('listPrice', () => {
  it('area × price per m², exact when it falls on a céntimo: 1,250.50 m² × S/ 85.50 = S/ 106,917.75', () => {
    expect(listPrice(125_050, 8_550)).toBe(10_691_775);
  });
  it('rounds half-up to the céntimo: 0.01 m² × S/ 0.50 = S/ 0.005 → S/ 0.01', () => {
    expect(listPrice(1, 50)).toBe(1);
    expect(listPrice(1, 49)).toBe(0);
  });
  it('123.45 m² × S/ 3.33 = S/ 411.0885 → S/ 411.09', () => {
    expect(listPrice(12_345, 333)).toBe(41_109);
  });
});

describe('buildSchedule without interest', () => {
  const s = buildSchedule(terms());

  it('S/ 100,000.00: down payment S/ 15,000.00 due on the contract date, financed S/ 85,000.00', () => {
    expect(s.down_payment_cents).toBe(1_500_000);
    expect(s.financed_cents).toBe(8_500_000);
    expect(s.rows[0]).toEqual({
      n: 0, due_date: '2026-01-31', principal_cents: 1_500_000, interest_cents: 0,
      installment_cents: 1_500_000, balance_cents: 8_500_000,
    });
    expect(s.rows).toHaveLength(61);
  });

  it('59 installments of S/ 1,416.67 and a last one of S/ 1,416.47 (85,000.00 − 59 × 1,416.67)', () => {
    for (let k = 1; k <= 59; k++) {
      expect(s.rows[k]!.installment_cents).toBe(141_667);
      expect(s.rows[k]!.principal_cents).toBe(141_667);
      expect(s.rows[k]!.interest_cents).toBe(0);
    }
    expect(141_667 * 59).toBe(8_358_353);
    expect(s.rows[60]!.installment_cents).toBe(141_647);
    expect(s.rows[59]!.balance_cents).toBe(141_647);
    expect(s.rows[60]!.balance_cents).toBe(0);
  });

  it('down payment + Σ principal = price, balance falls by each principal', () => {
    expect(s.rows.reduce((t, r) => t + r.principal_cents, 0)).toBe(10_000_000);
    for (let k = 1; k <= 60; k++) {
      expect(s.rows[k]!.balance_cents).toBe(s.rows[k - 1]!.balance_cents - s.rows[k]!.principal_cents);
    }
  });

  it('due dates from 2026-01-31 keep the 31st and move to month end: 28 Feb, 31 Mar, 30 Apr …', () => {
    expect(s.rows.slice(1, 13).map((r) => r.due_date)).toEqual([
      '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31',
      '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31', '2027-01-31',
    ]);
    expect(s.rows[37]!.due_date).toBe('2029-02-28');
    expect(s.rows[60]!.due_date).toBe('2031-01-31');
  });

  it('leap year: from 2024-01-31 the first installment falls due on 2024-02-29', () => {
    const rows = buildSchedule(terms({ date: '2024-01-31' })).rows;
    expect(rows[1]!.due_date).toBe('2024-02-29');
    expect(rows[2]!.due_date).toBe('2024-03-31');
    expect(rows[13]!.due_date).toBe('2025-02-28');
  });

  it('contract on 2024-02-29: 2024-03-29, and 2025-02-28 / 2028-02-29 in February', () => {
    const rows = buildSchedule(terms({ date: '2024-02-29' })).rows;
    expect(rows[1]!.due_date).toBe('2024-03-29');
    expect(rows[12]!.due_date).toBe('2025-02-28');
    expect(rows[13]!.due_date).toBe('2025-03-29');
    expect(rows[48]!.due_date).toBe('2028-02-29');
  });

  it('a single installment takes the whole financed amount, a month later', () => {
    const one = buildSchedule(terms({ installment_count: 1 }));
    expect(one.rows).toHaveLength(2);
    expect(one.rows[1]).toEqual({
      n: 1, due_date: '2026-02-28', principal_cents: 8_500_000, interest_cents: 0,
      installment_cents: 8_500_000, balance_cents: 0,
    });
  });

  it('odd price S/ 1,234.57: down S/ 185.19 (185.1855 half-up), 59 × S/ 17.49, last S/ 17.47', () => {
    const odd = buildSchedule(terms({ price_cents: 123_457 }));
    expect(odd.down_payment_cents).toBe(18_519);
    expect(odd.financed_cents).toBe(104_938);
    expect(odd.rows[1]!.installment_cents).toBe(1_749); // 1049.38 / 60 = 17.4896…
    expect(odd.rows[60]!.installment_cents).toBe(104_938 - 59 * 1_749);
    expect(odd.rows[60]!.installment_cents).toBe(1_747);
  });

  it('rounding down when the remainder is below half: S/ 1,000.00 over 3 → 283.33, 283.33, 283.34', () => {
    const s3 = buildSchedule(terms({ price_cents: 100_000, installment_count: 3 }));
    expect(s3.rows.map((r) => r.installment_cents)).toEqual([15_000, 28_333, 28_333, 28_334]);
  });

  it('a last installment smaller than the others when the level one rounded up: S/ 100.00 over 6 (85.00/6 = 14.1666…)', () => {
    const s6 = buildSchedule(terms({ price_cents: 10_000, installment_count: 6 }));
    expect(s6.rows.slice(1).map((r) => r.installment_cents)).toEqual([1_417, 1_417, 1_417, 1_417, 1_417, 1_415]);
  });

  it('a 0% down payment leaves a row 0 of S/ 0.00 and finances the whole price', () => {
    const none = buildSchedule(terms({ down_payment_ppm: 0, price_cents: 600_000, installment_count: 6 }));
    expect(none.rows[0]!.installment_cents).toBe(0);
    expect(none.financed_cents).toBe(600_000);
    expect(none.rows.slice(1).map((r) => r.installment_cents)).toEqual(Array(6).fill(100_000));
  });

  it('refuses a price of 0, no installments, a down payment over 100% and a negative rate', () => {
    expect(() => buildSchedule(terms({ price_cents: 0 }))).toThrow(RangeError);
    expect(() => buildSchedule(terms({ installment_count: 0 }))).toThrow(RangeError);
    expect(() => buildSchedule(terms({ down_payment_ppm: 1_000_001 }))).toThrow(RangeError);
    expect(() => buildSchedule(terms({ annual_rate_ppm: -1 }))).toThrow(RangeError);
  });
});

describe('buildSchedule with interest (French plan)', () => {
  const s = buildSchedule(terms({ annual_rate_ppm: 120_000 }));

  it('12% a year over 60 months on S/ 85,000.00: installment S/ 1,890.78 (table value, and the annuity sum)', () => {
    expect(frenchInstallment(8_500_000n, 120_000n, 60)).toBe(189_078n);
    for (let k = 1; k <= 59; k++) expect(s.rows[k]!.installment_cents).toBe(189_078);
  });

  it('first month: interest S/ 850.00 (1% of 85,000.00), principal S/ 1,040.78', () => {
    expect(s.rows[1]).toEqual({
      n: 1, due_date: '2026-02-28', principal_cents: 104_078, interest_cents: 85_000,
      installment_cents: 189_078, balance_cents: 8_395_922,
    });
    // 1% of 83,959.22 = 839.5922 → 839.59
    expect(s.rows[2]!.interest_cents).toBe(83_959);
    expect(s.rows[2]!.principal_cents).toBe(189_078 - 83_959);
  });

  it('each month the interest is the previous balance × 1% rounded half-up', () => {
    for (let k = 1; k <= 60; k++) {
      const prev = BigInt(s.rows[k - 1]!.balance_cents);
      expect(BigInt(s.rows[k]!.interest_cents)).toBe(roundHalfUp(prev, 100n));
    }
  });

  it('the last installment clears the balance exactly and down + Σ principal = price', () => {
    const last = s.rows[60]!;
    expect(last.principal_cents).toBe(s.rows[59]!.balance_cents);
    expect(last.balance_cents).toBe(0);
    expect(last.installment_cents).toBe(last.principal_cents + last.interest_cents);
    expect(Math.abs(last.installment_cents - 189_078)).toBeLessThanOrEqual(60);
    expect(s.rows.reduce((t, r) => t + r.principal_cents, 0)).toBe(10_000_000);
  });

  it('other terms agree with the independent formula: 9.5% over 24 financing S/ 12,345.67, 1% over 1, 18% over 120', () => {
    for (const [price, rate, n] of [[1_452_432, 95_000, 24], [1_000_000, 10_000, 1], [50_000_000, 180_000, 120]] as const) {
      const plan = buildSchedule(terms({ price_cents: price, annual_rate_ppm: rate, installment_count: n, down_payment_ppm: 150_000 }));
      const level = frenchInstallment(BigInt(plan.financed_cents), BigInt(rate), n);
      if (n > 1) expect(BigInt(plan.rows[1]!.installment_cents)).toBe(level);
      expect(plan.rows[n]!.balance_cents).toBe(0);
      expect(plan.rows.reduce((t, r) => t + r.principal_cents, 0)).toBe(price);
    }
  });

  it('one installment with interest: principal = financed, interest one month of it', () => {
    const one = buildSchedule(terms({ annual_rate_ppm: 120_000, installment_count: 1 }));
    expect(one.rows[1]).toMatchObject({ principal_cents: 8_500_000, interest_cents: 85_000, installment_cents: 8_585_000 });
  });
});
