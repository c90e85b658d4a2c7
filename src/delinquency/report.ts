// Delinquency: live contracts by the age of their oldest unpaid installment on a date, with what
// is overdue, the late fees still unpaid and the whole outstanding, and totals per bucket.
import type { Db } from '../db/knex.ts';
import { addMonths, type IsoDate } from '../domain/dates.ts';
import { toSolesString } from '../domain/money.ts';
import { BUCKETS, type Bucket } from '../domain/delinquency.ts';
import { portfolioOn } from '../accounts/portfolio.ts';
import { getFollowUpSettings } from '../settings/service.ts';

export interface DelinquencyLine {
  contract_id: number;
  contract: string;
  firm_ruc: string;
  firm_name: string;
  lot_code: string;
  oldest_due_date: IsoDate | null;
  days_late: number;
  bucket: Bucket;
  unpaid_overdue_count: number;
  may_act: boolean;
  accelerated_on: IsoDate | null;
  /** Rescheduled within the watch period (setting reschedule_watch_months) before as_of: watched until then. */
  watch: { rescheduled_on: IsoDate; until: IsoDate } | null;
  overdue_cents: number;
  late_fee_cents: number; // late fees accrued and not yet paid on as_of
  outstanding_cents: number;
}

export interface BucketTotal {
  bucket: Bucket; count: number; overdue_cents: number; late_fee_cents: number; outstanding_cents: number;
}

/**
 * Contracts live on `as_of`, oldest delay first. (Contracts awaiting their down payment have no
 * installment running yet; paid-off and rescinded ones owe nothing.)
 */
function watchOf(rescheduled_on: IsoDate | null, as_of: IsoDate, months: number): DelinquencyLine['watch'] {
  if (!rescheduled_on || rescheduled_on > as_of) return null;
  const until = addMonths(rescheduled_on, months);
  return until >= as_of ? { rescheduled_on, until } : null;
}

export async function delinquencyReport(db: Db, as_of: IsoDate, bucket: Bucket | null) {
  // Months a rescheduled contract stays marked (park setting).
  const months = (await getFollowUpSettings(db)).reschedule_watch_months;
  // Live on as_of: activated by then, and not yet paid off or rescinded by then (a report as of a
  // past date lists the contracts as they stood that day, not only those still active today).
  const all: DelinquencyLine[] = (await portfolioOn(db, as_of, { live: true })).map((c) => {
    const d = c.figures.delinquency;
    return {
      contract_id: c.contract_id, contract: c.number, firm_ruc: c.firm_ruc, firm_name: c.firm_name, lot_code: c.lot_code,
      oldest_due_date: d.oldest_due_date, days_late: d.days_late, bucket: d.bucket,
      unpaid_overdue_count: d.unpaid_overdue_count, may_act: d.may_accelerate_or_rescind,
      accelerated_on: c.accelerated_on && c.accelerated_on <= as_of ? c.accelerated_on : null,
      watch: watchOf(c.rescheduled_on, as_of, months),
      overdue_cents: c.figures.overdue_cents, late_fee_cents: c.figures.late_fee_unpaid_cents,
      outstanding_cents: c.figures.outstanding_cents,
    };
  });
  all.sort((a, b) => b.days_late - a.days_late || a.contract.localeCompare(b.contract));
  const totals: BucketTotal[] = BUCKETS.map((b) => {
    const of = all.filter((l) => l.bucket === b);
    return {
      bucket: b, count: of.length,
      overdue_cents: of.reduce((s, l) => s + l.overdue_cents, 0),
      late_fee_cents: of.reduce((s, l) => s + l.late_fee_cents, 0),
      outstanding_cents: of.reduce((s, l) => s + l.outstanding_cents, 0),
    };
  });
  const lines = bucket ? all.filter((l) => l.bucket === bucket) : all;
  const sum = (f: (l: DelinquencyLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  return {
    as_of, bucket, lines, totals,
    total: { count: lines.length, overdue_cents: sum((l) => l.overdue_cents), late_fee_cents: sum((l) => l.late_fee_cents), outstanding_cents: sum((l) => l.outstanding_cents) },
  };
}

export function delinquencyCsv(lines: DelinquencyLine[]): string[][] {
  return [
    ['contract', 'firm_ruc', 'lot_code', 'oldest_due_date', 'days_late', 'bucket', 'overdue', 'late_fee', 'outstanding'],
    ...lines.map((l) => [l.contract, l.firm_ruc, l.lot_code, l.oldest_due_date ?? '', String(l.days_late), l.bucket,
      toSolesString(l.overdue_cents), toSolesString(l.late_fee_cents), toSolesString(l.outstanding_cents)]),
  ];
}
