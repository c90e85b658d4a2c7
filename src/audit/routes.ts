// The audit log page (administrators): the latest entries, filtered by action, user and record
// kind, a page at a time.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ADMIN, get, type RouteDef } from '../web/routing.ts';
import { parseInput } from '../web/errors.ts';
import { t } from '../web/i18n.ts';
import { actionLabel, entityLabel, historyView } from './history-view.ts';
import { firstOf, PAGE_SIZE, pageParam, pager } from '../web/paging.ts';
import { countEntries, distinctValues, listEntries, type AuditFilters } from './queries.ts';

export const AUDIT_PAGE_SIZE = PAGE_SIZE;

const optional = () => z.preprocess(firstOf, z.string().trim().max(64).optional()).catch(undefined).transform((v) => v || undefined);
const auditQuery = z.object({
  action: optional(),
  user: optional(),
  entity: optional(),
  page: pageParam(),
});

const auditLog: RequestHandler = async (req, res) => {
  const q = parseInput(auditQuery, req.query);
  const filters: AuditFilters = { action: q.action, user: q.user, entity: q.entity };
  const { db } = req.ctx;
  const [total, actions, users, entities] = await Promise.all([
    countEntries(db, filters), distinctValues(db, 'action'), distinctValues(db, 'username'), distinctValues(db, 'entity'),
  ]);
  const p = pager({ total, requested: q.page, path: '/audit', params: { ...filters }, size: AUDIT_PAGE_SIZE });
  const rows = await listEntries(db, filters, p.size, p.offset);
  const entries = historyView(rows, req.lang);
  res.render('audit/index', {
    title: t(req.lang, 'audit.title'), entries, total, filters, users, pager: p,
    actions: actions.map((v) => ({ value: v, label: actionLabel(req.lang, v) })),
    entities: entities.map((v) => ({ value: v, label: entityLabel(req.lang, v) })),
  });
};

export const routes: RouteDef[] = [
  get('/audit', ADMIN, auditLog),
];
