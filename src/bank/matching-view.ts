// What the matching page and the reconciliation read: the statement's lines, the book lines on the
// bank's ledger account, the active matches, the proposals; and the reconciliation's figures. Reads only.
import type { Db } from '../db/knex.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import {
  MATCH_WINDOW, bankReconciliation, offsettingPairs, proposeMatches, type BookItem, type RecResult, type StatementLine,
} from '../domain/bank-matching.ts';
import { accountBalance } from '../fund/ledger.ts';
import {
  bookLines, bookLinesWithOriginals, matchLastDates, matchesById, matchingStart, statementLines, type BookLineRow, type LineRow, type MatchRow, type StatementRow,
} from './matching-queries.ts';

export interface MatchingState {
  start: IsoDate;
  lines: LineRow[];
  openLines: StatementLine[];
  book: BookLineRow[];
  proposalItems: BookItem[];
  /** Unmatched book lines up to the statement's end (voided pairs left out): in transit. */
  inTransit: BookLineRow[];
  voided: [BookLineRow, BookLineRow][];
  matches: (MatchRow & { lines: LineRow[]; books: BookLineRow[] })[];
}

export async function matchingState(db: Db, statement: StatementRow): Promise<MatchingState> {
  const start = (await matchingStart(db, statement.bank_account_id)) ?? statement.period_from;
  const code = statement.account.ledger_account_code;
  const lines = await statementLines(db, statement.bank_account_id, statement.period_from, statement.period_to);
  // Book lines the proposals may use reach the window's end after the statement's last day.
  const loaded = await bookLinesWithOriginals(db, code, start, addDays(statement.period_to, MATCH_WINDOW.daysAfter));
  const { pairs, paired } = offsettingPairs(loaded);
  // Before the first statement's start only what pairs with a later reversal is shown (as voided).
  const book = loaded.filter((b) => b.date >= start || b.match_id !== null);
  const openLines = lines.filter((l) => l.match_id === null && l.status === 'unmatched');
  const proposalItems = book.filter((b) => !paired.has(b.id));
  const inTransit = book.filter((b) => b.match_id === null && !paired.has(b.id) && b.date <= statement.period_to);

  const matchIds = [...new Set(lines.map((l) => l.match_id).filter((id): id is number => id !== null))];
  const matches = await matchesById(db, matchIds);
  const matchedBookIds = matches.flatMap((m) => m.book_line_ids);
  const known = new Map(book.map((b) => [b.id, b]));
  const missing = matchedBookIds.filter((id) => !known.has(id));
  if (missing.length) for (const b of await bookLines(db, code, { ids: missing })) known.set(b.id, b);
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const otherLines = matches.flatMap((m) => m.statement_line_ids).filter((id) => !lineById.has(id));
  if (otherLines.length) {
    // A match may hold a line of the next statement (a split across the period's end).
    for (const l of await statementLines(db, statement.bank_account_id, null, '9999-12-31')) if (otherLines.includes(l.id)) lineById.set(l.id, l);
  }
  return {
    start, lines, openLines, book, proposalItems, inTransit, voided: pairs,
    matches: matches.map((m) => ({
      ...m, lines: m.statement_line_ids.map((id) => lineById.get(id)!).filter(Boolean), books: m.book_line_ids.map((id) => known.get(id)!).filter(Boolean),
    })),
  };
}

export async function proposalsFor(db: Db, statement: StatementRow) {
  const state = await matchingState(db, statement);
  return { state, ...proposeMatches(state.openLines, state.proposalItems) };
}

/** The bank reconciliation of a statement on its last day, as it stands now. */
export async function computeReconciliation(db: Db, statement: StatementRow): Promise<RecResult & { start: IsoDate; labels: Map<number, BookLineRow> }> {
  const as_of = statement.period_to;
  const start = (await matchingStart(db, statement.bank_account_id)) ?? statement.period_from;
  const code = statement.account.ledger_account_code;
  const bank = await statementLines(db, statement.bank_account_id, null, as_of);
  const book = await bookLinesWithOriginals(db, code, start, as_of);
  const matchIds = [...new Set([...bank.map((l) => l.match_id), ...book.map((b) => b.match_id)].filter((id): id is number => id !== null))];
  const result = bankReconciliation({
    as_of, start, statement_balance_cents: statement.closing_balance_cents, book_balance_cents: await accountBalance(db, code, as_of),
    bank_lines: bank, book_lines: book.map((b) => ({ ...b, description: b.label })), match_last_date: await matchLastDates(db, matchIds),
  });
  return { ...result, start, labels: new Map(book.map((b) => [b.id, b])) };
}
