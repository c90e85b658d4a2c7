// SQL of the maintained accounts: a contract's stored replay state (rows, allocations, totals), written
// only by maintain.ts inside the transaction of the act that changed it, and read by every page.
import type { Db } from '../db/knex.ts';
import { copyState, currentBatch } from '../db/batch-scope.ts';
import type { IsoDate } from '../domain/dates.ts';
import { cents } from '../domain/money.ts';
import type { AccountRow, AccountState, AppliedPart } from '../domain/statement.ts';
import { totalsOf, unpaidOf, type AccountTotals } from '../domain/account-figures.ts';

const ROW_NUMBERS = ['n', 'principal_cents', 'interest_cents', 'principal_paid_cents', 'interest_paid_cents',
  'late_fee_cents', 'late_fee_paid_cents', 'version', 'late_fee_waived_cents', 'moved_cents'] as const;

function toRow(r: Record<string, unknown>): AccountRow {
  const out = {
    due_date: String(r.due_date), scheduled_due_date: String(r.scheduled_due_date),
    accrued_to: String(r.accrued_to), paid_on: (r.paid_on as string | null) ?? null,
  } as AccountRow;
  for (const k of ROW_NUMBERS) (out as unknown as Record<string, number>)[k] = Number(r[k]);
  return out;
}

/** The stored state of one contract's account, or null when none was kept (a contract made outside the services). */
export async function loadAccountState(db: Db, contractId: number): Promise<AccountState | null> {
  const batch = currentBatch(); // a go-live import: the copy of what this transaction last read or wrote
  if (!batch) return readAccountState(db, contractId);
  if (!batch.accounts.has(contractId)) {
    const read = await readAccountState(db, contractId);
    batch.accounts.set(contractId, read && copyState(read));
  }
  const kept = batch.accounts.get(contractId);
  return kept ? copyState(kept) : null;
}

async function readAccountState(db: Db, contractId: number): Promise<AccountState | null> {
  const head = await db('contract_accounts').where({ contract_id: contractId }).first('valid_from');
  if (!head) return null;
  const rows = (await db('account_rows').where({ contract_id: contractId }).orderBy('n')).map(toRow);
  const parts = await db('account_allocations').where({ contract_id: contractId }).orderBy(['receipt_id', 'n']);
  const allocations = new Map<number, AppliedPart[]>();
  for (const p of parts) {
    const id = Number(p.receipt_id);
    const list = allocations.get(id) ?? [];
    list.push({ n: Number(p.n), late_fee_cents: cents(Number(p.late_fee_cents)), interest_cents: cents(Number(p.interest_cents)), principal_cents: cents(Number(p.principal_cents)) });
    allocations.set(id, list);
  }
  return { rows, allocations, valid_from: String(head.valid_from) as IsoDate };
}


const rowColumns = (contractId: number, r: AccountRow) => ({
  contract_id: contractId, n: r.n, due_date: r.due_date, scheduled_due_date: r.scheduled_due_date,
  principal_cents: r.principal_cents, interest_cents: r.interest_cents,
  principal_paid_cents: r.principal_paid_cents, interest_paid_cents: r.interest_paid_cents,
  late_fee_cents: r.late_fee_cents, late_fee_paid_cents: r.late_fee_paid_cents,
  accrued_to: r.accrued_to, paid_on: r.paid_on, unpaid_cents: unpaidOf(r),
  version: r.version, late_fee_waived_cents: r.late_fee_waived_cents, moved_cents: r.moved_cents,
});

const sameRow = (a: AccountRow, b: AccountRow) => a.due_date === b.due_date && a.scheduled_due_date === b.scheduled_due_date
  && a.accrued_to === b.accrued_to && a.paid_on === b.paid_on && ROW_NUMBERS.every((k) => a[k] === b[k]);

const sameParts = (a: readonly AppliedPart[] = [], b: readonly AppliedPart[] = []) => a.length === b.length
  && a.every((p, i) => p.n === b[i]!.n && p.late_fee_cents === b[i]!.late_fee_cents
    && p.interest_cents === b[i]!.interest_cents && p.principal_cents === b[i]!.principal_cents);

/** Writes what changed between the stored state and the new one (rows, allocations, totals). */
export async function saveAccountState(trx: Db, contractId: number, state: AccountState, now: string,
  stored?: AccountState | null): Promise<void> {
  // The caller may pass the state it already read in this transaction.
  const before = stored === undefined ? await loadAccountState(trx, contractId) : stored;
  const oldRows = new Map((before?.rows ?? []).map((r) => [r.n, r]));
  for (const r of state.rows) {
    const old = oldRows.get(r.n);
    if (!old) await trx('account_rows').insert(rowColumns(contractId, r));
    else if (!sameRow(old, r)) await trx('account_rows').where({ contract_id: contractId, n: r.n }).update(rowColumns(contractId, r));
  }
  // A reschedule takes rows out of the account (their balance moved to the new version's rows).
  const gone = [...oldRows.keys()].filter((n) => !state.rows.some((r) => r.n === n));
  if (gone.length) await trx('account_rows').where({ contract_id: contractId }).whereIn('n', gone).delete();
  const receiptIds = new Set([...state.allocations.keys(), ...(before?.allocations.keys() ?? [])]);
  for (const id of receiptIds) {
    const parts = state.allocations.get(id) ?? [];
    if (sameParts(before?.allocations.get(id), parts)) continue;
    // Derived rows: a reversal or a back-dated receipt re-splits later receipts, so their parts are replaced.
    await trx('account_allocations').where({ receipt_id: id }).delete();
    if (parts.length) {
      await trx('account_allocations').insert(parts.map((p) => ({
        receipt_id: id, n: p.n, contract_id: contractId, late_fee_cents: p.late_fee_cents,
        interest_cents: p.interest_cents, principal_cents: p.principal_cents,
      })));
    }
  }
  const t = totalsOf(state);
  const head = {
    ...t, down_payment_paid: t.down_payment_paid ? 1 : 0, paid_off: t.paid_off ? 1 : 0, updated_at: now,
  };
  if (before) await trx('contract_accounts').where({ contract_id: contractId }).update(head);
  else await trx('contract_accounts').insert({ contract_id: contractId, ...head });
  currentBatch()?.accounts.set(contractId, copyState(state));
}

/** Open rows (not fully paid) due before `before`, of the given contracts or of all: what portfolio pages
 *  need to add the late fees still running on their date. */
export async function openRowsDueBefore(db: Db, before: IsoDate, contractIds?: number[]): Promise<(AccountRow & { contract_id: number })[]> {
  const q = db('account_rows').where('unpaid_cents', '>', 0).andWhere('due_date', '<', before)
    // A rescinded contract's installments stay unpaid for ever but owe nothing once it is rescinded.
    .whereNotIn('contract_id', db('contracts').select('id').whereNotNull('rescinded_on').andWhere('rescinded_on', '<=', before));
  if (contractIds) q.whereIn('contract_id', contractIds);
  const rows = await q.select('*');
  return rows.map((r: Record<string, unknown>) => ({ ...toRow(r), contract_id: Number(r.contract_id) }));
}

export interface StoredTotals extends AccountTotals { contract_id: number }

export async function accountTotals(db: Db, contractIds?: number[]): Promise<Map<number, StoredTotals>> {
  const q = db('contract_accounts').select('*');
  if (contractIds) q.whereIn('contract_id', contractIds);
  const rows = await q;
  return new Map(rows.map((r: Record<string, unknown>) => [Number(r.contract_id), {
    contract_id: Number(r.contract_id), valid_from: String(r.valid_from),
    scheduled_outstanding_cents: Number(r.scheduled_outstanding_cents), total_paid_cents: Number(r.total_paid_cents),
    principal_paid_cents: Number(r.principal_paid_cents), interest_paid_cents: Number(r.interest_paid_cents),
    late_fee_closed_cents: Number(r.late_fee_closed_cents), late_fee_paid_cents: Number(r.late_fee_paid_cents),
    down_payment_paid: Number(r.down_payment_paid) === 1, paid_off: Number(r.paid_off) === 1,
    paid_off_on: (r.paid_off_on as string | null) ?? null, first_open_due_date: (r.first_open_due_date as string | null) ?? null,
  }]));
}
