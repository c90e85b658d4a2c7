import { describe, expect, it } from 'vitest';
import { lateFeeFor, ratePpmDays, type RatePeriod } from '../../src/domain/late-fees.ts';
import { computeStatement } from '../../src/domain/statement.ts';
import { DOWN, ILO_RATE, input, scheduleOf } from './contract-fixture.ts';

const INSTALLMENT = 141_667; // S/ 1,416.67
const PEER_THEN_ILO: RatePeriod[] = [ // 0.90% until 14 March 2026, 1.2% from the 15th
  { effective_from: '2020-01-01', monthly_rate_ppm: 9_000 },
  { effective_from: '2026-03-15', monthly_rate_ppm: 12_000 },
];

describe('lateFeeFor', () => {
  it('paid on the due date: no day of delay, no fee', () => {
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-02-28', ILO_RATE)).toBe(0);
  });

  it('to before from: 0', () => {
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-02-20', ILO_RATE)).toBe(0);
  });

  it('one day late at 1.2%: 1,416.67 × 0.04% = S/ 0.566668 → S/ 0.57', () => {
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-01', ILO_RATE)).toBe(57);
  });

  it('30 days late: 1,416.67 × 1.2% = S/ 17.00004 → S/ 17.00', () => {
    expect(lateFeeFor(INSTALLMENT, '2026-03-31', '2026-04-30', ILO_RATE)).toBe(1_700);
  });

  it('across a month end (28 Feb → 31 Mar = 31 days): S/ 17.566708 → S/ 17.57, rounded once, not 31 × 0.57', () => {
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-31', ILO_RATE)).toBe(1_757);
    expect(31 * 57).toBe(1_767); // what rounding each day would have charged
  });

  it('across a leap day: 28 Feb 2024 → 1 Mar 2024 is two days', () => {
    expect(ratePpmDays('2024-02-28', '2024-03-01', ILO_RATE)).toBe(2n * 12_000n);
    expect(lateFeeFor(1_000_000, '2024-02-28', '2024-03-01', ILO_RATE)).toBe(800);
  });

  it('a full year at 1.2% on S/ 85,000.00: 365 × 0.04% = 14.6% = S/ 12,410.00', () => {
    expect(lateFeeFor(8_500_000, '2026-01-31', '2027-01-31', ILO_RATE)).toBe(1_241_000);
  });

  it('across a rate change (0.90% → 1.2% on 15 Mar): 14 days at 0.03% + 17 at 0.04% = 1.1% → S/ 15.58', () => {
    expect(ratePpmDays('2026-02-28', '2026-03-31', PEER_THEN_ILO)).toBe(14n * 9_000n + 17n * 12_000n);
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-31', PEER_THEN_ILO)).toBe(1_558); // 15.58337
  });

  it('the day a new rate takes effect is charged at the new rate', () => {
    expect(lateFeeFor(1_000_000, '2026-03-14', '2026-03-15', PEER_THEN_ILO)).toBe(400);
    expect(lateFeeFor(1_000_000, '2026-03-13', '2026-03-14', PEER_THEN_ILO)).toBe(300);
  });

  it('days before the first rate in force are free', () => {
    const onlyFrom15 = [{ effective_from: '2026-03-15', monthly_rate_ppm: 12_000 }];
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-31', onlyFrom15)).toBe(963); // 17 days: 9.633356
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-14', onlyFrom15)).toBe(0);
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-31', [])).toBe(0);
  });

  it('rate 0: nothing; a 0% spell in the middle leaves only the days at 1.2% (21 days → S/ 11.90)', () => {
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-31', [{ effective_from: '2020-01-01', monthly_rate_ppm: 0 }])).toBe(0);
    const withHoliday: RatePeriod[] = [
      { effective_from: '2020-01-01', monthly_rate_ppm: 12_000 },
      { effective_from: '2026-03-10', monthly_rate_ppm: 0 },
      { effective_from: '2026-03-20', monthly_rate_ppm: 12_000 },
    ];
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-31', withHoliday)).toBe(1_190); // 11.900028
  });

  it('rates may come in any order; of two with the same start, the one listed last applies', () => {
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-31', [...PEER_THEN_ILO].reverse())).toBe(1_558);
    const corrected: RatePeriod[] = [
      { effective_from: '2020-01-01', monthly_rate_ppm: 15_000 },
      { effective_from: '2020-01-01', monthly_rate_ppm: 12_000 },
    ];
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-01', corrected)).toBe(57);
  });

  it('half a céntimo rounds up: S/ 12.50 one day at 1.2% = S/ 0.005 → S/ 0.01; S/ 12.49 → 0', () => {
    expect(lateFeeFor(1_250, '2026-02-28', '2026-03-01', ILO_RATE)).toBe(1);
    expect(lateFeeFor(1_249, '2026-02-28', '2026-03-01', ILO_RATE)).toBe(0);
  });

  it('nothing unpaid, nothing charged; negative amounts and rates are programmer errors', () => {
    expect(lateFeeFor(0, '2026-02-28', '2027-02-28', ILO_RATE)).toBe(0);
    expect(() => lateFeeFor(-1, '2026-02-28', '2026-03-01', ILO_RATE)).toThrow(RangeError);
    expect(() => lateFeeFor(1, '2026-02-28', '2026-03-01', [{ effective_from: '2020-01-01', monthly_rate_ppm: -1 }])).toThrow(RangeError);
    expect(() => lateFeeFor(1.5, '2026-02-28', '2026-03-01', ILO_RATE)).toThrow(TypeError);
  });
});

describe('late fees in a contract history', () => {
  it('partial payments change the unpaid base: 10 days on 1,416.67, then 10 days on 922.34', () => {
    // 10 Mar: 10 days on 1,416.67 = 5.66668 → 5.67; the rest (494.33) goes to principal, 922.34 unpaid.
    // 20 Mar: 10 days on 922.34 = 3.68936 → 3.69; then 922.34 clears row 1 and 73.97 prepays row 2.
    const s = computeStatement(input([
      DOWN,
      { id: 2, date: '2026-03-10', amount_cents: 50_000 },
      { id: 3, date: '2026-03-20', amount_cents: 100_000 },
    ], '2026-04-15'));
    expect(s.allocations.get(2)).toEqual([{ n: 1, late_fee_cents: 567, interest_cents: 0, principal_cents: 49_433 }]);
    expect(s.allocations.get(3)).toEqual([
      { n: 1, late_fee_cents: 369, interest_cents: 0, principal_cents: 92_234 },
      { n: 2, late_fee_cents: 0, interest_cents: 0, principal_cents: 7_397 },
    ]);
    expect(s.rows[1]).toMatchObject({ late_fee_cents: 936, late_fee_paid_cents: 936, paid_cents: 142_603, outstanding_cents: 0, status: 'paid', paid_on: '2026-03-20' });
    // Without the first partial payment the 20 days would have cost 11.33: the base matters.
    expect(lateFeeFor(INSTALLMENT, '2026-02-28', '2026-03-20', ILO_RATE)).toBe(1_133);
    // Row 2 (due 31 Mar) owes 1,342.70 for 15 days up to as_of: 8.0562 → 8.06, accrued but unpaid.
    expect(s.rows[2]).toMatchObject({ late_fee_cents: 806, late_fee_paid_cents: 0, paid_cents: 7_397, outstanding_cents: 135_076, status: 'overdue' });
    expect(s.late_fee_accrued_cents).toBe(1_742);
    expect(s.late_fee_unpaid_cents).toBe(806);
  });

  it('a rate change in the middle of an unpaid spell: each day at its own rate', () => {
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-03-31', amount_cents: 141_667 + 1_558 }], '2026-03-31', { rates: PEER_THEN_ILO }));
    expect(s.allocations.get(2)).toEqual([
      { n: 1, late_fee_cents: 1_558, interest_cents: 0, principal_cents: 141_667 },
    ]);
    expect(s.rows[1]!.status).toBe('paid');
    expect(s.rows[2]).toMatchObject({ status: 'pending', late_fee_cents: 0 }); // due that very day
  });

  it('no late fee on interest already paid nor on earlier late fees: the base is unpaid principal + interest', () => {
    // 12% a year: row 1 = 850.00 interest + 1,040.78 principal. Pay exactly the interest on the due date,
    // then 30 days later the fee is on the 1,040.78 still unpaid only: 12.48936 → 12.49.
    const withInterest = input([DOWN, { id: 2, date: '2026-02-28', amount_cents: 85_000 }], '2026-03-30',
      { schedule: scheduleOf({ annual_rate_ppm: 120_000 }) });
    const s = computeStatement(withInterest);
    expect(s.allocations.get(2)).toEqual([{ n: 1, late_fee_cents: 0, interest_cents: 85_000, principal_cents: 0 }]);
    expect(s.rows[1]).toMatchObject({ late_fee_cents: 1_249, interest_paid_cents: 85_000, principal_paid_cents: 0, outstanding_cents: 104_078 + 1_249 });
  });

  it('unpaid late fees do not bear late fees: 60 days on 1,416.67 cost 34.00 however the fee sits unpaid', () => {
    // On 30 Mar one céntimo pays part of the 17.00 accrued; the next 30 days are again on 1,416.67 only.
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-03-30', amount_cents: 1 }], '2026-04-29'));
    expect(s.allocations.get(2)).toEqual([{ n: 1, late_fee_cents: 1, interest_cents: 0, principal_cents: 0 }]);
    expect(s.rows[1]).toMatchObject({ late_fee_cents: 3_400, late_fee_paid_cents: 1, outstanding_cents: 141_667 + 3_399 });
  });
});
