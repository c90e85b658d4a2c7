// Signing a sale: the checks (shared by the preview and the signature), the contract with the terms
// in force, its schedule, its events and the lot's new status, in one transaction. Also the status
// steps the payments area takes (activation on the down payment, payoff).
import { refreshAccount } from '../accounts/maintain.ts';
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, type FieldErrors, type Message } from '../web/errors.ts';
import { formatDate, MIN_PLAUSIBLE_DATE, type IsoDate } from '../domain/dates.ts';
import { buildSchedule, listPrice, type Schedule } from '../domain/schedule.ts';
import { nextValue } from '../counters.ts';
import { getSettings, type ParkSettings } from '../settings/service.ts';
import { findFirm, findMembership, type FirmRow, type MembershipRow } from '../firms/queries.ts';
import { recordMembership } from '../firms/service.ts';
import type { ContractRow } from './queries.ts';
import { issuePayoffCertificate, voidPayoffCertificate } from './certificate.ts';
import { closedMonthMessage } from '../closings/guard.ts';
import { currentBatch } from '../db/batch-scope.ts';

export { loadContract } from './queries.ts';

export interface SaleInput {
  lot_code: string;
  firm_ruc: string;
  date: IsoDate;
  price_cents: number | null; // null: the list price
  price_reason: string | null;
  member_number: string | null; // enrol the buyer in ACIPIAS in the same transaction
  joined_on: IsoDate | null;
  /** Terms agreed on paper (the go-live import); each one not given is the park's setting in force. */
  terms?: Partial<Pick<ParkSettings, 'down_payment_ppm' | 'installment_count' | 'annual_rate_ppm'>>;
}

/** The settings in force with the terms a sale gives instead (a paper contract's, when imported). */
function termsOf(settings: ParkSettings, given: SaleInput['terms']): ParkSettings {
  const out = { ...settings };
  for (const k of ['down_payment_ppm', 'installment_count', 'annual_rate_ppm'] as const) {
    const v = given?.[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  return out;
}

export interface LotForSale {
  id: number;
  code: string;
  area_dm2: number;
  owner: string;
  status: string;
  price_per_m2_cents: number;
  land_use: string;
}

export interface SalePreview {
  lot: LotForSale;
  firm: FirmRow;
  membership: MembershipRow | undefined;
  enrol: boolean;
  list_price_cents: number;
  price_cents: number;
  negotiated: boolean;
  terms: ParkSettings;
  schedule: Schedule;
}

export const contractNumber = (year: number, seq: number) => `CV-${year}-${String(seq).padStart(4, '0')}`;

/** Status of a refusal with several reasons: not found, then conflict, then bad input. */
function refusal(errors: FieldErrors, statuses: Set<number>): FormError {
  const status = statuses.has(404) ? 404 : statuses.has(409) ? 409 : 400;
  return new FormError(status, errors);
}

/**
 * Every rule a sale must pass, checked on `db` (a transaction when signing). Returns the preview
 * (list price, price, terms, schedule) or throws one FormError with every reason by field.
 */
export async function checkSale(db: Db, input: SaleInput, today: IsoDate): Promise<SalePreview> {
  const r = await saleProblems(db, input, today);
  if (Object.keys(r.errors).length) throw refusal(r.errors, r.statuses);
  const { lot, firm, membership, enrol, list, price, negotiated } = r;

  const terms = termsOf(await getSettings(db), input.terms);
  const schedule = buildSchedule({
    price_cents: price, date: input.date, down_payment_ppm: terms.down_payment_ppm,
    installment_count: terms.installment_count, annual_rate_ppm: terms.annual_rate_ppm,
  });
  return {
    lot: lot!, firm: firm!, membership, enrol, list_price_cents: list, price_cents: price, negotiated, terms, schedule,
  };
}

/**
 * The sale's rules, every one that its values allow: a field missing (refused by the form's own
 * parsing) is skipped, so that the form shows these messages together with the parsing's.
 */
export async function saleProblems(db: Db, input: Partial<SaleInput>, today: IsoDate) {
  const errors: FieldErrors = {};
  const statuses = new Set<number>();
  const refuse = (field: string, status: 400 | 404 | 409, message: Message) => {
    if (errors[field]) return;
    errors[field] = message;
    statuses.add(status);
  };

  // Past contracts are entered with their real dates; only the future is refused.
  if (input.date && input.date > today) refuse('date', 400, 'errors.future_date');
  else if (input.date && input.date < MIN_PLAUSIBLE_DATE) {
    refuse('date', 400, { key: 'errors.date_too_early', params: { min: formatDate(MIN_PLAUSIBLE_DATE) } });
  } else if (input.date) {
    const closed = await closedMonthMessage(db, input.date); // the month close
    if (closed) refuse('date', 409, closed);
  }

  const lotRow = input.lot_code ? await db('lots').where({ code: input.lot_code.toUpperCase() }).first() : undefined;
  const lot: LotForSale | undefined = lotRow && {
    id: Number(lotRow.id), code: lotRow.code, area_dm2: Number(lotRow.area_dm2), owner: lotRow.owner,
    status: lotRow.status, price_per_m2_cents: Number(lotRow.price_per_m2_cents), land_use: lotRow.land_use,
  };
  if (!lot) { if (input.lot_code) refuse('lot_code', 404, 'contracts.lot_unknown'); }
  else if (lot.owner !== 'municipal') refuse('lot_code', 400, { key: 'contracts.lot_ministry', params: { code: lot.code } });
  else if (lot.status !== 'available') refuse('lot_code', 409, { key: 'contracts.lot_not_available', params: { code: lot.code } });

  const firm = input.firm_ruc ? await findFirm(db, input.firm_ruc) : undefined;
  const membership = firm ? await findMembership(db, firm.ruc) : undefined;
  let enrol = false;
  if (!firm) { if (input.firm_ruc) refuse('firm_ruc', 404, 'contracts.firm_unknown'); }
  else if (membership?.status !== 'active') {
    if (membership) {
      refuse('firm_ruc', 400, { key: 'contracts.firm_member_inactive', params: { number: membership.member_number } });
    } else if (input.member_number) {
      enrol = true;
      if (!input.joined_on) refuse('joined_on', 400, 'errors.required');
      else if (input.joined_on > today) refuse('joined_on', 400, 'errors.future_date');
      const taken = await db('memberships').where({ member_number: input.member_number }).first();
      if (taken) refuse('member_number', 409, { key: 'firms.member_number_taken', params: { ruc: taken.firm_ruc } });
    } else {
      refuse('firm_ruc', 400, 'contracts.firm_not_member');
    }
  }

  const list = lot ? listPrice(lot.area_dm2, lot.price_per_m2_cents) : 0;
  const price = input.price_cents ?? list;
  const negotiated = lot !== undefined && price !== list;
  if (input.price_cents !== null && input.price_cents !== undefined && input.price_cents <= 0) refuse('price', 400, 'errors.amount_positive');
  else if (negotiated && !input.price_reason && 'price_reason' in input) refuse('price_reason', 400, 'contracts.reason_required');

  return { errors, statuses, lot, firm, membership, enrol, list, price, negotiated };
}

/** saleProblems as a refusal: the FormError with every reason, or null. */
export async function saleRefusal(db: Db, input: Partial<SaleInput>, today: IsoDate): Promise<FormError | null> {
  const r = await saleProblems(db, input, today);
  return Object.keys(r.errors).length ? refusal(r.errors, r.statuses) : null;
}

/** The database refusing a second live contract on a lot (partial unique index), on SQLite or PostgreSQL. */
function isOneLivePerLotViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string; constraint?: string };
  if (e?.code === '23505') return e.constraint === 'contracts_one_live_per_lot';
  return typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT') && /contracts\.lot_id/.test(e.message ?? '');
}

/**
 * Signs a sale: contract CV-YYYY-NNNN (year of the contract date, no gaps), the terms in force,
 * the schedule, the events, the lot awaiting its down payment, the buyer enrolled if asked.
 * All or nothing. Returns the contract id.
 */
export async function signContract(db: Db, input: SaleInput, actor: Actor, today: IsoDate): Promise<number> {
  return db.transaction(async (trx) => {
    const p = await checkSale(trx, input, today);
    if (p.enrol) {
      await recordMembership(trx, p.firm.ruc, {
        member_number: input.member_number!, joined_on: input.joined_on!, status: 'active',
        effective_on: null, note: 'sale form',
      }, actor, today);
    }
    const year = Number(input.date.slice(0, 4));
    const seq = await nextValue(trx, `CV-${year}`);
    const number = contractNumber(year, seq);
    const now = new Date().toISOString();
    let id: number;
    try {
      const [row] = await trx('contracts').insert({
        number, year, seq, lot_id: p.lot.id, firm_ruc: p.firm.ruc, date: input.date,
        list_price_cents: p.list_price_cents, price_cents: p.price_cents,
        price_reason: p.negotiated ? input.price_reason : null,
        down_payment_ppm: p.terms.down_payment_ppm, down_payment_cents: p.schedule.down_payment_cents,
        financed_cents: p.schedule.financed_cents, installment_count: p.terms.installment_count,
        annual_rate_ppm: p.terms.annual_rate_ppm, rescission_threshold_ppm: p.terms.rescission_threshold_ppm,
        status: 'awaiting_down_payment', created_by: actor.id, created_at: now,
      }).returning('id');
      id = Number(typeof row === 'object' ? row.id : row);
    } catch (err) {
      if (isOneLivePerLotViolation(err)) {
        throw new FormError(409, { lot_code: { key: 'contracts.lot_not_available', params: { code: p.lot.code } } });
      }
      throw err;
    }
    const rows = p.schedule.rows.map((r) => ({
      contract_id: id, n: r.n, due_date: r.due_date, principal_cents: r.principal_cents,
      interest_cents: r.interest_cents, installment_cents: r.installment_cents, balance_cents: r.balance_cents,
    }));
    for (let i = 0; i < rows.length; i += 100) await trx('schedule_rows').insert(rows.slice(i, i + 100));
    await refreshAccount(trx, id);
    await trx('contract_events').insert({
      contract_id: id, kind: 'created', date: input.date, recorded_by: actor.id, recorded_at: now,
      details: JSON.stringify({ number, lot: p.lot.code, firm_ruc: p.firm.ruc, price_cents: p.price_cents }),
    });
    if (p.negotiated) {
      await trx('contract_events').insert({
        contract_id: id, kind: 'price_negotiated', date: input.date, recorded_by: actor.id, recorded_at: now,
        details: JSON.stringify({ list_price_cents: p.list_price_cents, price_cents: p.price_cents, reason: input.price_reason }),
      });
    }
    // Guarded update: the lot moves only from available, so a lost race cannot overwrite a status.
    const moved = await trx('lots').where({ id: p.lot.id, status: 'available' })
      .update({ status: 'awaiting_down_payment', updated_at: now });
    if (moved !== 1) throw new FormError(409, { lot_code: { key: 'contracts.lot_not_available', params: { code: p.lot.code } } });
    await audit(trx, actor, 'contract.create', 'contract', id, {
      number, lot: p.lot.code, firm_ruc: p.firm.ruc, date: input.date, price_cents: p.price_cents,
      list_price_cents: p.list_price_cents, terms: p.terms,
    });
    return id;
  });
}

/**
 * Takes the contract for this transaction before anything is read: a no-op write that on SQLite takes
 * the database's write lock (waiting for a writer in another process rather than reading a state
 * that writer is about to change, which would end in SQLITE_BUSY), and on PostgreSQL locks the row.
 * A payment and a withdrawal of the same contract thus see each other's committed outcome.
 */
export async function claimContract(trx: Db, id: number): Promise<void> {
  const batch = currentBatch(); // a go-live import: claimed once in its one transaction (the lock is held to its end)
  if (batch?.claimed.has(id)) return;
  await trx('contracts').where({ id }).update({ id });
  batch?.claimed.add(id);
}

async function contractForUpdate(trx: Db, id: number): Promise<ContractRow> {
  const c = await trx<ContractRow>('contracts').where({ id }).first();
  if (!c) throw new Error(`no contract ${id}`);
  return c;
}

async function step(trx: Db, c: ContractRow, kind: string, date: IsoDate, actor: Actor,
  contract: Partial<ContractRow>, lotStatus: string, details?: unknown): Promise<void> {
  const now = new Date().toISOString();
  currentBatch()?.views.clear(); // a go-live import's kept contracts: this one changes
  await trx('contracts').where({ id: c.id }).update(contract);
  await trx('lots').where({ id: c.lot_id }).update({ status: lotStatus, updated_at: now });
  await trx('contract_events').insert({
    contract_id: c.id, kind, date, recorded_by: actor.id, recorded_at: now,
    details: details === undefined ? null : JSON.stringify(details),
  });
  await audit(trx, actor, `contract.${kind}`, 'contract', c.id, { date, ...(details as object ?? {}) });
}

/**
 * The down payment is fully paid: the contract becomes active on `date` and its lot is under
 * contract. Called by the payments area inside its transaction. Already active: nothing to do.
 */
export async function activateContract(trx: Db, contractId: number, date: IsoDate, actor: Actor): Promise<void> {
  const c = await contractForUpdate(trx, contractId);
  if (c.status === 'active') return;
  if (c.status !== 'awaiting_down_payment') throw new Error(`contract ${c.number} is ${c.status}, cannot activate`);
  await step(trx, c, 'activated', date, actor, { status: 'active', activated_on: date }, 'under_contract');
}

/** Everything is paid: the contract is paid off on `date`, and so is its lot. Already paid off: nothing. */
export async function markPaidOff(trx: Db, contractId: number, date: IsoDate, actor: Actor): Promise<void> {
  const c = await contractForUpdate(trx, contractId);
  if (c.status === 'paid_off') return;
  if (c.status !== 'active') throw new Error(`contract ${c.number} is ${c.status}, cannot be paid off`);
  await step(trx, c, 'paid_off', date, actor, { status: 'paid_off', paid_off_on: date }, 'paid_off');
  await issuePayoffCertificate(trx, c.id, date, actor); // the constancia de cancelación, in the same transaction
}

/**
 * Undoes a step after a payment is reversed: paid_off → active (the lot is under contract again),
 * or active → awaiting_down_payment (the down payment is no longer fully paid).
 */
export async function revertContractStatus(trx: Db, contractId: number, to: 'active' | 'awaiting_down_payment',
  date: IsoDate, actor: Actor, reason: string): Promise<void> {
  const c = await contractForUpdate(trx, contractId);
  if (c.status === to) return;
  if (c.status === 'paid_off') await voidPayoffCertificate(trx, c.id, reason, actor); // no longer paid off
  if (to === 'active' && c.status === 'paid_off') {
    await step(trx, c, 'reopened', date, actor, { status: 'active', paid_off_on: null }, 'under_contract', { reason });
  } else if (to === 'awaiting_down_payment' && (c.status === 'active' || c.status === 'paid_off')) {
    await step(trx, c, 'deactivated', date, actor, { status: 'awaiting_down_payment', activated_on: null, paid_off_on: null },
      'awaiting_down_payment', { reason });
  } else {
    throw new Error(`contract ${c.number} is ${c.status}, cannot go back to ${to}`);
  }
}
