// The writes of bank matching: a match between statement lines and book lines (accepted from a proposal,
// or chosen by hand), its undo (never a delete), a change (undo + new match), and the explanation of a
// line without counterpart by a balanced entry. Each is one transaction with its audit entry. A statement
// line or a book line is in at most one active match: checked inside the transaction, the lines locked.
import type { Db } from '../db/knex.ts';
import type { Clock } from '../clock.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, notFound } from '../web/errors.ts';
import { formatSoles } from '../domain/money.ts';
import { ACCOUNTS, SOURCE_TYPES } from '../domain/accounts.ts';
import { proposeMatches, type Explanation } from '../domain/bank-matching.ts';
import { postEntry, reverseEntry } from '../fund/ledger.ts';
import { findStatement, matchesById } from './matching-queries.ts';
import { matchingState } from './matching-view.ts';

/** The account an explanation posts against the bank (see the migration …000006 and docs/rules.md). */
export const EXPLANATION_ACCOUNT: Record<Explanation, string> = {
  bank_fee: ACCOUNTS.bankFees,
  interest: ACCOUNTS.bankInterest,
  bank_error: ACCOUNTS.bankSuspense,
  other: ACCOUNTS.bankSuspense,
};
const EXPLANATION_LABEL: Record<Explanation, string> = {
  bank_fee: 'comisión o cargo del banco', interest: 'intereses del banco', bank_error: 'error del banco por regularizar',
  other: 'movimiento por regularizar',
};

const now = () => new Date().toISOString();

interface LockedLine { id: number; bank_account_id: number; statement_id: number; date: string; description: string; amount_cents: number; status: string }

/** The statement lines, locked, all of one bank account and none in an active match (409 otherwise). */
async function takeStatementLines(trx: Db, bankAccountId: number | null, ids: number[]): Promise<LockedLine[]> {
  const rows = await trx('bank_statement_lines').whereIn('id', ids).forUpdate().orderBy('id');
  if (rows.length !== ids.length) throw new FormError(400, { _form: 'bank.errors.unknown_line' });
  const lines = rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id), bank_account_id: Number(r.bank_account_id), statement_id: Number(r.statement_id), date: String(r.date),
    description: String(r.description), amount_cents: Number(r.amount_cents), status: String(r.status),
  }));
  if (lines.some((l: LockedLine) => l.bank_account_id !== (bankAccountId ?? lines[0]!.bank_account_id))) {
    throw new FormError(400, { _form: 'bank.errors.unknown_line' });
  }
  const taken = await trx('bank_match_statement_lines as ms').join('bank_matches as m', 'm.id', 'ms.match_id')
    .whereNull('m.undone_at').whereIn('ms.statement_line_id', ids).first('ms.statement_line_id', 'm.id');
  const busy = lines.find((l: LockedLine) => l.status !== 'unmatched');
  if (taken || busy) {
    const id = taken ? Number(taken.statement_line_id) : busy!.id;
    throw new FormError(409, { _form: { key: 'bank.errors.line_taken', params: { line: id } } });
  }
  return lines;
}

/** The book lines, locked: journal lines on the account's ledger account, none in an active match. */
async function takeBookLines(trx: Db, ledgerCode: string, ids: number[]): Promise<{ id: number; amount_cents: number }[]> {
  const rows = await trx('journal_lines').whereIn('id', ids).forUpdate().orderBy('id');
  if (rows.length !== ids.length || rows.some((r: Record<string, unknown>) => String(r.account_code) !== ledgerCode)) {
    throw new FormError(400, { _form: 'bank.errors.unknown_book_line' });
  }
  const taken = await trx('bank_match_book_lines as mb').join('bank_matches as m', 'm.id', 'mb.match_id')
    .whereNull('m.undone_at').whereIn('mb.journal_line_id', ids).first('mb.journal_line_id');
  if (taken) throw new FormError(409, { _form: { key: 'bank.errors.book_line_taken', params: { line: Number(taken.journal_line_id) } } });
  return rows.map((r: Record<string, unknown>) => ({ id: Number(r.id), amount_cents: Number(r.debit_cents) - Number(r.credit_cents) }));
}

async function insertMatch(trx: Db, actor: Actor, row: Record<string, unknown>): Promise<number> {
  const [r] = await trx('bank_matches').insert({
    ...row, created_by: actor.id, created_by_name: actor.username, created_at: now(),
  }).returning('id');
  return Number(typeof r === 'object' ? r.id : r);
}

export interface MatchInput { statement_line_ids: number[]; book_line_ids: number[]; via: 'proposal' | 'manual' | 'safe' | 'change'; rule?: string | null }

/** A match inside the caller's transaction: both sides chosen, equal sums, nothing already matched. */
async function matchIn(trx: Db, actor: Actor, bankAccountId: number | null, input: MatchInput): Promise<number> {
  const lineIds = [...new Set(input.statement_line_ids)];
  const bookIds = [...new Set(input.book_line_ids)];
  if (lineIds.length === 0 || bookIds.length === 0) throw new FormError(400, { _form: 'bank.errors.pick_both' });
  const lines = await takeStatementLines(trx, bankAccountId, lineIds);
  const account = await trx('bank_accounts').where({ id: lines[0]!.bank_account_id }).first();
  const books = await takeBookLines(trx, String(account.ledger_account_code), bookIds);
  const bank = lines.reduce((s, l) => s + l.amount_cents, 0);
  const book = books.reduce((s, l) => s + l.amount_cents, 0);
  if (bank !== book) {
    throw new FormError(400, { _form: { key: 'bank.errors.sums_differ', params: { bank: formatSoles(bank), books: formatSoles(book) } } });
  }
  const id = await insertMatch(trx, actor, { bank_account_id: account.id, kind: 'book', note: input.rule ?? null });
  await trx('bank_match_statement_lines').insert(lineIds.map((l) => ({ match_id: id, statement_line_id: l })));
  await trx('bank_match_book_lines').insert(bookIds.map((b) => ({ match_id: id, journal_line_id: b })));
  await trx('bank_statement_lines').whereIn('id', lineIds).update({ status: 'matched' });
  await audit(trx, actor, 'bank.match_create', 'bank_match', id, {
    via: input.via, rule: input.rule ?? null, statement_line_ids: lineIds, book_line_ids: bookIds, amount_cents: bank,
  });
  return id;
}

/** Matches statement lines with book lines (a proposal accepted, or chosen by hand). */
export async function createMatch(db: Db, actor: Actor, statementId: number, input: MatchInput): Promise<number> {
  return db.transaction(async (trx) => {
    const statement = await findStatement(trx, statementId);
    if (!statement) throw notFound();
    return matchIn(trx, actor, statement.bank_account_id, input);
  });
}

/** Accepts every safe proposal of the statement (exact reference, voucher or document, one to one). */
export async function acceptSafeProposals(db: Db, actor: Actor, statementId: number): Promise<number> {
  return db.transaction(async (trx) => {
    const statement = await findStatement(trx, statementId);
    if (!statement) throw notFound();
    const state = await matchingState(trx, statement);
    const { proposals } = proposeMatches(state.openLines, state.proposalItems);
    let count = 0;
    for (const p of proposals.filter((x) => x.safe)) {
      await matchIn(trx, actor, statement.bank_account_id, { statement_line_ids: p.statement_line_ids, book_line_ids: p.book_line_ids, via: 'safe', rule: p.rule });
      count += 1;
    }
    await audit(trx, actor, 'bank.match_accept_safe', 'bank_statement', statementId, { matches: count });
    return count;
  });
}

/** Undoes an active match inside the caller's transaction; an explanation's entry is reversed today. */
async function undoIn(trx: Db, clock: Clock, actor: Actor, matchId: number, reason: string, via: string) {
  const [match] = await matchesById(trx, [matchId]);
  if (!match) throw notFound();
  await trx('bank_matches').where({ id: matchId }).forUpdate().first();
  const fresh = await trx('bank_matches').where({ id: matchId }).first('undone_at');
  if (fresh.undone_at) throw new FormError(409, { reason: { key: 'bank.errors.already_undone', params: { id: matchId } } });
  let undoEntryId: number | null = null;
  if (match.kind === 'explained' && match.entry_id !== null) {
    undoEntryId = await reverseEntry(trx, match.entry_id, clock.today(), `Anulación de la explicación de una línea del banco (conciliación #${matchId}): ${reason}`, actor,
      { source_type: SOURCE_TYPES.bankExplanationReversal, source_id: matchId });
  }
  await trx('bank_matches').where({ id: matchId }).update({
    undone_at: now(), undone_by: actor.id, undo_reason: reason, undo_entry_id: undoEntryId,
  });
  await trx('bank_statement_lines').whereIn('id', match.statement_line_ids).update({ status: 'unmatched' });
  await audit(trx, actor, 'bank.match_undo', 'bank_match', matchId, {
    via, reason, kind: match.kind, statement_line_ids: match.statement_line_ids, book_line_ids: match.book_line_ids, undo_entry_id: undoEntryId,
  });
  return match;
}

/** Undoes a match: its lines are unmatched again (the match stays, marked undone, with the reason). */
export async function undoMatch(db: Db, clock: Clock, actor: Actor, matchId: number, reason: string) {
  return db.transaction(async (trx) => undoIn(trx, clock, actor, matchId, reason, 'undo'));
}

/** Changes a match: the undo and the new match in one transaction (both or neither). */
export async function changeMatch(db: Db, clock: Clock, actor: Actor, matchId: number, reason: string,
  input: Pick<MatchInput, 'statement_line_ids' | 'book_line_ids'>): Promise<number> {
  return db.transaction(async (trx) => {
    const old = await undoIn(trx, clock, actor, matchId, reason, 'change');
    return matchIn(trx, actor, old.bank_account_id, { ...input, via: 'change' });
  });
}

/**
 * Explains a statement line that has no counterpart in the books with a balanced entry dated the line's
 * date: money in, Dr 1102 / Cr the explanation's account; money out, Dr that account / Cr 1102. The match
 * (kind 'explained') holds the line, the entry and the entry's line on the bank account.
 */
export async function explainLine(db: Db, actor: Actor, lineId: number, explanation: Explanation, note: string | null): Promise<{ match_id: number; statement_id: number }> {
  return db.transaction(async (trx) => {
    const exists = await trx('bank_statement_lines').where({ id: lineId }).first('id');
    if (!exists) throw notFound();
    const [line] = await takeStatementLines(trx, null, [lineId]);
    if (explanation === 'other' && !note) throw new FormError(400, { note: 'bank.errors.note_required' });
    if (line!.amount_cents === 0) throw new FormError(400, { _form: 'bank.errors.zero_line' });
    const account = await trx('bank_accounts').where({ id: line!.bank_account_id }).first();
    const bankCode = String(account.ledger_account_code);
    const counter = EXPLANATION_ACCOUNT[explanation];
    const amount = Math.abs(line!.amount_cents);
    const id = await insertMatch(trx, actor, { bank_account_id: account.id, kind: 'explained', explanation, note });
    const entryId = await postEntry(trx, {
      date: line!.date,
      description: `Extracto ${account.bank_name}: ${line!.description} — ${EXPLANATION_LABEL[explanation]}${note ? `: ${note}` : ''}`,
      source_type: SOURCE_TYPES.bankExplanation, source_id: id,
      lines: line!.amount_cents > 0
        ? [{ account_code: bankCode, debit_cents: amount }, { account_code: counter, credit_cents: amount }]
        : [{ account_code: counter, debit_cents: amount }, { account_code: bankCode, credit_cents: amount }],
    }, actor);
    const bankLine = await trx('journal_lines').where({ entry_id: entryId, account_code: bankCode }).first('id');
    await trx('bank_matches').where({ id }).update({ entry_id: entryId });
    await trx('bank_match_statement_lines').insert({ match_id: id, statement_line_id: lineId });
    await trx('bank_match_book_lines').insert({ match_id: id, journal_line_id: Number(bankLine.id) });
    await trx('bank_statement_lines').where({ id: lineId }).update({ status: 'explained' });
    await audit(trx, actor, 'bank.match_explain', 'bank_match', id, {
      statement_line_id: lineId, explanation, note, entry_id: entryId, amount_cents: line!.amount_cents, account_code: counter,
    });
    return { match_id: id, statement_id: line!.statement_id };
  });
}
