// GET /mail (administrator): the outbox, newest first, with each message's state; one message's page.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, ADMIN, type RouteDef } from '../web/routing.ts';
import { actorOf } from '../web/actor.ts';
import { flash } from '../web/flash.ts';
import { retryMail } from './retry.ts';
import { HttpError, parseInput } from '../web/errors.ts';
import { hasKey, t } from '../web/i18n.ts';
import { firstOf, pageParam, pager } from '../web/paging.ts';

export const MAIL_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

/** Where the record that caused a message is shown (null when it has no page). A user: its firm's
 *  access page for a buyer (`firmOfUser`), else the user list. */
export function recordHref(type: string | null, id: string | null, firmOfUser: Map<string, string> = new Map()): string | null {
  if (!type || id === null) return null;
  const e = encodeURIComponent(id);
  switch (type) {
    case 'receipt': return `/receipts/${e}`;
    case 'contract': return `/contracts/${e}`;
    case 'firm': return `/firms/${e}`;
    case 'collection_letter': return `/collections/letters/${e}`;
    case 'user': return firmOfUser.has(id) ? `/firms/${encodeURIComponent(firmOfUser.get(id)!)}/access` : '/users';
    default: return null;
  }
}

type Linkable = { record_type: string | null; record_id: string | null };
/** Each row with the link and the words for the record it came from. */
async function withLinks<T extends Linkable>(req: Parameters<RequestHandler>[0], rows: T[]) {
  const userIds = rows.filter((r) => r.record_type === 'user' && r.record_id).map((r) => Number(r.record_id)).filter(Number.isSafeInteger);
  const users = userIds.length ? await req.ctx.db('users').whereIn('id', [...new Set(userIds)]).whereNotNull('firm_ruc').select('id', 'firm_ruc') : [];
  const firmOfUser = new Map(users.map((u: { id: number; firm_ruc: string }) => [String(u.id), u.firm_ruc]));
  return rows.map((row) => ({
    ...row,
    record_href: recordHref(row.record_type, row.record_id, firmOfUser),
    record_label: row.record_type && hasKey(`mail.record.${row.record_type}`) ? t(req.lang, `mail.record.${row.record_type}`) : row.record_type,
  }));
}

const listSchema = z.object({
  status: z.preprocess(firstOf, z.enum(MAIL_STATUSES).optional().catch(undefined)),
  page: pageParam(),
});

const list: RequestHandler = async (req, res) => {
  const { status, page } = parseInput(listSchema, req.query);
  const db = req.ctx.db;
  const base = () => (status ? db('mail_outbox').where({ status }) : db('mail_outbox'));
  const total = Number((await base().count<{ n: number }[]>({ n: '*' }))[0]?.n ?? 0);
  const p = pager({ total, requested: page, path: '/mail', params: { status } });
  const rows = await base().orderBy('id', 'desc').limit(p.size).offset(p.offset)
    .select('id', 'kind', 'to_address', 'subject', 'status', 'attempts', 'last_error', 'next_attempt_at', 'created_at', 'sent_at', 'record_type', 'record_id');
  const counts = await db('mail_outbox').groupBy('status').select('status').count<{ status: string; n: number }[]>({ n: '*' });
  const countOf = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
  res.render('mail/index', {
    title: t(req.lang, 'mail.title'), rows: await withLinks(req, rows), pager: p, status,
    filters: [{ value: '', label: t(req.lang, 'mail.all'), n: MAIL_STATUSES.reduce((s, k) => s + (countOf[k] ?? 0), 0), current: !status },
      ...MAIL_STATUSES.map((s) => ({ value: s, label: t(req.lang, `mail.status.${s}`), n: countOf[s] ?? 0, current: status === s }))],
    smtpConfigured: Boolean(req.ctx.config.SMTP_URL),
  });
};

function mailId(req: Parameters<RequestHandler>[0]): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id < 1) throw new HttpError(404, 'errors.not_found');
  return id;
}

async function messagePage(req: Parameters<RequestHandler>[0]) {
  const row = await req.ctx.db('mail_outbox').where({ id: mailId(req) }).first();
  if (!row) throw new HttpError(404, 'errors.not_found');
  return { title: `${t(req.lang, 'mail.message')} ${row.id}`, m: (await withLinks(req, [row]))[0], values: { to_address: row.to_address } };
}

const show: RequestHandler = async (req, res) => {
  res.render('mail/show', await messagePage(req));
};

const retrySchema = z.object({
  to_address: z.string().trim().max(254, 'errors.too_long').optional()
    // One or more addresses, comma separated, as the outbox keeps them.
    .refine((v) => !v || v.split(',').every((a) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.trim())), 'mail.retry.bad_address')
    .transform((v) => (v ? v.split(',').map((a) => a.trim()).join(', ') : undefined)),
});

const retry = formAction({
  view: 'mail/show',
  locals: messagePage,
  act: async (req) => {
    const id = mailId(req);
    const input = parseInput(retrySchema, req.body);
    await retryMail(req.ctx.db, id, input.to_address, actorOf(req));
    flash(req, { key: 'mail.retry.done' });
    return `/mail/${id}`;
  },
});

export const routes: RouteDef[] = [
  get('/mail', ADMIN, list),
  get('/mail/:id', ADMIN, show),
  post('/mail/:id/retry', ADMIN, retry),
];
