// Users: creation, password changes, and the login decision (with per-account throttling).
import type { Db } from '../db/knex.ts';
import { audit, SYSTEM, type Actor } from '../audit/audit.ts';
import { FormError } from '../web/errors.ts';
import { ROLES, type Role } from '../web/routing.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { countRecentFailures, findLoginCandidates, type UserRow } from './queries.ts';

// Login throttling. Counting wrong passwords per account alone let anyone lock anyone out (five
// wrong passwords and the right one was refused too), so failures are counted:
//  - per (account, address): five in the window and that address may not try that account again,
//    even with the right password (it is the one guessing);
//  - per address: twenty in the window, whatever the accounts, and the address is stopped;
//  - per account, from every address: beyond ten, each attempt on the account is slowed down
//    (a distributed guess gets slower, the owner still gets in, a few seconds later at worst).
// A right password from an address that is not itself throttled always gets in. The counts come
// from the audit log (login.failed rows with their ip), so every process of the app shares them.
export const LOGIN_LIMITS = {
  windowMs: 15 * 60 * 1000,
  perPair: 5,
  perAddress: 20,
  slowAfter: 10,
  slowStepMs: 250,
  slowMaxMs: 3000,
};

/** How long an attempt on an account with `failures` recent failures (from any address) waits. */
export function slowdownMs(failures: number): number {
  if (failures < LOGIN_LIMITS.slowAfter) return 0;
  return Math.min(LOGIN_LIMITS.slowMaxMs, (failures - LOGIN_LIMITS.slowAfter + 1) * LOGIN_LIMITS.slowStepMs);
}

/**
 * A hash of a random password, checked when the login names no user (or one without a password),
 * so that an unknown username costs the same scrypt as a known one with a wrong password.
 */
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(`dummy-${Math.random()}-${Date.now()}`));

export interface NewUser {
  username: string;
  role: Role;
  password: string | null; // null: an invited buyer sets it later
  email?: string | null;
  firm_ruc?: string | null;
  /** Printed on papers instead of the username (issue 14). */
  full_name?: string | null;
  post?: string | null;
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
      full_name: input.full_name || null,
      post: input.post || null,
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
  const accountKey = (only?.username ?? login).slice(0, 64);
  const since = new Date(Date.now() - LOGIN_LIMITS.windowMs).toISOString();
  const throttled = (await countRecentFailures(db, { ip }, since)) >= LOGIN_LIMITS.perAddress
    || (await countRecentFailures(db, { account: accountKey, ip }, since)) >= LOGIN_LIMITS.perPair;
  if (throttled) {
    await audit(db, { id: only?.id ?? null, username: accountKey, ip }, 'login.throttled', 'user', accountKey);
    return { ok: false, reason: 'throttled' };
  }
  const wait = slowdownMs(await countRecentFailures(db, { account: accountKey }, since));
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

  // Every path checks one password at least: an unknown user, an invited one (no password yet)
  // and an inactive one cost the same scrypt as a wrong password.
  let user: UserRow | undefined;
  if (candidates.length === 0) await verifyPassword(password, await dummy());
  for (const c of candidates) {
    const ok = await verifyPassword(password, c.password_hash ?? await dummy());
    if (ok && c.password_hash && c.active) { user = c; break; }
  }
  if (!user) {
    await audit(db, { id: only?.id ?? null, username: accountKey, ip }, 'login.failed', 'user', accountKey);
    return { ok: false, reason: 'invalid' };
  }
  await audit(db, { id: user.id, username: user.username, ip }, 'login.ok', 'user', user.username);
  return { ok: true, user };
}
