// Reading the month close history (month_closings) and where the books begin.
import type { Db } from '../db/knex.ts';
import { currentBatch } from '../db/batch-scope.ts';
import { closingState, monthOf, type ClosingRow, type ClosingState, type Month } from '../domain/closings.ts';

export interface ClosingRecord extends ClosingRow {
  actor_id: number | null;
  checks: { key: string; ok: boolean }[] | null;
}

/** Every close and reopen, oldest first. */
export async function closingRows(db: Db): Promise<ClosingRecord[]> {
  const rows = await db('month_closings').orderBy('id').select('id', 'month', 'action', 'reason', 'checks', 'actor_id', 'actor_name', 'at');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id), month: String(r.month), action: r.action === 'reopen' ? 'reopen' : 'close',
    reason: (r.reason as string | null) ?? null, actor_id: r.actor_id === null ? null : Number(r.actor_id),
    actor_name: (r.actor_name as string | null) ?? null, at: String(r.at),
    checks: typeof r.checks === 'string' ? JSON.parse(r.checks) : null,
  }));
}

export async function loadClosingState(db: Db): Promise<ClosingState> {
  const batch = currentBatch(); // a go-live import: read once (nothing in it closes a month)
  if (batch) return structuredClone((batch.closings ??= closingState(await closingRows(db))) as ClosingState);
  return closingState(await closingRows(db));
}

/** The month of the first dated record (a contract, an entry, a receipt, a spending, a deposit, a resolution),
 *  or null when there is none. Queries one after the other: `db` may be a transaction. */
export async function firstDatedMonth(db: Db): Promise<Month | null> {
  let first: string | null = null;
  for (const table of ['contracts', 'journal_entries', 'receipts', 'spendings', 'cash_deposits', 'account_events']) {
    const r = await db(table).min({ d: 'date' }).first();
    const d = r?.d ? String(r.d) : null;
    if (d && (first === null || d < first)) first = d;
  }
  const closed = await db('month_closings').min({ m: 'month' }).first();
  const m = first ? monthOf(first) : null;
  const c = closed?.m ? String(closed.m) : null;
  return m && c ? (m < c ? m : c) : m ?? c;
}
