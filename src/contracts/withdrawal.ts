// Withdrawal (desistimiento / anulación) of a sale whose down payment never came: allowed only while
// the contract awaits its down payment with no valid receipt. The contract becomes `withdrawn` (its
// number stays used), its lot is available again, and nothing is posted: the schedule is recognized
// (Dr 1201 / Cr 2101) only when the down payment is paid, so a contract without a valid receipt has no
// live entry. The service checks that and refuses to withdraw a contract whose books say otherwise.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, notFound, Refusals } from '../web/errors.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { refreshAccount } from '../accounts/maintain.ts';
import { ACCOUNTS } from '../domain/accounts.ts';
import { findContractView, type ContractView } from './queries.ts';
import { assertMonthOpen } from '../closings/guard.ts';

export interface WithdrawalInput {
  reason: string;
  resolution_number: string;
  resolution_date: IsoDate;
}

export interface WithdrawalRow {
  id: number;
  contract_id: number;
  resolution_number: string;
  resolution_date: IsoDate;
  reason: string;
  recorded_by: number | null;
  recorded_at: string;
}

/** The first valid receipt of a contract, if any: what bars its withdrawal. */
export async function firstValidReceipt(db: Db, contractId: number): Promise<{ number: string; date: IsoDate } | undefined> {
  return db('receipts').where({ contract_id: contractId, status: 'valid' }).orderBy('id').first('number', 'date');
}

/**
 * Why a contract cannot be withdrawn now (409), or null. Read by the form too, so that a manager
 * sees the reason before filling it in.
 */
export async function withdrawalConflict(db: Db, contract: ContractView): Promise<FormError | null> {
  if (contract.status === 'withdrawn') {
    return new FormError(409, { _form: { key: 'withdrawal.error.already', params: { number: contract.number, date: formatDate(contract.withdrawn_on ?? contract.date) } } });
  }
  const receipt = await firstValidReceipt(db, contract.id);
  if (receipt) {
    return new FormError(409, { _form: { key: 'withdrawal.error.receipt', params: { number: contract.number, receipt: receipt.number, date: formatDate(receipt.date) } } });
  }
  if (contract.status !== 'awaiting_down_payment') {
    return new FormError(409, { _form: { key: 'withdrawal.error.status', params: { number: contract.number, status: contract.status } } });
  }
  return null;
}

/** The resolution's date: not after today, not before the contract. */
export function withdrawalDateRefusals(contract: { date: IsoDate }, today: IsoDate, date: IsoDate | undefined): Refusals {
  const errors = new Refusals();
  if (date && date > today) errors.add('resolution_date', 'errors.future_date');
  else if (date && date < contract.date) {
    errors.add('resolution_date', { key: 'withdrawal.error.before_contract', params: { date: formatDate(contract.date) } });
  }
  return errors;
}

/** Journal lines that still carry the contract (Σ debit − credit by account, non-zero only). */
async function openBalances(trx: Db, contractId: number): Promise<{ account_code: string; balance: number }[]> {
  const rows: { account_code: string; d: unknown; c: unknown }[] = await trx('journal_lines').where({ contract_id: contractId })
    .groupBy('account_code').select('account_code').sum({ d: 'debit_cents', c: 'credit_cents' });
  return rows.map((r) => ({ account_code: r.account_code, balance: Number(r.d ?? 0) - Number(r.c ?? 0) }))
    .filter((r: { balance: number }) => r.balance !== 0);
}

/**
 * Withdraws a sale still awaiting its down payment, in one transaction: the contract withdrawn on the
 * resolution's date, the withdrawals row, the lot available, the event and the audit entry. The first
 * statement is the guarded status change, so that of a payment and a withdrawal racing on the same
 * contract only one can win (on SQLite it takes the write lock before anything is read; on PostgreSQL
 * every writing transaction is serialised, see src/db/knex.ts). Returns the withdrawal's id.
 */
export async function withdrawContract(db: Db, contractId: number, input: WithdrawalInput, today: IsoDate, actor: Actor): Promise<number> {
  return db.transaction(async (trx) => {
    const changed = await trx('contracts')
      .where({ id: contractId, status: 'awaiting_down_payment' })
      .whereNotExists(trx('receipts').where({ contract_id: contractId, status: 'valid' }).select('id'))
      .update({ status: 'withdrawn', withdrawn_on: input.resolution_date, withdrawal_resolution: input.resolution_number });
    const contract = await findContractView(trx, contractId);
    if (!contract) throw notFound();
    if (changed !== 1) {
      // Nothing changed; explain why with the contract as it stood.
      const conflict = await withdrawalConflict(trx, contract);
      throw conflict ?? new Error(`contract ${contract.number}: withdrawal guard refused without a reason`);
    }
    withdrawalDateRefusals(contract, today, input.resolution_date).throwIfAny(); // rolls the status change back
    await assertMonthOpen(trx, input.resolution_date, 'resolution_date'); // the month close (rolls it back too)

    // Never recognized, so never posted: a contract with a balance in the books is not withdrawn.
    const open = await openBalances(trx, contract.id);
    if (open.length) {
      throw new Error(`contract ${contract.number}: journal balances ${JSON.stringify(open)} before its withdrawal (${ACCOUNTS.receivables} must be nil)`);
    }

    const now = new Date().toISOString();
    const [row] = await trx('withdrawals').insert({
      contract_id: contract.id, resolution_number: input.resolution_number, resolution_date: input.resolution_date,
      reason: input.reason, recorded_by: actor.id, recorded_at: now,
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    const lot = await trx('lots').where({ id: contract.lot_id, status: 'awaiting_down_payment' })
      .update({ status: 'available', updated_at: now });
    if (lot !== 1) throw new Error(`contract ${contract.number}: lot ${contract.lot_code} is ${contract.lot_status}, not awaiting the down payment`);
    await refreshAccount(trx, contract.id);
    await trx('contract_events').insert({
      contract_id: contract.id, kind: 'withdrawn', date: input.resolution_date, recorded_by: actor.id, recorded_at: now,
      details: JSON.stringify({ resolution: input.resolution_number, reason: input.reason, lot: contract.lot_code }),
    });
    await audit(trx, actor, 'contract.withdrawn', 'contract', contract.id, {
      number: contract.number, resolution: input.resolution_number, date: input.resolution_date, reason: input.reason,
      lot: contract.lot_code,
    });
    return id;
  });
}

export async function withdrawalOf(db: Db, contractId: number): Promise<WithdrawalRow | undefined> {
  const r = await db('withdrawals').where({ contract_id: contractId }).first();
  return r ? { ...r, id: Number(r.id), contract_id: Number(r.contract_id), recorded_by: r.recorded_by === null ? null : Number(r.recorded_by) } : undefined;
}
