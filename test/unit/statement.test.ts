import { describe, expect, it } from 'vitest';
import { computeStatement, maxPaymentOn, OverpaymentError, previewPayment, type PaymentIn } from '../../src/domain/statement.ts';
import { delinquencyOf } from '../../src/domain/delinquency.ts';
import { DOWN, input, scheduleOf } from './contract-fixture.ts';

const part = (n: number, late_fee_cents: number, interest_cents: number, principal_cents: number) =>
  ({ n, late_fee_cents, interest_cents, principal_cents });

describe('a statement row by row', () => {
  it('before the contract date: everything pending, the down payment is next', () => {
    const s = computeStatement(input([], '2026-01-15'));
    expect(s.rows.every((r) => r.status === 'pending')).toBe(true);
    expect(s.next_due).toEqual({ n: 0, due_date: '2026-01-31', amount_cents: 1_500_000 });
    expect(s.outstanding_cents).toBe(10_000_000);
    expect(s.overdue_cents).toBe(0);
    expect(s.down_payment_paid).toBe(false);
  });

  it('a row falling due on as_of is pending, not overdue', () => {
    const s = computeStatement(input([DOWN], '2026-02-28'));
    expect(s.rows[1]).toMatchObject({ status: 'pending', late_fee_cents: 0, outstanding_cents: 141_667 });
    expect(s.overdue_cents).toBe(0);
  });

  it('the full row for an installment paid late in two parts', () => {
    const s = computeStatement(input([
      DOWN, { id: 2, date: '2026-03-10', amount_cents: 50_000 }, { id: 3, date: '2026-03-20', amount_cents: 100_000 },
    ], '2026-04-15'));
    expect(s.rows[1]).toEqual({
      n: 1, due_date: '2026-02-28', scheduled_due_date: '2026-02-28',
      installment_cents: 141_667, principal_cents: 141_667, interest_cents: 0,
      principal_paid_cents: 141_667, interest_paid_cents: 0,
      late_fee_cents: 936, late_fee_paid_cents: 936, paid_cents: 142_603, outstanding_cents: 0,
      status: 'paid', paid_on: '2026-03-20', version: 1, late_fee_waived_cents: 0, moved_cents: 0,
    });
    expect(s.rows[3]).toMatchObject({ status: 'pending', due_date: '2026-04-30', paid_cents: 0, paid_on: null });
    expect(s.total_paid_cents).toBe(1_650_000);
    expect(s.principal_paid_cents).toBe(1_649_064);
    expect(s.late_fee_paid_cents).toBe(936);
    expect(s.scheduled_outstanding_cents).toBe(8_350_936);
    expect(s.outstanding_cents).toBe(8_351_742);
    expect(s.overdue_cents).toBe(135_076);
    expect(s.next_due).toEqual({ n: 3, due_date: '2026-04-30', amount_cents: 141_667 });
  });

  it('the down payment never received: row 0 overdue without late fee, installments accrue as usual', () => {
    const s = computeStatement(input([], '2026-03-10'));
    expect(s.rows[0]).toMatchObject({ status: 'overdue', late_fee_cents: 0, outstanding_cents: 1_500_000 });
    expect(s.rows[1]).toMatchObject({ status: 'overdue', late_fee_cents: 567 });
    expect(s.down_payment_paid).toBe(false);
    expect(s.overdue_cents).toBe(1_500_000 + 141_667 + 567);
    expect(delinquencyOf(s)).toMatchObject({ oldest_due_date: '2026-02-28', days_late: 10, unpaid_overdue_count: 1 });
  });

  it('the down payment received late bears no late fee', () => {
    const s = computeStatement(input([{ id: 1, date: '2026-02-20', amount_cents: 1_500_000 }], '2026-02-20'));
    expect(s.allocations.get(1)).toEqual([part(0, 0, 0, 1_500_000)]);
    expect(s.rows[0]).toMatchObject({ status: 'paid', paid_on: '2026-02-20', late_fee_cents: 0 });
  });

  it('a 0% down payment leaves a row 0 of nothing, paid from the start', () => {
    const s = computeStatement(input([], '2026-01-31', { schedule: scheduleOf({ down_payment_ppm: 0 }) }));
    expect(s.rows[0]).toMatchObject({ installment_cents: 0, status: 'paid', paid_on: '2026-01-31' });
    expect(s.down_payment_paid).toBe(true);
    expect(s.next_due).toEqual({ n: 1, due_date: '2026-02-28', amount_cents: 166_667 });
  });

  it('payments dated after as_of are left out', () => {
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-03-01', amount_cents: 141_667 }], '2026-02-28'));
    expect([...s.allocations.keys()]).toEqual([1]);
    expect(s.total_paid_cents).toBe(1_500_000);
  });

  it('five years paid on each due date: paid off, no late fee, total paid = price', () => {
    const schedule = scheduleOf();
    const payments: PaymentIn[] = schedule.map((r) => ({ id: r.n + 1, date: r.due_date, amount_cents: r.principal_cents + r.interest_cents }));
    const s = computeStatement(input(payments, '2031-02-01'));
    expect(s.paid_off).toBe(true);
    expect(s.total_paid_cents).toBe(10_000_000);
    expect(s.late_fee_accrued_cents).toBe(0);
    expect(s.rows.map((r) => r.paid_on)).toEqual(schedule.map((r) => r.due_date));
    expect(s.next_due).toBeNull();
    expect(delinquencyOf(s)).toMatchObject({ bucket: 'current', days_late: 0, unpaid_overdue_count: 0 });
  });

  it('with interest: a payment pays interest before principal, and paid_off needs every row', () => {
    const schedule = scheduleOf({ annual_rate_ppm: 120_000 });
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-02-28', amount_cents: 100_000 }], '2026-02-28', { schedule }));
    expect(s.allocations.get(2)).toEqual([part(1, 0, 85_000, 15_000)]);
    expect(s.interest_paid_cents).toBe(85_000);
    expect(s.rows[1]).toMatchObject({ status: 'partial', outstanding_cents: 89_078 });
    const total = schedule.reduce((t, r) => t + r.principal_cents + r.interest_cents, 0);
    expect(s.scheduled_outstanding_cents).toBe(total - 1_600_000);
  });

  it('a payment splits the late-fee stretch only of the rows it reaches, so an untouched row keeps its fee', () => {
    // Rows 1 and 2 unpaid; one céntimo on 1 Apr goes to row 1 only. Row 2's unpaid part did not
    // change, so its 5 days are one stretch: 2.833340 → 2.83 (splitting it would give 0.57 + 2.27 = 2.84).
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-04-01', amount_cents: 1 }], '2026-04-05'));
    expect(s.allocations.get(2)).toEqual([part(1, 1, 0, 0)]);
    expect(s.rows[2]!.late_fee_cents).toBe(283);
    const unsplit = computeStatement(input([DOWN], '2026-04-05'));
    expect(unsplit.rows[2]!.late_fee_cents).toBe(283);
  });

  it('refuses malformed input as programmer errors', () => {
    expect(() => computeStatement(input([DOWN, { ...DOWN }], '2026-02-01'))).toThrow(/duplicate payment/);
    expect(() => computeStatement(input([{ id: 2, date: '2026-02-01', amount_cents: 0 }], '2026-02-01'))).toThrow(RangeError);
    expect(() => computeStatement(input([{ id: 2, date: '2026-02-30', amount_cents: 1 }], '2026-03-01'))).toThrow(TypeError);
    expect(() => computeStatement(input([], '2026-3-1'))).toThrow(TypeError);
    const schedule = scheduleOf();
    expect(() => computeStatement(input([], '2026-03-01', { schedule: [...schedule, schedule[1]!] }))).toThrow(RangeError);
  });
});

describe('previewPayment', () => {
  it('shows the parts and the statements before and after, without recording anything', () => {
    const inp = input([DOWN], '2026-03-05');
    const p = previewPayment(inp, { date: '2026-03-05', amount_cents: 200_000 });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.parts).toEqual([part(1, 283, 0, 141_667), part(2, 0, 0, 58_050)]);
    expect(p.statement_before.rows[1]).toMatchObject({ status: 'overdue', outstanding_cents: 141_950 });
    expect(p.statement_after.rows[1]).toMatchObject({ status: 'paid', paid_on: '2026-03-05' });
    expect(p.statement_after.rows[2]).toMatchObject({ status: 'partial', outstanding_cents: 83_617 });
    expect(inp.payments).toEqual([DOWN]);
  });

  it('a second payment the same day comes after those already recorded', () => {
    const p = previewPayment(input([DOWN, { id: 9, date: '2026-03-05', amount_cents: 141_950 }], '2026-03-05'), { date: '2026-03-05', amount_cents: 1_000 });
    expect(p.ok && p.parts).toEqual([part(2, 0, 0, 1_000)]);
  });

  it('a payment dated after as_of is previewed as of its own date', () => {
    const p = previewPayment(input([DOWN], '2026-02-01'), { date: '2026-03-01', amount_cents: 141_724 });
    expect(p.ok && p.parts).toEqual([part(1, 57, 0, 141_667)]);
    expect(p.ok && p.statement_after.as_of).toBe('2026-03-01');
  });

  it('a backdated payment is limited so that the receipts after it still fit: max S/ 1,000.83', () => {
    // 5 Mar: S/ 84,000.00 received. A payment on 15 Feb of x leaves 85,000.00 − x + fee owed on 5 Mar;
    // the largest x with that ≥ 84,000.00 is 1,000.83 (row 1 then owes 415.84, whose 5 days cost 0.83).
    const inp = input([DOWN, { id: 2, date: '2026-03-05', amount_cents: 8_400_000 }], '2026-03-10');
    expect(previewPayment(inp, { date: '2026-02-15', amount_cents: 200_000 })).toEqual({ ok: false, error: 'exceeds_balance', max_cents: 100_083 });
    expect(maxPaymentOn(inp, '2026-02-15')).toBe(100_083);
    const fits = previewPayment(inp, { date: '2026-02-15', amount_cents: 100_083 });
    expect(fits.ok).toBe(true);
    if (!fits.ok) return;
    expect(fits.parts).toEqual([part(1, 0, 0, 100_083)]);
    expect(fits.statement_after.allocations.get(2)![0]).toEqual(part(1, 83, 0, 41_584));
    expect(fits.statement_after.paid_off).toBe(true);
  });

  it('nothing more can be paid before a receipt that settled everything', () => {
    const inp = input([DOWN, { id: 2, date: '2026-03-05', amount_cents: 8_500_283 }], '2026-03-10');
    expect(previewPayment(inp, { date: '2026-02-15', amount_cents: 1 })).toEqual({ ok: false, error: 'exceeds_balance', max_cents: 0 });
    expect(maxPaymentOn(inp, '2026-03-10')).toBe(0);
  });

  it('maxPaymentOn is the whole outstanding that day, late fees included', () => {
    expect(maxPaymentOn(input([DOWN], '2026-03-05'), '2026-03-05')).toBe(8_500_283);
    expect(maxPaymentOn(input([], '2026-01-31'), '2026-01-31')).toBe(10_000_000);
  });
});

describe('invariants over 200 generated histories', () => {
  // A fixed linear congruential sequence: the same 200 histories on every run.
  let seed = 20_260_131;
  const next = (max: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % max; };
  const days = ['2026-01-31', '2026-02-15', '2026-02-28', '2026-03-07', '2026-03-31', '2026-04-29', '2026-05-02', '2026-06-30', '2026-08-01', '2026-12-24'];

  it('every céntimo paid lands on exactly one part; outstanding = scheduled + fees − paid; no row overpaid', () => {
    const schedule = scheduleOf({ price_cents: 1_234_567, installment_count: 12, annual_rate_ppm: 90_000 });
    const price = schedule.reduce((t, r) => t + r.principal_cents + r.interest_cents, 0);
    let accepted = 0;
    let refused = 0;
    for (let h = 0; h < 200; h++) {
      const payments: PaymentIn[] = [];
      for (let k = 0, count = 1 + next(6); k < count; k++) {
        payments.push({ id: k + 1, date: days[next(days.length)]!, amount_cents: 1 + next(400_000) });
      }
      let s;
      try {
        s = computeStatement({ schedule, payments, rates: [{ effective_from: '2020-01-01', monthly_rate_ppm: 12_000 }], as_of: '2027-01-31' });
      } catch (e) {
        expect(e).toBeInstanceOf(OverpaymentError); // a generated payment beyond the balance
        refused++;
        continue;
      }
      accepted++;
      const paid = payments.reduce((t, p) => t + p.amount_cents, 0);
      expect(s.total_paid_cents).toBe(paid);
      for (const p of payments) {
        const parts = s.allocations.get(p.id)!;
        expect(parts.reduce((t, x) => t + x.late_fee_cents + x.interest_cents + x.principal_cents, 0)).toBe(p.amount_cents);
      }
      expect(s.principal_paid_cents + s.interest_paid_cents + s.late_fee_paid_cents).toBe(paid);
      expect(s.outstanding_cents).toBe(price + s.late_fee_accrued_cents - paid);
      for (const r of s.rows) {
        expect(r.principal_paid_cents).toBeLessThanOrEqual(r.principal_cents);
        expect(r.interest_paid_cents).toBeLessThanOrEqual(r.interest_cents);
        expect(r.late_fee_paid_cents).toBeLessThanOrEqual(r.late_fee_cents);
        expect(r.outstanding_cents).toBe(r.installment_cents + r.late_fee_cents - r.paid_cents);
        if (r.n === 0) expect(r.late_fee_cents).toBe(0);
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(0);
  });
});
