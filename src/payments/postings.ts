// Ledger postings of the sales side, each called inside the transaction of the write it records.
//
//   activation (down payment fully paid)  Dr 1201 receivables / Cr 2101 deferred income: scheduled total
//   receipt of X = late fees L + scheduled part S (interest + principal)
//                                         Dr 1101 caja | 1102 banco X; Cr 1201 S; Dr 2101 S; Cr 3101 fund X
//   receipt voided                        the mirror of the receipt's entry (reverseEntry)
//   adjustment of a receipt's S           Cr 1201 Δ / Dr 2101 Δ (or the reverse), when a replay moves it
//   rescission                            Dr 2101 / Cr 1201 scheduled outstanding; Dr 3101 / Cr 1102 refund
//
// Receivables hold only what was recognized: until the down payment is paid the contract has no
// activation entry, so its receipts move no S; the S of those receipts is posted by syncReceivables once
// the activation entry exists. Thus, per contract, 1201 = scheduled total − Σ S of valid receipts =
// the statement's scheduled outstanding, and the whole of 1201 equals the receivables subledger.
// Late fees are income only when collected: they go straight from cash to the fund, never to 1201.
import type { Db } from '../db/knex.ts';
import type { Actor } from '../audit/audit.ts';
import type { IsoDate } from '../domain/dates.ts';
import { postEntry, reverseEntry } from '../fund/ledger.ts';
import { ACCOUNTS, SOURCE_TYPES } from '../domain/accounts.ts';
import { currentBatch } from '../db/batch-scope.ts';

/** Liability for collections on a lot that is not municipal (migration …000440): never the fund. */
export const MINISTRY_COLLECTIONS = ACCOUNTS.ministryCollections;

export const SOURCE = SOURCE_TYPES;

export type Method = 'cash' | 'deposit' | 'transfer';
export type LotOwner = 'municipal' | 'ministry' | string;

/** Cash goes to the till; deposits and transfers to the bank. */
export const moneyAccount = (method: Method): string => (method === 'cash' ? ACCOUNTS.cash : ACCOUNTS.bank);

/** Every sol collected on a municipal lot feeds the reinvestment fund; any other lot's, the ministry. */
export const collectionAccount = (owner: LotOwner): string => (owner === 'municipal' ? ACCOUNTS.fund : MINISTRY_COLLECTIONS);

interface ContractRef { id: number; number: string }

/** The activation entry of a contract that has not been reversed, if any. */
export async function liveActivationEntry(trx: Db, contractId: number): Promise<number | null> {
  const batch = currentBatch(); // a go-live import: kept from the last read or posting (reverseEntry forgets)
  if (batch?.activations.has(contractId)) return batch.activations.get(contractId)!;
  const row = await trx('journal_entries as e')
    .where({ 'e.source_type': SOURCE.activation, 'e.source_id': String(contractId) })
    .whereNotExists(trx('journal_entries as r').whereRaw('r.reverses_entry_id = e.id'))
    .orderBy('e.id', 'desc').first('e.id');
  batch?.activations.set(contractId, row ? Number(row.id) : null);
  return row ? Number(row.id) : null;
}

export async function postActivation(trx: Db, contract: ContractRef, scheduled_total_cents: number, date: IsoDate, actor: Actor): Promise<number> {
  currentBatch()?.activations.delete(contract.id); // read again after it
  return postEntry(trx, {
    date, description: `Contrato ${contract.number}: reconocimiento del cronograma`,
    source_type: SOURCE.activation, source_id: contract.id,
    lines: [
      { account_code: ACCOUNTS.receivables, debit_cents: scheduled_total_cents, contract_id: contract.id },
      { account_code: ACCOUNTS.deferredIncome, credit_cents: scheduled_total_cents, contract_id: contract.id },
    ],
  }, actor);
}

/** Undoes the recognition when a reversal leaves the down payment unpaid again. */
export async function reverseActivation(trx: Db, contract: ContractRef, date: IsoDate, actor: Actor): Promise<void> {
  const id = await liveActivationEntry(trx, contract.id);
  if (id === null) return;
  await reverseEntry(trx, id, date, `Contrato ${contract.number}: cuota inicial impaga tras anulación`, actor,
    { source_type: SOURCE.deactivation, source_id: contract.id });
}

export interface ReceiptRef {
  id: number; number: string; contract_id: number; date: IsoDate; amount_cents: number; method: Method;
}

/** The receipt's own entry. `scheduled_cents` is its S, or 0 while the contract is not recognized. */
export async function postReceipt(trx: Db, receipt: ReceiptRef, owner: LotOwner, scheduled_cents: number, actor: Actor): Promise<number> {
  const c = receipt.contract_id;
  return postEntry(trx, {
    date: receipt.date, description: `Recibo ${receipt.number}`,
    source_type: SOURCE.receipt, source_id: receipt.id,
    lines: [
      { account_code: moneyAccount(receipt.method), debit_cents: receipt.amount_cents, contract_id: c },
      { account_code: ACCOUNTS.receivables, credit_cents: scheduled_cents, contract_id: c },
      { account_code: ACCOUNTS.deferredIncome, debit_cents: scheduled_cents, contract_id: c },
      { account_code: collectionAccount(owner), credit_cents: receipt.amount_cents, contract_id: c },
    ],
  }, actor);
}

/** Posts the mirror of a voided receipt's entry on the day of the reversal. */
export async function postReceiptVoid(trx: Db, receipt: { id: number; number: string }, date: IsoDate, actor: Actor): Promise<void> {
  const entry = await trx('journal_entries').where({ source_type: SOURCE.receipt, source_id: String(receipt.id) }).first('id');
  if (!entry) throw new Error(`receipt ${receipt.number} has no journal entry`);
  await reverseEntry(trx, Number(entry.id), date, `Anulación del recibo ${receipt.number}`, actor,
    { source_type: SOURCE.receiptVoid, source_id: receipt.id });
}

/** A contract's balance on receivables (1201): its share of the control account. */
export async function contractReceivable(trx: Db, contractId: number): Promise<number> {
  const [r] = await trx('journal_lines').where({ account_code: ACCOUNTS.receivables, contract_id: contractId })
    .sum({ d: 'debit_cents', c: 'credit_cents' });
  return Number(r?.d ?? 0) - Number(r?.c ?? 0);
}

/** S already posted to 1201 for each receipt of a contract (its entry, its void, its adjustments). */
export async function postedScheduledParts(trx: Db, contractId: number): Promise<Map<number, number>> {
  const rows = await trx('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where({ 'l.account_code': ACCOUNTS.receivables, 'l.contract_id': contractId })
    .whereIn('e.source_type', [SOURCE.receipt, SOURCE.receiptVoid, SOURCE.adjustment])
    .groupBy('e.source_id')
    .select('e.source_id')
    .sum({ c: 'l.credit_cents', d: 'l.debit_cents' });
  const out = new Map<number, number>();
  for (const r of rows as { source_id: string; c: number | null; d: number | null }[]) {
    out.set(Number(r.source_id), Number(r.c ?? 0) - Number(r.d ?? 0));
  }
  return out;
}

/**
 * Brings the S posted for each receipt of a contract to its target (the replay's S for a valid receipt of
 * a recognized contract, else 0). A receipt recorded with an earlier date, or a reversal, changes how
 * later receipts split between late fees and scheduled parts; the difference moves between 1201 and
 * 2101 in an adjustment entry dated `on` (or the receipt's own date when later), so that 1201 keeps
 * equal to the receivables subledger. Cash and the fund never move here: X itself does not change.
 */
export async function syncReceivables(trx: Db, contract: ContractRef,
  receipts: { id: number; number: string; date: IsoDate }[], targets: Map<number, number>, on: IsoDate, actor: Actor): Promise<void> {
  const posted = await postedScheduledParts(trx, contract.id);
  for (const r of receipts) {
    const delta = (targets.get(r.id) ?? 0) - (posted.get(r.id) ?? 0);
    if (delta === 0) continue;
    const amount = Math.abs(delta);
    await postEntry(trx, {
      date: r.date > on ? r.date : on,
      description: `Recibo ${r.number}: reimputación entre mora y cuotas (contrato ${contract.number})`,
      source_type: SOURCE.adjustment, source_id: r.id,
      lines: delta > 0
        ? [{ account_code: ACCOUNTS.deferredIncome, debit_cents: amount, contract_id: contract.id },
          { account_code: ACCOUNTS.receivables, credit_cents: amount, contract_id: contract.id }]
        : [{ account_code: ACCOUNTS.receivables, debit_cents: amount, contract_id: contract.id },
          { account_code: ACCOUNTS.deferredIncome, credit_cents: amount, contract_id: contract.id }],
    }, actor);
  }
}

/**
 * Rescission: the scheduled outstanding leaves the books (receivable and deferred income both), and the
 * refund is paid from the bank, charged to the fund (or the ministry's liability); what is kept stays.
 */
export async function postRescission(trx: Db, contract: ContractRef & { owner: LotOwner }, rescissionId: number,
  written_off_cents: number, refund_cents: number, date: IsoDate, actor: Actor): Promise<number> {
  return postEntry(trx, {
    date, description: `Resolución del contrato ${contract.number}`,
    source_type: SOURCE.rescission, source_id: rescissionId,
    lines: [
      { account_code: ACCOUNTS.deferredIncome, debit_cents: written_off_cents, contract_id: contract.id },
      { account_code: ACCOUNTS.receivables, credit_cents: written_off_cents, contract_id: contract.id },
      { account_code: collectionAccount(contract.owner), debit_cents: refund_cents, contract_id: contract.id },
      { account_code: ACCOUNTS.bank, credit_cents: refund_cents, contract_id: contract.id },
    ],
  }, actor);
}
