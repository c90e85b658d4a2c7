// Month close, as pure rules over the history of closes and reopens (table month_closings). A month is
// closed while its latest row is a close. Months are closed in order and reopened from the latest, so the
// closed months always run from the first one up to one month, `closed_through`: every date up to that
// month's last day is closed (a date before the first month listed too), every later date is open.
import { formatDate, type IsoDate } from './dates.ts';

/** An i18n key with its parameters (as src/web/errors.ts's Message). */
export interface Message { key: string; params?: Record<string, string> }

/** 'YYYY-MM'. */
export type Month = string;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (text: string): boolean => MONTH_RE.test(text);

export const monthOf = (date: IsoDate): Month => date.slice(0, 7);

/** The month `n` months after `m` (n may be negative). */
export function addMonth(m: Month, n: number): Month {
  const y = Number(m.slice(0, 4));
  const i = y * 12 + Number(m.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** First and last day of a month. */
export function monthBounds(m: Month): { from: IsoDate; to: IsoDate } {
  if (!isMonth(m)) throw new TypeError(`Not a YYYY-MM month: ${m}`);
  const y = Number(m.slice(0, 4));
  const mm = Number(m.slice(5, 7));
  const last = new Date(Date.UTC(y, mm, 0)).getUTCDate();
  return { from: `${m}-01`, to: `${m}-${String(last).padStart(2, '0')}` };
}

/** Every month from `first` to `last`, both included (none when first > last). */
export function monthRange(first: Month, last: Month): Month[] {
  const out: Month[] = [];
  for (let m = first; m <= last; m = addMonth(m, 1)) out.push(m);
  return out;
}

export interface ClosingRow {
  id: number;
  month: Month;
  action: 'close' | 'reopen';
  reason: string | null;
  actor_name: string | null;
  at: string; // ISO instant
}

export interface ClosingState {
  /** The latest row of each month that has any. */
  latest: Map<Month, ClosingRow>;
  /** The last closed month (every date up to its end is closed), or null when none is. */
  closed_through: Month | null;
}

export function closingState(rows: readonly ClosingRow[]): ClosingState {
  const latest = new Map<Month, ClosingRow>();
  for (const r of [...rows].sort((a, b) => a.id - b.id)) latest.set(r.month, r);
  let through: Month | null = null;
  for (const [m, r] of latest) if (r.action === 'close' && (through === null || m > through)) through = m;
  return { latest, closed_through: through };
}

export const isMonthClosed = (s: ClosingState, m: Month): boolean => s.closed_through !== null && m <= s.closed_through;

export const isDateClosed = (s: ClosingState, date: IsoDate): boolean => isMonthClosed(s, monthOf(date));

/** The message a write dated in a closed month gets (next to its date field), or null when the month is open. */
export function closedDateMessage(s: ClosingState, date: IsoDate): Message | null {
  return isDateClosed(s, date) ? { key: 'closings.error.date_closed', params: { month: monthOf(date) } } : null;
}

/** The close in force for a closed month: its own latest row, or (a month before the first one listed)
 *  the close of the earliest month after it that is closed. */
export function closeOf(s: ClosingState, m: Month): ClosingRow | null {
  if (!isMonthClosed(s, m)) return null;
  const own = s.latest.get(m);
  if (own?.action === 'close') return own;
  let best: ClosingRow | null = null;
  for (const [month, r] of s.latest) if (r.action === 'close' && month >= m && (!best || month < best.month)) best = r;
  return best;
}

/**
 * Why a month cannot be closed on `today`, or null: it must be over and not closed already. (The open
 * months before it are closed with it: monthsToClose.) Checks come after (the caller's).
 */
export function closeRefusal(s: ClosingState, m: Month, today: IsoDate): { status: 409; message: Message } | null {
  if (m >= monthOf(today)) return { status: 409, message: { key: 'closings.error.not_over', params: { month: m, date: formatDate(monthBounds(m).to) } } };
  const own = s.latest.get(m);
  if (own?.action === 'close' || isMonthClosed(s, m)) return { status: 409, message: { key: 'closings.error.already_closed', params: { month: m } } };
  return null;
}

/**
 * The months a close of `m` closes, oldest first: closed months always run from the first one up to
 * closed_through, so closing `m` closes with it every open month before it, from the one after
 * closed_through (or `first`, the first month with a dated record) on; each must pass its own checks.
 */
export function monthsToClose(s: ClosingState, m: Month, first: Month): Month[] {
  const firstOpen = s.closed_through !== null && s.closed_through >= first ? addMonth(s.closed_through, 1) : first;
  return monthRange(firstOpen < m ? firstOpen : m, m);
}

/** Why a month cannot be reopened, or null: it must be closed, and no later month closed (reopen from the latest). */
export function reopenRefusal(s: ClosingState, m: Month): { status: 409; message: Message } | null {
  if (s.latest.get(m)?.action !== 'close') return { status: 409, message: { key: 'closings.error.not_closed', params: { month: m } } };
  if (s.closed_through !== null && s.closed_through > m) {
    return { status: 409, message: { key: 'closings.error.later_closed', params: { month: m, later: s.closed_through } } };
  }
  return null;
}

export type PeriodClosure =
  | { closed: true; close: ClosingRow | null }
  /** open_from null: every month up to open_to (a balance as of a date, nothing closed yet). */
  | { closed: false; open_from: Month | null; open_to: Month; closed_through: Month | null };

/**
 * Whether a report's period (from `from`, or everything up to `to` for a balance as of a date) is closed:
 * closed when its last month is; otherwise the open months it includes (always a run up to `to`'s month).
 */
export function periodClosure(s: ClosingState, from: IsoDate | null, to: IsoDate): PeriodClosure {
  const last = monthOf(to);
  if (isMonthClosed(s, last)) return { closed: true, close: closeOf(s, last) };
  const after = s.closed_through === null ? null : addMonth(s.closed_through, 1);
  const start = from === null ? after : (after !== null && after > monthOf(from) ? after : monthOf(from));
  return { closed: false, open_from: start, open_to: last, closed_through: s.closed_through };
}
