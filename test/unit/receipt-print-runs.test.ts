import { describe, expect, it } from 'vitest';
import { printRuns, PRINT_ROWS_MAX } from '../../src/payments/views.ts';
import { cents } from '../../src/domain/money.ts';

const row = (n: number, late_fee_cents = 0) => ({
  n, due_date: `2027-${String((n % 12) + 1).padStart(2, '0')}-30`, late_fee_cents: cents(late_fee_cents),
  interest_cents: cents(100), principal_cents: cents(1000), total_cents: cents(late_fee_cents + 1100),
});

describe('printed receipt lines for a payment over many installments', () => {
  it('lists every row while they fit on the page', () => {
    expect(printRuns(Array.from({ length: PRINT_ROWS_MAX }, (_, i) => row(i + 1)))).toBeNull();
  });

  it('keeps rows with a late fee apart and merges the consecutive rows without one, sums exact', () => {
    const rows = [row(12, 250), row(13, 40), ...Array.from({ length: 47 }, (_, i) => row(i + 14))];
    const runs = printRuns(rows)!;
    expect(runs.map((r) => [r.from, r.to, r.count])).toEqual([[12, 12, 1], [13, 13, 1], [14, 60, 47]]);
    expect(runs[2]).toMatchObject({ principal_cents: 47_000, interest_cents: 4_700, late_fee_cents: 0, total_cents: 51_700 });
    expect(runs.reduce((s, r) => s + r.total_cents, 0)).toBe(rows.reduce((s, r) => s + r.total_cents, 0));
  });

  it('merges every consecutive run when the rows with late fees alone are too many', () => {
    const rows = Array.from({ length: 20 }, (_, i) => row(i + 1, 10 + i));
    const runs = printRuns(rows)!;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ from: 1, to: 20, count: 20, late_fee_cents: 390, total_cents: 22_390 });
  });
});
