// How a payment is split: oldest row first (n ascending, rows not yet due included, which is a
// prepayment), and within a row: unpaid late fees, then interest, then principal.
import { cents, type Cents } from './money.ts';

/** What one payment put on one row. */
export interface AppliedPart { n: number; late_fee_cents: Cents; interest_cents: Cents; principal_cents: Cents }

/** What is still unpaid on one row, by part. */
export interface RowDue { n: number; late_fee_cents: number; interest_cents: number; principal_cents: number }

export function dueTotal(due: RowDue): Cents {
  return cents(due.late_fee_cents + due.interest_cents + due.principal_cents);
}

export function partTotal(part: AppliedPart): Cents {
  return cents(part.late_fee_cents + part.interest_cents + part.principal_cents);
}

/** Puts as much of `amount` as the row takes: late fees, then interest, then principal. */
export function allocateToRow(amount: number, due: RowDue): { part: AppliedPart; rest: Cents } {
  let rest = cents(amount);
  if (rest < 0) throw new RangeError(`amount must be ≥ 0: ${amount}`);
  const take = (owed: number): Cents => {
    if (cents(owed) < 0) throw new RangeError(`owed must be ≥ 0: ${owed}`);
    const t = Math.min(rest, owed);
    rest = cents(rest - t);
    return cents(t);
  };
  const late_fee_cents = take(due.late_fee_cents);
  const interest_cents = take(due.interest_cents);
  const principal_cents = take(due.principal_cents);
  return { part: { n: due.n, late_fee_cents, interest_cents, principal_cents }, rest };
}

/** Spreads `amount` over the rows oldest first; rows that receive nothing are left out of `parts`.
 *  `rest` is what no row could take (the caller refuses it: a payment beyond the balance). */
export function allocateOldestFirst(amount: number, dues: readonly RowDue[]): { parts: AppliedPart[]; rest: Cents } {
  let rest = cents(amount);
  const parts: AppliedPart[] = [];
  for (const due of [...dues].sort((a, b) => a.n - b.n)) {
    if (rest === 0) break;
    const r = allocateToRow(rest, due);
    rest = r.rest;
    if (partTotal(r.part) > 0) parts.push(r.part);
  }
  return { parts, rest };
}
