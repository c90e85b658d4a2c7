// Which reminders and collection letters are due on a day (src/domain/collections.ts), exactly.
import { describe, expect, it } from 'vitest';
import { collectionsDue, draftLetter, manualLevel, type CollectionRow } from '../../src/domain/collections.ts';

const row = (n: number, due_date: string, paid = 0, fee = 0): CollectionRow => ({
  n, due_date, installment_cents: 100_000, principal_paid_cents: paid, interest_paid_cents: 0, late_fee_cents: fee, late_fee_paid_cents: 0,
});
// Down payment paid; installments on the 10th of each month.
const rows = (fees: number[] = [0, 0, 0, 0]) => [
  { ...row(0, '2026-01-10', 100_000) },
  row(1, '2026-02-10', 0, fees[0]), row(2, '2026-03-10', 0, fees[1]), row(3, '2026-04-10', 0, fees[2]), row(4, '2026-05-10', 0, fees[3]),
];

describe('reminders', () => {
  it('from reminder_days_before days before the due date up to the due date itself, never after', () => {
    const r = rows();
    expect(collectionsDue(r, '2026-02-04', []).reminders).toEqual([]);
    expect(collectionsDue(r, '2026-02-05', []).reminders).toEqual([{ n: 1, due_date: '2026-02-10', amount_cents: 100_000 }]);
    expect(collectionsDue(r, '2026-02-10', []).reminders).toEqual([{ n: 1, due_date: '2026-02-10', amount_cents: 100_000 }]);
    expect(collectionsDue(r, '2026-02-11', []).reminders).toEqual([]); // stale: never sent
    expect(collectionsDue(r, '2026-02-07', [], { reminder_days_before: 2, letter1_days_after: 5, letter2_days_after: 30 }).reminders).toEqual([]);
  });
  it('an installment already paid gets none; a partly paid one is reminded of what it still owes', () => {
    const r = rows();
    r[1] = row(1, '2026-02-10', 100_000);
    expect(collectionsDue(r, '2026-02-06', []).reminders).toEqual([]);
    r[1] = row(1, '2026-02-10', 40_000);
    expect(collectionsDue(r, '2026-02-06', []).reminders).toEqual([{ n: 1, due_date: '2026-02-10', amount_cents: 60_000 }]);
  });
});

describe('letters', () => {
  it('level 1 five days after the due date, level 2 at thirty days, level 3 with three unpaid', () => {
    const r = rows([1_234, 0, 0, 0]);
    expect(collectionsDue(r, '2026-02-14', []).letter).toBeNull();
    const d1 = collectionsDue(r, '2026-02-15', []);
    expect(d1.letter).toEqual({
      level: 1, episode_due_date: '2026-02-10', unpaid_count: 1,
      items: [{ n: 1, due_date: '2026-02-10', unpaid_cents: 100_000, late_fee_cents: 1_234, total_cents: 101_234 }],
      overdue_cents: 100_000, late_fee_cents: 1_234, total_cents: 101_234,
    });
    expect(d1.next).toEqual({ level: 2, date: '2026-03-12' });
    const sent1 = [{ level: 1, episode_due_date: '2026-02-10', date: '2026-02-15' }];
    expect(collectionsDue(r, '2026-02-16', sent1).letter).toBeNull(); // not again
    expect(collectionsDue(r, '2026-03-11', sent1).letter).toBeNull();
    const d2 = collectionsDue(r, '2026-03-12', sent1);
    expect(d2.letter?.level).toBe(2);
    expect(d2.letter?.items.map((i) => i.n)).toEqual([1, 2]); // installment 2 is overdue too by then
    expect(d2.next).toEqual({ level: 3, date: '2026-04-11' });
    const sent2 = [...sent1, { level: 2, episode_due_date: '2026-02-10', date: '2026-03-12' }];
    expect(collectionsDue(r, '2026-04-10', sent2).letter).toBeNull(); // installment 3 falls due today: not yet overdue
    const d3 = collectionsDue(r, '2026-04-11', sent2);
    expect(d3.letter?.level).toBe(3);
    expect(d3.letter?.unpaid_count).toBe(3);
    expect(d3.next).toBeNull();
  });
  it('a day missed gives the level the contract is at, not the lower ones it passed', () => {
    const d = collectionsDue(rows(), '2026-03-20', []);
    expect(d.letter?.level).toBe(2);
    expect(collectionsDue(rows(), '2026-03-21', [{ level: 2, episode_due_date: '2026-02-10', date: '2026-03-20' }]).letter).toBeNull();
  });
  it('the oldest installment paid starts a new episode', () => {
    const r = rows();
    r[1] = row(1, '2026-02-10', 100_000);
    const sent = [{ level: 1, episode_due_date: '2026-02-10', date: '2026-02-15' }];
    const d = collectionsDue(r, '2026-03-15', sent);
    expect(d.letter).toMatchObject({ level: 1, episode_due_date: '2026-03-10' });
  });
  it('late fees alone left on a row do not make the contract late, but are listed', () => {
    const r = rows([500, 0, 0, 0]);
    r[1] = row(1, '2026-02-10', 100_000, 500);
    expect(draftLetter(r, '2026-02-20', 1)).toBeNull();
    const l = draftLetter(r, '2026-03-20', 1)!;
    expect(l.items.map((i) => [i.n, i.total_cents])).toEqual([[1, 500], [2, 100_000]]);
    expect(l.total_cents).toBe(100_500);
    expect(l.episode_due_date).toBe('2026-03-10');
  });
  it('not late: no letter; the next would be level 1 after the next unpaid due date', () => {
    const d = collectionsDue(rows(), '2026-02-01', []);
    expect(d).toMatchObject({ letter: null, level_due: 0, level_sent: 0, next: { level: 1, date: '2026-02-15' } });
  });
});

describe('send now', () => {
  it('the level due if not sent, else the next one; level 3 only with three unpaid', () => {
    const r = rows();
    expect(manualLevel(collectionsDue(r, '2026-02-12', []), 1)).toBe(1);
    const sent1 = [{ level: 1, episode_due_date: '2026-02-10', date: '2026-02-15' }];
    expect(manualLevel(collectionsDue(r, '2026-02-20', sent1), 1)).toBe(2);
    const sent2 = [...sent1, { level: 2, episode_due_date: '2026-02-10', date: '2026-02-20' }];
    expect(manualLevel(collectionsDue(r, '2026-02-25', sent2), 1)).toBeNull();
    expect(manualLevel(collectionsDue(r, '2026-04-12', sent2), 3)).toBe(3);
  });
});
