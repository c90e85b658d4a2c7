// The resolutions that change what a contract owes or when, each in one transaction: a waiver of late
// fees, a reschedule (refinanciamiento), the undo of an acceleration. Each is an account event the replay
// applies (src/domain/statement.ts), a history line, an audit entry, and (waiver, reschedule) a posting.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, notFound, Refusals } from '../web/errors.ts';
import { addDays, formatDate, type IsoDate } from '../domain/dates.ts';
import { formatSoles } from '../domain/money.ts';
import { computeStatement, replayAccount, statementFromState, type LateFeeOption, type RowState } from '../domain/statement.ts';
import { receiptsOf } from '../payments/queries.ts';
import { settle } from '../payments/settle.ts';
import { planReschedule, type ReschedulePlan } from '../domain/reschedule.ts';
import { findContractView, type ContractView } from '../contracts/queries.ts';
import { statementInput } from '../payments/account.ts';
import { refreshAccount } from '../accounts/maintain.ts';
import { insertAccountEvent } from './queries.ts';
import { postReschedule, postWaiver } from './postings.ts';
import { closedMonthMessage } from '../closings/guard.ts';

export interface Resolution { resolution_number: string; resolution_date: IsoDate }

const STATUS_KEYS: Record<string, string> = {
  awaiting_down_payment: 'acts.error.awaiting', paid_off: 'acts.error.paid_off', rescinded: 'acts.error.rescinded',
  withdrawn: 'acts.error.withdrawn',
};

/** The contract, active (others: 409 with why). */
async function activeContract(db: Db, id: number): Promise<ContractView> {
  const c = await findContractView(db, id);
  if (!c) throw notFound();
  if (c.status !== 'active') {
    throw new FormError(409, { _form: { key: STATUS_KEYS[c.status] ?? 'acts.error.not_active', params: { number: c.number } } });
  }
  return c;
}

/**
 * The resolution's date: not in the future, not before the contract, and not before what the account
 * already holds (the last valid receipt, the last resolution): a resolution takes the account as it is.
 */
async function dateRefusals(db: Db, contract: ContractView, date: IsoDate | undefined, today: IsoDate, errors: Refusals): Promise<void> {
  if (!date) return;
  if (date > today) return errors.add('resolution_date', 'errors.future_date');
  if (date < contract.date) return errors.add('resolution_date', { key: 'payments.error.before_contract', params: { date: formatDate(contract.date) } });
  const closed = await closedMonthMessage(db, date); // the month close: nothing dated in a closed month
  if (closed) return errors.add('resolution_date', closed, 409);
  const receipt = await db('receipts').where({ contract_id: contract.id, status: 'valid' }).andWhere('date', '>', date)
    .orderBy('date', 'desc').first('number', 'date');
  if (receipt) {
    return errors.add('resolution_date', { key: 'acts.error.later_receipt', params: { number: receipt.number, date: formatDate(receipt.date) } }, 409);
  }
  const act = await db('account_events').where({ contract_id: contract.id }).andWhere('date', '>', date)
    .orderBy('date', 'desc').first('resolution_number', 'date');
  if (act) {
    errors.add('resolution_date', { key: 'acts.error.later_act', params: { resolution: act.resolution_number, date: formatDate(act.date) } }, 409);
  }
}

/** The account replayed with the new resolution, and the contract's status after it: a waiver that takes
 *  off the last late fees owed pays the contract off (and issues its constancia), as a payment would. */
async function refreshAndSettle(trx: Db, contract: ContractView, on: IsoDate, today: IsoDate, actor: Actor, why: string): Promise<void> {
  const receipts = await receiptsOf(trx, contract.id);
  const { state, rates } = await refreshAccount(trx, contract.id, { receipts });
  await settle(trx, contract, { statement: statementFromState(state, today, rates), receipts }, on, actor, why);
}

async function historyAndAudit(trx: Db, contract: ContractView, kind: string, action: string, date: IsoDate,
  details: Record<string, unknown>, actor: Actor): Promise<void> {
  await trx('contract_events').insert({
    contract_id: contract.id, kind, date, recorded_by: actor.id, recorded_at: new Date().toISOString(), details: JSON.stringify(details),
  });
  await audit(trx, actor, action, 'contract', contract.id, details);
}

// ——— Waiver ———

export interface WaiverInput extends Resolution {
  installments: number[]; // schedule rows (n) chosen
  amount_cents: number | null; // null: all accrued to the date
}
export interface WaiverLine { n: number; due_date: IsoDate; late_fee_unpaid_cents: number; waived_cents: number }
export interface WaiverPlan { date: IsoDate; lines: WaiverLine[]; open: RowState[]; total_cents: number }

/** The rows with unpaid late fees on `date` and how `amount` (or all) would be taken off the chosen ones, oldest first. */
export async function planWaiver(db: Db, contract: ContractView, input: Partial<WaiverInput> & { resolution_date: IsoDate }): Promise<WaiverPlan> {
  const statement = computeStatement(await statementInput(db, contract, input.resolution_date));
  const open = statement.rows.filter((r) => r.late_fee_cents - r.late_fee_paid_cents > 0);
  const chosen = new Set(input.installments ?? []);
  let left = input.amount_cents ?? Number.MAX_SAFE_INTEGER;
  const lines: WaiverLine[] = [];
  for (const r of open) {
    if (!chosen.has(r.n)) continue;
    const unpaid = r.late_fee_cents - r.late_fee_paid_cents;
    const waived = Math.min(unpaid, left);
    left -= waived;
    lines.push({ n: r.n, due_date: r.due_date, late_fee_unpaid_cents: unpaid, waived_cents: waived });
  }
  return { date: input.resolution_date, lines, open, total_cents: lines.reduce((s, l) => s + l.waived_cents, 0) };
}

/** Every reason the waiver cannot be recorded, by field; the plan when it can. */
export async function waiverRefusals(db: Db, contract: ContractView, v: Partial<WaiverInput>, today: IsoDate): Promise<{ errors: Refusals; plan?: WaiverPlan }> {
  const errors = new Refusals();
  await dateRefusals(db, contract, v.resolution_date, today, errors);
  if (!v.resolution_date || errors.fields.resolution_date) return { errors };
  const plan = await planWaiver(db, contract, { ...v, resolution_date: v.resolution_date });
  if (v.installments) {
    const open = new Set(plan.open.map((r) => r.n));
    const wrong = v.installments.find((n) => !open.has(n));
    if (v.installments.length === 0) errors.add('installments', 'acts.waiver.choose');
    else if (wrong !== undefined) errors.add('installments', { key: 'acts.waiver.no_fee', params: { n: wrong, date: formatDate(v.resolution_date) } });
    else if (v.amount_cents !== undefined && v.amount_cents !== null) {
      const max = plan.lines.reduce((s, l) => s + l.late_fee_unpaid_cents, 0);
      if (v.amount_cents > max) errors.add('amount', { key: 'acts.waiver.exceeds', params: { max: formatSoles(max), date: formatDate(v.resolution_date) } });
    }
  }
  return { errors, plan };
}

export async function waiveLateFees(db: Db, contractId: number, input: WaiverInput, today: IsoDate, actor: Actor): Promise<number> {
  return db.transaction(async (trx) => {
    const contract = await activeContract(trx, contractId);
    const { errors, plan } = await waiverRefusals(trx, contract, input, today);
    errors.throwIfAny();
    if (!plan || plan.total_cents <= 0) throw new FormError(400, { installments: 'acts.waiver.choose' });
    const now = new Date().toISOString();
    // The amounts decided are stored, not "all": the resolution fixed them.
    const parts = plan.lines.filter((l) => l.waived_cents > 0).map((l) => ({ n: l.n, amount_cents: l.waived_cents }));
    const details = { resolution_number: input.resolution_number, parts, total_cents: plan.total_cents, all: input.amount_cents === null };
    const eventId = await insertAccountEvent(trx, {
      contract_id: contract.id, kind: 'waiver', date: input.resolution_date, resolution_number: input.resolution_number,
      details, recorded_by: actor.id, recorded_at: now,
    });
    await trx('contracts').where({ id: contract.id }).update({ balance_fixed_on: input.resolution_date, balance_fixed_by: input.resolution_number });
    await refreshAndSettle(trx, contract, input.resolution_date, today, actor, `late fees waived by ${input.resolution_number}`);
    await postWaiver(trx, contract, eventId, plan.total_cents, input.resolution_date, input.resolution_number, actor);
    await historyAndAudit(trx, contract, 'late_fees_waived', 'contract.late_fees_waived', input.resolution_date, details, actor);
    return eventId;
  });
}

// ——— Reschedule ———

export interface RescheduleInput extends Resolution {
  start_date: IsoDate;
  installment_count: number;
  annual_rate_ppm: number;
  late_fees: LateFeeOption;
}

/** Every reason the reschedule cannot be recorded, by field; its plan when it can. */
export async function rescheduleRefusals(db: Db, contract: ContractView, v: Partial<RescheduleInput>, today: IsoDate):
  Promise<{ errors: Refusals; plan?: ReschedulePlan }> {
  const errors = new Refusals();
  await dateRefusals(db, contract, v.resolution_date, today, errors);
  if (v.start_date && v.resolution_date) {
    if (v.start_date < v.resolution_date) errors.add('start_date', { key: 'acts.reschedule.start_before', params: { date: formatDate(v.resolution_date) } });
    else if (v.start_date > addDays(v.resolution_date, 366)) errors.add('start_date', 'acts.reschedule.start_far');
  }
  if (errors.any || !v.resolution_date || !v.start_date || !v.installment_count || v.annual_rate_ppm === undefined || !v.late_fees) return { errors };
  const input = await statementInput(db, contract, v.resolution_date);
  const plan = planReschedule(replayAccount(input), {
    date: v.resolution_date, start_date: v.start_date, installment_count: v.installment_count,
    annual_rate_ppm: v.annual_rate_ppm, late_fees: v.late_fees,
  }, input.rates);
  if ('error' in plan) {
    errors.add('_form', 'acts.reschedule.nothing_owed', 409);
    return { errors };
  }
  return { errors, plan };
}

export async function rescheduleContract(db: Db, contractId: number, input: RescheduleInput, today: IsoDate, actor: Actor): Promise<number> {
  return db.transaction(async (trx) => {
    const contract = await activeContract(trx, contractId);
    const { errors, plan } = await rescheduleRefusals(trx, contract, input, today);
    errors.throwIfAny();
    if (!plan) throw new Error('reschedule without a plan');
    const version = Number(contract.schedule_version ?? 1) + 1;
    const now = new Date().toISOString();
    for (const l of plan.lines) {
      await trx('schedule_rows').insert({
        contract_id: contract.id, version, n: l.n, due_date: l.due_date, principal_cents: l.principal_cents,
        interest_cents: l.interest_cents, installment_cents: l.installment_cents, balance_cents: l.balance_cents,
      });
    }
    const details = {
      resolution_number: input.resolution_number, version, start_date: input.start_date, installment_count: input.installment_count,
      annual_rate_ppm: input.annual_rate_ppm, late_fees: input.late_fees, balance_cents: plan.balance_cents,
      capitalised_cents: plan.capitalised_cents, waived_cents: plan.waived_cents, kept_late_fees_cents: plan.kept_late_fees_cents,
      interest_dropped_cents: plan.interest_dropped_cents, principal_cents: plan.principal_cents,
      first_n: plan.lines[0]!.n, last_n: plan.lines.at(-1)!.n, installment_cents: plan.lines[0]!.installment_cents,
      accelerated_on: contract.accelerated_on,
    };
    const eventId = await insertAccountEvent(trx, {
      contract_id: contract.id, kind: 'reschedule', date: input.resolution_date, resolution_number: input.resolution_number,
      details, recorded_by: actor.id, recorded_at: now,
    });
    // The new schedule replaces an acceleration in force: its rows fall due on their own dates.
    await trx('contracts').where({ id: contract.id }).update({
      schedule_version: version, rescheduled_on: input.resolution_date, accelerated_on: null, acceleration_resolution: null,
      balance_fixed_on: input.resolution_date, balance_fixed_by: input.resolution_number,
    });
    await refreshAndSettle(trx, contract, input.resolution_date, today, actor, `rescheduled by ${input.resolution_number}`);
    await postReschedule(trx, contract, eventId, plan.scheduled_after_cents - plan.scheduled_before_cents, plan.waived_cents,
      input.resolution_date, input.resolution_number, actor);
    await historyAndAudit(trx, contract, 'rescheduled', 'contract.rescheduled', input.resolution_date, details, actor);
    return eventId;
  });
}

// ——— Undo of an acceleration ———

export async function undoRefusals(db: Db, contract: ContractView, v: Partial<Resolution>, today: IsoDate): Promise<Refusals> {
  const errors = new Refusals();
  if (!contract.accelerated_on) {
    errors.add('_form', { key: 'acts.undo.not_accelerated', params: { number: contract.number } }, 409);
    return errors;
  }
  if (v.resolution_date && v.resolution_date < contract.accelerated_on) {
    errors.add('resolution_date', { key: 'acts.undo.before_acceleration', params: { date: formatDate(contract.accelerated_on) } });
    return errors;
  }
  await dateRefusals(db, contract, v.resolution_date, today, errors);
  return errors;
}

export async function undoAcceleration(db: Db, contractId: number, input: Resolution, today: IsoDate, actor: Actor): Promise<number> {
  return db.transaction(async (trx) => {
    const contract = await activeContract(trx, contractId);
    (await undoRefusals(trx, contract, input, today)).throwIfAny();
    const details = {
      resolution_number: input.resolution_number, accelerated_on: contract.accelerated_on,
      acceleration_resolution: contract.acceleration_resolution,
    };
    const eventId = await insertAccountEvent(trx, {
      contract_id: contract.id, kind: 'acceleration_undo', date: input.resolution_date, resolution_number: input.resolution_number,
      details, recorded_by: actor.id, recorded_at: new Date().toISOString(),
    });
    await trx('contracts').where({ id: contract.id }).update({ accelerated_on: null, acceleration_resolution: null });
    await refreshAccount(trx, contract.id);
    // No entry: like the acceleration, its undo changes when the installments fall due, not how much is owed.
    await historyAndAudit(trx, contract, 'acceleration_undone', 'contract.acceleration_undone', input.resolution_date, details, actor);
    return eventId;
  });
}
