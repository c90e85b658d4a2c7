// Delinquency by the age of the oldest unpaid installment, and the art. 1561 flag (three
// installments unpaid, consecutive or not): the municipality may then accelerate or rescind.
import { daysBetween, type IsoDate } from './dates.ts';
import type { Statement } from './statement.ts';

export type Bucket = 'current' | '1-30' | '31-60' | '61-90' | '90+';
export const BUCKETS: readonly Bucket[] = ['current', '1-30', '31-60', '61-90', '90+'];

/** Civil Code art. 1561: three installments unpaid. */
export const UNPAID_INSTALLMENTS_FOR_ACTION = 3;

export function bucketFor(days_late: number): Bucket { // 0 or less → current
  if (days_late <= 0) return 'current';
  if (days_late <= 30) return '1-30';
  if (days_late <= 60) return '31-60';
  if (days_late <= 90) return '61-90';
  return '90+';
}

export interface Delinquency {
  oldest_due_date: IsoDate | null; days_late: number; bucket: Bucket;
  /** rows n>=1 overdue and not fully paid */ unpaid_overdue_count: number;
  may_accelerate_or_rescind: boolean; /* count >= 3 */
}

/** days_late = as_of − the due date of the oldest overdue unpaid installment. Only installments
 *  (n ≥ 1) count: the down payment (row 0) is the condition for the contract to start, not a
 *  delay in paying for it (the statement's down_payment_paid says whether it was received). */
export function delinquencyOf(statement: Statement): Delinquency {
  const overdue = statement.rows.filter((r) => r.n >= 1 && r.outstanding_cents > 0 && r.due_date < statement.as_of);
  const oldest = overdue.reduce<IsoDate | null>((m, r) => (m === null || r.due_date < m ? r.due_date : m), null);
  const days_late = oldest === null ? 0 : daysBetween(oldest, statement.as_of);
  return {
    oldest_due_date: oldest,
    days_late,
    bucket: bucketFor(days_late),
    unpaid_overdue_count: overdue.length,
    may_accelerate_or_rescind: overdue.length >= UNPAID_INSTALLMENTS_FOR_ACTION,
  };
}
