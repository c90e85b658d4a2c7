import { describe, expect, it } from 'vitest';
import { allocateOldestFirst, allocateToRow } from '../../src/domain/allocation.ts';
import { computeStatement, OverpaymentError, previewPayment, type PaymentIn } from '../../src/domain/statement.ts';
import { delinquencyOf } from '../../src/domain/delinquency.ts';
import { DOWN, input } from './contract-fixture.ts';

const part = (n: number, late_fee_cents: number, interest_cents: number, principal_cents: number) =>
  ({ n, late_fee_cents, interest_cents, principal_cents });

describe('within a row: late fees, then interest, then principal', () => {
  const due = part(3, 500, 85_000, 104_078);
  it('a payment smaller than the late fee pays only late fee', () => {
    expect(allocateToRow(300, due)).toEqual({ part: part(3, 300, 0, 0), rest: 0 });
  });
  it('then interest', () => {
    expect(allocateToRow(50_500, due)).toEqual({ part: part(3, 500, 50_000, 0), rest: 0 });
  });
  it('then principal, and what is left over comes back', () => {
    expect(allocateToRow(100_000, due)).toEqual({ part: part(3, 500, 85_000, 14_500), rest: 0 });
    expect(allocateToRow(200_000, due)).toEqual({ part: part(3, 500, 85_000, 104_078), rest: 10_422 });
  });
  it('oldest row first, rows that take nothing left out, the remainder reported', () => {
    const dues = [part(2, 0, 0, 100), part(1, 10, 0, 100), part(3, 0, 0, 100)];
    expect(allocateOldestFirst(150, dues)).toEqual({ parts: [part(1, 10, 0, 100), part(2, 0, 0, 40)], rest: 0 });
    expect(allocateOldestFirst(400, dues)).toEqual({
      parts: [part(1, 10, 0, 100), part(2, 0, 0, 100), part(3, 0, 0, 100)], rest: 90,
    });
    expect(allocateOldestFirst(50, [part(0, 0, 0, 0), part(1, 0, 0, 100)])).toEqual({ parts: [part(1, 0, 0, 50)], rest: 0 });
  });
});

describe('applying payments to the S/ 100,000.00 contract', () => {
  it('the down payment pays row 0 and activates nothing else', () => {
    const s = computeStatement(input([DOWN], '2026-01-31'));
    expect(s.allocations.get(1)).toEqual([part(0, 0, 0, 1_500_000)]);
    expect(s.rows[0]).toMatchObject({ status: 'paid', paid_on: '2026-01-31', outstanding_cents: 0 });
    expect(s.down_payment_paid).toBe(true);
    expect(s.next_due).toEqual({ n: 1, due_date: '2026-02-28', amount_cents: 141_667 });
  });

  it('on time (on the due date itself): no late fee, row paid that day', () => {
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-02-28', amount_cents: 141_667 }], '2026-03-10'));
    expect(s.allocations.get(2)).toEqual([part(1, 0, 0, 141_667)]);
    expect(s.rows[1]).toMatchObject({ status: 'paid', paid_on: '2026-02-28', late_fee_cents: 0, paid_cents: 141_667 });
    expect(s.late_fee_accrued_cents).toBe(0);
  });

  it('five days late: S/ 2.83 of late fee first (2.83334), then the installment', () => {
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-03-05', amount_cents: 141_950 }], '2026-03-05'));
    expect(s.allocations.get(2)).toEqual([part(1, 283, 0, 141_667)]);
    expect(s.rows[1]).toMatchObject({ status: 'paid', paid_on: '2026-03-05', late_fee_cents: 283, late_fee_paid_cents: 283, paid_cents: 141_950, outstanding_cents: 0 });
  });

  it('late, paying only the installment amount: the fee takes 2.83 and 2.83 of principal stays owed (and accrues)', () => {
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-03-05', amount_cents: 141_667 }], '2026-03-15'));
    expect(s.allocations.get(2)).toEqual([part(1, 283, 0, 141_384)]);
    // 10 more days on 2.83: 0.01132 → 0.01
    expect(s.rows[1]).toMatchObject({ status: 'overdue', late_fee_cents: 284, principal_paid_cents: 141_384, outstanding_cents: 284, paid_on: null });
  });

  it('partial on the due date: partial that day, overdue the next with a fee on the rest (916.67 × 0.04% → 0.37)', () => {
    const pays = [DOWN, { id: 2, date: '2026-02-28', amount_cents: 50_000 }];
    const onDay = computeStatement(input(pays, '2026-02-28'));
    expect(onDay.rows[1]).toMatchObject({ status: 'partial', paid_cents: 50_000, outstanding_cents: 91_667 });
    expect(onDay.next_due).toEqual({ n: 1, due_date: '2026-02-28', amount_cents: 91_667 });
    const next = computeStatement(input(pays, '2026-03-01'));
    expect(next.rows[1]).toMatchObject({ status: 'overdue', late_fee_cents: 37, outstanding_cents: 91_704 });
    expect(next.overdue_cents).toBe(91_704);
    expect(next.next_due).toEqual({ n: 2, due_date: '2026-03-31', amount_cents: 141_667 });
  });

  it('spread over several installments: row 1 with 31 days of fee, row 2 due that day, the rest on row 3', () => {
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-03-31', amount_cents: 300_000 }], '2026-03-31'));
    expect(s.allocations.get(2)).toEqual([part(1, 1_757, 0, 141_667), part(2, 0, 0, 141_667), part(3, 0, 0, 14_909)]);
    expect(s.rows.slice(1, 4).map((r) => r.status)).toEqual(['paid', 'paid', 'partial']);
    expect(s.rows[3]!.outstanding_cents).toBe(126_758);
    expect(s.principal_paid_cents).toBe(1_500_000 + 141_667 * 2 + 14_909);
    expect(s.late_fee_paid_cents).toBe(1_757);
    expect(s.total_paid_cents).toBe(1_800_000);
  });

  it('prepayment before anything is due: S/ 5,000.00 pays rows 1–3 and 749.99 of row 4', () => {
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-02-10', amount_cents: 500_000 }], '2026-05-15'));
    expect(s.allocations.get(2)).toEqual([part(1, 0, 0, 141_667), part(2, 0, 0, 141_667), part(3, 0, 0, 141_667), part(4, 0, 0, 74_999)]);
    expect(s.rows.slice(1, 4).map((r) => r.paid_on)).toEqual(['2026-02-10', '2026-02-10', '2026-02-10']);
    expect(s.rows[4]).toMatchObject({ status: 'partial', outstanding_cents: 66_668, due_date: '2026-05-31' });
    expect(s.next_due).toEqual({ n: 4, due_date: '2026-05-31', amount_cents: 66_668 });
    expect(s.overdue_cents).toBe(0);
    expect(s.late_fee_accrued_cents).toBe(0);
  });

  it('refuses a payment beyond the whole outstanding on its date: max S/ 85,002.83 on 5 Mar', () => {
    const tooMuch = [DOWN, { id: 7, date: '2026-03-05', amount_cents: 8_500_284 }];
    expect(() => computeStatement(input(tooMuch, '2026-03-05'))).toThrow(OverpaymentError);
    try {
      computeStatement(input(tooMuch, '2026-03-05'));
    } catch (e) {
      expect(e).toMatchObject({ payment_id: 7, max_cents: 8_500_283 });
    }
    expect(previewPayment(input([DOWN], '2026-03-05'), { date: '2026-03-05', amount_cents: 8_500_284 }))
      .toEqual({ ok: false, error: 'exceeds_balance', max_cents: 8_500_283 });
  });

  it('exactly the whole outstanding pays the contract off that day', () => {
    const s = computeStatement(input([DOWN, { id: 2, date: '2026-03-05', amount_cents: 8_500_283 }], '2026-06-30'));
    expect(s.paid_off).toBe(true);
    expect(s.outstanding_cents).toBe(0);
    expect(s.rows.every((r) => r.paid_on !== null && r.status === 'paid')).toBe(true);
    expect(s.rows[60]!.paid_on).toBe('2026-03-05');
    expect(s.next_due).toBeNull();
    expect(s.total_paid_cents).toBe(10_000_283);
  });

  it('payments on the same day apply in id order, whatever order they are listed in', () => {
    const s = computeStatement(input([
      { id: 3, date: '2026-03-05', amount_cents: 100_000 }, { id: 2, date: '2026-03-05', amount_cents: 1_000 }, DOWN,
    ], '2026-03-05'));
    expect(s.allocations.get(2)).toEqual([part(1, 283, 0, 717)]);
    expect(s.allocations.get(3)).toEqual([part(1, 0, 0, 100_000)]);
  });
});

describe('a reversal in the middle of a history = the history replayed without it', () => {
  const p2: PaymentIn = { id: 2, date: '2026-02-28', amount_cents: 141_667 };
  const p3: PaymentIn = { id: 3, date: '2026-03-31', amount_cents: 141_667 };
  const p4: PaymentIn = { id: 4, date: '2026-04-30', amount_cents: 141_667 };

  it('before: three installments paid on time', () => {
    const s = computeStatement(input([DOWN, p2, p3, p4], '2026-05-10'));
    expect(s.allocations.get(4)).toEqual([part(3, 0, 0, 141_667)]);
    expect(s.outstanding_cents).toBe(8_074_999);
    expect(s.late_fee_accrued_cents).toBe(0);
  });

  it('after voiding the 31 Mar receipt: the 30 Apr one pays row 2’s 30 days of fee (17.00) and 1,399.67 of it', () => {
    const s = computeStatement(input([DOWN, p2, p4], '2026-05-10'));
    expect(s.allocations.get(2)).toEqual([part(1, 0, 0, 141_667)]); // earlier receipts are untouched
    expect(s.allocations.has(3)).toBe(false);
    expect(s.allocations.get(4)).toEqual([part(2, 1_700, 0, 139_967)]);
    // Row 2: 17.00 of principal still owed, 10 more days on it: 0.068 → 0.07.
    expect(s.rows[2]).toMatchObject({ late_fee_cents: 1_707, paid_cents: 141_667, outstanding_cents: 1_707, status: 'overdue' });
    // Row 3, due 30 Apr, unpaid 10 days: 5.66668 → 5.67.
    expect(s.rows[3]).toMatchObject({ late_fee_cents: 567, paid_cents: 0, outstanding_cents: 142_234, status: 'overdue' });
    expect(s.overdue_cents).toBe(143_941);
    expect(s.scheduled_outstanding_cents).toBe(8_500_000 - 141_667 - 139_967);
    expect(s.outstanding_cents).toBe(8_500_000 - 141_667 - 139_967 + 7 + 567);
    expect(delinquencyOf(s)).toMatchObject({ oldest_due_date: '2026-03-31', days_late: 40, bucket: '31-60', unpaid_overdue_count: 2 });
  });

  it('replaying the reversed history gives the same statement as if the receipt had never been recorded', () => {
    const reversed = computeStatement(input([DOWN, p2, p3, p4].filter((p) => p.id !== 3), '2026-05-10'));
    const never = computeStatement(input([p4, DOWN, p2], '2026-05-10'));
    expect(reversed).toEqual(never);
  });
});

describe('acceleration', () => {
  const pays = [DOWN];
  it('on 15 Jun 2026 every installment scheduled after it falls due that day, and bears fees from the 16th', () => {
    const s = computeStatement(input(pays, '2026-06-20', { accelerated_on: '2026-06-15' }));
    expect(s.rows[4]).toMatchObject({ due_date: '2026-05-31', scheduled_due_date: '2026-05-31' });
    expect(s.rows[5]).toMatchObject({ due_date: '2026-06-15', scheduled_due_date: '2026-06-30', status: 'overdue', late_fee_cents: 283 });
    expect(s.rows[60]).toMatchObject({ due_date: '2026-06-15', scheduled_due_date: '2031-01-31', late_fee_cents: 283 }); // 1,416.47 × 0.2%
    // Rows 1–4 unpaid 112, 81, 51 and 20 days: 63.47, 45.90, 28.90, 11.33.
    expect(s.rows.slice(1, 5).map((r) => r.late_fee_cents)).toEqual([6_347, 4_590, 2_890, 1_133]);
    expect(s.late_fee_accrued_cents).toBe(14_960 + 56 * 283);
    expect(s.outstanding_cents).toBe(8_530_808);
    expect(s.overdue_cents).toBe(8_530_808);
    expect(s.next_due).toBeNull();
    expect(delinquencyOf(s)).toMatchObject({ oldest_due_date: '2026-02-28', days_late: 112, bucket: '90+', unpaid_overdue_count: 60 });
  });

  it('on the acceleration day itself nothing is late yet for the accelerated rows', () => {
    const s = computeStatement(input(pays, '2026-06-15', { accelerated_on: '2026-06-15' }));
    expect(s.rows[5]).toMatchObject({ due_date: '2026-06-15', status: 'pending', late_fee_cents: 0 });
    expect(s.next_due).toEqual({ n: 5, due_date: '2026-06-15', amount_cents: 141_667 });
  });

  it('a statement as of a day before the acceleration keeps the original due dates', () => {
    const s = computeStatement(input(pays, '2026-06-10', { accelerated_on: '2026-06-15' }));
    expect(s.rows[5]!.due_date).toBe('2026-06-30');
    expect(s.next_due).toEqual({ n: 5, due_date: '2026-06-30', amount_cents: 141_667 });
  });

  it('paying the whole accelerated balance on 20 Jun settles the contract', () => {
    const s = computeStatement(input([...pays, { id: 2, date: '2026-06-20', amount_cents: 8_530_808 }], '2026-06-30', { accelerated_on: '2026-06-15' }));
    expect(s.paid_off).toBe(true);
    expect(s.late_fee_paid_cents).toBe(30_808);
    expect(s.allocations.get(2)![4]).toEqual(part(5, 283, 0, 141_667));
  });
});
