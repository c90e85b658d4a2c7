// User errors are values shown next to the field that is wrong; programmer errors throw.
// A message is an i18n key (with optional parameters) so that it renders in the user's language.
import type { ZodType } from 'zod';

export type Message = string | { key: string; params?: Record<string, string | number> };
export type FieldErrors = Record<string, Message>;

/** A refused form: the status (400 bad input, 404 not visible, 409 conflict) and why, by field. */
export class FormError extends Error {
  constructor(public readonly status: 400 | 404 | 409 | 410 | 429, public readonly fields: FieldErrors) {
    super(`form refused: ${JSON.stringify(fields)}`);
  }
}

/** A refused request that has no form to show it on (404, 403). */
export class HttpError extends Error {
  constructor(public readonly status: number, public readonly messageKey: string) {
    super(messageKey);
  }
}

export const notFound = () => new HttpError(404, 'errors.not_found');

/**
 * Parses a form or query with zod: every request input goes through here (not schema.parse), so
 * that input no form sends (a field repeated: `a=1&a=2` arrives as an array) answers 400 with a
 * message rather than 500. Schemas use i18n keys as their messages
 * (z.string().min(1, 'errors.required')); the first issue per field wins.
 */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  const given = (input ?? {}) as Record<string, unknown>;
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (fields[field]) continue;
    if (Array.isArray(given[field])) { fields[field] = 'errors.repeated'; continue; }
    // zod's own messages (a missing field, a wrong type) are not keys: say "required/invalid".
    const isKey = issue.message.includes('.') && !issue.message.includes(' ');
    const params = issue.code === 'custom' ? (issue as { params?: Record<string, string | number> }).params : undefined;
    fields[field] = isKey
      ? (params ? { key: issue.message, params } : issue.message)
      : issue.code === 'invalid_type' ? 'errors.required' : 'errors.invalid';
  }
  throw new FormError(400, fields);
}

/** The fields of an object schema that parse on their own (the others left out): what a form's own checks can still look at. */
export function parsePartial<T>(schema: ZodType<T>, input: unknown): Partial<T> {
  const shape = (schema as unknown as { shape?: Record<string, ZodType> }).shape;
  if (!shape) return {};
  const given = (input ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    if (Array.isArray(given[key])) continue;
    const r = field.safeParse(given[key]);
    if (r.success) out[key] = r.data;
  }
  return out as Partial<T>;
}

/**
 * A form validated in one pass: parseInput, and when zod refuses some fields, the form's own
 * checks (`checks`, usually the service's rules, written to skip a field that is missing) run on
 * the fields that did parse, so that every message comes in one answer rather than in rounds.
 * When zod accepts everything the input is returned and the service checks it all itself.
 * A conflict or not-found among the checks' refusals gives its status; otherwise 400.
 */
export async function parseForm<T>(
  schema: ZodType<T>, input: unknown,
  checks?: (values: Partial<T>) => FieldErrors | Promise<FieldErrors> | void | Promise<void>,
): Promise<T> {
  let refused: FormError;
  try {
    return parseInput(schema, input);
  } catch (err) {
    if (!(err instanceof FormError) || !checks) throw err;
    refused = err;
  }
  let more: FieldErrors = {};
  let status: FormError['status'] = 400;
  try {
    more = (await checks(parsePartial(schema, input))) ?? {};
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    more = err.fields;
    if (err.status === 404 || err.status === 409) status = err.status;
  }
  throw new FormError(status, { ...more, ...refused.fields });
}

/** Messages by field, the first one per field kept; `throwIfAny` refuses with all of them at once. */
export class Refusals {
  readonly fields: FieldErrors = {};
  private statuses = new Set<number>();
  add(field: string, message: Message, status: 400 | 404 | 409 = 400): void {
    if (this.fields[field]) return;
    this.fields[field] = message;
    this.statuses.add(status);
  }
  get any(): boolean { return Object.keys(this.fields).length > 0; }
  /** Not found before conflict before bad input. */
  throwIfAny(): void {
    if (!this.any) return;
    throw new FormError(this.statuses.has(404) ? 404 : this.statuses.has(409) ? 409 : 400, this.fields);
  }
}

/**
 * As parseForm, but the checks run whether zod accepted the input or not (on all of it, or on the
 * fields that parsed): for a form whose own rules the route checks before calling the service.
 */
export async function parseChecked<T>(
  schema: ZodType<T>, input: unknown,
  checks: (values: Partial<T>) => Refusals | Promise<Refusals>,
): Promise<T> {
  let data: T | undefined;
  let refused: FieldErrors = {};
  try {
    data = parseInput(schema, input);
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    refused = err.fields;
  }
  const more = await checks(data ?? parsePartial(schema, input));
  if (Object.keys(refused).length === 0) {
    more.throwIfAny();
    return data as T;
  }
  throw new FormError(400, { ...more.fields, ...refused });
}
