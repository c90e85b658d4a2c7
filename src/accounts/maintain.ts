// Keeps each contract's account (src/accounts/queries.ts) equal to the replay of its history. Every act
// that changes what a contract owes calls refreshAccount inside its own transaction: a payment, a
// reversal, a sale, an acceleration, a rescission; a moratorium rate in force calls refreshAllAccounts.
// The replay (src/domain/statement.ts) stays the one definition of the rules; verifyAccounts compares.
import type { Db } from '../db/knex.ts';
import { appendPayment, replayAccount, type AccountState, type RatePeriod, type StatementInput } from '../domain/statement.ts';
import { getMoratoriumRates } from '../settings/service.ts';
import type { ReceiptRow } from '../payments/queries.ts';
import type { IsoDate } from '../domain/dates.ts';
import { statementInput } from '../payments/account.ts';
import { loadAccountState, saveAccountState } from './queries.ts';
import { totalsOf } from '../domain/account-figures.ts';

/** Every valid receipt, whatever its date, and the acceleration whenever decided: the account after its history. */
const ALL_TIME = '9999-12-31' as IsoDate;

async function replayed(db: Db, contractId: number, known?: Known): Promise<{ state: AccountState; input: StatementInput }> {
  let terms = known?.terms;
  if (!terms) {
    const c = await db('contracts').where({ id: contractId }).first('id', 'accelerated_on');
    if (!c) throw new Error(`contract ${contractId} not found`);
    terms = { id: Number(c.id), accelerated_on: c.accelerated_on ?? null };
  }
  const input = await statementInput(db, terms, ALL_TIME, known?.receipts);
  return { state: replayAccount(input), input };
}

/** What the caller already read in the act's transaction, so that the refresh does not read it again. */
export interface Known {
  /** The stored state as read before the act's writes (null: none was kept). */
  stored?: AccountState | null;
  /** The contract's id and acceleration, as they are now. */
  terms?: { id: number; accelerated_on: IsoDate | null };
  /** Every receipt of the contract (valid and void) as it is now, after the act's writes. */
  receipts?: ReceiptRow[];
}

/**
 * The stored account with one new payment, when that is all that changed: every payment it holds still
 * valid, exactly one valid receipt not in it, dated after the account's last event. Null otherwise.
 * (A payment entered in date order, as at the counter or by the go-live import, is this case: the
 * history is not folded again for each one.)
 */
async function appended(trx: Db, stored: AccountState, receipts: ReceiptRow[]): Promise<{ state: AccountState; rates: RatePeriod[] } | null> {
  const valid = receipts.filter((r) => r.status === 'valid');
  const ids = new Set(valid.map((r) => r.id));
  for (const id of stored.allocations.keys()) if (!ids.has(id)) return null;
  const fresh = valid.filter((r) => !stored.allocations.has(r.id));
  if (fresh.length !== 1) return null;
  const p = fresh[0]!;
  const rates = await getMoratoriumRates(trx);
  const state = appendPayment(stored, { id: p.id, date: p.date, amount_cents: p.amount_cents }, rates);
  return state ? { state, rates } : null;
}

/** Replays one contract and stores what changed; returns the new state and the rates it used. Call inside
 *  the act's transaction. Given the stored state and the receipts after a payment that comes last, the
 *  payment is applied to the stored state instead (the same result: verifyAccounts compares). */
export async function refreshAccount(trx: Db, contractId: number, known?: Known): Promise<{ state: AccountState; rates: RatePeriod[] }> {
  const fast = known?.stored && known.receipts ? await appended(trx, known.stored, known.receipts) : null;
  if (fast) {
    await saveAccountState(trx, contractId, fast.state, new Date().toISOString(), known?.stored);
    return fast;
  }
  const { state, input } = await replayed(trx, contractId, known);
  await saveAccountState(trx, contractId, state, new Date().toISOString(), known?.stored);
  return { state, rates: input.rates };
}

const contractIds = async (db: Db, missingOnly: boolean): Promise<number[]> => {
  const q = db('contracts as c').orderBy('c.id').select('c.id');
  if (missingOnly) q.leftJoin('contract_accounts as a', 'a.contract_id', 'c.id').whereNull('a.contract_id');
  return (await q).map((r: { id: number }) => Number(r.id));
};

/** Every contract anew (a rate history change, or `accounts:rebuild`), in the caller's transaction. */
export async function refreshAllAccounts(trx: Db): Promise<number> {
  const ids = await contractIds(trx, false);
  for (const id of ids) await refreshAccount(trx, id);
  return ids.length;
}

/** At start: accounts for contracts that have none yet (a database from before accounts were kept). */
export async function ensureAccounts(db: Db): Promise<number> {
  const ids = await contractIds(db, true);
  if (ids.length === 0) return 0;
  await db.transaction(async (trx) => { for (const id of ids) await refreshAccount(trx, id); });
  return ids.length;
}

export interface AccountDifference { contract_id: number; number: string; what: string }

const ROW_FIELDS = ['n', 'due_date', 'scheduled_due_date', 'principal_cents', 'interest_cents', 'principal_paid_cents',
  'interest_paid_cents', 'late_fee_cents', 'late_fee_paid_cents', 'accrued_to', 'paid_on', 'version', 'late_fee_waived_cents',
  'moved_cents'] as const;
const rowsKey = (s: AccountState) => JSON.stringify(s.rows.map((r) => ROW_FIELDS.map((k) => r[k])));
const partsKey = (s: AccountState) => JSON.stringify([...s.allocations.entries()].sort((a, b) => a[0] - b[0])
  .map(([id, parts]) => [id, parts.map((p) => [p.n, p.late_fee_cents, p.interest_cents, p.principal_cents])]));

/** Compares every stored account (or those of the contracts `only`) with a full replay of its history;
 *  lists the contracts that differ. */
export async function verifyAccounts(db: Db, only?: readonly number[]): Promise<{ checked: number; differences: AccountDifference[] }> {
  const q = db('contracts').orderBy('id').select('id', 'number');
  if (only) q.whereIn('id', [...only]);
  const contracts = await q;
  const differences: AccountDifference[] = [];
  for (const c of contracts) {
    const id = Number(c.id);
    const stored = await loadAccountState(db, id);
    const { state: replay } = await replayed(db, id);
    const what = !stored ? 'no maintained account'
      : rowsKey(stored) !== rowsKey(replay) ? 'rows differ'
        : partsKey(stored) !== partsKey(replay) ? 'allocations differ'
          : stored.valid_from !== replay.valid_from ? 'valid_from differs'
            : null;
    let totals = null;
    if (!what) {
      const head = await db('contract_accounts').where({ contract_id: id }).first();
      const want = totalsOf(replay);
      const got = { ...want, ...Object.fromEntries(Object.keys(want).map((k) => [k, head[k]])) } as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) {
        const g = got[k];
        const same = typeof v === 'boolean' ? (Number(g) === 1) === v : typeof v === 'number' ? Number(g) === v : (g ?? null) === v;
        if (!same) { totals = `total ${k}: stored ${String(g)}, replay ${String(v)}`; break; }
      }
    }
    if (what || totals) differences.push({ contract_id: id, number: String(c.number), what: what ?? totals! });
  }
  return { checked: contracts.length, differences };
}
