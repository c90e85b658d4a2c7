// Rescission of a sale (Civil Code art. 1561–1563).
import { cents, type Cents } from './money.ts';

/** Art. 1562: rescission is no longer available once principal paid (incl. down payment) >= threshold share
 *  of price. Exactly at the threshold → not available. Compared exactly; paid_ppm (floored) is for display. */
export function rescissionAllowed(principal_paid_cents: number, price_cents: number, threshold_ppm: number):
  { allowed: boolean; paid_ppm: number /* floor */ } {
  if (cents(price_cents) <= 0) throw new RangeError('price must be > 0');
  if (cents(principal_paid_cents) < 0) throw new RangeError('principal paid must be ≥ 0');
  if (!Number.isSafeInteger(threshold_ppm) || threshold_ppm < 0) throw new RangeError('bad threshold');
  const paid = BigInt(principal_paid_cents) * 1_000_000n;
  const price = BigInt(price_cents);
  return { allowed: paid < price * BigInt(threshold_ppm), paid_ppm: Number(paid / price) };
}

/** Art. 1563: the seller returns what it received less the compensation for the use of the lot and the
 *  agreed penalty; it cannot keep more than it received. */
export function refundOf(received_cents: number, compensation_cents: number, penalty_cents: number):
  { ok: true; returned_cents: Cents } | { ok: false; error: 'kept_exceeds_received' } {
  for (const v of [received_cents, compensation_cents, penalty_cents]) {
    if (cents(v) < 0) throw new RangeError(`amounts must be ≥ 0: ${v}`);
  }
  const returned = received_cents - compensation_cents - penalty_cents;
  if (returned < 0) return { ok: false, error: 'kept_exceeds_received' };
  return { ok: true, returned_cents: cents(returned) };
}
