// Firms and the ACIPIAS member register: every write in one transaction, audited.
import type { Db } from '../db/knex.ts';
import { audit, diff, type Actor } from '../audit/audit.ts';
import { FormError, HttpError, type FieldErrors } from '../web/errors.ts';
import { addMonths, type IsoDate } from '../domain/dates.ts';
import { compactDni, dniProblem, rucProblem } from '../domain/ruc.ts';
import { findFirm, findMembership, type FirmRow, type MembershipStatus } from './queries.ts';

/** Sector codes (ascii, stable for scripts); the screens show them translated (firms.sector.<code>). */
export const SECTORS = ['metalmecanica', 'carpinteria', 'pesquera', 'agroindustria', 'alimentos', 'textil',
  'construccion', 'comercio', 'servicios', 'reciclaje', 'otros'] as const;

/** What a firm form gives: the stored row without its timestamps. */
export type FirmInput = Omit<FirmRow, 'created_at' | 'updated_at'>;

/**
 * The rules a firm's data must follow; each failed identifier check has its own message. Each field
 * is looked at on its own (a field missing is skipped), so that a form shows them all at once.
 */
export function firmProblems(input: Partial<FirmInput>): FieldErrors {
  const errors: FieldErrors = {};
  const ruc = input.ruc !== undefined ? rucProblem(input.ruc) : null;
  if (ruc) errors.ruc = `firms.ruc_${ruc}`;
  const dni = input.representative_dni !== undefined ? dniProblem(input.representative_dni) : null;
  if (dni) errors.representative_dni = `firms.dni_${dni}`;
  if (input.sector !== undefined && !(SECTORS as readonly string[]).includes(input.sector)) errors.sector = 'errors.choice';
  const hasLicence = input.licence_number || input.licence_issued_on || input.licence_expires_on;
  if (hasLicence) {
    if (!input.licence_number && 'licence_number' in input) errors.licence_number = 'firms.licence_number_required';
    if (!input.licence_issued_on && 'licence_issued_on' in input) errors.licence_issued_on = 'firms.licence_issued_required';
    else if (input.licence_issued_on && input.licence_expires_on && input.licence_expires_on <= input.licence_issued_on) {
      errors.licence_expires_on = 'firms.licence_expires_before';
    }
  }
  return errors;
}

function firmColumns(input: FirmInput) {
  return {
    name: input.name,
    representative_name: input.representative_name,
    representative_dni: compactDni(input.representative_dni),
    sector: input.sector,
    phone: input.phone,
    email: input.email ? input.email.toLowerCase() : null,
    address: input.address,
    licence_number: input.licence_number,
    licence_issued_on: input.licence_issued_on,
    // The provisional licence lasts one year unless the document says otherwise.
    licence_expires_on: input.licence_issued_on
      ? input.licence_expires_on ?? addMonths(input.licence_issued_on, 12) : null,
  };
}

export async function createFirm(db: Db, input: FirmInput, actor: Actor): Promise<string> {
  const errors = firmProblems(input);
  if (Object.keys(errors).length) throw new FormError(400, errors);
  return db.transaction(async (trx) => {
    if (await findFirm(trx, input.ruc)) throw new FormError(409, { ruc: 'firms.ruc_taken' });
    const now = new Date().toISOString();
    const columns = firmColumns(input);
    await trx('firms').insert({ ruc: input.ruc, ...columns, created_at: now, updated_at: now });
    await audit(trx, actor, 'firm.create', 'firm', input.ruc, columns);
    return input.ruc;
  });
}

/** Edits a firm's facts; its RUC identifies it and does not change. */
export async function updateFirm(db: Db, ruc: string, input: Omit<FirmInput, 'ruc'>, actor: Actor): Promise<string> {
  const errors = firmProblems({ ...input, ruc });
  if (Object.keys(errors).length) throw new FormError(400, errors);
  return db.transaction(async (trx) => {
    const before = await findFirm(trx, ruc);
    if (!before) throw new HttpError(404, 'errors.not_found');
    const after = firmColumns({ ...input, ruc });
    const changes = diff(before as unknown as Record<string, unknown>, after);
    if (Object.keys(changes).length) {
      await trx('firms').where({ ruc }).update({ ...after, updated_at: new Date().toISOString() });
      await audit(trx, actor, 'firm.update', 'firm', ruc, changes);
    }
    return ruc;
  });
}

export interface MembershipInput {
  member_number: string;
  joined_on: IsoDate;
  status: MembershipStatus;
  /** the day a status change takes effect (default: today); the first enrolment takes joined_on */
  effective_on: IsoDate | null;
  note: string | null;
}

/**
 * Enrols a firm in ACIPIAS the first time, or records a later change (status, or a corrected number
 * or date). Each status takes its place in membership_events. Runs inside the caller's transaction,
 * so that a sale can enrol its buyer and sign in one commit.
 */
export async function recordMembership(trx: Db, ruc: string, input: MembershipInput, actor: Actor, today: IsoDate): Promise<void> {
  const firm = await findFirm(trx, ruc);
  if (!firm) throw new FormError(404, { firm_ruc: 'firms.unknown' });
  if (input.joined_on > today) throw new FormError(400, { joined_on: 'errors.future_date' });
  const effective = input.effective_on ?? today;
  if (input.effective_on && input.effective_on > today) throw new FormError(400, { effective_on: 'errors.future_date' });

  const taken = await trx('memberships').where({ member_number: input.member_number }).whereNot({ firm_ruc: ruc }).first();
  if (taken) throw new FormError(409, { member_number: { key: 'firms.member_number_taken', params: { ruc: taken.firm_ruc } } });

  const now = new Date().toISOString();
  const current = await findMembership(trx, ruc);
  if (!current) {
    await trx('memberships').insert({ firm_ruc: ruc, member_number: input.member_number, joined_on: input.joined_on, status: input.status });
    await trx('membership_events').insert({
      firm_ruc: ruc, status: input.status, effective_on: input.joined_on, note: input.note ?? 'enrolment',
      recorded_by: actor.id, recorded_at: now,
    });
    await audit(trx, actor, 'membership.enrol', 'firm', ruc, { member_number: input.member_number, joined_on: input.joined_on, status: input.status });
    return;
  }
  if (effective < input.joined_on) throw new FormError(400, { effective_on: 'firms.effective_before_joined' });
  const after = { member_number: input.member_number, joined_on: input.joined_on, status: input.status };
  const changes = diff(current as unknown as Record<string, unknown>, after);
  if (!Object.keys(changes).length) return;
  await trx('memberships').where({ firm_ruc: ruc }).update(after);
  if (changes.status) {
    await trx('membership_events').insert({
      firm_ruc: ruc, status: input.status, effective_on: effective, note: input.note,
      recorded_by: actor.id, recorded_at: now,
    });
  }
  await audit(trx, actor, 'membership.change', 'firm', ruc, { ...changes, effective_on: effective });
}

/** The membership form's action: one transaction around recordMembership. */
export async function saveMembership(db: Db, ruc: string, input: MembershipInput, actor: Actor, today: IsoDate): Promise<void> {
  if (!(await findFirm(db, ruc))) throw new HttpError(404, 'errors.not_found');
  await db.transaction((trx) => recordMembership(trx, ruc, input, actor, today));
}

export type { FirmRow };
