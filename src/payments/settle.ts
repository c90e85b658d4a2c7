// After any change to a contract's receipts (a payment, a reversal), brings the contract's status and
// its ledger in line with the new replay, inside the same transaction:
//  - the activation entry exists exactly while the down payment is fully paid;
//  - every receipt has its entry, every voided receipt its mirror entry;
//  - the S posted per receipt equals the replay's S (adjustment entries for the differences);
//  - the contract's status follows: awaiting_down_payment → active → paid_off, and back on a reversal.
import type { Db } from '../db/knex.ts';
import type { Actor } from '../audit/audit.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { ContractView } from '../contracts/queries.ts';
import { activateContract, markPaidOff, revertContractStatus } from '../contracts/service.ts';
import { paidOffOn, scheduledPart, scheduledTotal, type Account } from './account.ts';
import {
  SOURCE, liveActivationEntry, postActivation, postReceipt, postReceiptVoid, reverseActivation, syncReceivables,
} from './postings.ts';

type Status = 'awaiting_down_payment' | 'active' | 'paid_off';

export async function settle(trx: Db, contract: ContractView, account: Account, on: IsoDate, actor: Actor, why: string): Promise<void> {
  const { statement, receipts } = account;
  const recognized = statement.down_payment_paid;

  // Recognition first: a receipt that pays the down payment credits receivables only once they exist.
  const activation = await liveActivationEntry(trx, contract.id);
  if (recognized && activation === null) {
    await postActivation(trx, contract, scheduledTotal(statement), statement.rows[0]!.paid_on ?? on, actor);
  } else if (!recognized && activation !== null) {
    await reverseActivation(trx, contract, on, actor);
  }

  const targets = new Map<number, number>();
  for (const r of receipts) {
    targets.set(r.id, recognized && r.status === 'valid' ? scheduledPart(statement.allocations.get(r.id)) : 0);
  }
  const posted = await trx('journal_entries').where('source_type', 'in', [SOURCE.receipt, SOURCE.receiptVoid])
    .whereIn('source_id', receipts.map((r) => String(r.id))).select('source_type', 'source_id');
  const has = new Set(posted.map((e: { source_type: string; source_id: string }) => `${e.source_type}:${e.source_id}`));
  for (const r of receipts) {
    if (!has.has(`${SOURCE.receipt}:${r.id}`)) {
      await postReceipt(trx, r, contract.lot_owner, targets.get(r.id) ?? 0, actor);
    }
    if (r.status === 'void' && !has.has(`${SOURCE.receiptVoid}:${r.id}`)) await postReceiptVoid(trx, r, on, actor);
  }
  await syncReceivables(trx, contract, receipts, targets, on, actor);

  const target: Status = statement.paid_off ? 'paid_off' : recognized ? 'active' : 'awaiting_down_payment';
  const current = contract.status as Status;
  if (current === target) return;
  if (target === 'awaiting_down_payment') {
    await revertContractStatus(trx, contract.id, 'awaiting_down_payment', on, actor, why);
    return;
  }
  if (current === 'awaiting_down_payment') await activateContract(trx, contract.id, statement.rows[0]!.paid_on ?? on, actor);
  if (target === 'paid_off') await markPaidOff(trx, contract.id, paidOffOn(statement) ?? on, actor);
  else if (current === 'paid_off') await revertContractStatus(trx, contract.id, 'active', on, actor, why);
}
