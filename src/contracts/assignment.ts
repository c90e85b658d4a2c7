// Cesión de posición contractual: by a resolution, an active contract passes to another firm that is an
// active ACIPIAS member. The history, the receipts and what was paid stay with the contract; what is still
// owed is owed by the new firm from then on (every report that names a contract's firm reads
// contracts.firm_ruc). The old firm keeps the receipts it paid (receipts.payer_ruc), nothing else.
// No journal entry: the ledger keys receivables by contract, not by firm.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, notFound, Refusals } from '../web/errors.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { formatSoles } from '../domain/money.ts';
import { delinquencyOf } from '../domain/delinquency.ts';
import { findFirm, findMembership } from '../firms/queries.ts';
import { accountOf } from '../payments/account.ts';
import { receiptsOf } from '../payments/queries.ts';
import { findContractView, type ContractView } from './queries.ts';
import { closedMonthMessage } from '../closings/guard.ts';
import { currentBatch } from '../db/batch-scope.ts';

export interface AssignmentInput {
  to_ruc: string;
  resolution_number: string;
  resolution_date: IsoDate;
  reason: string | null;
  allow_overdue: boolean;
}

export interface AssignmentRow {
  id: number;
  contract_id: number;
  from_ruc: string;
  from_name: string;
  to_ruc: string;
  to_name: string;
  resolution_number: string;
  resolution_date: IsoDate;
  reason: string | null;
  allow_overdue: boolean;
  overdue_installments: number;
  overdue_cents: number;
  recorded_by_name: string | null;
  recorded_at: string;
}

/** A contract's assignments, oldest first, with the firms' names. */
export async function assignmentsOf(db: Db, contractId: number): Promise<AssignmentRow[]> {
  const rows = await db('assignments as a')
    .join('firms as ff', 'ff.ruc', 'a.from_ruc').join('firms as ft', 'ft.ruc', 'a.to_ruc')
    .leftJoin('users as u', 'u.id', 'a.recorded_by')
    .where('a.contract_id', contractId).orderBy([{ column: 'a.resolution_date' }, { column: 'a.id' }])
    .select('a.*', 'ff.name as from_name', 'ft.name as to_name', 'u.username as recorded_by_name');
  return rows.map((r: Record<string, unknown>) => ({
    ...(r as unknown as AssignmentRow), id: Number(r.id), contract_id: Number(r.contract_id),
    allow_overdue: Number(r.allow_overdue) === 1, overdue_installments: Number(r.overdue_installments),
    overdue_cents: Number(r.overdue_cents),
  }));
}

/**
 * The firm that held the contract on `date`, who pays a receipt of that date: the firm that handed it
 * on in the first assignment dated after it, or the contract's firm when none is. (A receipt entered late
 * with a date before an assignment was paid by the firm that held the contract then.)
 */
export async function holderOn(db: Db, contract: { id: number; firm_ruc: string }, date: IsoDate): Promise<string> {
  const batch = currentBatch(); // a go-live import makes no assignment: a contract without one stays so
  if (batch?.unassigned.has(contract.id)) return contract.firm_ruc;
  const later = await db('assignments').where({ contract_id: contract.id }).andWhere('resolution_date', '>', date)
    .orderBy([{ column: 'resolution_date' }, { column: 'id' }]).first('from_ruc');
  if (later) return String(later.from_ruc);
  // From the assignments themselves rather than the contract row the caller read (it may predate the last one).
  const last = await db('assignments').where({ contract_id: contract.id })
    .orderBy([{ column: 'resolution_date', order: 'desc' }, { column: 'id', order: 'desc' }]).first('to_ruc');
  if (!last) batch?.unassigned.add(contract.id);
  return last ? String(last.to_ruc) : contract.firm_ruc;
}

/** How the contract stood on the resolution date: its overdue installments (n ≥ 1) and what they owed. */
async function overdueOn(db: Db, contract: ContractView, date: IsoDate) {
  const { statement } = await accountOf(db, contract, date);
  return { count: delinquencyOf(statement).unpaid_overdue_count, cents: statement.overdue_cents };
}

/**
 * Every rule of an assignment that its values allow, at once (a value missing is skipped: the form's own
 * parsing says it): the contract active; the new firm known, another one, an active ACIPIAS member; the
 * resolution date not in the future, not before the contract's activation nor a previous assignment; no
 * overdue installment on that date unless the resolution allows it.
 */
export async function assignmentProblems(db: Db, contract: ContractView, input: Partial<AssignmentInput>, today: IsoDate): Promise<Refusals> {
  const errors = new Refusals();
  if (contract.status !== 'active') {
    errors.add('_form', { key: 'assignment.error.not_active', params: { number: contract.number } }, 409);
    return errors;
  }
  if (input.to_ruc) {
    const firm = await findFirm(db, input.to_ruc);
    const membership = firm ? await findMembership(db, firm.ruc) : undefined;
    if (!firm) errors.add('to_ruc', 'contracts.firm_unknown', 404);
    else if (firm.ruc === contract.firm_ruc) errors.add('to_ruc', { key: 'assignment.error.same_firm', params: { name: firm.name } });
    else if (!membership) errors.add('to_ruc', 'assignment.error.not_member');
    else if (membership.status !== 'active') errors.add('to_ruc', { key: 'assignment.error.member_inactive', params: { number: membership.member_number } });
  }
  const date = input.resolution_date;
  if (date) {
    const last = await db('assignments').where({ contract_id: contract.id }).max({ d: 'resolution_date' }).first();
    const since = contract.activated_on ?? contract.date;
    const closed = await closedMonthMessage(db, date);
    if (date > today) errors.add('resolution_date', 'errors.future_date');
    else if (date < since) errors.add('resolution_date', { key: 'assignment.error.before_activation', params: { date: formatDate(since) } });
    else if (last?.d && date < String(last.d)) errors.add('resolution_date', { key: 'assignment.error.before_last', params: { date: formatDate(String(last.d)) } });
    else if (closed) errors.add('resolution_date', closed, 409); // the month close
    else if (!input.allow_overdue) {
      const overdue = await overdueOn(db, contract, date);
      if (overdue.count > 0) {
        errors.add('allow_overdue', { key: 'assignment.error.overdue', params: {
          count: overdue.count, date: formatDate(date), amount: formatSoles(overdue.cents) } }, 409);
      }
    }
  }
  return errors;
}

/** Assigns the contract to the firm `to_ruc` (one transaction). Returns the assignment's id. */
export async function assignContract(db: Db, contractId: number, input: AssignmentInput, today: IsoDate, actor: Actor): Promise<number> {
  return db.transaction(async (trx) => {
    const contract = await findContractView(trx, contractId);
    if (!contract) throw notFound();
    (await assignmentProblems(trx, contract, input, today)).throwIfAny();
    const overdue = await overdueOn(trx, contract, input.resolution_date);
    const now = new Date().toISOString();
    // Guarded: of two assignments racing, only the one that finds the contract as it read it writes.
    const moved = await trx('contracts').where({ id: contract.id, status: 'active', firm_ruc: contract.firm_ruc })
      .update({ firm_ruc: input.to_ruc });
    if (moved !== 1) throw new FormError(409, { _form: { key: 'assignment.error.not_active', params: { number: contract.number } } });
    const [row] = await trx('assignments').insert({
      contract_id: contract.id, from_ruc: contract.firm_ruc, to_ruc: input.to_ruc,
      resolution_number: input.resolution_number, resolution_date: input.resolution_date, reason: input.reason,
      allow_overdue: input.allow_overdue ? 1 : 0, overdue_installments: overdue.count, overdue_cents: overdue.cents,
      recorded_by: actor.id, recorded_at: now,
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    const details = {
      resolution_number: input.resolution_number, resolution_date: input.resolution_date,
      from_ruc: contract.firm_ruc, to_ruc: input.to_ruc, allow_overdue: input.allow_overdue,
      overdue_installments: overdue.count, overdue_cents: overdue.cents,
    };
    await trx('contract_events').insert({
      contract_id: contract.id, kind: 'assigned', date: input.resolution_date, recorded_by: actor.id, recorded_at: now,
      details: JSON.stringify(details),
    });
    await audit(trx, actor, 'contract.assigned', 'contract', contract.id, { number: contract.number, ...details, reason: input.reason });
    return id;
  });
}

/**
 * The receipts a firm paid on contracts it has since assigned to another firm, by contract (newest first):
 * documents it keeps, listed on its portal's receipts page (it no longer sees those contracts).
 */
export async function receiptsPaidBeforeAssignment(db: Db, ruc: string) {
  const ids: number[] = (await db('receipts as r').join('contracts as c', 'c.id', 'r.contract_id')
    .where('r.payer_ruc', ruc).whereNot('c.firm_ruc', ruc).distinct('r.contract_id').orderBy('r.contract_id').pluck('r.contract_id')).map(Number);
  const groups = [];
  for (const id of ids) {
    const contract = (await findContractView(db, id))!;
    const receipts = (await receiptsOf(db, id)).filter((r) => r.payer_ruc === ruc).reverse().map((r) => ({ ...r, is_void: r.status === 'void' }));
    groups.push({ contract, receipts, assigned_away: true,
      total_valid_cents: receipts.filter((r) => !r.is_void).reduce((sum, r) => sum + r.amount_cents, 0) });
  }
  return groups;
}
