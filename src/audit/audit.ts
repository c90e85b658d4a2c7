// The audit log: every change and every security event, appended in the same transaction as
// the change it describes. Nothing is ever updated or deleted here.
import type { Db } from '../db/knex.ts';

export interface Actor {
  id: number | null;
  username: string | null;
  ip?: string | null;
}

export const SYSTEM: Actor = { id: null, username: 'system' };

export async function audit(
  db: Db,
  actor: Actor,
  action: string,
  entity: string | null,
  entityId: string | number | null,
  details?: unknown,
): Promise<void> {
  await db('audit_log').insert({
    at: new Date().toISOString(),
    user_id: actor.id,
    username: actor.username,
    action,
    entity,
    entity_id: entityId === null ? null : String(entityId),
    details: details === undefined ? null : JSON.stringify(details),
    ip: actor.ip ?? null,
  });
}

/** Only the fields that changed, as {field: [before, after]}. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of Object.keys(after)) {
    if (before[k] !== after[k]) out[k] = [before[k], after[k]];
  }
  return out;
}

export async function history(db: Db, entity: string, entityId: string | number) {
  return db('audit_log').where({ entity, entity_id: String(entityId) }).orderBy('id', 'desc');
}
