// Deposits of the till's cash in the bank: cash receipts post to 1101 caja, while spending and
// refunds leave 1102 banco, so finance takes the till to the bank and records it here (Dr 1102 /
// Cr 1101). Each write is one transaction with its entry and the audit log; a deposit is never
// edited or deleted, only reversed by the mirror entry dated today.
import type { Db } from '../db/knex.ts';
import type { Clock } from '../clock.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, notFound, Refusals } from '../web/errors.ts';
import { formatSoles, type Cents } from '../domain/money.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { availableOn, SOURCE } from '../domain/fund-reports.ts';
import { ACCOUNTS, postEntry, reverseEntry } from './ledger.ts';
import { accountDailyEffects, findCashDeposit, validDepositWithReference } from './queries.ts';
import { assertMonthOpen, closedMonthMessage } from '../closings/guard.ts';

/** Source types of the deposits' entries (journal_entries.source_type). */
export const DEPOSIT_SOURCE = { deposit: SOURCE.cashDeposit, reversal: SOURCE.cashDepositReversal } as const;

export interface CashDepositInput {
  date: IsoDate;
  amount_cents: Cents;
  /** The bank's voucher (constancia) number. */
  reference: string;
}

/** What the till can give on `date`: its lowest balance from that date on (the rule the fund's
 *  spending follows), so that a backdated deposit cannot leave it short on any later day. */
export async function cashAvailableOn(db: Db, date: IsoDate): Promise<Cents> {
  return availableOn(await accountDailyEffects(db, ACCOUNTS.cash), date);
}

/**
 * The rules a deposit must pass that do not need the others' values: not after today, and a voucher
 * not already recorded. Each field on its own (one missing is skipped), so the form shows them at once.
 */
export async function cashDepositProblems(db: Db, input: Partial<CashDepositInput>, today: IsoDate): Promise<Refusals> {
  const errors = new Refusals();
  if (input.date && input.date > today) errors.add('date', 'errors.future_date');
  else if (input.date) {
    const closed = await closedMonthMessage(db, input.date); // the month close
    if (closed) errors.add('date', closed, 409);
  }
  const reference = input.reference?.trim();
  if (reference) {
    const duplicate = await validDepositWithReference(db, reference);
    if (duplicate !== null) errors.add('reference', { key: 'fund.errors.duplicate_deposit', params: { id: duplicate, reference } }, 409);
  }
  return errors;
}

export async function recordCashDeposit(db: Db, clock: Clock, actor: Actor, input: CashDepositInput): Promise<number> {
  return db.transaction(async (trx) => {
    const errors = await cashDepositProblems(trx, input, clock.today());
    const reference = input.reference.trim();
    // What the till holds on a date that is not refused: with the other refusals, in one answer.
    const available = errors.fields.date ? 0 : await cashAvailableOn(trx, input.date);
    if (!errors.fields.date && input.amount_cents > available) {
      errors.add('amount', { key: 'fund.errors.over_cash', params: {
        amount: formatSoles(input.amount_cents), available: formatSoles(available), date: formatDate(input.date) } });
    }
    errors.throwIfAny();

    const fields = { date: input.date, amount_cents: input.amount_cents, reference, cash_available_cents: available };
    const [row] = await trx('cash_deposits').insert({
      ...fields, status: 'valid', recorded_by: actor.id, recorded_by_name: actor.username, created_at: new Date().toISOString(),
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    const entryId = await postEntry(trx, {
      date: input.date, description: `Depósito de caja en banco, constancia ${reference}`,
      source_type: DEPOSIT_SOURCE.deposit, source_id: id,
      lines: [
        { account_code: ACCOUNTS.bank, debit_cents: input.amount_cents },
        { account_code: ACCOUNTS.cash, credit_cents: input.amount_cents },
      ],
    }, actor);
    await trx('cash_deposits').where({ id }).update({ entry_id: entryId });
    await audit(trx, actor, 'cash_deposit.create', 'cash_deposit', id, { ...fields, entry_id: entryId });
    return id;
  });
}

/** Reverses a deposit on today's date: the mirror entry puts the money back in the till. */
export async function reverseCashDeposit(db: Db, clock: Clock, actor: Actor, id: number, reason: string): Promise<void> {
  await db.transaction(async (trx) => {
    const d = await findCashDeposit(trx, id);
    if (!d) throw notFound();
    if (d.status !== 'valid') throw new FormError(409, { reason: { key: 'fund.errors.deposit_already_reversed', params: { id } } });
    const today = clock.today();
    await assertMonthOpen(trx, today, 'reason'); // dated today: the deposit's own month may be closed, today's may not
    const entryId = await reverseEntry(trx, d.entry_id, today, `Anulación del depósito #${id} (constancia ${d.reference}): ${reason}`,
      actor, { source_type: DEPOSIT_SOURCE.reversal, source_id: id });
    await trx('cash_deposits').where({ id }).update({
      status: 'reversed', reversal_reason: reason, reversed_on: today, reversal_entry_id: entryId, reversed_by: actor.id,
    });
    await audit(trx, actor, 'cash_deposit.reverse', 'cash_deposit', id, { reason, reversal_entry_id: entryId, amount_cents: d.amount_cents });
  });
}
