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
