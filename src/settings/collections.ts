// Settings of collections (issue 12): the days of reminders and letters, the hour of the daily run, and
// how to pay (the municipality's bank accounts, the cashier's office, a contact line), shown on letters,
// the portal, receipts and statements. Rows of the `settings` table; a row missing reads as its default,
// and a field not posted is left as it is (a script that posts only the older fields keeps working).
import type { Db } from '../db/knex.ts';
import { COLLECTION_DEFAULTS, type CollectionSettings } from '../domain/collections.ts';
import type { FieldErrors } from '../web/errors.ts';

export interface CollectionRunSettings extends CollectionSettings { collections_hour: number }
export const COLLECTION_KEYS = ['reminder_days_before', 'letter1_days_after', 'letter2_days_after', 'collections_hour'] as const;
export const COLLECTION_RUN_DEFAULTS: CollectionRunSettings = { ...COLLECTION_DEFAULTS, collections_hour: 8 };
export const COLLECTION_RANGES: Record<keyof CollectionRunSettings, { min: number; max: number }> = {
  reminder_days_before: { min: 0, max: 60 },
  letter1_days_after: { min: 1, max: 120 },
  letter2_days_after: { min: 2, max: 365 },
  collections_hour: { min: 0, max: 23 },
};

export const BANK_SLOTS = [1, 2, 3] as const;
/** Text settings of how to pay: pay_bank_1, pay_account_1, pay_cci_1 … _3, office address and hours, contact. */
export const HOW_TO_PAY_KEYS = [
  ...BANK_SLOTS.flatMap((i) => [`pay_bank_${i}`, `pay_account_${i}`, `pay_cci_${i}`]),
  'pay_office_address', 'pay_office_hours', 'pay_contact',
] as const;
export type HowToPayKey = string;
export const HOW_TO_PAY_MAX: Record<string, number> = { bank: 64, account: 40, cci: 20, pay_office_address: 200, pay_office_hours: 120, pay_contact: 200 };
export const maxOf = (key: string) => HOW_TO_PAY_MAX[key.replace(/^pay_(bank|account|cci)_\d$/, '$1')] ?? 200;

export interface HowToPay {
  banks: { bank: string; account: string; cci: string }[];
  office_address: string; office_hours: string; contact: string;
  /** Anything to show at all. */
  any: boolean;
  values: Record<HowToPayKey, string>;
}

export async function getCollectionSettings(db: Db): Promise<CollectionRunSettings> {
  const rows: { key: string; value: string }[] = await db('settings').whereIn('key', COLLECTION_KEYS as unknown as string[]);
  const out = { ...COLLECTION_RUN_DEFAULTS };
  for (const r of rows) {
    const v = Number(r.value);
    if (!Number.isSafeInteger(v)) throw new Error(`setting ${r.key} is not an integer`);
    out[r.key as keyof CollectionRunSettings] = v;
  }
  return out;
}

export async function getHowToPay(db: Db): Promise<HowToPay> {
  const rows: { key: string; value: string }[] = await db('settings').whereIn('key', HOW_TO_PAY_KEYS as unknown as string[]);
  const values = Object.fromEntries(HOW_TO_PAY_KEYS.map((k) => [k, ''])) as Record<HowToPayKey, string>;
  for (const r of rows) values[r.key as HowToPayKey] = String(r.value);
  const banks = BANK_SLOTS.map((i) => ({ bank: values[`pay_bank_${i}`] ?? '', account: values[`pay_account_${i}`] ?? '', cci: values[`pay_cci_${i}`] ?? '' }))
    .filter((b) => b.bank || b.account || b.cci);
  const h = { banks, office_address: values.pay_office_address ?? '', office_hours: values.pay_office_hours ?? '', contact: values.pay_contact ?? '' };
  return { ...h, any: banks.length > 0 || Boolean(h.office_address || h.office_hours || h.contact), values };
}

export interface CollectionSettingsInput {
  collections?: Partial<CollectionRunSettings>;
  how_to_pay?: Partial<Record<HowToPayKey, string>>; // '' clears
}

export function collectionSettingsProblems(input: CollectionSettingsInput): FieldErrors {
  const errors: FieldErrors = {};
  for (const k of COLLECTION_KEYS) {
    const n = input.collections?.[k];
    const r = COLLECTION_RANGES[k];
    if (n !== undefined && (!Number.isSafeInteger(n) || n < r.min || n > r.max)) errors[k] = { key: 'errors.integer_range', params: r };
  }
  const c = input.collections;
  if (c?.letter1_days_after !== undefined && c.letter2_days_after !== undefined && c.letter2_days_after <= c.letter1_days_after) {
    errors.letter2_days_after = 'settings.letter2_after_letter1';
  }
  return errors;
}

/** Writes what changed (inside the settings' transaction); returns the changes for the audit log. */
export async function saveCollectionSettings(trx: Db, input: CollectionSettingsInput): Promise<Record<string, [unknown, unknown]>> {
  const changes: Record<string, [unknown, unknown]> = {};
  const before = await getCollectionSettings(trx);
  const pay = (await getHowToPay(trx)).values;
  const wanted: [string, string, string][] = [];
  for (const k of COLLECTION_KEYS) {
    const v = input.collections?.[k];
    if (v !== undefined && v !== before[k]) wanted.push([k, String(before[k]), String(v)]);
  }
  for (const k of HOW_TO_PAY_KEYS) {
    const v = input.how_to_pay?.[k];
    if (v !== undefined && v !== (pay[k] ?? '')) wanted.push([k, pay[k] ?? '', v]);
  }
  for (const [key, from, value] of wanted) {
    const updated = await trx('settings').where({ key }).update({ value });
    if (updated === 0) await trx('settings').insert({ key, value });
    changes[key] = [from, value];
  }
  return changes;
}
