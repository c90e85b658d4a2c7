// The sale most payment tests use: S/ 100,000.00 signed 2026-01-31 at 0%, 15% down, 60 × S/ 1,416.67
// (last S/ 1,416.47), installments due 2026-02-28, 2026-03-31, 2026-04-30, 2026-05-31, 2026-06-30 …
// Moratorium 1.2% a month since 2020: 0.04% a day, so one day late on S/ 1,416.67 is S/ 0.566668.
import { buildSchedule, type SaleTerms } from '../../src/domain/schedule.ts';
import type { PaymentIn, RatePeriod, ScheduleLine, StatementInput } from '../../src/domain/statement.ts';

export function scheduleOf(over: Partial<SaleTerms> = {}): ScheduleLine[] {
  return buildSchedule({
    price_cents: 10_000_000, date: '2026-01-31', down_payment_ppm: 150_000, installment_count: 60, annual_rate_ppm: 0,
    ...over,
  }).rows.map(({ n, due_date, principal_cents, interest_cents }) => ({ n, due_date, principal_cents, interest_cents }));
}

export const ILO_RATE: RatePeriod[] = [{ effective_from: '2020-01-01', monthly_rate_ppm: 12_000 }];

export const DOWN: PaymentIn = { id: 1, date: '2026-01-31', amount_cents: 1_500_000 };

export function input(payments: PaymentIn[], as_of: string, over: Partial<StatementInput> = {}): StatementInput {
  return { schedule: scheduleOf(), payments, rates: ILO_RATE, as_of, ...over };
}
