// Collections: which due-date reminders and collection letters are due for a contract on a day, from its
// statement on that day and the letters it already has. Pure: the daily run (src/collections/service.ts)
// asks this every day, so running twice, or a day late, gives the same answer.
//
// - Reminder: an installment not yet paid whose due date is within `reminder_days_before` days (on the
//   due date itself too). A reminder whose due date has passed is never sent (a missed day is caught up
//   only while the reminder still makes sense).
// - Letters, per delinquency episode (the due date of the oldest overdue installment): level 1 when it is
//   `letter1_days_after` days late, level 2 at `letter2_days_after` days, level 3 (last notice, Civil Code
//   art. 1561) when three installments are unpaid. Only the highest level due is issued, once per episode:
//   a day missed yields the letter the contract is at, not the lower ones it passed. When the oldest
//   overdue installment is paid, the next one starts a new episode.
import { addDays, daysBetween, type IsoDate } from './dates.ts';
import { UNPAID_INSTALLMENTS_FOR_ACTION } from './delinquency.ts';

export type LetterLevel = 1 | 2 | 3;
export const LETTER_LEVELS: readonly LetterLevel[] = [1, 2, 3];

export interface CollectionSettings {
  reminder_days_before: number;
  letter1_days_after: number;
  letter2_days_after: number;
}
export const COLLECTION_DEFAULTS: CollectionSettings = { reminder_days_before: 5, letter1_days_after: 5, letter2_days_after: 30 };

/** The part of a statement's row the rules read (a RowState fits). */
export interface CollectionRow {
  n: number; due_date: IsoDate; installment_cents: number;
  principal_paid_cents: number; interest_paid_cents: number;
  late_fee_cents: number; late_fee_paid_cents: number;
}

export interface IssuedLetter { level: number; episode_due_date: IsoDate; date: IsoDate }

export interface LetterItem { n: number; due_date: IsoDate; unpaid_cents: number; late_fee_cents: number; total_cents: number }
export interface LetterDraft {
  level: LetterLevel; episode_due_date: IsoDate; items: LetterItem[];
  overdue_cents: number; late_fee_cents: number; total_cents: number; unpaid_count: number;
}
export interface Reminder { n: number; due_date: IsoDate; amount_cents: number }

export interface CollectionsDue {
  reminders: Reminder[];
  letter: LetterDraft | null;
  /** The level the contract is at today (0: not late enough for a letter). */
  level_due: 0 | LetterLevel;
  /** The highest level already issued in the current episode (0: none). */
  level_sent: number;
  /** When the next letter will be due if nothing is paid (null: none ahead). */
  next: { level: LetterLevel; date: IsoDate } | null;
}

const unpaidOf = (r: CollectionRow) => r.installment_cents - r.principal_paid_cents - r.interest_paid_cents;
const feeOf = (r: CollectionRow) => r.late_fee_cents - r.late_fee_paid_cents;

/** The overdue installments on as_of (n ≥ 1, due before as_of, something unpaid), oldest first. */
export function overdueItems(rows: readonly CollectionRow[], as_of: IsoDate): LetterItem[] {
  return rows.filter((r) => r.n >= 1 && r.due_date < as_of && unpaidOf(r) + feeOf(r) > 0)
    .sort((a, b) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.n - b.n))
    .map((r) => ({ n: r.n, due_date: r.due_date, unpaid_cents: unpaidOf(r), late_fee_cents: feeOf(r), total_cents: unpaidOf(r) + feeOf(r) }));
}

/** The letter of `level` for the overdue installments on as_of (null when nothing is overdue). */
export function draftLetter(rows: readonly CollectionRow[], as_of: IsoDate, level: LetterLevel): LetterDraft | null {
  const items = overdueItems(rows, as_of);
  // An installment whose schedule is paid and only late fees remain does not make the contract late.
  const late = items.filter((i) => i.unpaid_cents > 0);
  if (late.length === 0) return null;
  const sum = (f: (i: LetterItem) => number) => items.reduce((s, i) => s + f(i), 0);
  return {
    level, episode_due_date: late[0]!.due_date, items,
    overdue_cents: sum((i) => i.unpaid_cents), late_fee_cents: sum((i) => i.late_fee_cents), total_cents: sum((i) => i.total_cents),
    unpaid_count: late.length,
  };
}

function levelOn(days_late: number, unpaid_count: number, s: CollectionSettings): 0 | LetterLevel {
  if (unpaid_count >= UNPAID_INSTALLMENTS_FOR_ACTION) return 3;
  if (days_late >= s.letter2_days_after) return 2;
  if (days_late >= s.letter1_days_after) return 1;
  return 0;
}

export function collectionsDue(rows: readonly CollectionRow[], as_of: IsoDate, letters: readonly IssuedLetter[],
  settings: CollectionSettings = COLLECTION_DEFAULTS): CollectionsDue {
  const reminders = rows.filter((r) => r.n >= 1 && unpaidOf(r) > 0 && r.due_date >= as_of
    && r.due_date <= addDays(as_of, settings.reminder_days_before))
    .map((r) => ({ n: r.n, due_date: r.due_date, amount_cents: unpaidOf(r) }));
  const draft = draftLetter(rows, as_of, 1);
  const pending = rows.filter((r) => r.n >= 1 && unpaidOf(r) > 0).map((r) => r.due_date).sort();
  if (!draft) {
    // Not late: the next letter would be level 1 after the next unpaid due date.
    const first = pending[0];
    return { reminders, letter: null, level_due: 0, level_sent: 0, next: first ? { level: 1, date: addDays(first, settings.letter1_days_after) } : null };
  }
  const episode = draft.episode_due_date;
  const level_sent = letters.filter((l) => l.episode_due_date === episode).reduce((m, l) => Math.max(m, l.level), 0);
  const level_due = levelOn(daysBetween(episode, as_of), draft.unpaid_count, settings);
  const letter = level_due > level_sent ? { ...draft, level: level_due as LetterLevel } : null;
  // The day each level falls due if nothing is paid: the third unpaid installment is overdue the day after its due date.
  const third = pending[UNPAID_INSTALLMENTS_FOR_ACTION - 1];
  const dates: [LetterLevel, IsoDate | undefined][] = [
    [1, addDays(episode, settings.letter1_days_after)], [2, addDays(episode, settings.letter2_days_after)],
    [3, third ? addDays(third, 1) : undefined],
  ];
  const after = Math.max(level_sent, letter ? letter.level : 0);
  const ahead = dates.filter(([lv, d]) => lv > after && d !== undefined && d > as_of) as [LetterLevel, IsoDate][];
  ahead.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : b[0] - a[0]));
  const next = ahead[0] ? { level: ahead[0][0], date: ahead[0][1] } : null;
  return { reminders, letter, level_due, level_sent, next };
}

/** The level "send now" issues: the one due today if not yet sent, else the next one after those sent
 *  (level 3 only with three installments unpaid); null when the contract is not late or all are sent. */
export function manualLevel(due: CollectionsDue, unpaid_count: number): LetterLevel | null {
  if (due.letter) return due.letter.level;
  if (due.level_due === 0 && unpaid_count === 0) return null;
  const from = Math.max(due.level_sent, due.level_due) + 1;
  for (let lv = from; lv <= 3; lv++) {
    if (lv === 3 && unpaid_count < UNPAID_INSTALLMENTS_FOR_ACTION) continue;
    return lv as LetterLevel;
  }
  return null;
}
