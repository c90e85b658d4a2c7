// The audit log page (administrators): the latest entries, filtered by action, user and record
// kind, a page at a time.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ADMIN, get, type RouteDef } from '../web/routing.ts';
import { parseInput } from '../web/errors.ts';
import { t } from '../web/i18n.ts';
import { actionLabel, entityLabel, historyView } from './history-view.ts';
import { countEntries, distinctValues, listEntries, type AuditFilters } from './queries.ts';

export const AUDIT_PAGE_SIZE = 50;

const optional = () => z.string().trim().max(64).optional().catch(undefined).transform((v) => v || undefined);
const auditQuery = z.object({
  action: optional(),
  user: optional(),
  entity: optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

const auditLog: RequestHandler = async (req, res) => {
  const q = parseInput(auditQuery, req.query);
  const filters: AuditFilters = { action: q.action, user: q.user, entity: q.entity };
  const { db } = req.ctx;
  const [total, actions, users, entities] = await Promise.all([
    countEntries(db, filters), distinctValues(db, 'action'), distinctValues(db, 'username'), distinctValues(db, 'entity'),
  ]);
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(q.page, pages);
  const rows = await listEntries(db, filters, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE);
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
    if (p > 1) params.set('page', String(p));
    const s = params.toString();
    return s ? `/audit?${s}` : '/audit';
  };
  const entries = historyView(rows, req.lang);
  res.render('audit/index', {
    title: t(req.lang, 'audit.title'), entries, total, page, pages, filters, users,
    actions: actions.map((v) => ({ value: v, label: actionLabel(req.lang, v) })),
    entities: entities.map((v) => ({ value: v, label: entityLabel(req.lang, v) })),
    prev: page > 1 ? link(page - 1) : null,
    next: page < pages ? link(page + 1) : null,
  });
};

export const routes: RouteDef[] = [
  get('/audit', ADMIN, auditLog),
];
