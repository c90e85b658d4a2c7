// Interés moratorio: simple interest on an unpaid amount, day by day at the monthly rate in force
// that day (an ordinance fixes it from a date on), daily rate = monthly ÷ 30.
import { cents, divRoundHalfUp, type Cents } from './money.ts';
import { dayNumber, type IsoDate } from './dates.ts';

export interface RatePeriod { effective_from: IsoDate; monthly_rate_ppm: number } // 1.2%/month = 12000

const DAYS_PER_MONTH = 30n;
const PPM = 1_000_000n;

/** Periods sorted by start; of two with the same start, the one listed last wins (a correction). */
function normalise(rates: readonly RatePeriod[]): { start: number; ppm: bigint }[] {
  const out: { start: number; ppm: bigint }[] = [];
  const sorted = rates
    .map((r, i) => {
      if (!Number.isSafeInteger(r.monthly_rate_ppm) || r.monthly_rate_ppm < 0) {
        throw new RangeError(`bad monthly rate: ${r.monthly_rate_ppm}`);
      }
      return { start: dayNumber(r.effective_from), ppm: BigInt(r.monthly_rate_ppm), i };
    })
    .sort((a, b) => a.start - b.start || a.i - b.i);
  for (const r of sorted) {
    if (out.length > 0 && out[out.length - 1]!.start === r.start) out.pop();
    out.push({ start: r.start, ppm: r.ppm });
  }
  return out;
}

/** Σ over the days (from, to] of the monthly rate (ppm) in force each day: "ppm-days". */
export function ratePpmDays(from: IsoDate, to: IsoDate, rates: readonly RatePeriod[]): bigint {
  const first = dayNumber(from) + 1;
  const last = dayNumber(to);
  if (last < first) return 0n;
  const periods = normalise(rates);
  let total = 0n;
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    const next = periods[i + 1];
    const lo = Math.max(first, p.start);
    const hi = Math.min(last, next ? next.start - 1 : last);
    if (hi >= lo) total += BigInt(hi - lo + 1) * p.ppm;
  }
  return total;
}

/** Late fee on `unpaid_cents` for the days (from, to] — the day after `from` up to `to` inclusive — each day
 *  at the rate in force that day (the period with the latest effective_from <= day; none → 0), daily rate =
 *  monthly ÷ 30. Exact rational sum over the days, rounded half-up ONCE to the céntimo (divRoundHalfUp). 0 if to <= from. */
export function lateFeeFor(unpaid_cents: number, from: IsoDate, to: IsoDate, rates: RatePeriod[]): Cents {
  if (cents(unpaid_cents) < 0) throw new RangeError(`unpaid amount must be ≥ 0: ${unpaid_cents}`);
  const ppmDays = ratePpmDays(from, to, rates);
  return cents(Number(divRoundHalfUp(BigInt(unpaid_cents) * ppmDays, DAYS_PER_MONTH * PPM)));
}
