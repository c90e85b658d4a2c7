// Importing a bank statement: the file read through its account's mapping (src/domain/bank-csv.ts),
// every problem listed at once and nothing written when there is any; else one transaction writes
// the statement, the lines not already imported (by fingerprint, so an overlapping statement never
// brings a line twice), which lines the file held, and the audit row `bank.statement_imported`.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, type FieldErrors } from '../web/errors.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Cents } from '../domain/money.ts';
import {
  decodeStatementFile, fingerprints, mappingFromJson, readStatement, sha256Hex, type StatementError,
} from '../domain/bank-csv.ts';
import {
  bankAccountsByLedger, bankAccountsByNumber, findBankAccount, linesByFingerprint, statementWithFile, type BankAccountRow,
} from './queries.ts';

export interface StatementUpload {
  /** The bank account: its id, its account number, or its ledger account's code (1102) when one account has it. */
  account: string;
  file_name: string;
  bytes: Uint8Array;
  opening_cents: Cents | null;
  closing_cents: Cents | null;
  period_from: IsoDate | null;
  period_to: IsoDate | null;
}

/** A refused statement: the bad lines of the file and the refused fields, nothing written. */
export class StatementRefused extends FormError {
  constructor(status: 400 | 404 | 409, fields: FieldErrors, public readonly lines: StatementError[] = [],
    public readonly existingId: number | null = null) {
    super(status, fields);
  }
}

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
};

/** The bank account a form or a script names: id, account number, or the ledger code of exactly one active account. */
export async function resolveBankAccount(db: Db, ref: string): Promise<BankAccountRow> {
  const text = ref.trim();
  if (/^\d{1,9}$/.test(text)) {
    const byId = await findBankAccount(db, Number(text));
    if (byId) return byId;
  }
  const byNumber = await bankAccountsByNumber(db, text);
  if (byNumber.length === 1) return byNumber[0]!;
  const byLedger = await bankAccountsByLedger(db, text);
  if (byLedger.length === 1) return byLedger[0]!;
  if (byLedger.length > 1) throw new StatementRefused(400, { account: { key: 'bank.errors.account_ambiguous', params: { code: text } } });
  throw new StatementRefused(400, { account: { key: 'bank.errors.account_unknown', params: { value: text.slice(0, 40) } } });
}

/** Imports a statement; returns its id. Refusals: StatementRefused (400 bad file or fields, 409 already imported). */
export async function importStatement(db: Db, actor: Actor, today: IsoDate, input: StatementUpload): Promise<number> {
  if (input.period_from && input.period_to && input.period_from > input.period_to) {
    throw new StatementRefused(400, { period_to: 'bank.errors.period_order' });
  }
  const { text, encoding } = decodeStatementFile(input.bytes);
  const sha256 = sha256Hex(input.bytes);
  try {
    return await db.transaction(async (trx) => {
      const account = await resolveBankAccount(trx, input.account);
      if (account.status !== 'active') throw new StatementRefused(409, { account: 'bank.errors.account_closed' });
      const mapping = mappingFromJson(account.mapping);
      const read = readStatement(text, mapping, {
        opening_cents: input.opening_cents, closing_cents: input.closing_cents,
        period_from: input.period_from, period_to: input.period_to, today,
      });
      if (read.errors.length > 0) throw new StatementRefused(400, { file: 'bank.errors.file_refused' }, read.errors);
      if (Object.keys(read.fields).length > 0) throw new StatementRefused(400, read.fields);

      const prints = fingerprints(account.id, read.lines);
      const known = await linesByFingerprint(trx, account.id, prints);
      if (known.size === prints.length) {
        const same = await statementWithFile(trx, account.id, sha256);
        if (same !== null) throw new StatementRefused(409, { file: { key: 'bank.errors.already_imported', params: { id: same } } }, [], same);
      }
      const now = new Date().toISOString();
      const fresh = read.lines.filter((_, i) => !known.has(prints[i]!)).length;
      const [row] = await trx('bank_statements').insert({
        bank_account_id: account.id, period_from: read.period_from, period_to: read.period_to,
        opening_balance_cents: read.opening_cents, closing_balance_cents: read.closing_cents,
        file_name: input.file_name.slice(0, 255), file_sha256: sha256,
        line_count: read.lines.length, new_line_count: fresh, duplicate_line_count: read.lines.length - fresh,
        mapping_used: JSON.stringify({ ...mapping, read: { encoding, newest_first: read.newest_first, has_balances: read.has_balances } }),
        imported_by: actor.id, imported_by_name: actor.username, created_at: now,
      }).returning('id');
      const id = Number(typeof row === 'object' ? row.id : row);

      const news = read.lines.flatMap((l, i) => (known.has(prints[i]!) ? [] : [{
        bank_account_id: account.id, statement_id: id, line_number: l.n, date: l.date, description: l.description,
        reference: l.reference, amount_cents: l.amount_cents, balance_cents: l.balance_cents, fingerprint: prints[i]!,
        status: 'unmatched', created_at: now,
      }]));
      for (let i = 0; i < news.length; i += 200) await trx('bank_statement_lines').insert(news.slice(i, i + 200));
      const ids = await linesByFingerprint(trx, account.id, prints);
      const fileLines = read.lines.map((l, i) => ({
        statement_id: id, line_number: l.n, file_line: l.file_line, statement_line_id: ids.get(prints[i]!)!, duplicate: known.has(prints[i]!),
      }));
      for (let i = 0; i < fileLines.length; i += 200) await trx('bank_statement_file_lines').insert(fileLines.slice(i, i + 200));

      await audit(trx, actor, 'bank.statement_imported', 'bank_statement', id, {
        bank_account_id: account.id, file_name: input.file_name, file_sha256: sha256, encoding,
        period_from: read.period_from, period_to: read.period_to,
        opening_balance_cents: read.opening_cents, closing_balance_cents: read.closing_cents,
        line_count: read.lines.length, new_line_count: fresh, duplicate_line_count: read.lines.length - fresh,
      });
      return id;
    });
  } catch (err) {
    // Another import of an overlapping statement wrote the same line meanwhile: nothing of this one was kept.
    if (isUniqueViolation(err)) throw new StatementRefused(409, { file: 'bank.errors.concurrent' });
    throw err;
  }
}
