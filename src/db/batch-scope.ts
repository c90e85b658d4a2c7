// A batch of acts replayed in ONE outer transaction (the go-live import, src/golive): while it runs, some
// reads that every act repeats return what the first one read, or what this process itself last wrote:
//  - the moratorium rates and the month closes: nothing in the batch writes them (and on SQLite nothing
//    else can while the batch's transaction holds the write lock);
//  - each contract's maintained account: written only by saveAccountState (src/accounts/queries.ts),
//    which keeps here a copy of what it wrote; the batch forgets them all when an act failed (its
//    savepoint rolled back what it wrote): forgetKept;
//  - the contracts already claimed (locked) in the outer transaction;
//  - each contract's live activation entry (src/payments/postings.ts: set when posted, all forgotten when
//    any entry is reversed);
//  - the contracts without assignments (nothing in the batch makes one);
//  - each contract's receipts: the batch only adds receipts (reverseReceipt forgets them all), and a new
//    receipt's id is above every id before it, so that only those above the last one kept are read;
//  - each contract as its pages show it (findContractView): forgotten when a contract changes status (the
//    `step` of src/contracts/service.ts), and by the import around each contract it makes. (The other acts
//    that change a contract, a lot or a firm are not part of a batch.)
// Outside a batch (every page, every single payment) nothing is kept: the reads go to the database.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccountState } from '../domain/statement.ts';
import type { ReceiptRow } from '../payments/queries.ts';
import type { ContractView } from '../contracts/queries.ts';

export interface BatchScope {
  rates?: unknown;
  closings?: unknown;
  accounts: Map<number, AccountState | null>;
  claimed: Set<number>;
  activations: Map<number, number | null>;
  unassigned: Set<number>;
  receipts: Map<number, ReceiptRow[]>;
  views: Map<number, ContractView>;
}

const storage = new AsyncLocalStorage<BatchScope>();

/** Runs `fn` as a batch: the reads above are kept for its duration only. */
export function inBatch<T>(fn: () => Promise<T>): Promise<T> {
  return storage.run({ accounts: new Map(), claimed: new Set(), activations: new Map(), unassigned: new Set(), receipts: new Map(), views: new Map() }, fn);
}

/** The running batch, or undefined (the ordinary case). */
export const currentBatch = (): BatchScope | undefined => storage.getStore();

/** After an act of the batch failed (its savepoint rolled back what it wrote, and a contract's id may be
 *  taken again): forget every account, claim, activation, holder, receipt and contract kept; they are read again. */
export function forgetKept(): void {
  const b = storage.getStore();
  if (!b) return;
  b.accounts.clear();
  b.claimed.clear();
  b.activations.clear();
  b.unassigned.clear();
  b.receipts.clear();
  b.views.clear();
}

/** A copy of an account state, in the order the database returns it (rows by n, allocations by receipt id
 *  then n), so that the batch's copy and a read of the tables are the same value. */
export function copyState(s: AccountState): AccountState {
  const rows = s.rows.map((r) => ({
    n: r.n, due_date: r.due_date, scheduled_due_date: r.scheduled_due_date, principal_cents: r.principal_cents,
    interest_cents: r.interest_cents, principal_paid_cents: r.principal_paid_cents, interest_paid_cents: r.interest_paid_cents,
    late_fee_cents: r.late_fee_cents, late_fee_paid_cents: r.late_fee_paid_cents, accrued_to: r.accrued_to, paid_on: r.paid_on,
    version: r.version, late_fee_waived_cents: r.late_fee_waived_cents, moved_cents: r.moved_cents,
  })).sort((a, b) => a.n - b.n);
  const allocations = new Map([...s.allocations.entries()].filter(([, parts]) => parts.length > 0).sort((a, b) => a[0] - b[0])
    .map(([id, parts]) => [id, parts.map((p) => ({ n: p.n, late_fee_cents: p.late_fee_cents, interest_cents: p.interest_cents, principal_cents: p.principal_cents }))
      .sort((a, b) => a.n - b.n)]));
  return { rows, allocations, valid_from: s.valid_from };
}
