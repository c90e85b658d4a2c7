// What is confirmed is what was shown. A form with a preview (a sale, a payment, a rescission) carries,
// once previewed, a copy of each value the preview was computed from as a hidden `previewed_<field>`;
// its confirm button posts the form as it stands now together with that copy. A POST that has any
// `previewed_` field is a confirmation: each copy is parsed as its field is (so '1,000.00' equals
// '1000', ' a-3 ' may equal 'A-03'), and if any differs from the value submitted the person changed
// the form after the preview: the route writes nothing and answers 409 with the form, a message at the
// top and the preview of the values now in the form (one more click confirms them).
// A POST without any `previewed_` field (a script, docs/interfaces.md) acts in one request as before.
import type { Request, RequestHandler } from 'express';
import type { ZodType } from 'zod';

export const PREVIEWED = 'previewed_';

/** The request is the confirm step of a preview: it carries at least one `previewed_` field. */
export function isConfirmation(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).some((k) => k.startsWith(PREVIEWED));
}

/**
 * The fields whose previewed copy (a missing copy counts as blank; one that does not parse as
 * different) is not the value submitted. `submitted` holds the parsed, checked values; `normalize`
 * maps a field's parsed value to what is compared (e.g. a lot code typed any way → its catalogue code).
 */
export async function changedSincePreview<T extends Record<string, unknown>>(
  schema: ZodType<T>, body: Record<string, unknown>, submitted: { [K in keyof T]?: unknown },
  normalize: { [K in keyof T]?: (v: T[K]) => unknown | Promise<unknown> } = {},
): Promise<(keyof T & string)[]> {
  const shape = (schema as unknown as { shape: Record<string, ZodType> }).shape;
  const changed: (keyof T & string)[] = [];
  for (const field of Object.keys(submitted) as (keyof T & string)[]) {
    const copy = body[`${PREVIEWED}${field}`] ?? '';
    const parsed = typeof copy === 'string' && shape[field] ? shape[field].safeParse(copy) : null;
    if (!parsed?.success) { changed.push(field); continue; }
    const norm = (normalize[field] ?? ((v: unknown) => v)) as (v: unknown) => unknown;
    const [was, now] = [await norm(parsed.data), await norm(submitted[field])];
    if ((was ?? null) !== (now ?? null)) changed.push(field);
  }
  return changed;
}

/**
 * Thrown by a confirm action whose values differ from its preview: carries the page to render
 * (the form with the new preview). Not a FormError, so formAction lets it through to `confirmable`.
 */
export class StalePreview extends Error {
  constructor(public readonly view: string, public readonly locals: Record<string, unknown>) {
    super('the confirmed values differ from the preview');
  }
}

/** Wraps a POST handler (a formAction): a StalePreview answers 409 with its page and the message at the top. */
export function confirmable(handler: RequestHandler): RequestHandler {
  return async (req: Request, res, next) => {
    try {
      await handler(req, res, next);
    } catch (err) {
      if (!(err instanceof StalePreview)) throw err;
      res.status(409).render(err.view, { ...err.locals, stalePreview: true });
    }
  };
}
