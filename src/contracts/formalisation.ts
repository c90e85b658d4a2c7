// The way from a paid-off contract to a registered title: minuta (the private draft the parties sign),
// escritura pública (before a notary), inscrita (entered in the SUNARP land registry). One row per stage,
// in that order, never edited. A minuta may be signed while the contract is being paid (it is active); the
// escritura and the inscription transfer the title, which the municipality grants only once the price is
// paid, so they need the contract paid off.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, notFound, Refusals } from '../web/errors.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { findContractView, type ContractView } from './queries.ts';
import { closedMonthMessage } from '../closings/guard.ts';

export const STAGES = ['minuta', 'escritura', 'inscrita'] as const;
export type Stage = (typeof STAGES)[number];

export interface FormalisationInput {
  stage: Stage;
  stage_date: IsoDate;
  resolution_number: string;
  resolution_date: IsoDate;
  notary: string | null;
  registry_entry: string | null;
  notes: string | null;
}

export interface FormalisationStep extends FormalisationInput {
  id: number;
  contract_id: number;
  recorded_by_name: string | null;
  recorded_at: string;
}

export async function stepsOf(db: Db, contractId: number): Promise<FormalisationStep[]> {
  const rows = await db('formalisation_steps as s').leftJoin('users as u', 'u.id', 's.recorded_by')
    .where('s.contract_id', contractId).select('s.*', 'u.username as recorded_by_name');
  return rows.map((r: Record<string, unknown>) => ({ ...(r as unknown as FormalisationStep), id: Number(r.id), contract_id: Number(r.contract_id) }))
    .sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
}

/** The next stage a contract can register (null when its title is registered). */
export function nextStage(steps: readonly { stage: Stage }[]): Stage | null {
  return STAGES.find((s) => !steps.some((x) => x.stage === s)) ?? null;
}

/** The statuses a stage may be registered in. */
const ALLOWED: Record<Stage, readonly string[]> = {
  minuta: ['active', 'paid_off'],
  escritura: ['paid_off'],
  inscrita: ['paid_off'],
};

/** Every rule of a formalisation step its values allow, at once (values missing are skipped). */
export async function formalisationProblems(db: Db, contract: ContractView, input: Partial<FormalisationInput>, today: IsoDate): Promise<Refusals> {
  const errors = new Refusals();
  const steps = await stepsOf(db, contract.id);
  const stage = input.stage;
  if (stage) {
    const at = STAGES.indexOf(stage);
    const before = at > 0 ? steps.find((s) => s.stage === STAGES[at - 1]) : undefined;
    if (steps.some((s) => s.stage === stage)) errors.add('stage', 'formalisation.error.already', 409);
    else if (at > 0 && !before) errors.add('stage', { key: `formalisation.error.needs_${STAGES[at - 1]}` }, 409);
    else if (!ALLOWED[stage].includes(contract.status)) {
      errors.add('stage', { key: stage === 'minuta' ? 'formalisation.error.minuta_status' : 'formalisation.error.not_paid_off',
        params: { number: contract.number } }, 409);
    }
    if (stage === 'inscrita' && 'registry_entry' in input && !input.registry_entry) errors.add('registry_entry', 'formalisation.error.registry_entry');
    if (input.stage_date && before && input.stage_date < before.stage_date) {
      errors.add('stage_date', { key: 'formalisation.error.before_previous', params: { date: formatDate(before.stage_date) } });
    }
  }
  for (const field of ['stage_date', 'resolution_date'] as const) {
    const d = input[field];
    if (!d) continue;
    if (d > today) errors.add(field, 'errors.future_date');
    else if (d < contract.date) errors.add(field, { key: 'payments.error.before_contract', params: { date: formatDate(contract.date) } });
    else {
      const closed = await closedMonthMessage(db, d); // the month close
      if (closed) errors.add(field, closed, 409);
    }
  }
  return errors;
}

/** Records a stage of the contract's formalisation (one transaction). */
export async function recordFormalisation(db: Db, contractId: number, input: FormalisationInput, today: IsoDate, actor: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    const contract = await findContractView(trx, contractId);
    if (!contract) throw notFound();
    (await formalisationProblems(trx, contract, input, today)).throwIfAny();
    const now = new Date().toISOString();
    const row = {
      stage: input.stage, stage_date: input.stage_date, resolution_number: input.resolution_number,
      resolution_date: input.resolution_date, notary: input.notary,
      registry_entry: input.registry_entry, notes: input.notes,
    };
    try {
      await trx('formalisation_steps').insert({ contract_id: contract.id, ...row, recorded_by: actor.id, recorded_at: now });
    } catch (err) {
      // The unique (contract, stage) index refuses a concurrent second registration of the same stage.
      const e = err as { code?: string };
      if (e?.code === '23505' || String(e?.code ?? '').startsWith('SQLITE_CONSTRAINT')) throw new FormError(409, { stage: 'formalisation.error.already' });
      throw err;
    }
    await trx('contract_events').insert({
      contract_id: contract.id, kind: `formalisation_${input.stage}`, date: input.stage_date, recorded_by: actor.id, recorded_at: now,
      details: JSON.stringify({ resolution_number: input.resolution_number, resolution_date: input.resolution_date,
        notary: input.notary, registry_entry: input.registry_entry }),
    });
    await audit(trx, actor, 'contract.formalisation', 'contract', contract.id, { number: contract.number, ...row });
  });
}

/** How many paid-off contracts have no title registered yet (the managers' home links to their list). */
export async function titlePendingCount(db: Db): Promise<number> {
  const row = await db('contracts as c').where('c.status', 'paid_off')
    .whereNotExists((s) => s.select(db.raw('1')).from('formalisation_steps as fs').whereRaw('fs.contract_id = c.id').andWhere('fs.stage', 'inscrita'))
    .count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
