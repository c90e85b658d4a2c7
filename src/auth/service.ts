// Users: creation, password changes, and the login decision (with per-account throttling).
import type { Db } from '../db/knex.ts';
import { audit, SYSTEM, type Actor } from '../audit/audit.ts';
import { FormError } from '../web/errors.ts';
import { ROLES, type Role } from '../web/routing.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { countRecentFailures, findLoginCandidates, type UserRow } from './queries.ts';

const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;

export interface NewUser {
  username: string;
  role: Role;
  password: string | null; // null: an invited buyer sets it later
  email?: string | null;
  firm_ruc?: string | null;
}

export async function createUser(db: Db, input: NewUser, actor: Actor = SYSTEM, opts: { skipPasswordRules?: boolean } = {}): Promise<number> {
  if (!ROLES.includes(input.role)) throw new FormError(400, { role: 'auth.role_invalid' });
  if (!/^[a-z0-9._@+-]{3,64}$/i.test(input.username)) throw new FormError(400, { username: 'auth.username_invalid' });
  if (input.role === 'buyer' && !input.firm_ruc) throw new FormError(400, { ruc: 'auth.buyer_needs_ruc' });
  if (input.password !== null && !opts.skipPasswordRules) {
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw new FormError(400, { password: problem });
  }
  return db.transaction(async (trx) => {
    if (await trx('users').where({ username: input.username }).first()) {
      throw new FormError(409, { username: 'auth.username_taken' });
    }
    if (input.firm_ruc && !(await trx('firms').where({ ruc: input.firm_ruc }).first())) {
      throw new FormError(404, { ruc: 'auth.firm_unknown' });
    }
    const now = new Date().toISOString();
    const [row] = await trx('users').insert({
      username: input.username,
      email: input.email?.toLowerCase() ?? null,
      password_hash: input.password === null ? null : await hashPassword(input.password),
      role: input.role,
      firm_ruc: input.firm_ruc ?? null,
      created_at: now,
      password_changed_at: input.password === null ? null : now,
    }).returning('id');
    const id = typeof row === 'object' ? row.id : row;
    await audit(trx, actor, 'user.create', 'user', input.username, { role: input.role, firm_ruc: input.firm_ruc ?? null });
    return Number(id);
  });
}

/** Sets a new password and bumps session_version, which logs the user out everywhere. */
export async function setPassword(db: Db, username: string, password: string, actor: Actor = SYSTEM, opts: { skipPasswordRules?: boolean } = {}): Promise<void> {
  if (!opts.skipPasswordRules) {
    const problem = passwordProblem(password, username);
    if (problem) throw new FormError(400, { password: problem });
  }
  const hash = await hashPassword(password);
  await db.transaction(async (trx) => {
    const user = await trx<UserRow>('users').where({ username }).first();
    if (!user) throw new FormError(404, { username: 'auth.user_unknown' });
    await trx('users').where({ id: user.id }).update({
      password_hash: hash,
      password_changed_at: new Date().toISOString(),
      session_version: user.session_version + 1,
    });
    await audit(trx, actor, 'user.password', 'user', username);
  });
}

export type LoginResult =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'invalid' | 'throttled' };

export async function attemptLogin(db: Db, login: string, password: string, ip: string | null): Promise<LoginResult> {
  const candidates = await findLoginCandidates(db, login);
  // One user: its username is the throttled account. A RUC naming several users: the RUC is.
  const only = candidates.length === 1 ? candidates[0] : undefined;
  const accountKey = only?.username ?? login;
  const since = new Date(Date.now() - FAILURE_WINDOW_MS).toISOString();
  if ((await countRecentFailures(db, accountKey, since)) >= MAX_FAILURES) {
    await audit(db, { id: only?.id ?? null, username: accountKey, ip }, 'login.throttled', 'user', accountKey);
    return { ok: false, reason: 'throttled' };
  }
  let user: UserRow | undefined;
  for (const c of candidates) {
    if (c.active && (await verifyPassword(password, c.password_hash))) { user = c; break; }
  }
  if (!user) {
    await audit(db, { id: only?.id ?? null, username: accountKey, ip }, 'login.failed', 'user', accountKey);
    return { ok: false, reason: 'invalid' };
  }
  await audit(db, { id: user.id, username: user.username, ip }, 'login.ok', 'user', user.username);
  return { ok: true, user };
}
