// SQL of the bank statements: bank accounts, statements, their lines. Rows only; the rules are in
// src/domain/bank-csv.ts and the writes in statements.ts / accounts.ts.
import type { Db } from '../db/knex.ts';

export interface BankAccountRow {
  id: number;
  name: string;
  bank_name: string;
  account_number: string;
  currency: string;
  ledger_account_code: string;
  mapping: string | null;
  status: string;
  created_at: string;
}

export interface StatementRow {
  id: number;
  bank_account_id: number;
  period_from: string;
  period_to: string;
  opening_balance_cents: number;
  closing_balance_cents: number;
  file_name: string;
  file_sha256: string;
  line_count: number;
  new_line_count: number;
  duplicate_line_count: number;
  mapping_used: string;
  imported_by: number | null;
  imported_by_name: string | null;
  created_at: string;
  account_name: string;
  bank_name: string;
  account_number: string;
  ledger_account_code: string;
}

/** bigint columns come back as strings on PostgreSQL: numbers here. */
function num<T extends object>(row: T, keys: readonly string[]): T {
  const out = { ...row } as Record<string, unknown>;
  for (const k of keys) if (out[k] !== null && out[k] !== undefined) out[k] = Number(out[k]);
  return out as T;
}

export async function listBankAccounts(db: Db): Promise<BankAccountRow[]> {
  return db('bank_accounts').orderBy('id');
}

export async function findBankAccount(db: Db, id: number): Promise<BankAccountRow | undefined> {
  return db('bank_accounts').where({ id }).first();
}

export async function bankAccountsByNumber(db: Db, accountNumber: string): Promise<BankAccountRow[]> {
  return db('bank_accounts').where({ account_number: accountNumber });
}

export async function bankAccountsByLedger(db: Db, code: string): Promise<BankAccountRow[]> {
  return db('bank_accounts').where({ ledger_account_code: code, status: 'active' }).orderBy('id');
}

const statementColumns = [
  's.*', 'a.name as account_name', 'a.bank_name', 'a.account_number', 'a.ledger_account_code',
];
const STATEMENT_NUMBERS = ['id', 'bank_account_id', 'opening_balance_cents', 'closing_balance_cents', 'line_count',
  'new_line_count', 'duplicate_line_count', 'imported_by'] as const;

/** Statements, newest period first (per account when given). */
export async function listStatements(db: Db, bankAccountId?: number): Promise<StatementRow[]> {
  const q = db('bank_statements as s').join('bank_accounts as a', 'a.id', 's.bank_account_id').select(statementColumns)
    .orderBy([{ column: 's.period_to', order: 'desc' }, { column: 's.id', order: 'desc' }]);
  if (bankAccountId !== undefined) q.where('s.bank_account_id', bankAccountId);
  return (await q).map((r: StatementRow) => num(r, [...STATEMENT_NUMBERS]));
}

export async function findStatement(db: Db, id: number): Promise<StatementRow | undefined> {
  const row = await db('bank_statements as s').join('bank_accounts as a', 'a.id', 's.bank_account_id')
    .where('s.id', id).first(statementColumns);
  return row ? num(row as StatementRow, [...STATEMENT_NUMBERS]) : undefined;
}

/** The statement with this file (same bytes) on this account, if any. */
export async function statementWithFile(db: Db, bankAccountId: number, sha256: string): Promise<number | null> {
  const row = await db('bank_statements').where({ bank_account_id: bankAccountId, file_sha256: sha256 }).orderBy('id').first('id');
  return row ? Number(row.id) : null;
}

export interface StatementLineRow {
  line_number: number;
  file_line: number;
  duplicate: boolean;
  id: number;
  statement_id: number;
  date: string;
  description: string;
  reference: string | null;
  amount_cents: number;
  balance_cents: number | null;
  status: string;
}

/** Every line of a statement's file, in the file's order, with the stored line it is. */
export async function statementLines(db: Db, statementId: number): Promise<StatementLineRow[]> {
  const rows = await db('bank_statement_file_lines as f').join('bank_statement_lines as l', 'l.id', 'f.statement_line_id')
    .where('f.statement_id', statementId).orderBy('f.line_number')
    .select('f.line_number', 'f.file_line', 'f.duplicate', 'l.id', 'l.statement_id', 'l.date', 'l.description', 'l.reference',
      'l.amount_cents', 'l.balance_cents', 'l.status');
  return rows.map((r: StatementLineRow) => ({
    ...num(r, ['line_number', 'file_line', 'id', 'statement_id', 'amount_cents', 'balance_cents']), duplicate: Boolean(Number(r.duplicate)),
  }));
}

/** The stored lines of an account with these fingerprints: fingerprint → line id. */
export async function linesByFingerprint(db: Db, bankAccountId: number, fingerprints: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < fingerprints.length; i += 500) {
    const rows = await db('bank_statement_lines').where({ bank_account_id: bankAccountId })
      .whereIn('fingerprint', fingerprints.slice(i, i + 500)).select('id', 'fingerprint');
    for (const r of rows) out.set(String(r.fingerprint), Number(r.id));
  }
  return out;
}
