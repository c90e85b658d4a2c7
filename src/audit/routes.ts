// The audit log page (administrators): the latest entries, filtered by action, user and record
// kind, a page at a time.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ADMIN, get, type RouteDef } from '../web/routing.ts';
import { parseInput } from '../web/errors.ts';
import { t } from '../web/i18n.ts';
import { actionLabel, entityLabel, historyView, userLabel } from './history-view.ts';
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
  // Contracts are logged by id: show their number ("CV-2026-0007"), as every other page does.
  const contractIds = [...new Set(rows.filter((r) => r.entity === 'contract' && r.entity_id).map((r) => Number(r.entity_id)))];
  const numbers = contractIds.length
    ? await db('contracts').whereIn('id', contractIds).select('id', 'number') : [];
  const entries = historyView(rows, req.lang, {
    contracts: new Map(numbers.map((c: { id: number; number: string }) => [String(c.id), c.number])),
  });
  res.render('audit/index', {
    title: t(req.lang, 'audit.title'), entries, total, filters, pager: p,
    users: users.map((u) => ({ value: u, label: userLabel(req.lang, u) })),
    actions: actions.map((v) => ({ value: v, label: actionLabel(req.lang, v) })),
    entities: entities.map((v) => ({ value: v, label: entityLabel(req.lang, v) })),
  });
};

export const routes: RouteDef[] = [
  get('/audit', ADMIN, auditLog),
];
