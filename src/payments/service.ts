// Recording payments (with their receipt, allocation snapshot, postings and status changes) and
// reversing receipts. Each is one transaction; a refusal throws before anything is committed.
import crypto from 'node:crypto';
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, notFound, Refusals } from '../web/errors.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { formatSoles, type Cents } from '../domain/money.ts';
import { previewPayment, type Statement } from '../domain/statement.ts';
import { partTotal, type AppliedPart } from '../domain/allocation.ts';
import { nextValue } from '../counters.ts';
import { findContractView, type ContractView } from '../contracts/queries.ts';
import { claimContract } from '../contracts/service.ts';
import { statementInput, type Account } from './account.ts';
import { refreshAccount } from '../accounts/maintain.ts';
import { loadAccountState } from '../accounts/queries.ts';
import { getMoratoriumRates } from '../settings/service.ts';
import { statementFromState, type AccountState } from '../domain/statement.ts';
import { receiptsOf } from './queries.ts';
import { settle } from './settle.ts';
import { holderOn } from '../contracts/assignment.ts';
import { RECEIPT_SERIES, findReceipt, findReceiptByToken, receiptNumber, type ReceiptRow } from './queries.ts';
import type { Method } from './postings.ts';
import { queueReceiptNotice } from '../mail/notices.ts';
import { assertMonthOpen } from '../closings/guard.ts';
import { currentBatch } from '../db/batch-scope.ts';

export interface PaymentInput {
  date: IsoDate;
  amount_cents: Cents;
  method: Method;
  reference: string | null;
  form_token: string | null;
}

/** A receipt written on paper before the software, replayed by the go-live import (src/golive): it keeps
 *  its paper number and import, and sends no e-mail notice (the firm was paid long ago). */
export interface ImportedReceipt { paper_number: string; import_id: number }

/** The one-time token a payment form carries, so that submitting it twice records one payment. */
export const newFormToken = (): string => crypto.randomBytes(16).toString('hex');

export interface PaymentPreview {
  parts: AppliedPart[];
  before: Statement;
  after: Statement;
}

/** The payment's rules that need only the contract, all at once (the form shows every message together):
 *  not after today, not before the contract, a reference for a deposit or a transfer. Fields not given
 *  (a form whose field did not parse) are not judged. */
export function paymentRefusals(contract: { date: IsoDate; balance_fixed_on?: string | null; balance_fixed_by?: string | null }, today: IsoDate,
  v: Partial<Pick<PaymentInput, 'date' | 'method' | 'reference'>>): Refusals {
  const errors = new Refusals();
  if (v.date && v.date > today) errors.add('date', 'errors.future_date');
  else if (v.date && v.date < contract.date) errors.add('date', { key: 'payments.error.before_contract', params: { date: formatDate(contract.date) } });
  // A waiver or reschedule fixed the balance on its date: an earlier payment would change what it decided.
  else if (v.date && contract.balance_fixed_on && v.date <= contract.balance_fixed_on) {
    errors.add('date', { key: 'payments.error.before_resolution', params: { date: formatDate(contract.balance_fixed_on), resolution: contract.balance_fixed_by ?? '' } }, 409);
  }
  if (v.method && v.method !== 'cash' && 'reference' in v && !v.reference) errors.add('reference', 'payments.error.reference_required');
  return errors;
}

/** Refusals that do not depend on the amount: the contract's state, the date, the reference. */
function checkPayment(contract: ContractView, input: Pick<PaymentInput, 'date' | 'method' | 'reference'>, today: IsoDate): void {
  if (contract.status === 'rescinded') throw new FormError(409, { _form: { key: 'payments.error.rescinded', params: { number: contract.number } } });
  if (contract.status === 'withdrawn') throw new FormError(409, { _form: { key: 'payments.error.withdrawn', params: { number: contract.number } } });
  if (contract.status === 'paid_off') throw new FormError(409, { _form: { key: 'payments.error.paid_off', params: { number: contract.number } } });
  paymentRefusals(contract, today, input).throwIfAny();
}

/** How the payment would be applied (for the form's preview), or the refusal it would get. */
export async function previewContractPayment(db: Db, contract: ContractView, input: Omit<PaymentInput, 'form_token'>, today: IsoDate): Promise<PaymentPreview> {
  checkPayment(contract, input, today);
  await assertMonthOpen(db, input.date, 'date');
  const statementIn = await statementInput(db, contract, today);
  const p = previewPayment(statementIn, { date: input.date, amount_cents: input.amount_cents });
  if (!p.ok) throw exceeds(input.date, p.max_cents);
  return { parts: p.parts, before: p.statement_before, after: p.statement_after };
}

const exceeds = (date: IsoDate, max: Cents) =>
  new FormError(400, { amount: { key: 'payments.error.exceeds', params: { date: formatDate(date), max: formatSoles(max) } } });

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
};

/**
 * A form token already used: the same form sent again (same contract and values) answers with the
 * receipt it made; the same token with other values is an old form reused to enter a different
 * payment, which must not be silently swallowed (409: open a new form).
 */
function sameSubmission(done: ReceiptRow, contractId: number, input: PaymentInput): string {
  const same = done.contract_id === contractId && done.date === input.date && done.amount_cents === input.amount_cents
    && done.method === input.method && (done.reference ?? null) === (input.reference ?? null);
  if (!same) throw new FormError(409, { _form: { key: 'payments.error.token_used', params: { number: done.number } } });
  return done.number;
}

/** Refuses a payment beyond what is owed on its date. On or after the contract's last event that is the
 *  maintained account's balance on that day; a back-dated payment is checked by replaying the history with
 *  it (later receipts must still fit). */
async function checkAmount(trx: Db, contract: ContractView, input: PaymentInput, today: IsoDate): Promise<AccountState | null> {
  const state = await loadAccountState(trx, contract.id);
  if (state && input.date >= state.valid_from) {
    const owed = statementFromState(state, input.date, await getMoratoriumRates(trx)).outstanding_cents;
    if (input.amount_cents > owed) throw exceeds(input.date, owed);
    return state;
  }
  const preview = previewPayment(await statementInput(trx, contract, today), { date: input.date, amount_cents: input.amount_cents });
  if (!preview.ok) throw exceeds(input.date, preview.max_cents);
  return state;
}

/**
 * Records a payment and returns its receipt number. A second submission of the same form (same
 * form_token: double click, back button, retry, a concurrent request) writes nothing and returns the
 * first one's receipt.
 */
export async function recordPayment(db: Db, contractId: number, input: PaymentInput, today: IsoDate, actor: Actor,
  imported?: ImportedReceipt): Promise<string> {
  try {
    return await db.transaction(async (trx) => {
      await claimContract(trx, contractId); // first: see a withdrawal or payment from another process committed
      if (input.form_token) {
        const done = await findReceiptByToken(trx, input.form_token);
        if (done) return sameSubmission(done, contractId, input);
      }
      const contract = await findContractView(trx, contractId);
      if (!contract) throw notFound();
      checkPayment(contract, input, today);
      await assertMonthOpen(trx, input.date, 'date'); // the month close: nothing dated in a closed month
      const stored = await checkAmount(trx, contract, input, today);

      const correlative = await nextValue(trx, `receipt:${RECEIPT_SERIES}`);
      const number = receiptNumber(RECEIPT_SERIES, correlative);
      const [row] = await trx('receipts').insert({
        number, series: RECEIPT_SERIES, correlative, contract_id: contract.id, date: input.date,
        amount_cents: input.amount_cents, method: input.method, reference: input.reference,
        form_token: input.form_token, recorded_by: actor.id, recorded_by_name: actor.username,
        created_at: new Date().toISOString(), status: 'valid', payer_ruc: await holderOn(trx, contract, input.date),
        ...(imported ? { paper_number: imported.paper_number, import_id: imported.import_id } : {}),
      }).returning('id');
      const id = Number(typeof row === 'object' ? row.id : row);

      const account = await refreshedAccount(trx, contract, today, stored);
      const parts = account.statement.allocations.get(id) ?? [];
      const applied = parts.reduce((s, p) => s + partTotal(p), 0);
      if (applied !== input.amount_cents) throw new Error(`receipt ${number}: applied ${applied} ≠ ${input.amount_cents}`);
      if (parts.length) {
        await trx('receipt_allocations').insert(parts.map((p) => ({
          receipt_id: id, n: p.n, late_fee_cents: p.late_fee_cents, interest_cents: p.interest_cents, principal_cents: p.principal_cents,
        })));
      }
      await settle(trx, contract, account, input.date, actor, `receipt ${number}`);
      await audit(trx, actor, 'receipt.create', 'receipt', number, {
        contract: contract.number, date: input.date, amount_cents: input.amount_cents, method: input.method,
        reference: input.reference, parts, ...(imported ? { imported } : {}),
      });
      if (!imported) await queueReceiptNotice(trx, number);
      return number;
    });
  } catch (err) {
    // Two submissions raced past the check: the loser finds the winner's receipt.
    if (input.form_token && isUniqueViolation(err)) {
      const done = await findReceiptByToken(db, input.form_token);
      if (done) return sameSubmission(done, contractId, input);
    }
    throw err;
  }
}

/** The contract's maintained account brought up to date with the act just written, and its statement today. */
async function refreshedAccount(trx: Db, contract: ContractView, today: IsoDate, stored?: AccountState | null): Promise<Account> {
  const receipts = await receiptsOf(trx, contract.id);
  const { state, rates } = await refreshAccount(trx, contract.id, { stored, receipts, terms: contract });
  return { statement: statementFromState(state, today, rates), receipts };
}

/**
 * Voids a receipt (its number is never reused), posts the mirror of its entry, and replays the
 * contract without it: later receipts may then split differently, and the contract may go back from
 * paid off to active, or to awaiting its down payment when what remains no longer covers it.
 */
export async function reverseReceipt(db: Db, number: string, reason: string, today: IsoDate, actor: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    const receipt = await findReceipt(trx, number);
    if (!receipt) throw notFound();
    if (receipt.status === 'void') throw new FormError(409, { reason: 'payments.error.already_void' });
    const contract = await findContractView(trx, receipt.contract_id);
    if (!contract) throw new Error(`receipt ${number} without contract`);
    if (contract.status === 'rescinded') throw new FormError(409, { reason: { key: 'payments.error.rescinded', params: { number: contract.number } } });
    if (contract.balance_fixed_on && receipt.date <= contract.balance_fixed_on) {
      throw new FormError(409, { reason: { key: 'payments.error.void_before_resolution', params: {
        date: formatDate(contract.balance_fixed_on), resolution: contract.balance_fixed_by ?? '' } } });
    }
    if (contract.status === 'withdrawn') throw new FormError(409, { reason: { key: 'payments.error.withdrawn', params: { number: contract.number } } });
    // The reversal is dated today: the receipt's own month may be closed, today's may not.
    await assertMonthOpen(trx, today, 'reason');

    const now = new Date().toISOString();
    // Guarded: of two concurrent reversals only one finds the receipt still valid.
    const changed = await trx('receipts').where({ id: receipt.id, status: 'valid' })
      .update({ status: 'void', void_reason: reason, voided_by: actor.id, voided_at: now });
    if (changed !== 1) throw new FormError(409, { reason: 'payments.error.already_void' });
    currentBatch()?.receipts.clear(); // (a go-live import keeps receipts; none is voided in one, but should it be)

    const account = await refreshedAccount(trx, contract, today);
    await settle(trx, contract, account, today, actor, `receipt ${number} voided: ${reason}`);
    await trx('contract_events').insert({
      contract_id: contract.id, kind: 'receipt_voided', date: today, recorded_by: actor.id, recorded_at: now,
      details: JSON.stringify({ receipt: number, amount_cents: receipt.amount_cents, reason }),
    });
    await audit(trx, actor, 'receipt.void', 'receipt', number, { contract: contract.number, reason, amount_cents: receipt.amount_cents });
  });
}
