// The bank meets the books: which book movement each bank statement line is (proposals), and the bank
// reconciliation of a statement (bank closing balance against the ledger's bank account, with the
// reconciling items named). Pure: plain rows in, plain data out; the services read and write.
//
// A statement line carries a signed amount (+ money into the account, − out). A "book item" is one
// journal line on the bank account's ledger account (1102), signed the same way (debit − credit):
// a receipt by transfer or deposit (+), a cash deposit (+), a spending (−), a rescission refund (−),
// the reversal of any of those (the opposite sign), an explanation entry.
import { addDays, type IsoDate } from './dates.ts';

/**
 * The date window of a proposal: a book movement dated from 3 days before the bank line's date to 5
 * days after it. The bank may credit a transfer a day or two after the payer says it was made, and a
 * receipt or a deposit voucher may be recorded a few days after the bank moved the money.
 */
export const MATCH_WINDOW = { daysBefore: 3, daysAfter: 5 } as const;

/** Splits: one bank line for up to this many book movements (or one movement for two bank lines). */
export const MAX_SPLIT = 3;

export type BookKind = 'receipt' | 'receipt_void' | 'cash_deposit' | 'cash_deposit_reversal' | 'spending' | 'spending_reversal'
  | 'refund' | 'explanation' | 'explanation_reversal' | 'other';

export interface StatementLine {
  id: number;
  date: IsoDate;
  description: string;
  reference: string | null;
  amount_cents: number;
}

export interface BookItem {
  /** journal_lines.id */
  id: number;
  entry_id: number;
  date: IsoDate;
  amount_cents: number;
  kind: BookKind;
  /** What names the document: a receipt's bank reference and number, a deposit's voucher, a spending's
   *  document number, a refund's resolution and contract number. */
  references: string[];
  /** A RUC the bank may print: the supplier of a spending, the firm that paid a receipt. */
  ruc: string | null;
  /** Movements that belong together for a split (a receipt's contract). */
  group: string | null;
  /** Already in an active match: never proposed, only used to name a line that repeats it. */
  matched?: boolean;
}

export type Rule = 'reference' | 'voucher' | 'document' | 'reversal' | 'ruc' | 'split_reference' | 'split_lines' | 'amount' | 'split_group';

/** Scores: higher first. "Safe" proposals (an exact reference, voucher or document, one to one, same
 *  amount, in the window) can be accepted all at once. */
export const SCORES: Record<Rule, number> = {
  reference: 100, voucher: 100, document: 95, reversal: 90, split_reference: 85, split_lines: 85, ruc: 70, split_group: 60, amount: 50,
};
export const SAFE_RULES: readonly Rule[] = ['reference', 'voucher', 'document'];

export interface Proposal {
  statement_line_ids: number[];
  book_line_ids: number[];
  rule: Rule;
  score: number;
  safe: boolean;
}

/** A line that names a book movement it cannot be matched with, and why. */
export interface LineNote {
  statement_line_id: number;
  book_line_id: number;
  kind: 'amount_differs' | 'duplicate';
  bank_cents: number;
  book_cents: number;
}

/** Upper case letters and digits only: "op 00-123/4" and "OP00-1234" are the same reference. */
export function normaliseRef(text: string | null | undefined): string {
  return (text ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function inWindow(lineDate: IsoDate, bookDate: IsoDate): boolean {
  return bookDate >= addDays(lineDate, -MATCH_WINDOW.daysBefore) && bookDate <= addDays(lineDate, MATCH_WINDOW.daysAfter);
}

/** References shorter than this are only compared whole, never looked for inside a description. */
const MIN_REF_IN_TEXT = 4;

/** Does the line name this book item: its reference equals one of the item's, or one of them (or the
 *  item's RUC, when `ruc`) appears in its description or reference? */
function names(line: StatementLine, item: BookItem, how: 'reference' | 'ruc'): boolean {
  const lineRef = normaliseRef(line.reference);
  const text = `${normaliseRef(line.description)} ${lineRef}`;
  if (how === 'ruc') return item.ruc !== null && item.ruc.length === 11 && text.includes(item.ruc);
  return item.references.some((r) => {
    const ref = normaliseRef(r);
    if (!ref) return false;
    if (ref === lineRef) return true;
    return ref.length >= MIN_REF_IN_TEXT && text.includes(ref);
  });
}

/** The rule a one-to-one match by reference follows, by the kind of document. */
function referenceRule(kind: BookKind): Rule {
  if (kind === 'receipt') return 'reference';
  if (kind === 'cash_deposit') return 'voucher';
  if (kind === 'spending' || kind === 'refund') return 'document';
  return 'reversal';
}

const byDateId = <T extends { date: IsoDate; id: number }>(a: T, b: T) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id);

/** Subsets of `items` of size 2..max whose amounts add up to `target`, in a stable order. */
function subsetsSumming<T extends { amount_cents: number }>(items: T[], target: number, max = MAX_SPLIT): T[][] {
  const out: T[][] = [];
  const walk = (start: number, chosen: T[], total: number) => {
    if (chosen.length >= 2 && total === target) out.push([...chosen]);
    if (chosen.length === max) return;
    for (let i = start; i < items.length; i++) {
      chosen.push(items[i]!);
      walk(i + 1, chosen, total + items[i]!.amount_cents);
      chosen.pop();
    }
  };
  if (items.length <= 12) walk(0, [], 0); // a bounded search: never more than 12 candidates
  return out;
}

interface Candidate { lines: StatementLine[]; items: BookItem[]; rule: Rule }

const sortKey = (c: Candidate) => ({
  score: SCORES[c.rule],
  line: [...c.lines].sort(byDateId)[0]!,
  item: [...c.items].sort(byDateId)[0]!,
});

/** Best score first; ties by the bank line's date then id, then the book line's date then id. */
function compareCandidates(a: Candidate, b: Candidate): number {
  const x = sortKey(a), y = sortKey(b);
  if (x.score !== y.score) return y.score - x.score;
  const l = byDateId(x.line, y.line);
  if (l !== 0) return l;
  const i = byDateId(x.item, y.item);
  if (i !== 0) return i;
  return a.items.length - b.items.length || a.lines.length - b.lines.length;
}

/** Takes candidates greedily: each line and each book item at most once. */
function greedy(candidates: Candidate[], usedLines: Set<number>, usedItems: Set<number>): Candidate[] {
  const chosen: Candidate[] = [];
  for (const c of [...candidates].sort(compareCandidates)) {
    if (c.lines.some((l) => usedLines.has(l.id)) || c.items.some((i) => usedItems.has(i.id))) continue;
    for (const l of c.lines) usedLines.add(l.id);
    for (const i of c.items) usedItems.add(i.id);
    chosen.push(c);
  }
  return chosen;
}

/**
 * Proposes a counterpart for the unmatched statement lines among the unmatched book items, in two rounds:
 * 1. by what names the document (reference, voucher, document number, resolution; a supplier's RUC),
 *    same amount, in the window; splits whose parts the line names (one line = 2–3 movements, or two
 *    lines = one movement);
 * 2. for what is left, by amount alone: a single candidate both ways in the window; or one line equal to
 *    the sum of 2–3 receipts of one contract, when exactly one such set exists.
 * Each round is greedy by score, ties by date then id; a book item is never proposed twice. Lines that
 * name a movement whose amount differs, or that repeat a movement another line took, are noted, not proposed.
 */
export function proposeMatches(lines: StatementLine[], items: BookItem[]): { proposals: Proposal[]; notes: LineNote[] } {
  const open = items.filter((i) => !i.matched);
  const usedLines = new Set<number>();
  const usedItems = new Set<number>();
  const sortedLines = [...lines].sort(byDateId);

  // Round 1: named documents.
  const round1: Candidate[] = [];
  const named = new Map<number, BookItem[]>(); // line → items it names in its window, any amount
  for (const line of sortedLines) {
    const near = open.filter((i) => inWindow(line.date, i.date) && Math.sign(i.amount_cents) === Math.sign(line.amount_cents));
    const byRef = near.filter((i) => names(line, i, 'reference'));
    named.set(line.id, byRef);
    for (const i of byRef) if (i.amount_cents === line.amount_cents) round1.push({ lines: [line], items: [i], rule: referenceRule(i.kind) });
    for (const i of near) {
      if (i.amount_cents === line.amount_cents && i.kind === 'spending' && !byRef.includes(i) && names(line, i, 'ruc')) {
        round1.push({ lines: [line], items: [i], rule: 'ruc' });
      }
    }
    const parts = byRef.filter((i) => i.amount_cents !== line.amount_cents).sort(byDateId);
    for (const set of subsetsSumming(parts, line.amount_cents)) round1.push({ lines: [line], items: set, rule: 'split_reference' });
  }
  // Two bank lines for one movement: both name it, neither alone has its amount.
  for (const item of [...open].sort(byDateId)) {
    const parts = sortedLines.filter((l) => l.amount_cents !== item.amount_cents && (named.get(l.id) ?? []).includes(item));
    for (const set of subsetsSumming(parts, item.amount_cents, 2)) round1.push({ lines: set, items: [item], rule: 'split_lines' });
  }
  const chosen = greedy(round1, usedLines, usedItems);

  // Notes: a line naming a movement (open or already matched) it is not matched with.
  const notes: LineNote[] = [];
  for (const line of sortedLines) {
    if (usedLines.has(line.id)) continue;
    const near = items.filter((i) => inWindow(line.date, i.date) && names(line, i, 'reference')).sort(byDateId);
    const same = near.find((i) => i.amount_cents === line.amount_cents && (i.matched || usedItems.has(i.id)));
    const differs = near.find((i) => i.amount_cents !== line.amount_cents);
    if (same) notes.push({ statement_line_id: line.id, book_line_id: same.id, kind: 'duplicate', bank_cents: line.amount_cents, book_cents: same.amount_cents });
    else if (differs) notes.push({ statement_line_id: line.id, book_line_id: differs.id, kind: 'amount_differs', bank_cents: line.amount_cents, book_cents: differs.amount_cents });
  }
  const noted = new Set(notes.map((n) => n.statement_line_id));

  // Round 2: amount alone, for lines that name nothing.
  const restLines = sortedLines.filter((l) => !usedLines.has(l.id) && !noted.has(l.id));
  const restItems = open.filter((i) => !usedItems.has(i.id)).sort(byDateId);
  const round2: Candidate[] = [];
  for (const line of restLines) {
    const same = restItems.filter((i) => i.amount_cents === line.amount_cents && inWindow(line.date, i.date));
    if (same.length === 1) {
      const item = same[0]!;
      const rivals = restLines.filter((l) => l.amount_cents === item.amount_cents && inWindow(l.date, item.date));
      if (rivals.length === 1) round2.push({ lines: [line], items: [item], rule: 'amount' });
    }
    if (same.length === 0 && line.amount_cents > 0) {
      const receipts = restItems.filter((i) => i.kind === 'receipt' && i.group !== null && inWindow(line.date, i.date)
        && i.amount_cents < line.amount_cents);
      const groups = new Map<string, BookItem[]>();
      for (const i of receipts) groups.set(i.group!, [...(groups.get(i.group!) ?? []), i]);
      const sets = [...groups.values()].flatMap((g) => subsetsSumming(g, line.amount_cents));
      if (sets.length === 1) round2.push({ lines: [line], items: sets[0]!, rule: 'split_group' });
    }
  }
  chosen.push(...greedy(round2, usedLines, usedItems));

  const proposals = chosen.map((c) => ({
    statement_line_ids: c.lines.map((l) => l.id).sort((a, b) => a - b),
    book_line_ids: c.items.map((i) => i.id).sort((a, b) => a - b),
    rule: c.rule, score: SCORES[c.rule], safe: SAFE_RULES.includes(c.rule) && c.lines.length === 1 && c.items.length === 1,
  }));
  // Shown in the statement's order: by the first bank line's date and id.
  const lineOf = new Map(lines.map((l) => [l.id, l]));
  proposals.sort((a, b) => byDateId(lineOf.get(a.statement_line_ids[0]!)!, lineOf.get(b.statement_line_ids[0]!)!));
  return { proposals, notes };
}

// ---- the bank reconciliation of a statement ---------------------------------------------------

export interface RecBankLine {
  id: number; date: IsoDate; description: string; reference: string | null; amount_cents: number;
  /** The active match it is in, if any. */
  match_id: number | null;
}
export interface RecBookLine {
  id: number; entry_id: number; date: IsoDate; description: string; amount_cents: number;
  reverses_entry_id: number | null;
  match_id: number | null;
}
export interface RecInput {
  as_of: IsoDate;
  /** The statement's closing balance on as_of. */
  statement_balance_cents: number;
  /** The ledger's bank account on as_of (Σ debits − credits of entries dated up to as_of). */
  book_balance_cents: number;
  /** The account's statement lines dated up to as_of. */
  bank_lines: RecBankLine[];
  /** The ledger account's lines dated from the first statement's start up to as_of (and the older lines
   *  their reversals reverse). */
  book_lines: RecBookLine[];
  /** The first statement's first day: older book lines are in its opening balance (except when they offset a reversal). */
  start?: IsoDate;
  /** Each active match's latest date, over its bank lines and its book lines. */
  match_last_date: Map<number, IsoDate>;
}
export interface RecResult {
  as_of: IsoDate;
  statement_balance_cents: number;
  book_balance_cents: number;
  /** In the books, not yet in the bank: deposits not yet credited (+), payments not yet debited (−). */
  in_transit: RecBookLine[];
  in_transit_in_cents: number;
  in_transit_out_cents: number;
  in_transit_cents: number;
  /** In the bank, not (yet) in the books: credits (+) such as interest or unknown deposits; debits (−) such as fees. */
  not_recorded: RecBankLine[];
  not_recorded_in_cents: number;
  not_recorded_out_cents: number;
  not_recorded_cents: number;
  /** Book movements voided by their reversal, both unmatched and both up to as_of: they offset, not items. */
  voided: [RecBookLine, RecBookLine][];
  /** statement − not recorded + in transit: what the books should say. */
  adjusted_cents: number;
  /** adjusted − books: what nothing explains; 0 when reconciled. */
  difference_cents: number;
  reconciled: boolean;
}

/** Book lines of an entry and of its reversal, both unmatched and of opposite amounts: they offset each
 *  other (a voided receipt, a reversed spending or deposit, an undone explanation) and are no item. */
export function offsettingPairs<T extends { id: number; date: IsoDate; entry_id: number; reverses_entry_id: number | null; amount_cents: number; match_id: number | null }>(
  lines: T[]): { pairs: [T, T][]; paired: Set<number> } {
  const unmatched = lines.filter((l) => l.match_id === null);
  const byEntry = new Map(unmatched.map((l) => [l.entry_id, l]));
  const pairs: [T, T][] = [];
  const paired = new Set<number>();
  for (const l of unmatched) {
    if (l.reverses_entry_id === null) continue;
    const original = byEntry.get(l.reverses_entry_id);
    if (!original || paired.has(original.id) || original.amount_cents + l.amount_cents !== 0) continue;
    paired.add(original.id);
    paired.add(l.id);
    pairs.push([original, l]);
  }
  pairs.sort((a, b) => byDateId(a[0], b[0]));
  return { pairs, paired };
}

/**
 * The reconciliation on `as_of`: saldo según extracto − partidas del banco no registradas en libros +
 * partidas de libros en tránsito = saldo según libros. A match counts as cleared on as_of only when all of
 * its lines, on both sides, are dated up to as_of; otherwise each of its lines up to as_of is an item.
 */
export function bankReconciliation(input: RecInput): RecResult {
  const cleared = (matchId: number | null) => matchId !== null && (input.match_last_date.get(matchId) ?? '9999-12-31') <= input.as_of;
  const bank = input.bank_lines.filter((l) => l.date <= input.as_of && !cleared(l.match_id)).sort(byDateId);
  const books = input.book_lines.filter((l) => l.date <= input.as_of && !cleared(l.match_id)).sort(byDateId);
  const { pairs: voided, paired } = offsettingPairs(books);
  const in_transit = books.filter((l) => !paired.has(l.id) && (!input.start || l.date >= input.start));
  const sumIf = <T extends { amount_cents: number }>(list: T[], sign: 1 | -1) =>
    list.reduce((s, l) => s + (Math.sign(l.amount_cents) === sign ? l.amount_cents : 0), 0);
  const in_transit_in_cents = sumIf(in_transit, 1);
  const in_transit_out_cents = sumIf(in_transit, -1);
  const not_recorded_in_cents = sumIf(bank, 1);
  const not_recorded_out_cents = sumIf(bank, -1);
  const in_transit_cents = in_transit_in_cents + in_transit_out_cents;
  const not_recorded_cents = not_recorded_in_cents + not_recorded_out_cents;
  const adjusted_cents = input.statement_balance_cents - not_recorded_cents + in_transit_cents;
  const difference_cents = adjusted_cents - input.book_balance_cents;
  return {
    as_of: input.as_of, statement_balance_cents: input.statement_balance_cents, book_balance_cents: input.book_balance_cents,
    in_transit, in_transit_in_cents, in_transit_out_cents, in_transit_cents,
    not_recorded: bank, not_recorded_in_cents, not_recorded_out_cents, not_recorded_cents,
    voided, adjusted_cents, difference_cents, reconciled: difference_cents === 0,
  };
}

/** The figures a saved reconciliation is compared on, to tell whether it still holds. */
export function reconciliationFigures(r: Pick<RecResult, 'statement_balance_cents' | 'book_balance_cents' | 'in_transit_cents'
  | 'not_recorded_cents' | 'difference_cents'>) {
  return {
    statement_balance_cents: r.statement_balance_cents, book_balance_cents: r.book_balance_cents,
    in_transit_cents: r.in_transit_cents, not_recorded_cents: r.not_recorded_cents, difference_cents: r.difference_cents,
  };
}

/** The explanations of a line without counterpart, and the account each posts against the bank. */
export const EXPLANATIONS = ['bank_fee', 'interest', 'bank_error', 'other'] as const;
export type Explanation = (typeof EXPLANATIONS)[number];
