// SQL for the audit log page: the latest entries with filters, a page at a time.
import type { Db } from '../db/knex.ts';
import type { AuditRow } from './history-view.ts';

export interface AuditFilters {
  action?: string;
  user?: string;
  entity?: string;
}

function filtered(db: Db, f: AuditFilters) {
  const q = db('audit_log');
  if (f.action) q.where('action', f.action);
  if (f.user) q.where('username', f.user);
  if (f.entity) q.where('entity', f.entity);
  return q;
}

export async function countEntries(db: Db, f: AuditFilters): Promise<number> {
  const row = await filtered(db, f).count<{ n: number }[]>({ n: '*' });
  return Number(row[0]?.n ?? 0);
}

export const listEntries = (db: Db, f: AuditFilters, limit: number, offset: number) =>
  filtered(db, f).select<AuditRow[]>('*').orderBy('id', 'desc').limit(limit).offset(offset);

/** The values present in the log, for the filters' choices. */
export async function distinctValues(db: Db, column: 'action' | 'username' | 'entity'): Promise<string[]> {
  const rows = await db('audit_log').distinct(column).whereNotNull(column).orderBy(column);
  return rows.map((r: Record<string, string>) => r[column] as string);
}
