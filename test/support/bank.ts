// Bank statements inserted directly (the CSV upload has its own tests): a statement of the default bank
// account (ledger 1102) with its lines and its file's lines, each with the fingerprint the upload makes
// (src/domain/bank-csv.ts).
import crypto from 'node:crypto';
import { fingerprints } from '../../src/domain/bank-csv.ts';
import type { Db } from '../../src/db/knex.ts';
import { recordPayment } from '../../src/payments/service.ts';
import type { Cents } from '../../src/domain/money.ts';
import type { Method } from '../../src/payments/postings.ts';
import type { Actor } from '../../src/audit/audit.ts';

export interface LineInput { date: string; description: string; reference?: string | null; amount_cents: number }

export async function insertStatement(db: Db, s: {
  bank_account_id?: number; period_from: string; period_to: string; opening_balance_cents: number; closing_balance_cents: number;
  lines: LineInput[];
}): Promise<{ id: number; lineIds: number[] }> {
  const account = s.bank_account_id ?? 1;
  const now = new Date().toISOString();
  const [row] = await db('bank_statements').insert({
    bank_account_id: account, period_from: s.period_from, period_to: s.period_to, opening_balance_cents: s.opening_balance_cents,
    closing_balance_cents: s.closing_balance_cents, file_name: `extracto-${s.period_to}.csv`, file_sha256: crypto.randomBytes(32).toString('hex'),
    line_count: s.lines.length, new_line_count: s.lines.length, duplicate_line_count: 0, mapping_used: '{}', imported_by: 3,
    imported_by_name: 'finanzas', created_at: now,
  }).returning('id');
  const id = Number(typeof row === 'object' ? row.id : row);
  const prints = fingerprints(account, s.lines.map((l) => ({ ...l, amount_cents: l.amount_cents as Cents, reference: l.reference ?? null })));
  const lineIds: number[] = [];
  for (const [i, l] of s.lines.entries()) {
    const [r] = await db('bank_statement_lines').insert({
      bank_account_id: account, statement_id: id, line_number: i + 1, date: l.date, description: l.description, reference: l.reference ?? null,
      amount_cents: l.amount_cents, balance_cents: null, fingerprint: prints[i], status: 'unmatched', created_at: now,
    }).returning('id');
    const lineId = Number(typeof r === 'object' ? r.id : r);
    lineIds.push(lineId);
    await db('bank_statement_file_lines').insert({ statement_id: id, line_number: i + 1, file_line: i + 2, statement_line_id: lineId, duplicate: false });
  }
  return { id, lineIds };
}

/** A payment with the method and bank reference given, through the payments service. */
export async function payBy(db: Db, actor: Actor, today: string, contractId: number, date: string, amount_cents: number, method: Method,
  reference: string | null): Promise<string> {
  return recordPayment(db, contractId, { date, amount_cents: amount_cents as Cents, method, reference, form_token: null }, today, actor);
}
