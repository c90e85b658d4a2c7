// Staff and buyer accounts as the administrator manages them: list, create, reset a password,
// deactivate and reactivate. Nothing is deleted; each change ends the sessions it should.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError } from '../web/errors.ts';
import { setPassword } from '../auth/service.ts';

export async function listAccounts(db: Db) {
  const users = await db('users as u').leftJoin('firms as f', 'f.ruc', 'u.firm_ruc')
    .select('u.id', 'u.username', 'u.email', 'u.role', 'u.firm_ruc', 'u.active', 'u.created_at', 'u.password_hash', 'u.full_name', 'u.post', 'f.name as firm_name')
    .orderBy([{ column: 'u.role' }, { column: 'u.username' }]);
  const logins = await db('audit_log').where({ action: 'login.ok' }).groupBy('username')
    .select('username').max<{ username: string; last: string }[]>({ last: 'at' });
  const last = new Map(logins.map((l) => [l.username, l.last]));
  return users.map((u) => ({
    id: u.id, username: u.username, email: u.email, role: u.role, firm_ruc: u.firm_ruc, firm_name: u.firm_name,
    full_name: u.full_name ?? null, post: u.post ?? null,
    active: Boolean(u.active), has_password: Boolean(u.password_hash), created_at: u.created_at, last_login: last.get(u.username) ?? null,
  }));
}

/** Deactivating ends every session of the user at once (session_version); reactivating does not log in. */
export async function setActive(db: Db, id: number, active: boolean, actor: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    const user = await trx('users').where({ id }).first();
    if (!user) throw new FormError(404, { _form: 'auth.user_unknown' });
    if (!active && user.id === actor.id) throw new FormError(409, { _form: 'users.cannot_deactivate_self' });
    await trx('users').where({ id }).update({ active, session_version: Number(user.session_version) + (active ? 0 : 1) });
    await audit(trx, actor, active ? 'user.activate' : 'user.deactivate', 'user', user.username);
  });
}

export async function resetPassword(db: Db, id: number, password: string, actor: Actor): Promise<string> {
  const user = await db('users').where({ id }).first();
  if (!user) throw new FormError(404, { _form: 'auth.user_unknown' });
  await setPassword(db, user.username, password, actor);
  return String(user.username);
}
