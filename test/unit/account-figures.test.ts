// The maintained account is the replay's state: a statement (or the portfolio figures) from the stored
// state on any date on or after the last event equals the full replay on that date, to the céntimo.
// Checked on generated histories: partial payments, prepayments, payoffs, late payers, rate changes,
// interest-bearing plans, 31 Jan contracts, acceleration.
import { rng } from '../support/rng.ts';
import { describe, expect, it } from 'vitest';
import { buildSchedule } from '../../src/domain/schedule.ts';
import { addDays, type IsoDate } from '../../src/domain/dates.ts';
import {
  computeStatement, OverpaymentError, replayAccount, statementFromState, type PaymentIn, type StatementInput,
} from '../../src/domain/statement.ts';
import { figuresOn, totalsOf, unpaidOf } from '../../src/domain/account-figures.ts';
import { delinquencyOf } from '../../src/domain/delinquency.ts';

function history(seed: number): StatementInput {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const date = pick(['2020-01-31', '2021-02-28', '2023-08-15', '2024-02-29', '2025-12-31']) as IsoDate;
  const schedule = buildSchedule({
    price_cents: 1_000_000 + Math.floor(r() * 50_000_000), date, down_payment_ppm: 150_000,
    installment_count: pick([12, 36, 60]), annual_rate_ppm: pick([0, 0, 120_000]),
  }).rows.map((x) => ({ n: x.n, due_date: x.due_date, principal_cents: x.principal_cents, interest_cents: x.interest_cents }));
  const rates = [{ effective_from: '2010-01-01', monthly_rate_ppm: pick([0, 9000, 12000]) }];
  if (r() < 0.5) rates.push({ effective_from: addDays(date, 200 + Math.floor(r() * 400)), monthly_rate_ppm: pick([0, 9000, 15000]) });
  const payments: PaymentIn[] = [];
  let day = date;
  const base: StatementInput = { schedule, payments, rates, as_of: '2031-12-31' };
  for (let id = 1; id <= 40; id++) {
    day = addDays(day, Math.floor(r() * 70));
    if (day > '2031-06-30') break;
    const owed = computeStatement({ ...base, payments, as_of: day }).outstanding_cents;
    if (owed === 0) break;
    const style = r();
    const amount = style < 0.1 ? owed : style < 0.2 ? Math.ceil(owed / 3) : 1 + Math.floor(r() * Math.min(owed, schedule[1]!.principal_cents * 1.6));
    const candidate = [...payments, { id, date: day, amount_cents: Math.min(amount, owed) }];
    try {
      computeStatement({ ...base, payments: candidate, as_of: day });
      payments.push(candidate.at(-1)!);
    } catch (e) {
      if (!(e instanceof OverpaymentError)) throw e;
    }
  }
  const accelerated_on = r() < 0.2 ? addDays(day, 5) : null;
  return { ...base, payments, accelerated_on };
}

describe('the account kept between events', () => {
  for (let seed = 1; seed <= 60; seed++) {
    it(`history #${seed}: statement and portfolio figures from the stored state equal the replay`, () => {
      const input = history(seed);
      const state = replayAccount(input);
      const rates = input.rates;
      for (const gap of [0, 1, 29, 31, 365, 900]) {
        const as_of = addDays(state.valid_from < input.schedule[0]!.due_date ? input.schedule[0]!.due_date : state.valid_from, gap);
        const replay = computeStatement({ ...input, as_of });
        const kept = statementFromState(state, as_of, rates);
        expect({ ...kept, allocations: [...kept.allocations] }).toEqual({ ...replay, allocations: [...replay.allocations] });

        const totals = totalsOf(state);
        const open = state.rows.filter((row) => unpaidOf(row) > 0 && row.due_date < as_of);
        const f = figuresOn(totals, open, as_of, rates);
        expect(f).toEqual({
          as_of, scheduled_outstanding_cents: replay.scheduled_outstanding_cents, late_fee_unpaid_cents: replay.late_fee_unpaid_cents,
          outstanding_cents: replay.outstanding_cents, overdue_cents: replay.overdue_cents, delinquency: delinquencyOf(replay),
        });
        expect(totals.paid_off).toBe(replay.paid_off);
        expect(totals.down_payment_paid).toBe(replay.down_payment_paid);
      }
    });
  }

  it('refuses a date before the last event (that needs the replay)', () => {
    const input = history(3);
    const state = replayAccount(input);
    expect(() => statementFromState(state, addDays(state.valid_from, -1), input.rates)).toThrow(RangeError);
  });

  it('an exact case: S/ 100,000 at 0%, the down payment and one late installment, 1.2% a month', () => {
    const schedule = buildSchedule({ price_cents: 10_000_000, date: '2026-01-31', down_payment_ppm: 150_000, installment_count: 60, annual_rate_ppm: 0 })
      .rows.map((x) => ({ n: x.n, due_date: x.due_date, principal_cents: x.principal_cents, interest_cents: x.interest_cents }));
    const input: StatementInput = {
      schedule, rates: [{ effective_from: '2010-01-01', monthly_rate_ppm: 12000 }], as_of: '2026-04-30',
      payments: [{ id: 1, date: '2026-01-31', amount_cents: 1_500_000 }, { id: 2, date: '2026-03-10', amount_cents: 100_000 }],
    };
    const state = replayAccount(input);
    expect(state.valid_from).toBe('2026-03-10');
    // Row 1 (due 28/02/2026, S/ 1,416.67): 10 days late on 10/03 → 141,667 × 0.012 × 10/30 = 566.668 → 567 céntimos of fee
    // paid first; 99,433 of principal; 42,234 still unpaid, which runs from 10/03 to 30/04 (51 days): 861.57 → 862.
    const row1 = state.rows[1]!;
    expect(row1).toMatchObject({ due_date: '2026-02-28', late_fee_cents: 567, late_fee_paid_cents: 567, principal_paid_cents: 99_433, accrued_to: '2026-03-10' });
    const f = figuresOn(totalsOf(state), state.rows.filter((r) => unpaidOf(r) > 0 && r.due_date < '2026-04-30'), '2026-04-30', input.rates);
    // Row 2 (due 31/03, 141,667) is 30 days late on 30/04: 1,700.00 → 1,700 céntimos.
    expect(f.late_fee_unpaid_cents).toBe(862 + 1_700);
    expect(f.overdue_cents).toBe(42_234 + 862 + 141_667 + 1_700);
    expect(f.delinquency).toMatchObject({ oldest_due_date: '2026-02-28', days_late: 61, bucket: '61-90', unpaid_overdue_count: 2 });
  });
});
