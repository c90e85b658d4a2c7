// Resolutions in the replay: waiver, reschedule, acceleration and its undo, with exact céntimos.
// The sale of contract-fixture.ts: S/ 100,000.00 on 2026-01-31, 15% down, 60 × S/ 1,416.67 at 0%;
// moratorium 1.2% a month = 0.04% a day, so a day late on S/ 1,416.67 is S/ 0.566668.
import { describe, expect, it } from 'vitest';
import { computeStatement, replayAccount, statementFromState, type AccountEvent, type PaymentIn } from '../../src/domain/statement.ts';
import { planReschedule } from '../../src/domain/reschedule.ts';
import { DOWN, ILO_RATE, input } from './contract-fixture.ts';

const pick = (s: ReturnType<typeof computeStatement>, n: number) => s.rows.find((r) => r.n === n)!;

describe('a waiver of late fees', () => {
  const waiver: AccountEvent = { kind: 'waiver', date: '2026-05-15', parts: [{ n: 1, amount_cents: 2_000 }, { n: 2, amount_cents: 1_000 }] };

  it('takes part of the fees off two installments on its date; fees run on afterwards', () => {
    // On 15/05: row 1 has 76 days late (4,307), row 2 45 days (2,550), row 3 15 days (850).
    const before = computeStatement(input([DOWN], '2026-05-15'));
    expect([1, 2, 3].map((n) => pick(before, n).late_fee_cents)).toEqual([4_307, 2_550, 850]);
    const s = computeStatement(input([DOWN], '2026-05-31', { events: [waiver] }));
    // Row 1: 4,307 closed on 15/05, − 20.00 waived, + 16 more days (907) = 3,214.
    expect(pick(s, 1)).toMatchObject({ late_fee_cents: 3_214, late_fee_waived_cents: 2_000, outstanding_cents: 141_667 + 3_214, status: 'overdue' });
    // Row 2: 2,550 − 1,000 + 907 = 2,457. Row 3 untouched: 31 days in one stretch = 1,757.
    expect(pick(s, 2)).toMatchObject({ late_fee_cents: 2_457, late_fee_waived_cents: 1_000 });
    expect(pick(s, 3)).toMatchObject({ late_fee_cents: 1_757, late_fee_waived_cents: 0 });
    expect(s.late_fee_waived_cents).toBe(3_000);
    expect(s.outstanding_cents).toBe(8_500_000 + 3_214 + 2_457 + 1_757);
  });

  it('"all accrued to date" takes exactly the unpaid fee on its date; the principal left bears fees again', () => {
    // Row 1 paid 1,416.67 ten days late: 5.67 of fee first, so 5.67 of principal stays; 10 more days on it: 0.02.
    const late: PaymentIn = { id: 2, date: '2026-03-10', amount_cents: 141_667 };
    const all: AccountEvent = { kind: 'waiver', date: '2026-03-20', parts: [{ n: 1, amount_cents: null }] };
    const s = computeStatement(input([DOWN, late], '2026-03-25', { events: [all] }));
    // After the waiver, 5 days on 5.67 = 0.01: 5.67 paid + 0.01 charged; 0.02 waived.
    expect(pick(s, 1)).toMatchObject({ late_fee_cents: 568, late_fee_paid_cents: 567, late_fee_waived_cents: 2, outstanding_cents: 568, status: 'overdue' });
  });

  it('a payment after the waiver pays what is left, oldest first', () => {
    const pay: PaymentIn = { id: 2, date: '2026-05-31', amount_cents: 150_000 };
    const s = computeStatement(input([DOWN, pay], '2026-05-31', { events: [waiver] }));
    expect(s.allocations.get(2)).toEqual([
      { n: 1, late_fee_cents: 3_214, interest_cents: 0, principal_cents: 141_667 },
      { n: 2, late_fee_cents: 2_457, interest_cents: 0, principal_cents: 2_662 },
    ]);
  });
});

describe('a reschedule of three overdue installments into 24', () => {
  const pays: PaymentIn[] = [DOWN, { id: 2, date: '2026-03-10', amount_cents: 50_000 }];
  const terms = { date: '2026-05-15', start_date: '2026-05-15', installment_count: 24, annual_rate_ppm: 0 } as const;

  it('moves the unpaid balance and, capitalised, the late fees to the new version', () => {
    const plan = planReschedule(replayAccount(input(pays, '2026-05-15')), { ...terms, late_fees: 'capitalise' }, ILO_RATE);
    if ('error' in plan) throw new Error('no plan');
    // Row 1: 567 of late fee and 494.33 of principal paid on 10/03; 922.34 unpaid then bears 66 days (2,435).
    // Rows 2 and 3: 2,550 and 850. Principal unpaid: 85,000.00 − 494.33.
    expect(plan).toMatchObject({
      balance_cents: 8_450_567, late_fees_cents: 5_835, capitalised_cents: 5_835, waived_cents: 0, kept_late_fees_cents: 0,
      principal_cents: 8_456_402, scheduled_before_cents: 8_450_567, scheduled_after_cents: 8_456_402,
    });
    expect(plan.lines).toHaveLength(24);
    expect(plan.lines[0]).toEqual({ n: 61, due_date: '2026-06-15', principal_cents: 352_350, interest_cents: 0, installment_cents: 352_350, balance_cents: 8_104_052 });
    expect(plan.lines[23]).toEqual({ n: 84, due_date: '2028-05-15', principal_cents: 352_352, interest_cents: 0, installment_cents: 352_352, balance_cents: 0 });

    const event: AccountEvent = { kind: 'reschedule', date: '2026-05-15', version: 2, late_fees: 'capitalise', lines: plan.lines };
    const after = [...pays, { id: 3, date: '2026-06-15', amount_cents: 352_350 }];
    const s = computeStatement(input(after, '2026-07-20', { events: [event] }));
    // Rows 0–3 stay (paid or charged), cut to what was paid; 4–60 leave; 61–84 are the new version.
    expect(s.rows.map((r) => r.n)).toEqual([0, 1, 2, 3, ...Array.from({ length: 24 }, (_, i) => 61 + i)]);
    expect(pick(s, 1)).toMatchObject({ version: 1, installment_cents: 49_433, late_fee_cents: 567, late_fee_waived_cents: 2_435, moved_cents: 92_234, outstanding_cents: 0 });
    expect(pick(s, 2)).toMatchObject({ installment_cents: 0, late_fee_waived_cents: 2_550, moved_cents: 141_667, status: 'paid' });
    expect(pick(s, 61)).toMatchObject({ version: 2, status: 'paid', paid_on: '2026-06-15' });
    // Row 62 due 15/07 is 5 days late on 20/07: 3,523.50 × 0.04% × 5 = 7.047 → 7.05.
    expect(pick(s, 62)).toMatchObject({ late_fee_cents: 705, outstanding_cents: 353_055, status: 'overdue' });
    expect(s.scheduled_outstanding_cents).toBe(8_456_402 - 352_350);
    expect(s.outstanding_cents).toBe(8_104_757);
    // The account kept after the events gives the same statement later on.
    const state = replayAccount(input(after, '9999-12-31', { events: [event] }));
    expect(statementFromState(state, '2026-07-20', ILO_RATE)).toEqual(s);
  });

  it('keeps the late fees owed on the old rows (paid first), or waives them', () => {
    const keep = planReschedule(replayAccount(input(pays, '2026-05-15')), { ...terms, late_fees: 'keep' }, ILO_RATE);
    const waive = planReschedule(replayAccount(input(pays, '2026-05-15')), { ...terms, late_fees: 'waive' }, ILO_RATE);
    if ('error' in keep || 'error' in waive) throw new Error('no plan');
    expect(keep).toMatchObject({ principal_cents: 8_450_567, kept_late_fees_cents: 5_835, capitalised_cents: 0, waived_cents: 0 });
    expect(waive).toMatchObject({ principal_cents: 8_450_567, kept_late_fees_cents: 0, waived_cents: 5_835 });
    const event: AccountEvent = { kind: 'reschedule', date: '2026-05-15', version: 2, late_fees: 'keep', lines: keep.lines };
    // A payment of 100.00 on 01/06 goes to the late fees still owed on rows 1, 2, 3 (5,835), then to row 61.
    const s = computeStatement(input([...pays, { id: 3, date: '2026-06-01', amount_cents: 10_000 }], '2026-06-01', { events: [event] }));
    expect(s.allocations.get(3)).toEqual([
      { n: 1, late_fee_cents: 2_435, interest_cents: 0, principal_cents: 0 },
      { n: 2, late_fee_cents: 2_550, interest_cents: 0, principal_cents: 0 },
      { n: 3, late_fee_cents: 850, interest_cents: 0, principal_cents: 0 },
      { n: 61, late_fee_cents: 0, interest_cents: 0, principal_cents: 4_165 },
    ]);
  });

  it('with interest: the new plan charges its own on the balance moved', () => {
    const rated = input(pays, '2026-05-15', { schedule: input([], '2026-01-31').schedule });
    const plan = planReschedule(replayAccount(rated), { ...terms, annual_rate_ppm: 120_000, late_fees: 'keep' }, ILO_RATE);
    if ('error' in plan) throw new Error('no plan');
    // 1% a month on 84,505.67 over 24 months: French installment 3,977.98 (rounded half-up); last clears the balance.
    expect(plan.lines[0]).toMatchObject({ interest_cents: 84_506, installment_cents: 397_798 });
    expect(plan.lines.reduce((s, l) => s + l.principal_cents, 0)).toBe(8_450_567);
  });
});

describe('an acceleration and its undo', () => {
  const acc: AccountEvent = { kind: 'acceleration', date: '2026-05-15' };
  const undo: AccountEvent = { kind: 'acceleration_undo', date: '2026-06-15' };

  it('the fees of the accelerated days stay; the original due dates come back from the undo', () => {
    const during = computeStatement(input([DOWN], '2026-06-15', { events: [acc] }));
    expect(pick(during, 5)).toMatchObject({ due_date: '2026-05-15', scheduled_due_date: '2026-06-30', late_fee_cents: 1_757, status: 'overdue' });
    const s = computeStatement(input([DOWN], '2026-06-30', { events: [acc, undo] }));
    // Row 4 (due 31/05): 31 accelerated days (1,757) and, being due again on 31/05, 15 more days (850).
    expect(pick(s, 4)).toMatchObject({ due_date: '2026-05-31', late_fee_cents: 2_607, status: 'overdue' });
    // Row 5 (due 30/06): 1,757 from the accelerated days; not late on 30/06.
    expect(pick(s, 5)).toMatchObject({ due_date: '2026-06-30', late_fee_cents: 1_757, status: 'pending' });
    // The last row (1,416.47): 31 days = 1,756.42 → 1,756; due again on 31/01/2031.
    expect(pick(s, 60)).toMatchObject({ due_date: '2031-01-31', late_fee_cents: 1_756 });
    expect(s.next_due).toEqual({ n: 5, due_date: '2026-06-30', amount_cents: 141_667 + 1_757 });
  });

  it('is the same as the contract column for an acceleration alone', () => {
    const a = computeStatement(input([DOWN], '2026-07-01', { events: [acc] }));
    const b = computeStatement(input([DOWN], '2026-07-01', { accelerated_on: '2026-05-15' }));
    expect(a).toEqual(b);
  });

  it('a resolution dated after as_of has not happened yet', () => {
    const s = computeStatement(input([DOWN], '2026-06-01', { events: [acc, undo] }));
    expect(pick(s, 5).due_date).toBe('2026-05-15');
  });
});
