// Zod building blocks for form and query fields, each failing with an i18n key. Money, areas
// and percentages come out as integers (céntimos, dm², ppm): parsed once, here.
import { z } from 'zod';
import { formatSoles, MAX_AMOUNT_CENTS, readSoles, type Cents } from '../domain/money.ts';
import { formatPercent, parsePercent } from '../domain/percent.ts';
import { formatM2, MAX_AREA_DM2, parseAreaM2 } from '../domain/area.ts';
import { MAX_PRICE_PER_M2_CENTS } from '../domain/schedule.ts';
import { formatDate, isIsoDate, MIN_PLAUSIBLE_DATE } from '../domain/dates.ts';

const text = () => z.string().trim();

export const requiredText = (max = 200) =>
  text().min(1, 'errors.required').max(max, 'errors.too_long');

export const optionalText = (max = 200) =>
  z.string().trim().max(max, 'errors.too_long').optional().transform((v) => (v ? v : null));

export const isoDate = () =>
  text().min(1, 'errors.required').refine(isIsoDate, 'errors.date');

/** The date of a contract, a payment, a spending or a deposit: not before MIN_PLAUSIBLE_DATE (2000-01-01). */
export const eventDate = () =>
  isoDate().refine((v) => v >= MIN_PLAUSIBLE_DATE, { message: 'errors.date_too_early', params: { min: formatDate(MIN_PLAUSIBLE_DATE) } });

export const optionalIsoDate = () =>
  z.string().trim().optional().refine((v) => !v || isIsoDate(v), 'errors.date')
    .transform((v) => (v ? v : null));

const AMOUNT_ERRORS = {
  format: 'errors.amount', ambiguous: 'errors.amount_ambiguous', too_large: 'errors.amount_max',
} as const;

/**
 * Soles as a person types them ("1416.67", "18,049.50", "S/ 120330", "120330,00": see readSoles)
 * → Cents, from 0 (or 0.01 when `positive`) up to `max` (every amount is bounded: MAX_AMOUNT_CENTS).
 */
function amount(opts: { positive: boolean; max?: number }) {
  const max = opts.max ?? MAX_AMOUNT_CENTS;
  return (v: string, ctx: z.RefinementCtx): Cents => {
    const r = readSoles(v);
    const fail = (message: string, params?: Record<string, string>) => {
      ctx.addIssue({ code: 'custom', message, ...(params ? { params } : {}) });
      return z.NEVER;
    };
    if (!r.ok) {
      if (r.error === 'negative') return fail(opts.positive ? 'errors.amount_positive' : 'errors.amount_negative');
      return fail(AMOUNT_ERRORS[r.error], { max: formatSoles(max) });
    }
    if (opts.positive && r.cents <= 0) return fail('errors.amount_positive');
    if (r.cents > max) return fail('errors.amount_max', { max: formatSoles(max) });
    return r.cents;
  };
}

/** An amount of soles, zero allowed. */
export const soles = (opts: { max?: number } = {}) =>
  text().min(1, 'errors.required').transform(amount({ positive: false, ...opts }));

/** An amount of soles greater than zero. */
export const positiveSoles = (opts: { max?: number } = {}) =>
  text().min(1, 'errors.required').transform(amount({ positive: true, ...opts }));

/** An optional amount greater than zero: blank → null. */
export const optionalSoles = (opts: { max?: number } = {}) => {
  const read = amount({ positive: true, ...opts });
  return z.string().trim().optional().transform((v, ctx) => (v ? read(v, ctx) : null));
};

/** A list price per m²: bounded so that a whole park at that price stays within MAX_AMOUNT_CENTS. */
export const pricePerM2 = () => positiveSoles({ max: MAX_PRICE_PER_M2_CENTS });

/** "15" or "1.2" (percent) → ppm, from 0 to `maxPpm` (100% unless said otherwise). */
export const percent = (maxPpm = 1_000_000) =>
  text().min(1, 'errors.required')
    .refine((v) => parsePercent(v) !== null, 'errors.percent')
    .transform((v) => parsePercent(v) as number)
    .refine((v) => v <= maxPpm, { message: 'errors.percent_max', params: { max: formatPercent(maxPpm) } });

/** "1250.50" m² → dm², above zero and at most the whole park (80 ha). */
export const areaM2 = () =>
  text().min(1, 'errors.required')
    .refine((v) => parseAreaM2(v) !== null, 'errors.area')
    .transform((v) => parseAreaM2(v) as number)
    .refine((v) => v > 0, 'errors.area_positive')
    .refine((v) => v <= MAX_AREA_DM2, { message: 'errors.area_max', params: { max: formatM2(MAX_AREA_DM2) } });

export const integer = (min: number, max: number) =>
  text().min(1, 'errors.required').regex(/^\d{1,15}$/, 'errors.integer')
    .transform(Number).refine((n) => n >= min && n <= max, { message: 'errors.integer_range', params: { min, max } });

export const choice = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { message: 'errors.choice' });
