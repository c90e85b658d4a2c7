import { describe, expect, it } from 'vitest';
import { bucketFor, delinquencyOf } from '../../src/domain/delinquency.ts';
import { computeStatement } from '../../src/domain/statement.ts';
import { DOWN, input } from './contract-fixture.ts';

describe('bucketFor on each boundary', () => {
  it.each([
    [-3, 'current'], [0, 'current'], [1, '1-30'], [30, '1-30'], [31, '31-60'], [60, '31-60'],
    [61, '61-90'], [90, '61-90'], [91, '90+'], [1_000, '90+'],
  ] as const)('%i days late → %s', (days, bucket) => {
    expect(bucketFor(days)).toBe(bucket);
  });
});

describe('delinquencyOf a contract whose installments (due 28 Feb, 31 Mar, 30 Apr, 31 May) are unpaid', () => {
  const as = (as_of: string, payments = [DOWN]) => delinquencyOf(computeStatement(input(payments, as_of)));

  it('current on the due date itself', () => {
    expect(as('2026-02-28')).toEqual({
      oldest_due_date: null, days_late: 0, bucket: 'current', unpaid_overdue_count: 0, may_accelerate_or_rescind: false,
    });
  });
  it('1 day late the day after', () => {
    expect(as('2026-03-01')).toMatchObject({ oldest_due_date: '2026-02-28', days_late: 1, bucket: '1-30', unpaid_overdue_count: 1 });
  });
  it('30 days on 30 Mar, 31 on 31 Mar (the second installment due that day is not late yet)', () => {
    expect(as('2026-03-30')).toMatchObject({ days_late: 30, bucket: '1-30', unpaid_overdue_count: 1 });
    expect(as('2026-03-31')).toMatchObject({ days_late: 31, bucket: '31-60', unpaid_overdue_count: 1 });
  });
  it('60 / 61 days on 29 / 30 Apr; 90 / 91 on 29 / 30 May', () => {
    expect(as('2026-04-29')).toMatchObject({ days_late: 60, bucket: '31-60' });
    expect(as('2026-04-30')).toMatchObject({ days_late: 61, bucket: '61-90', unpaid_overdue_count: 2 });
    expect(as('2026-05-29')).toMatchObject({ days_late: 90, bucket: '61-90' });
    expect(as('2026-05-30')).toMatchObject({ days_late: 91, bucket: '90+', unpaid_overdue_count: 3 });
  });
  it('art. 1561: two unpaid installments are not enough, the third is', () => {
    expect(as('2026-04-30')).toMatchObject({ unpaid_overdue_count: 2, may_accelerate_or_rescind: false });
    expect(as('2026-05-01')).toMatchObject({ unpaid_overdue_count: 3, may_accelerate_or_rescind: true });
  });
  it('three unpaid need not be consecutive: rows 1, 3 and 4 unpaid, row 2 paid ahead', () => {
    // A payment on 1 Mar goes to row 1 first: pay row 1 fully and row 2, leave 3 and 4 and 5 → count 3 on 1 Jul.
    const paid = [DOWN, { id: 2, date: '2026-03-01', amount_cents: 141_667 + 57 + 141_667 }];
    expect(as('2026-07-01', paid)).toMatchObject({ oldest_due_date: '2026-04-30', days_late: 62, bucket: '61-90', unpaid_overdue_count: 3, may_accelerate_or_rescind: true });
  });
  it('an installment partly paid still counts as unpaid, and ages from its own due date', () => {
    const paid = [DOWN, { id: 2, date: '2026-03-10', amount_cents: 100_000 }];
    expect(as('2026-04-10', paid)).toMatchObject({ oldest_due_date: '2026-02-28', days_late: 41, unpaid_overdue_count: 2 });
  });
  it('the down payment alone does not make a contract delinquent (it is not active yet)', () => {
    expect(as('2026-02-15', [])).toMatchObject({ oldest_due_date: null, bucket: 'current', unpaid_overdue_count: 0 });
  });
  it('catching up clears it', () => {
    const paid = [DOWN, { id: 2, date: '2026-04-15', amount_cents: 141_667 * 2 + 2_607 + 850 }];
    const s = computeStatement(input(paid, '2026-04-15'));
    expect(s.rows.slice(1, 3).map((r) => r.late_fee_cents)).toEqual([2_607, 850]); // 46 days: 26.06668; 15 days: 8.50002
    expect(delinquencyOf(s)).toMatchObject({ bucket: 'current', days_late: 0, unpaid_overdue_count: 0 });
  });
});
