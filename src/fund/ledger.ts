// Posting to the double-entry ledger. Entries balance (Σ debits = Σ credits, asserted here) and
// are never edited: reverseEntry posts the mirror image, pointing at the original.
import type { Db } from '../db/knex.ts';
import type { Actor } from '../audit/audit.ts';
import type { IsoDate } from '../domain/dates.ts';
import { assertMonthOpen } from '../closings/guard.ts';
import { currentBatch } from '../db/batch-scope.ts';

/** Account codes, named for what they hold (see the ledger migration for their hledger names). */
export { ACCOUNTS } from '../domain/accounts.ts';

export interface LineInput {
  account_code: string;
  debit_cents?: number;
  credit_cents?: number;
  contract_id?: number | null;
  project_id?: number | null;
}

export interface EntryInput {
  date: IsoDate;
  description: string;
  source_type: string;
  source_id: string | number;
  lines: LineInput[];
}

/** Checks an entry before it is written: whole céntimos, one side per line, and balance. */
export function assertBalanced(lines: LineInput[]): void {
  let debit = 0;
  let credit = 0;
  for (const l of lines) {
    const d = l.debit_cents ?? 0;
    const c = l.credit_cents ?? 0;
    if (!Number.isSafeInteger(d) || !Number.isSafeInteger(c) || d < 0 || c < 0) throw new Error(`bad amounts on ${l.account_code}`);
    if (d > 0 && c > 0) throw new Error(`line on ${l.account_code} has both debit and credit`);
    debit += d;
    credit += c;
  }
  if (debit !== credit) throw new Error(`unbalanced entry: debits ${debit} ≠ credits ${credit}`);
}

/** Writes one balanced entry inside the caller's transaction; lines of 0 are dropped. An entry dated in a
 *  closed month is refused (409, the month close's backstop: every service checks its own date first). */
export async function postEntry(trx: Db, entry: EntryInput, actor: Actor): Promise<number> {
  const lines = entry.lines.filter((l) => (l.debit_cents ?? 0) !== 0 || (l.credit_cents ?? 0) !== 0);
  assertBalanced(lines);
  if (lines.length === 0) return 0;
  await assertMonthOpen(trx, entry.date, '_form');
  const [row] = await trx('journal_entries').insert({
    date: entry.date, description: entry.description.slice(0, 255), source_type: entry.source_type,
    source_id: String(entry.source_id), created_by: actor.id, created_at: new Date().toISOString(),
  }).returning('id');
  const entryId = Number(typeof row === 'object' ? row.id : row);
  await trx('journal_lines').insert(lines.map((l) => ({
    entry_id: entryId, account_code: l.account_code, debit_cents: l.debit_cents ?? 0,
    credit_cents: l.credit_cents ?? 0, contract_id: l.contract_id ?? null, project_id: l.project_id ?? null,
  })));
  return entryId;
}

/** Posts the mirror image of an entry (debits ↔ credits) on `date`, pointing at the original. The original
 *  may be in a closed month (that is how corrections are made); `date` may not. */
export async function reverseEntry(trx: Db, entryId: number, date: IsoDate, description: string, actor: Actor,
  source: { source_type: string; source_id: string | number }): Promise<number> {
  currentBatch()?.activations.clear(); // a go-live import's kept activation entries may be this one
  await assertMonthOpen(trx, date, '_form');
  const original = await trx('journal_entries').where({ id: entryId }).first();
  if (!original) throw new Error(`no journal entry ${entryId}`);
  const lines = await trx('journal_lines').where({ entry_id: entryId });
  const id = await postEntry(trx, {
    date, description, ...source,
    lines: lines.map((l: Record<string, unknown>) => ({
      account_code: String(l.account_code), debit_cents: Number(l.credit_cents), credit_cents: Number(l.debit_cents),
      contract_id: (l.contract_id as number | null) ?? null, project_id: (l.project_id as number | null) ?? null,
    })),
  }, actor);
  await trx('journal_entries').where({ id }).update({ reverses_entry_id: entryId });
  return id;
}

/** Balance of an account (debits − credits) over entries dated up to `to` (inclusive). */
export async function accountBalance(db: Db, account_code: string, to?: IsoDate): Promise<number> {
  const q = db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account_code', account_code)
    .sum<{ d: number | null; c: number | null }[]>({ d: 'l.debit_cents', c: 'l.credit_cents' });
  if (to) q.andWhere('e.date', '<=', to);
  const [r] = await q;
  return Number(r?.d ?? 0) - Number(r?.c ?? 0);
}
