// The municipality's two answers to a buyer who left three installments unpaid (Civil Code art.
// 1561): demand the whole balance at once (acceleration) or rescind the sale (art. 1562–1563).
// Neither is ever automatic: each is recorded with its resolution number and date.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, notFound } from '../web/errors.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { formatPercent } from '../domain/percent.ts';
import { delinquencyOf, type Delinquency } from '../domain/delinquency.ts';
import { refundOf, rescissionAllowed } from '../domain/rescission.ts';
import { findContractView, type ContractView } from '../contracts/queries.ts';
import { accountOf } from '../payments/account.ts';
import { refreshAccount } from '../accounts/maintain.ts';
import { contractReceivable, postRescission } from '../payments/postings.ts';
import { insertAccountEvent } from '../acts/queries.ts';
import { assertMonthOpen } from '../closings/guard.ts';

export interface RescissionCheck {
  as_of: IsoDate;
  delinquency: Delinquency;
  received_cents: number; // everything the buyer paid: late fees, interest, principal
  principal_paid_cents: number; // incl. the down payment: the share art. 1562 looks at
  paid_ppm: number;
  threshold_ppm: number;
  allowed: boolean; // below the contract's threshold
  scheduled_outstanding_cents: number;
}

/** Where a contract stands for art. 1561–1562 on `as_of`. */
export async function rescissionCheck(db: Db, contract: ContractView, as_of: IsoDate): Promise<RescissionCheck> {
  const { statement } = await accountOf(db, contract, as_of);
  const share = rescissionAllowed(statement.principal_paid_cents, contract.price_cents, contract.rescission_threshold_ppm);
  return {
    as_of, delinquency: delinquencyOf(statement),
    received_cents: statement.total_paid_cents, principal_paid_cents: statement.principal_paid_cents,
    paid_ppm: share.paid_ppm, threshold_ppm: contract.rescission_threshold_ppm, allowed: share.allowed,
    scheduled_outstanding_cents: statement.scheduled_outstanding_cents,
  };
}

async function liveContract(trx: Db, id: number): Promise<ContractView> {
  const c = await findContractView(trx, id);
  if (!c) throw notFound();
  if (c.status === 'rescinded') throw new FormError(409, { _form: { key: 'rescission.error.already', params: { number: c.number } } });
  if (c.status !== 'active') throw new FormError(409, { _form: { key: 'acceleration.error.not_active', params: { number: c.number } } });
  return c;
}

function checkDate(field: string, date: IsoDate, contract: ContractView, today: IsoDate): void {
  if (date > today) throw new FormError(400, { [field]: 'errors.future_date' });
  if (date < contract.date) throw new FormError(400, { [field]: { key: 'payments.error.before_contract', params: { date: formatDate(contract.date) } } });
}

const notDelinquent = (d: Delinquency, date: IsoDate) => new FormError(409, {
  _form: { key: 'acceleration.error.not_delinquent', params: { count: d.unpaid_overdue_count, date: formatDate(date) } },
});

export async function accelerateContract(db: Db, contractId: number, input: { resolution_number: string; date: IsoDate },
  today: IsoDate, actor: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    const contract = await liveContract(trx, contractId);
    if (contract.accelerated_on) {
      throw new FormError(409, { _form: { key: 'acceleration.error.already', params: { date: formatDate(contract.accelerated_on) } } });
    }
    checkDate('date', input.date, contract, today);
    await assertMonthOpen(trx, input.date, 'date'); // the month close
    const { statement } = await accountOf(trx, contract, input.date);
    const d = delinquencyOf(statement);
    if (!d.may_accelerate_or_rescind) throw notDelinquent(d, input.date);
    await trx('contracts').where({ id: contract.id })
      .update({ accelerated_on: input.date, acceleration_resolution: input.resolution_number });
    await insertAccountEvent(trx, {
      contract_id: contract.id, kind: 'acceleration', date: input.date, resolution_number: input.resolution_number,
      details: {}, recorded_by: actor.id, recorded_at: new Date().toISOString(),
    });
    await refreshAccount(trx, contract.id);
    // No journal entry: acceleration changes when the remaining installments fall due, not how much is
    // owed; receivables (1201) already hold the whole scheduled outstanding since activation.
    await trx('contract_events').insert({
      contract_id: contract.id, kind: 'accelerated', date: input.date, recorded_by: actor.id, recorded_at: new Date().toISOString(),
      details: JSON.stringify({ resolution: input.resolution_number, unpaid_installments: d.unpaid_overdue_count, outstanding_cents: statement.outstanding_cents }),
    });
    await audit(trx, actor, 'contract.accelerated', 'contract', contract.id, { resolution: input.resolution_number, date: input.date });
  });
}

export interface RescissionInput {
  resolution_number: string;
  resolution_date: IsoDate;
  compensation_cents: number;
  penalty_cents: number;
}

/**
 * Every rule of a rescission and its figures as of the resolution date (received, refund), or the
 * refusal (FormError): what rescindContract records, and what its summary shows before confirming.
 */
export async function rescissionTerms(db: Db, contractId: number, input: RescissionInput, today: IsoDate) {
  const contract = await liveContract(db, contractId);
  checkDate('resolution_date', input.resolution_date, contract, today);
  await assertMonthOpen(db, input.resolution_date, 'resolution_date'); // the month close
  const later = await db('receipts').where({ contract_id: contract.id, status: 'valid' }).andWhere('date', '>', input.resolution_date).first('number');
  if (later) throw new FormError(400, { resolution_date: { key: 'rescission.error.later_receipt', params: { number: later.number } } });

  const check = await rescissionCheck(db, contract, input.resolution_date);
  if (!check.delinquency.may_accelerate_or_rescind) throw notDelinquent(check.delinquency, input.resolution_date);
  if (!check.allowed) {
    throw new FormError(409, { _form: { key: 'rescission.error.threshold', params: {
      paid: formatPercent(check.paid_ppm), threshold: formatPercent(check.threshold_ppm) } } });
  }
  const refund = refundOf(check.received_cents, input.compensation_cents, input.penalty_cents);
  if (!refund.ok) throw new FormError(400, { compensation: 'rescission.error.kept_exceeds' });
  return { contract, check, refund };
}

/**
 * Rescinds a sale: the rescissions row (received, kept, returned), the contract rescinded, the lot
 * available again, the scheduled outstanding written off and the refund paid out of the fund.
 * Returns the rescission id.
 */
export async function rescindContract(db: Db, contractId: number, input: RescissionInput, today: IsoDate, actor: Actor): Promise<number> {
  return db.transaction(async (trx) => {
    const { contract, check, refund } = await rescissionTerms(trx, contractId, input, today);

    const now = new Date().toISOString();
    const [row] = await trx('rescissions').insert({
      contract_id: contract.id, resolution_number: input.resolution_number, resolution_date: input.resolution_date,
      received_cents: check.received_cents, compensation_cents: input.compensation_cents, penalty_cents: input.penalty_cents,
      returned_cents: refund.returned_cents, recorded_by: actor.id, recorded_at: now,
    }).returning('id');
    const rescissionId = Number(typeof row === 'object' ? row.id : row);
    await trx('contracts').where({ id: contract.id }).update({
      status: 'rescinded', rescinded_on: input.resolution_date, rescission_resolution: input.resolution_number,
    });
    await trx('lots').where({ id: contract.lot_id }).update({ status: 'available', updated_at: now });
    await refreshAccount(trx, contract.id);

    // The receivable written off is the contract's own 1201 balance, which must be the replay's figure.
    const receivable = await contractReceivable(trx, contract.id);
    if (receivable !== check.scheduled_outstanding_cents) {
      throw new Error(`contract ${contract.number}: receivables ${receivable} ≠ scheduled outstanding ${check.scheduled_outstanding_cents}`);
    }
    await postRescission(trx, { id: contract.id, number: contract.number, owner: contract.lot_owner }, rescissionId,
      receivable, refund.returned_cents, input.resolution_date, actor);
    await trx('contract_events').insert({
      contract_id: contract.id, kind: 'rescinded', date: input.resolution_date, recorded_by: actor.id, recorded_at: now,
      details: JSON.stringify({ resolution: input.resolution_number, received_cents: check.received_cents,
        compensation_cents: input.compensation_cents, penalty_cents: input.penalty_cents, returned_cents: refund.returned_cents,
        written_off_cents: receivable }),
    });
    await audit(trx, actor, 'contract.rescinded', 'contract', contract.id, {
      resolution: input.resolution_number, date: input.resolution_date, received_cents: check.received_cents,
      compensation_cents: input.compensation_cents, penalty_cents: input.penalty_cents, returned_cents: refund.returned_cents,
    });
    return rescissionId;
  });
}
