// Forgotten passwords: a one-time link (RESET_MINUTES) e-mailed to the account's address. The request
// answers the same whether or not the address belongs to an account; requests are throttled per
// address like logins (counted in the audit log, so every process shares the counts).
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/knex.ts';
import { audit } from '../audit/audit.ts';
import { FormError } from '../web/errors.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { tokenHash } from '../portal/invitations.ts';
import { queuePasswordResetMail } from '../mail/notices.ts';

export const RESET_MINUTES = 30;
export const RESET_LIMITS = { windowMs: 15 * 60 * 1000, perAddress: 5, perAccount: 3 };

export interface ResetRow {
  id: number; token_hash: string; user_id: number; email: string; created_at: string; expires_at: string;
  used_at: string | null; revoked_at: string | null;
}

async function countRequests(db: Db, by: { ip?: string | null; email?: string }, since: string): Promise<number> {
  const q = db('audit_log').where({ action: 'password.forgot' }).andWhere('at', '>=', since);
  if (by.email !== undefined) q.andWhere({ entity: 'user', entity_id: by.email });
  if (by.ip !== undefined) {
    if (by.ip === null) q.whereNull('ip');
    else q.andWhere({ ip: by.ip });
  }
  const row = await q.count<{ n: number }[]>({ n: '*' });
  return Number(row[0]?.n ?? 0);
}

/**
 * Asks for a reset link. 'sent' whatever the address (an unknown address queues nothing), or
 * 'throttled' when this address asked too often (the answer then says to wait; it still says nothing
 * about the account).
 */
export async function requestPasswordReset(db: Db, emailInput: string, ip: string | null, now = new Date()): Promise<'sent' | 'throttled'> {
  const email = emailInput.trim().toLowerCase().slice(0, 254);
  const since = new Date(now.getTime() - RESET_LIMITS.windowMs).toISOString();
  if ((await countRequests(db, { ip }, since)) >= RESET_LIMITS.perAddress) {
    await audit(db, { id: null, username: null, ip }, 'password.forgot_throttled', 'user', email);
    return 'throttled';
  }
  const tooManyForAccount = (await countRequests(db, { email }, since)) >= RESET_LIMITS.perAccount;
  await db.transaction(async (trx) => {
    await audit(trx, { id: null, username: null, ip }, 'password.forgot', 'user', email);
    // Beyond a few links per account in the window nothing more is sent (the mailbox is not flooded).
    if (tooManyForAccount || !email) return;
    const user = await trx('users').where({ email }).first();
    if (!user || !user.active) return;
    const at = now.toISOString();
    // A new link makes the earlier ones useless.
    await trx('password_resets').where({ user_id: user.id }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: at });
    const token = randomBytes(32).toString('base64url');
    const expires_at = new Date(now.getTime() + RESET_MINUTES * 60_000).toISOString();
    const [row] = await trx('password_resets').insert({
      token_hash: tokenHash(token), user_id: user.id, email, created_at: at, expires_at, requested_ip: ip,
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await queuePasswordResetMail(trx, { id, user_id: Number(user.id), email, token, expires_at }, now);
  });
  return 'sent';
}

/** The reset behind a token, or why it can no longer be used (404 unknown, 410 used/superseded/expired). */
export async function findUsableReset(db: Db, token: string, now = new Date()): Promise<ResetRow> {
  const r = await db<ResetRow>('password_resets').where({ token_hash: tokenHash(token) }).first();
  if (!r) throw new FormError(404, { _form: 'reset.unknown' });
  if (r.used_at) throw new FormError(410, { _form: 'reset.used' });
  if (r.revoked_at) throw new FormError(410, { _form: 'reset.revoked' });
  if (r.expires_at <= now.toISOString()) throw new FormError(410, { _form: 'reset.expired' });
  return r;
}

/** Sets the new password with the link (same rules as everywhere); ends the user's sessions. */
export async function resetPassword(db: Db, token: string, password: string, confirm: string, ip: string | null, now = new Date()): Promise<void> {
  const reset = await findUsableReset(db, token, now);
  const user = await db('users').where({ id: reset.user_id }).first();
  const problem = passwordProblem(password, user.username);
  if (problem) throw new FormError(400, { password: problem });
  if (password !== confirm) throw new FormError(400, { password_confirm: 'portal.password_mismatch' });
  const hash = await hashPassword(password);
  await db.transaction(async (trx) => {
    // Used only if still usable: a second use of the link (or a race) finds nothing to mark.
    const marked = await trx('password_resets').where({ id: reset.id }).whereNull('used_at').whereNull('revoked_at')
      .update({ used_at: now.toISOString() });
    if (marked !== 1) throw new FormError(410, { _form: 'reset.used' });
    const current = await trx('users').where({ id: user.id }).first('session_version', 'active');
    if (!current.active) throw new FormError(410, { _form: 'reset.revoked' });
    await trx('users').where({ id: user.id }).update({
      password_hash: hash, password_changed_at: now.toISOString(), session_version: Number(current.session_version) + 1,
    });
    await audit(trx, { id: user.id, username: user.username, ip }, 'user.password_reset', 'user', user.username, { reset_id: reset.id });
  });
}
