// The writes of the fund area: infrastructure projects, and the spending charged to them. Each
// write is one transaction that checks everything before it writes, posts to the ledger and
// appends to the audit log. A spending is never edited or deleted, only reversed.
import { SOURCE_TYPES } from '../domain/accounts.ts';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../clock.ts';
import { audit, diff, type Actor } from '../audit/audit.ts';
import { FormError, notFound, Refusals, type FieldErrors } from '../web/errors.ts';
import { formatSoles, type Cents } from '../domain/money.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { rucProblem } from '../domain/ruc.ts';
import { availableOn } from '../domain/fund-reports.ts';
import { ACCOUNTS, postEntry, reverseEntry } from './ledger.ts';
import { findProject, findSpending, fundDailyEffects, spentOnProject } from './queries.ts';
import { assertMonthOpen, closedMonthMessage } from '../closings/guard.ts';

export const PROJECT_STATUSES = ['planned', 'in_progress', 'done'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** Source types of the fund's own entries (journal_entries.source_type). */
export const SPENDING_SOURCE = { spending: SOURCE_TYPES.spending, reversal: SOURCE_TYPES.spendingReversal } as const;

export interface ProjectInput {
  name: string;
  budget_cents: Cents;
  status: ProjectStatus;
  description: string | null;
}

/**
 * The rules on a project's values that look at the database: a code already used (a new project),
 * a budget below what was already spent (an existing one). Fields missing are skipped, so that the
 * form shows these with its own messages at once.
 */
export async function projectProblems(db: Db, input: Partial<ProjectInput & { code: string }>, id?: number): Promise<Refusals> {
  const errors = new Refusals();
  if (id === undefined && input.code) {
    const code = input.code.toUpperCase();
    if (await db('projects').whereRaw('upper(code) = ?', [code]).first('id')) {
      errors.add('code', { key: 'fund.errors.code_taken', params: { code } }, 409);
    }
  }
  if (id !== undefined && input.budget_cents !== undefined) {
    const spent = await spentOnProject(db, id);
    if (input.budget_cents < spent) errors.add('budget', { key: 'fund.errors.budget_below_spent', params: { spent: formatSoles(spent) } });
  }
  return errors;
}

export async function createProject(db: Db, actor: Actor, input: ProjectInput & { code: string }): Promise<number> {
  return db.transaction(async (trx) => {
    const code = input.code.toUpperCase();
    (await projectProblems(trx, input)).throwIfAny();
    const now = new Date().toISOString();
    const fields = { code, name: input.name, description: input.description, budget_cents: input.budget_cents, status: input.status };
    const [row] = await trx('projects').insert({ ...fields, created_by: actor.id, created_at: now, updated_at: now }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await audit(trx, actor, 'project.create', 'project', id, fields);
    return id;
  });
}

/** Name, budget, status and description change; the code (used in the journal) does not. */
export async function updateProject(db: Db, actor: Actor, id: number, input: ProjectInput): Promise<void> {
  await db.transaction(async (trx) => {
    const project = await findProject(trx, id);
    if (!project) throw notFound();
    (await projectProblems(trx, input, id)).throwIfAny();
    const after = { name: input.name, budget_cents: input.budget_cents, status: input.status, description: input.description };
    const changes = diff(project as unknown as Record<string, unknown>, after);
    if (Object.keys(changes).length === 0) return;
    await trx('projects').where({ id }).update({ ...after, updated_at: new Date().toISOString() });
    await audit(trx, actor, 'project.update', 'project', id, changes);
  });
}

export interface SpendingInput {
  date: IsoDate;
  supplier_ruc: string;
  supplier_name: string;
  document_number: string;
  description: string;
  amount_cents: Cents;
  /** Finance confirmed a spending beyond the fund's balance or the project's remaining budget. */
  confirm_over: boolean;
}

/** What a spending would leave: the fund available on its date and the project's remaining budget. */
export async function spendingLimits(db: Db, projectId: number, budget_cents: number, date: IsoDate) {
  // One after the other: `db` may be a transaction, whose single PostgreSQL connection takes one query at a time.
  const daily = await fundDailyEffects(db);
  const spent = await spentOnProject(db, projectId);
  return { fund_available_cents: availableOn(daily, date), budget_remaining_cents: budget_cents - spent };
}

/** The rules on a spending's values alone, each field on its own (one missing is skipped). */
export function spendingProblems(input: Partial<Pick<SpendingInput, 'date' | 'supplier_ruc'>>, today: IsoDate): FieldErrors {
  const errors: FieldErrors = {};
  if (input.date && input.date > today) errors.date = 'errors.future_date';
  const problem = input.supplier_ruc ? rucProblem(input.supplier_ruc) : null;
  if (problem) errors.supplier_ruc = `fund.errors.ruc.${problem}`;
  return errors;
}

/**
 * Records a spending: Dr fund / Cr bank with the project on both lines. Beyond the fund's balance
 * on its date (or any later day's) or beyond the project's remaining budget, it needs
 * `confirm_over`; without it nothing is written and the form says why, with the amounts.
 */
export async function recordSpending(db: Db, clock: Clock, actor: Actor, projectId: number, input: SpendingInput): Promise<number> {
  return db.transaction(async (trx) => {
    const project = await findProject(trx, projectId);
    if (!project) throw notFound();
    // Every refusal at once: the values' own rules and a document already recorded.
    const errors = new Refusals();
    for (const [field, message] of Object.entries(spendingProblems(input, clock.today()))) errors.add(field, message);
    const duplicate = await trx('spendings')
      .where({ supplier_ruc: input.supplier_ruc, document_number: input.document_number, status: 'valid' }).first('id');
    if (duplicate) errors.add('document_number', { key: 'fund.errors.duplicate_document', params: { id: Number(duplicate.id) } }, 409);
    const closed = errors.fields.date ? null : await closedMonthMessage(trx, input.date); // the month close
    if (closed) errors.add('date', closed, 409);
    errors.throwIfAny();

    const limits = await spendingLimits(trx, projectId, project.budget_cents, input.date);
    const over_fund = input.amount_cents > limits.fund_available_cents;
    const over_budget = input.amount_cents > limits.budget_remaining_cents;
    if ((over_fund || over_budget) && !input.confirm_over) {
      const amount = formatSoles(input.amount_cents);
      const refused: FieldErrors = {};
      if (over_fund) {
        refused.over_fund = { key: 'fund.errors.over_fund', params: {
          amount, available: formatSoles(limits.fund_available_cents), date: formatDate(input.date) } };
      }
      if (over_budget) {
        refused.over_budget = { key: 'fund.errors.over_budget', params: {
          amount, remaining: formatSoles(limits.budget_remaining_cents), budget: formatSoles(project.budget_cents) } };
      }
      refused.confirm_over = 'fund.errors.confirm_needed';
      throw new FormError(400, refused);
    }

    const fields = {
      project_id: projectId, date: input.date, supplier_ruc: input.supplier_ruc, supplier_name: input.supplier_name,
      document_number: input.document_number, description: input.description, amount_cents: input.amount_cents,
      fund_available_cents: limits.fund_available_cents, budget_remaining_cents: limits.budget_remaining_cents,
      over_fund, over_budget,
    };
    const [row] = await trx('spendings').insert({
      ...fields, status: 'valid', recorded_by: actor.id, recorded_by_name: actor.username, created_at: new Date().toISOString(),
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    const entryId = await postEntry(trx, {
      date: input.date,
      description: `Obra ${project.code}: ${input.supplier_name}, comprobante ${input.document_number}`,
      source_type: SPENDING_SOURCE.spending, source_id: id,
      lines: [
        { account_code: ACCOUNTS.fund, debit_cents: input.amount_cents, project_id: projectId },
        { account_code: ACCOUNTS.bank, credit_cents: input.amount_cents, project_id: projectId },
      ],
    }, actor);
    await trx('spendings').where({ id }).update({ entry_id: entryId });
    await audit(trx, actor, 'spending.create', 'spending', id, { ...fields, entry_id: entryId, project_code: project.code });
    return id;
  });
}

/** Reverses a spending on today's date: the mirror entry gives the money back to the fund. */
export async function reverseSpending(db: Db, clock: Clock, actor: Actor, id: number, reason: string): Promise<number> {
  return db.transaction(async (trx) => {
    const s = await findSpending(trx, id);
    if (!s) throw notFound();
    if (s.status !== 'valid') throw new FormError(409, { reason: { key: 'fund.errors.already_reversed', params: { id } } });
    const today = clock.today();
    await assertMonthOpen(trx, today, 'reason'); // dated today: the spending's own month may be closed, today's may not
    const entryId = await reverseEntry(trx, s.entry_id, today, `Anulación del gasto #${id} (obra ${s.project_code}): ${reason}`, actor,
      { source_type: SPENDING_SOURCE.reversal, source_id: id });
    await trx('spendings').where({ id }).update({
      status: 'reversed', reversal_reason: reason, reversed_on: today, reversal_entry_id: entryId, reversed_by: actor.id,
    });
    await audit(trx, actor, 'spending.reverse', 'spending', id, { reason, reversal_entry_id: entryId, amount_cents: s.amount_cents });
    return s.project_id;
  });
}
