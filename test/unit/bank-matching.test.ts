// Proposals and the bank reconciliation on hand-made lines: each rule, the window's edges, splits both
// ways, greediness (a book line never proposed twice), notes on mismatched and repeated lines, and the
// reconciliation's items and formula.
import { describe, expect, it } from 'vitest';
import {
  MATCH_WINDOW, bankReconciliation, inWindow, normaliseRef, offsettingPairs, proposeMatches, type BookItem, type RecBookLine, type StatementLine,
} from '../../src/domain/bank-matching.ts';

const line = (id: number, date: string, amount: number, reference: string | null = null, description = 'ABONO'): StatementLine =>
  ({ id, date, amount_cents: amount, reference, description });
const receipt = (id: number, date: string, amount: number, reference: string | null, contract = 1, extra: Partial<BookItem> = {}): BookItem =>
  ({ id, entry_id: 1000 + id, date, amount_cents: amount, kind: 'receipt', references: [reference, `R001-0000000${id}`].filter((r): r is string => !!r),
    ruc: '20100000019', group: `contract:${contract}`, ...extra });

describe('references and the window', () => {
  it('normalises references to letters and digits', () => {
    expect(normaliseRef(' op-00 12/34 ')).toBe('OP001234');
    expect(normaliseRef(null)).toBe('');
  });
  it('takes book dates from 3 days before to 5 days after the line', () => {
    expect(MATCH_WINDOW).toEqual({ daysBefore: 3, daysAfter: 5 });
    expect(inWindow('2026-11-10', '2026-11-07')).toBe(true);
    expect(inWindow('2026-11-10', '2026-11-06')).toBe(false);
    expect(inWindow('2026-11-10', '2026-11-15')).toBe(true);
    expect(inWindow('2026-11-10', '2026-11-16')).toBe(false);
  });
});

describe('proposeMatches', () => {
  it('matches a receipt by reference (line reference or description), a deposit by its voucher, a spending by its document', () => {
    const lines = [
      line(1, '2026-11-03', 141_667, 'op-5501'),
      line(2, '2026-11-04', 50_000, null, 'DEP EFECTIVO VOUCHER 00912'),
      line(3, '2026-11-05', -1_200_000, null, 'TRANSF A 20512333797 F001-00000102'),
    ];
    const items: BookItem[] = [
      receipt(10, '2026-11-02', 141_667, 'OP 5501'),
      { id: 11, entry_id: 2011, date: '2026-11-04', amount_cents: 50_000, kind: 'cash_deposit', references: ['00912'], ruc: null, group: null },
      { id: 12, entry_id: 2012, date: '2026-11-03', amount_cents: -1_200_000, kind: 'spending', references: ['F001-00000102'], ruc: '20512333797', group: null },
    ];
    const { proposals, notes } = proposeMatches(lines, items);
    expect(proposals).toEqual([
      { statement_line_ids: [1], book_line_ids: [10], rule: 'reference', score: 100, safe: true },
      { statement_line_ids: [2], book_line_ids: [11], rule: 'voucher', score: 100, safe: true },
      { statement_line_ids: [3], book_line_ids: [12], rule: 'document', score: 95, safe: true },
    ]);
    expect(notes).toEqual([]);
  });

  it('matches a rescission refund by its resolution, and a voided receipt\'s return by its reference', () => {
    const refund: BookItem = { id: 20, entry_id: 3020, date: '2026-10-01', amount_cents: -1_300_000, kind: 'refund', references: ['R.A. 77-2026', 'CV-2025-0002'], ruc: null, group: null };
    const back: BookItem = { id: 21, entry_id: 3021, date: '2026-10-02', amount_cents: -141_667, kind: 'receipt_void', references: ['OP-44'], ruc: null, group: null };
    const { proposals } = proposeMatches([line(1, '2026-10-02', -1_300_000, null, 'DEVOLUCION RA 77-2026'), line(2, '2026-10-03', -141_667, 'OP-44')], [refund, back]);
    expect(proposals).toEqual([
      { statement_line_ids: [1], book_line_ids: [20], rule: 'document', score: 95, safe: true },
      { statement_line_ids: [2], book_line_ids: [21], rule: 'reversal', score: 90, safe: false },
    ]);
  });

  it('never proposes outside the window, a matched book line, or the same book line twice', () => {
    const items = [receipt(10, '2026-11-02', 100_000, 'OP-1'), receipt(11, '2026-11-02', 70_000, 'OP-2', 1, { matched: true })];
    const far = proposeMatches([line(1, '2026-11-08', 100_000, 'OP-1')], items);
    expect(far.proposals).toEqual([]);
    // Two identical lines name the same receipt: the first (by date, then id) takes it; the other is noted.
    const twice = proposeMatches([line(2, '2026-11-03', 100_000, 'OP-1'), line(1, '2026-11-03', 100_000, 'OP-1'), line(3, '2026-11-03', 70_000, 'OP-2')], items);
    expect(twice.proposals).toEqual([{ statement_line_ids: [1], book_line_ids: [10], rule: 'reference', score: 100, safe: true }]);
    expect(twice.notes).toEqual([
      { statement_line_id: 2, book_line_id: 10, kind: 'duplicate', bank_cents: 100_000, book_cents: 100_000 },
      { statement_line_id: 3, book_line_id: 11, kind: 'duplicate', bank_cents: 70_000, book_cents: 70_000 },
    ]);
  });

  it('does not propose a line whose reference names a receipt of another amount, and names it', () => {
    const { proposals, notes } = proposeMatches([line(1, '2026-11-03', 141_600, 'OP-9')], [receipt(10, '2026-11-03', 141_667, 'OP-9'), receipt(11, '2026-11-03', 141_600, null, 2)]);
    expect(proposals).toEqual([]);
    expect(notes).toEqual([{ statement_line_id: 1, book_line_id: 10, kind: 'amount_differs', bank_cents: 141_600, book_cents: 141_667 }]);
  });

  it('splits one line across the receipts it names, and one receipt across two lines', () => {
    const a = proposeMatches([line(1, '2026-11-10', 300_000, null, 'ABONO OP-77 EMPRESA')],
      [receipt(10, '2026-11-09', 100_000, 'OP-77'), receipt(11, '2026-11-10', 200_000, 'OP-77'), receipt(12, '2026-11-10', 300_000, null, 9)]);
    expect(a.proposals).toEqual([{ statement_line_ids: [1], book_line_ids: [10, 11], rule: 'split_reference', score: 85, safe: false }]);
    const b = proposeMatches([line(1, '2026-11-10', 100_000, 'OP-8'), line(2, '2026-11-11', 41_667, 'OP-8')], [receipt(10, '2026-11-10', 141_667, 'OP-8')]);
    expect(b.proposals).toEqual([{ statement_line_ids: [1, 2], book_line_ids: [10], rule: 'split_lines', score: 85, safe: false }]);
  });

  it('by amount alone: only a single candidate both ways; a split of one contract only when it is the only one', () => {
    const one = proposeMatches([line(1, '2026-11-10', 55_500)], [receipt(10, '2026-11-12', 55_500, 'X-1')]);
    expect(one.proposals).toEqual([{ statement_line_ids: [1], book_line_ids: [10], rule: 'amount', score: 50, safe: false }]);
    const two = proposeMatches([line(1, '2026-11-10', 55_500)], [receipt(10, '2026-11-12', 55_500, null), receipt(11, '2026-11-11', 55_500, null, 2)]);
    expect(two.proposals).toEqual([]);
    const rivals = proposeMatches([line(1, '2026-11-10', 55_500), line(2, '2026-11-11', 55_500)], [receipt(10, '2026-11-12', 55_500, null)]);
    expect(rivals.proposals).toEqual([]);
    const split = proposeMatches([line(1, '2026-11-10', 30_000)], [receipt(10, '2026-11-10', 10_000, null, 4), receipt(11, '2026-11-11', 20_000, null, 4), receipt(12, '2026-11-11', 20_000, null, 5)]);
    expect(split.proposals).toEqual([{ statement_line_ids: [1], book_line_ids: [10, 11], rule: 'split_group', score: 60, safe: false }]);
  });

  it('is greedy by score: an exact reference wins over an amount-only candidate', () => {
    const { proposals } = proposeMatches([line(1, '2026-11-10', 9_000), line(2, '2026-11-10', 9_000, 'OP-3')], [receipt(10, '2026-11-10', 9_000, 'OP-3')]);
    expect(proposals).toEqual([{ statement_line_ids: [2], book_line_ids: [10], rule: 'reference', score: 100, safe: true }]);
  });
});

describe('bankReconciliation', () => {
  const book = (id: number, date: string, amount: number, match_id: number | null = null, entry_id = 100 + id, reverses_entry_id: number | null = null): RecBookLine =>
    ({ id, entry_id, date, description: `b${id}`, amount_cents: amount, reverses_entry_id, match_id });
  it('names items in transit and not recorded, offsets voided pairs, and counts a match as cleared only when all of it is up to as_of', () => {
    const r = bankReconciliation({
      as_of: '2026-11-30', statement_balance_cents: 1_000_000, book_balance_cents: 1_000_000 + 50_000 - 20_000 + 1_500 - 300_000,
      bank_lines: [
        { id: 1, date: '2026-11-05', description: 'a', reference: null, amount_cents: 200_000, match_id: 1 },
        { id: 2, date: '2026-11-30', description: 'comisión', reference: null, amount_cents: -1_500, match_id: null },
        { id: 3, date: '2026-11-29', description: 'abono', reference: null, amount_cents: 300_000, match_id: 2 },
      ],
      book_lines: [
        book(1, '2026-11-04', 200_000, 1), book(2, '2026-11-28', 50_000), book(3, '2026-11-29', -20_000),
        book(4, '2026-11-10', 7_000, null, 50), book(5, '2026-11-20', -7_000, null, 51, 50),
        book(6, '2026-12-02', 300_000, 2),
      ],
      match_last_date: new Map([[1, '2026-11-05'], [2, '2026-12-02']]),
    });
    expect(r.in_transit.map((l) => l.id)).toEqual([2, 3]);
    expect(r.not_recorded.map((l) => l.id)).toEqual([3, 2]);
    expect(r.voided.map(([a, b]) => [a.id, b.id])).toEqual([[4, 5]]);
    expect(r).toMatchObject({
      in_transit_in_cents: 50_000, in_transit_out_cents: -20_000, in_transit_cents: 30_000,
      not_recorded_in_cents: 300_000, not_recorded_out_cents: -1_500, not_recorded_cents: 298_500,
      adjusted_cents: 1_000_000 - 298_500 + 30_000, difference_cents: 1_000_000 - 298_500 + 30_000 - (1_000_000 + 50_000 - 20_000 + 1_500 - 300_000),
    });
    expect(r.difference_cents).toBe(0);
    expect(r.reconciled).toBe(true);
  });
  it('pairs an entry with its reversal only when both are unmatched and of opposite amounts', () => {
    const lines = [book(1, '2026-11-01', 5_000, null, 10), book(2, '2026-11-02', -5_000, null, 11, 10), book(3, '2026-11-01', 4_000, 7, 12),
      book(4, '2026-11-03', -4_000, null, 13, 12)];
    const { pairs, paired } = offsettingPairs(lines);
    expect(pairs.map(([a, b]) => [a.id, b.id])).toEqual([[1, 2]]);
    expect([...paired]).toEqual([1, 2]);
  });
});
