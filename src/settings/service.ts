// Park settings: the terms a new contract is signed with, and the moratorium rate history.
// Contracts copy the terms when signed, so a change here never alters an existing contract.
import type { Db } from '../db/knex.ts';
import { audit, diff, type Actor } from '../audit/audit.ts';
import { notFound, Refusals, type FieldErrors } from '../web/errors.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { refreshAllAccounts } from '../accounts/maintain.ts';
import { collectionSettingsProblems, saveCollectionSettings, type CollectionSettingsInput } from './collections.ts';
import { closedMonthMessage } from '../closings/guard.ts';
import { currentBatch } from '../db/batch-scope.ts';

export interface ParkSettings {
  down_payment_ppm: number;
  installment_count: number;
  annual_rate_ppm: number;
  rescission_threshold_ppm: number;
}

export interface MoratoriumRate {
  effective_from: IsoDate;
  monthly_rate_ppm: number;
}

const KEYS = ['down_payment_ppm', 'installment_count', 'annual_rate_ppm', 'rescission_threshold_ppm'] as const;

/** The current terms for new contracts (the migration inserts the defaults 15%, 60, 0%, 50%). */
export async function getSettings(db: Db): Promise<ParkSettings> {
  const rows: { key: string; value: string }[] = await db('settings').whereIn('key', KEYS as unknown as string[]);
  const byKey = new Map(rows.map((r) => [r.key, Number(r.value)]));
  const out = {} as ParkSettings;
  for (const k of KEYS) {
    const v = byKey.get(k);
    if (v === undefined || !Number.isSafeInteger(v)) throw new Error(`setting ${k} missing or not an integer`);
    out[k] = v;
  }
  return out;
}

/** Rules of the park's follow-up of contracts (not terms of a contract: changing them alters no contract). */
export interface FollowUpSettings {
  /** Days after the contract date that a down payment may take before the home page lists the contract. */
  down_payment_deadline_days: number;
  /** Months a rescheduled contract stays marked on the delinquency report. */
  reschedule_watch_months: number;
}

export const FOLLOW_UP_KEYS = ['down_payment_deadline_days', 'reschedule_watch_months'] as const;
export const FOLLOW_UP_DEFAULTS: FollowUpSettings = { down_payment_deadline_days: 30, reschedule_watch_months: 6 };
export const FOLLOW_UP_RANGES: Record<keyof FollowUpSettings, { min: number; max: number }> = {
  down_payment_deadline_days: { min: 1, max: 365 },
  reschedule_watch_months: { min: 0, max: 60 },
};

/** The follow-up settings (the migration seeds 30 days and 6 months; a row missing reads as its default). */
export async function getFollowUpSettings(db: Db): Promise<FollowUpSettings> {
  const rows: { key: string; value: string }[] = await db('settings').whereIn('key', FOLLOW_UP_KEYS as unknown as string[]);
  const out = { ...FOLLOW_UP_DEFAULTS };
  for (const r of rows) {
    const v = Number(r.value);
    if (!Number.isSafeInteger(v)) throw new Error(`setting ${r.key} is not an integer`);
    out[r.key as keyof FollowUpSettings] = v;
  }
  return out;
}

/** Every moratorium rate with the day it took effect, oldest first. */
export async function getMoratoriumRates(db: Db): Promise<MoratoriumRate[]> {
  const batch = currentBatch(); // a go-live import: read once (nothing in it changes the rates)
  if (batch) return structuredClone((batch.rates ??= await readMoratoriumRates(db)) as MoratoriumRate[]);
  return readMoratoriumRates(db);
}

async function readMoratoriumRates(db: Db): Promise<MoratoriumRate[]> {
  // A withdrawn rate (repealed before it came into force) no longer applies.
  const rows = await db('moratorium_rates').whereNull('withdrawn_at').orderBy('effective_from', 'asc')
    .select('effective_from', 'monthly_rate_ppm');
  return rows.map((r: { effective_from: string; monthly_rate_ppm: number | string }) => ({
    effective_from: r.effective_from, monthly_rate_ppm: Number(r.monthly_rate_ppm),
  }));
}

/** The full rate history for the settings page (with ordinance and when it was entered), newest first. */
export async function moratoriumHistory(db: Db) {
  return db('moratorium_rates as m').leftJoin('users as u', 'u.id', 'm.created_by')
    .leftJoin('users as w', 'w.id', 'm.withdrawn_by')
    .orderBy('m.effective_from', 'desc').orderBy('m.id', 'desc')
    .select('m.id', 'm.effective_from', 'm.monthly_rate_ppm', 'm.ordinance', 'm.created_at', 'u.username as created_by_name',
      'm.withdrawn_at', 'm.withdrawal_reason', 'w.username as withdrawn_by_name');
}

/** The rate in force on `date` (latest effective_from ≤ date), or null before the first one. */
export function rateInForce(rates: MoratoriumRate[], date: IsoDate): MoratoriumRate | null {
  let found: MoratoriumRate | null = null;
  for (const r of rates) if (r.effective_from <= date) found = r;
  return found;
}

export interface SettingsInput extends ParkSettings {
  /** Each left as it is when not given (a client that posts only the older fields keeps working). */
  follow_up?: Partial<FollowUpSettings>;
  /** Collections: letter days, hour of the daily run, how to pay (each optional as above). */
  collections?: CollectionSettingsInput;
  moratorium: { monthly_rate_ppm: number; effective_from: IsoDate; ordinance: string | null } | null;
}

/**
 * The rules on the settings' values alone, each field on its own (a field missing is skipped), so
 * that the form can show them all at once with its own messages.
 */
export function settingsProblems(input: Partial<SettingsInput>): FieldErrors {
  const errors: FieldErrors = {};
  const v = input;
  if (v.down_payment_ppm !== undefined && (v.down_payment_ppm <= 0 || v.down_payment_ppm >= 1_000_000)) errors.down_payment_pct = 'settings.down_payment_range';
  if (v.annual_rate_ppm !== undefined && v.annual_rate_ppm > 1_000_000) errors.annual_rate_pct = 'settings.rate_range';
  if (v.rescission_threshold_ppm !== undefined && (v.rescission_threshold_ppm <= 0 || v.rescission_threshold_ppm > 1_000_000)) errors.rescission_threshold_pct = 'settings.threshold_range';
  if (v.moratorium && v.moratorium.monthly_rate_ppm > 100_000) errors.moratorium_monthly_pct = 'settings.moratorium_range';
  for (const k of FOLLOW_UP_KEYS) {
    const n = v.follow_up?.[k];
    const r = FOLLOW_UP_RANGES[k];
    if (n !== undefined && (!Number.isSafeInteger(n) || n < r.min || n > r.max)) errors[k] = { key: 'errors.integer_range', params: r };
  }
  if (v.collections) Object.assign(errors, collectionSettingsProblems(v.collections));
  return errors;
}

/**
 * Saves the terms for new contracts and, when the moratorium rate differs from the one in force on
 * its effective date, adds it to the history: a new rate needs the number of the ordinance that fixes
 * it. A date already in the history with another rate is a conflict (409): an ordinance's rate is
 * corrected by entering the correcting ordinance's date. Every refusal comes at once.
 */
export async function updateSettings(db: Db, input: SettingsInput, actor: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    const errors = new Refusals();
    for (const [field, message] of Object.entries(settingsProblems(input))) errors.add(field, message);
    const m = input.moratorium;
    let addRate = false;
    if (m) {
      const same = await trx('moratorium_rates').where({ effective_from: m.effective_from }).whereNull('withdrawn_at').first();
      // The month close: a rate from a date in a closed month would change the late fees charged in it.
      const closed = await closedMonthMessage(trx, m.effective_from);
      if (closed) errors.add('moratorium_effective_from', closed, 409);
      else if (same) {
        if (Number(same.monthly_rate_ppm) !== m.monthly_rate_ppm) errors.add('moratorium_effective_from', 'settings.moratorium_date_taken', 409);
        // else: the same rate on the same date, already recorded
      } else {
        const rates = await getMoratoriumRates(trx);
        addRate = rateInForce(rates, m.effective_from)?.monthly_rate_ppm !== m.monthly_rate_ppm;
        if (addRate && !m.ordinance) errors.add('moratorium_ordinance', 'settings.ordinance_required');
      }
    }
    errors.throwIfAny();

    const before = await getSettings(trx);
    const after: ParkSettings = {
      down_payment_ppm: input.down_payment_ppm, installment_count: input.installment_count,
      annual_rate_ppm: input.annual_rate_ppm, rescission_threshold_ppm: input.rescission_threshold_ppm,
    };
    const changes = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
    for (const key of Object.keys(changes)) {
      await trx('settings').where({ key }).update({ value: String(after[key as keyof ParkSettings]) });
    }
    const followBefore = await getFollowUpSettings(trx);
    const followAfter: FollowUpSettings = { ...followBefore };
    for (const k of FOLLOW_UP_KEYS) {
      const v = input.follow_up?.[k];
      if (v !== undefined) followAfter[k] = v;
    }
    const followChanges = diff(followBefore as unknown as Record<string, unknown>, followAfter as unknown as Record<string, unknown>);
    for (const key of Object.keys(followChanges)) {
      const value = String(followAfter[key as keyof FollowUpSettings]);
      const updated = await trx('settings').where({ key }).update({ value });
      if (updated === 0) await trx('settings').insert({ key, value });
    }
    Object.assign(changes, followChanges);
    if (input.collections) Object.assign(changes, await saveCollectionSettings(trx, input.collections));
    if (Object.keys(changes).length) await audit(trx, actor, 'settings.update', 'settings', 'park', changes);

    if (m && addRate) {
      await trx('moratorium_rates').insert({
        effective_from: m.effective_from, monthly_rate_ppm: m.monthly_rate_ppm, ordinance: m.ordinance,
        created_by: actor.id, created_at: new Date().toISOString(),
      });
      await audit(trx, actor, 'moratorium.add', 'settings', 'moratorium', m);
      // Late fees already closed on or after its date were charged at the old rate: those accounts anew.
      const touched = await trx('account_rows').where('accrued_to', '>=', m.effective_from).first('contract_id');
      if (touched) await refreshAllAccounts(trx);
    }
  });
}

/**
 * Withdraws a rate that is not yet in force (its date after today), with the reason: the row stays,
 * marked withdrawn, and no longer applies. A rate in force has charged late fees and is corrected by
 * a new ordinance instead. Having charged nothing, its withdrawal changes no account.
 */
export async function withdrawMoratoriumRate(
  db: Db, id: number, input: { reason: string; confirmed: boolean }, actor: Actor, today: IsoDate,
): Promise<void> {
  await db.transaction(async (trx) => {
    const rate = await trx('moratorium_rates').where({ id }).first();
    if (!rate) throw notFound();
    const errors = new Refusals();
    if (rate.withdrawn_at) errors.add('reason', 'settings.withdraw_already', 409);
    else if (rate.effective_from <= today) errors.add('reason', { key: 'settings.withdraw_in_force', params: { date: formatDate(rate.effective_from) } }, 409);
    if (!input.reason) errors.add('reason', 'errors.required');
    if (!input.confirmed) errors.add('confirm', 'settings.withdraw_confirm_needed');
    errors.throwIfAny();
    await trx('moratorium_rates').where({ id }).whereNull('withdrawn_at').update({
      withdrawn_at: new Date().toISOString(), withdrawn_by: actor.id, withdrawal_reason: input.reason,
    });
    await audit(trx, actor, 'moratorium.withdraw', 'settings', 'moratorium', {
      effective_from: rate.effective_from, monthly_rate_ppm: Number(rate.monthly_rate_ppm), ordinance: rate.ordinance, reason: input.reason,
    });
  });
}
