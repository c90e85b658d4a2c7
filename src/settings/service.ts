// Park settings: the terms a new contract is signed with, and the moratorium rate history.
// Contracts copy the terms when signed, so a change here never alters an existing contract.
import type { Db } from '../db/knex.ts';
import { audit, diff, type Actor } from '../audit/audit.ts';
import { FormError } from '../web/errors.ts';
import type { IsoDate } from '../domain/dates.ts';
import { refreshAllAccounts } from '../accounts/maintain.ts';

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

/** Every moratorium rate with the day it took effect, oldest first. */
export async function getMoratoriumRates(db: Db): Promise<MoratoriumRate[]> {
  const rows = await db('moratorium_rates').orderBy('effective_from', 'asc')
    .select('effective_from', 'monthly_rate_ppm');
  return rows.map((r: { effective_from: string; monthly_rate_ppm: number | string }) => ({
    effective_from: r.effective_from, monthly_rate_ppm: Number(r.monthly_rate_ppm),
  }));
}

/** The full rate history for the settings page (with ordinance and when it was entered), newest first. */
export async function moratoriumHistory(db: Db) {
  return db('moratorium_rates as m').leftJoin('users as u', 'u.id', 'm.created_by')
    .orderBy('m.effective_from', 'desc')
    .select('m.effective_from', 'm.monthly_rate_ppm', 'm.ordinance', 'm.created_at', 'u.username as created_by_name');
}

/** The rate in force on `date` (latest effective_from ≤ date), or null before the first one. */
export function rateInForce(rates: MoratoriumRate[], date: IsoDate): MoratoriumRate | null {
  let found: MoratoriumRate | null = null;
  for (const r of rates) if (r.effective_from <= date) found = r;
  return found;
}

export interface SettingsInput extends ParkSettings {
  moratorium: { monthly_rate_ppm: number; effective_from: IsoDate; ordinance: string | null } | null;
}

/**
 * Saves the terms for new contracts and, when the moratorium rate differs from the one in force on
 * its effective date, adds it to the history. A date already in the history with another rate is a
 * conflict (409): an ordinance's rate is corrected by entering the correcting ordinance's date.
 */
export async function updateSettings(db: Db, input: SettingsInput, actor: Actor): Promise<void> {
  const errors: Record<string, string> = {};
  if (input.down_payment_ppm <= 0 || input.down_payment_ppm >= 1_000_000) errors.down_payment_pct = 'settings.down_payment_range';
  if (input.annual_rate_ppm > 1_000_000) errors.annual_rate_pct = 'settings.rate_range';
  if (input.rescission_threshold_ppm <= 0 || input.rescission_threshold_ppm > 1_000_000) errors.rescission_threshold_pct = 'settings.threshold_range';
  if (input.moratorium && input.moratorium.monthly_rate_ppm > 100_000) errors.moratorium_monthly_pct = 'settings.moratorium_range';
  if (Object.keys(errors).length) throw new FormError(400, errors);

  await db.transaction(async (trx) => {
    const before = await getSettings(trx);
    const after: ParkSettings = {
      down_payment_ppm: input.down_payment_ppm, installment_count: input.installment_count,
      annual_rate_ppm: input.annual_rate_ppm, rescission_threshold_ppm: input.rescission_threshold_ppm,
    };
    const changes = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
    for (const key of Object.keys(changes)) {
      await trx('settings').where({ key }).update({ value: String(after[key as keyof ParkSettings]) });
    }
    if (Object.keys(changes).length) await audit(trx, actor, 'settings.update', 'settings', 'park', changes);

    const m = input.moratorium;
    if (m) {
      const same = await trx('moratorium_rates').where({ effective_from: m.effective_from }).first();
      if (same) {
        if (Number(same.monthly_rate_ppm) !== m.monthly_rate_ppm) {
          throw new FormError(409, { moratorium_effective_from: 'settings.moratorium_date_taken' });
        }
        return; // the same rate on the same date: already recorded
      }
      const rates = await getMoratoriumRates(trx);
      if (rateInForce(rates, m.effective_from)?.monthly_rate_ppm === m.monthly_rate_ppm) return;
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
