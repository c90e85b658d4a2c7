// A reschedule (refinanciamiento) decided by resolution: what the account still owes on its date becomes a
// new schedule version. planReschedule gives the figures the form previews and the act stores; the replay
// (statement.ts, AccountEvent 'reschedule') applies the same closing to the rows, so both agree.
import { buildSchedule, type ScheduleRow } from './schedule.ts';
import { closeForReschedule, type AccountState, type LateFeeOption, type RatePeriod } from './statement.ts';
import type { IsoDate } from './dates.ts';

export interface RescheduleTerms {
  date: IsoDate; // the resolution's date: the balance is taken on that day
  start_date: IsoDate; // the new schedule's start: installment k falls due k months after it
  installment_count: number;
  annual_rate_ppm: number;
  late_fees: LateFeeOption;
}

export interface ReschedulePlan {
  /** Principal + interest already due that the old rows still owed. */
  balance_cents: number;
  /** Unpaid late fees on the date: added to the new principal (capitalise), taken off (waive) or left owed (keep). */
  late_fees_cents: number;
  capitalised_cents: number;
  waived_cents: number;
  kept_late_fees_cents: number;
  /** Interest of the old schedule not yet due: no longer owed. */
  interest_dropped_cents: number;
  /** The new schedule's principal: balance + capitalised late fees. */
  principal_cents: number;
  /** The scheduled outstanding before and after (what receivables hold): the difference is posted. */
  scheduled_before_cents: number;
  scheduled_after_cents: number;
  /** The new rows, numbered after the account's last row (n stays unique in a contract's life). */
  lines: ScheduleRow[];
}

/** `state` is the account replayed up to the resolution's date (every payment and resolution until then). */
export function planReschedule(state: AccountState, terms: RescheduleTerms, rates: RatePeriod[]): ReschedulePlan | { error: 'nothing_owed' } {
  const rows = state.rows.map((r) => ({ ...r }));
  const scheduled_before_cents = rows.reduce((s, r) => s + r.principal_cents + r.interest_cents - r.principal_paid_cents - r.interest_paid_cents, 0);
  const last = rows.reduce((m, r) => Math.max(m, r.n), -1);
  const closed = closeForReschedule(rows, terms.date, terms.late_fees, rates);
  const balance_cents = closed.moved_cents - (terms.late_fees === 'capitalise' ? closed.late_fees_taken_cents : 0);
  if (closed.moved_cents <= 0) return { error: 'nothing_owed' };
  const built = buildSchedule({
    price_cents: closed.moved_cents, date: terms.start_date, down_payment_ppm: 0,
    installment_count: terms.installment_count, annual_rate_ppm: terms.annual_rate_ppm,
  });
  const lines = built.rows.slice(1).map((r) => ({ ...r, n: last + r.n }));
  const after = lines.reduce((s, r) => s + r.installment_cents, 0);
  return {
    balance_cents,
    late_fees_cents: closed.late_fees_taken_cents + closed.late_fees_kept_cents,
    capitalised_cents: terms.late_fees === 'capitalise' ? closed.late_fees_taken_cents : 0,
    waived_cents: terms.late_fees === 'waive' ? closed.late_fees_taken_cents : 0,
    kept_late_fees_cents: closed.late_fees_kept_cents,
    interest_dropped_cents: closed.interest_dropped_cents,
    principal_cents: closed.moved_cents,
    scheduled_before_cents,
    scheduled_after_cents: after,
    lines,
  };
}
