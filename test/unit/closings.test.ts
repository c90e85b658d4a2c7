// The month close's pure rules (src/domain/closings.ts): month arithmetic and bounds, the state of the
// books from the history of closes and reopens, which dates are closed, the close and reopen refusals,
// and what a report's period says.
import { describe, expect, it } from 'vitest';
import {
  addMonth, closeOf, closeRefusal, monthsToClose, closedDateMessage, closingState, isDateClosed, isMonth, monthBounds, monthOf, monthRange,
  periodClosure, reopenRefusal, type ClosingRow,
} from '../../src/domain/closings.ts';

const row = (id: number, month: string, action: 'close' | 'reopen', actor = 'finanzas'): ClosingRow =>
  ({ id, month, action, reason: action === 'reopen' ? 'Corrección' : null, actor_name: actor, at: `2026-11-0${id}T15:00:00.000Z` });

describe('months', () => {
  it('knows a month when it sees one', () => {
    expect(['2026-01', '2026-12', '1999-09'].map(isMonth)).toEqual([true, true, true]);
    expect(['2026-13', '2026-00', '2026-1', '2026-10-01', '26-10', ''].map(isMonth)).toEqual([false, false, false, false, false, false]);
    expect(monthOf('2026-10-31')).toBe('2026-10');
  });

  it('adds months across years, both ways', () => {
    expect(addMonth('2026-12', 1)).toBe('2027-01');
    expect(addMonth('2026-01', -1)).toBe('2025-12');
    expect(addMonth('2026-10', 14)).toBe('2027-12');
    expect(addMonth('2026-03', -27)).toBe('2023-12');
  });

  it('gives the first and last day, February in leap years too', () => {
    expect(monthBounds('2026-10')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(monthBounds('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthBounds('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthBounds('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthBounds('2100-02').to).toBe('2100-02-28');
    expect(() => monthBounds('2026-13')).toThrow(TypeError);
  });

  it('lists a range of months, both ends included', () => {
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthRange('2026-02', '2026-02')).toEqual(['2026-02']);
    expect(monthRange('2026-03', '2026-02')).toEqual([]);
  });
});

describe('the state of the books', () => {
  it('is closed through the last month whose latest row is a close', () => {
    expect(closingState([]).closed_through).toBeNull();
    const s = closingState([row(1, '2026-08', 'close'), row(2, '2026-09', 'close'), row(3, '2026-10', 'close'), row(4, '2026-10', 'reopen')]);
    expect(s.closed_through).toBe('2026-09');
    expect(s.latest.get('2026-10')?.action).toBe('reopen');
    // Rows are taken in id order whatever order they come in.
    expect(closingState([row(4, '2026-10', 'reopen'), row(3, '2026-10', 'close')]).closed_through).toBeNull();
  });

  it('closes every date up to the end of that month, a date before the first month too; later ones stay open', () => {
    const s = closingState([row(1, '2026-08', 'close'), row(2, '2026-09', 'close')]);
    expect(['2026-08-01', '2026-09-30', '2019-05-10'].map((d) => isDateClosed(s, d))).toEqual([true, true, true]);
    expect(['2026-10-01', '2026-11-25'].map((d) => isDateClosed(s, d))).toEqual([false, false]);
    expect(closedDateMessage(s, '2026-09-15')).toEqual({ key: 'closings.error.date_closed', params: { month: '2026-09' } });
    expect(closedDateMessage(s, '2026-10-01')).toBeNull();
  });

  it('names the close in force of a closed month', () => {
    const s = closingState([row(1, '2026-08', 'close'), row(2, '2026-09', 'close', 'ana')]);
    expect(closeOf(s, '2026-09')?.actor_name).toBe('ana');
    expect(closeOf(s, '2026-08')?.id).toBe(1);
    expect(closeOf(s, '2026-01')?.id).toBe(1); // before the first month: the first close covers it
    expect(closeOf(s, '2026-10')).toBeNull();
  });
});

describe('closing a month', () => {
  const today = '2026-11-25';
  it('only once it is over', () => {
    const s = closingState([]);
    expect(closeRefusal(s, '2026-11', today)?.message).toEqual({ key: 'closings.error.not_over', params: { month: '2026-11', date: '30/11/2026' } });
    expect(closeRefusal(s, '2027-01', today)?.message.key).toBe('closings.error.not_over');
    expect(closeRefusal(s, '2026-03', today)).toBeNull();
  });

  it('closes with it every open month before it, from the first month with a record', () => {
    expect(monthsToClose(closingState([]), '2026-05', '2026-03')).toEqual(['2026-03', '2026-04', '2026-05']);
    const s = closingState([row(1, '2026-03', 'close'), row(2, '2026-04', 'close')]);
    expect(monthsToClose(s, '2026-05', '2026-03')).toEqual(['2026-05']);
    expect(monthsToClose(s, '2026-07', '2026-03')).toEqual(['2026-05', '2026-06', '2026-07']);
    // A month before the first record closes alone.
    expect(monthsToClose(closingState([]), '2026-01', '2026-03')).toEqual(['2026-01']);
    // After a reopen of the latest, the run starts again right after what stays closed.
    expect(monthsToClose(closingState([row(1, '2026-03', 'close'), row(2, '2026-04', 'close'), row(3, '2026-04', 'reopen')]), '2026-06', '2026-03'))
      .toEqual(['2026-04', '2026-05', '2026-06']);
  });

  it('not twice', () => {
    const s = closingState([row(1, '2026-03', 'close')]);
    expect(closeRefusal(s, '2026-03', today)?.message).toEqual({ key: 'closings.error.already_closed', params: { month: '2026-03' } });
    // Reopened, it can be closed again.
    expect(closeRefusal(closingState([row(1, '2026-03', 'close'), row(2, '2026-03', 'reopen')]), '2026-03', today)).toBeNull();
  });
});

describe('reopening a month', () => {
  const s = closingState([row(1, '2026-08', 'close'), row(2, '2026-09', 'close')]);
  it('only the latest closed one', () => {
    expect(reopenRefusal(s, '2026-09')).toBeNull();
    expect(reopenRefusal(s, '2026-08')).toEqual({ status: 409, message: { key: 'closings.error.later_closed', params: { month: '2026-08', later: '2026-09' } } });
  });
  it('not one that is open', () => {
    expect(reopenRefusal(s, '2026-10')?.message).toEqual({ key: 'closings.error.not_closed', params: { month: '2026-10' } });
    expect(reopenRefusal(closingState([row(1, '2026-08', 'close'), row(2, '2026-08', 'reopen')]), '2026-08')?.message.key).toBe('closings.error.not_closed');
  });
});

describe('what a report period says', () => {
  const s = closingState([row(1, '2026-08', 'close'), row(2, '2026-09', 'close', 'ana')]);
  it('closed when its last month is, with that month\'s close', () => {
    expect(periodClosure(s, '2026-09-01', '2026-09-30')).toEqual({ closed: true, close: s.latest.get('2026-09') });
    expect(periodClosure(s, '2026-01-01', '2026-08-15')).toEqual({ closed: true, close: s.latest.get('2026-08') });
    expect(periodClosure(s, null, '2026-09-30')).toMatchObject({ closed: true });
  });
  it('otherwise the open months it includes, after the last closed one', () => {
    expect(periodClosure(s, '2026-01-01', '2026-11-25')).toEqual({ closed: false, open_from: '2026-10', open_to: '2026-11', closed_through: '2026-09' });
    expect(periodClosure(s, '2026-11-01', '2026-11-25')).toEqual({ closed: false, open_from: '2026-11', open_to: '2026-11', closed_through: '2026-09' });
    expect(periodClosure(s, null, '2026-11-25')).toEqual({ closed: false, open_from: '2026-10', open_to: '2026-11', closed_through: '2026-09' });
    expect(periodClosure(closingState([]), null, '2026-11-25')).toEqual({ closed: false, open_from: null, open_to: '2026-11', closed_through: null });
    expect(periodClosure(closingState([]), '2026-01-01', '2026-11-25')).toEqual({ closed: false, open_from: '2026-01', open_to: '2026-11', closed_through: null });
  });
});
