// Zod building blocks for form and query fields, each failing with an i18n key. Money, areas
// and percentages come out as integers (céntimos, dm², ppm): parsed once, here.
import { z } from 'zod';
import { parseSoles, type Cents } from '../domain/money.ts';
import { parsePercent } from '../domain/percent.ts';
import { parseAreaM2 } from '../domain/area.ts';
import { isIsoDate } from '../domain/dates.ts';

const text = () => z.string().trim();

export const requiredText = (max = 200) =>
  text().min(1, 'errors.required').max(max, 'errors.too_long');

export const optionalText = (max = 200) =>
  z.string().trim().max(max, 'errors.too_long').optional().transform((v) => (v ? v : null));

export const isoDate = () =>
  text().min(1, 'errors.required').refine(isIsoDate, 'errors.date');

export const optionalIsoDate = () =>
  z.string().trim().optional().refine((v) => !v || isIsoDate(v), 'errors.date')
    .transform((v) => (v ? v : null));

/** Soles as "1416.67" → Cents. */
export const soles = () =>
  text().min(1, 'errors.required')
    .refine((v) => parseSoles(v) !== null, 'errors.amount')
    .transform((v) => parseSoles(v) as Cents);

export const positiveSoles = () => soles().refine((c) => c > 0, 'errors.amount_positive');

export const optionalSoles = () =>
  z.string().trim().optional()
    .refine((v) => !v || parseSoles(v) !== null, 'errors.amount')
    .transform((v) => (v ? parseSoles(v) : null));

/** "15" or "1.2" (percent) → ppm. */
export const percent = () =>
  text().min(1, 'errors.required')
    .refine((v) => parsePercent(v) !== null, 'errors.percent')
    .transform((v) => parsePercent(v) as number);

/** "1250.50" m² → dm². */
export const areaM2 = () =>
  text().min(1, 'errors.required')
    .refine((v) => parseAreaM2(v) !== null, 'errors.area')
    .transform((v) => parseAreaM2(v) as number)
    .refine((v) => v > 0, 'errors.area_positive');

export const integer = (min: number, max: number) =>
  text().min(1, 'errors.required').regex(/^\d+$/, 'errors.integer')
    .transform(Number).refine((n) => n >= min && n <= max, 'errors.integer_range');

export const choice = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { message: 'errors.choice' });
