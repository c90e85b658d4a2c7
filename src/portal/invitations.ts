// Buyer access: the manager invites a firm's contact with a one-time link (72 hours), can resend it
// (a new link; older ones stop working) and can revoke access (the user's sessions end at once).
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError } from '../web/errors.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { queueInvitationMail } from '../mail/notices.ts';

export const INVITATION_HOURS = 72;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface InvitationRow {
  id: number; token_hash: string; user_id: number; firm_ruc: string; email: string;
  created_by: number | null; created_at: string; expires_at: string; used_at: string | null; revoked_at: string | null;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creates (or re-issues) the invitation; returns the token, shown once to the manager. */
export async function inviteContact(db: Db, firm_ruc: string, emailInput: string, actor: Actor, now = new Date()):
  Promise<{ token: string; invitation_id: number; email: string }> {
  const email = emailInput.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 64) throw new FormError(400, { email: 'portal.email_invalid' });
  return db.transaction(async (trx) => {
    const firm = await trx('firms').where({ ruc: firm_ruc }).first();
    if (!firm) throw new FormError(404, { email: 'auth.firm_unknown' });
    let user = await trx('users').where({ email }).orWhere({ username: email }).first();
    if (user && (user.role !== 'buyer' || user.firm_ruc !== firm_ruc)) {
      throw new FormError(409, { email: 'portal.email_taken' });
    }
    if (!user) {
      const [row] = await trx('users').insert({
        username: email, email, password_hash: null, role: 'buyer', firm_ruc, active: true,
        created_at: now.toISOString(),
      }).returning('id');
      user = { id: Number(typeof row === 'object' ? row.id : row) };
      await audit(trx, actor, 'user.create', 'user', email, { role: 'buyer', firm_ruc, via: 'invitation' });
    }
    // A resend makes every earlier link of this user useless.
    await trx('invitations').where({ user_id: user.id }).whereNull('used_at').whereNull('revoked_at')
      .update({ revoked_at: now.toISOString() });
    const token = randomBytes(32).toString('base64url');
    const [inv] = await trx('invitations').insert({
      token_hash: tokenHash(token), user_id: user.id, firm_ruc, email, created_by: actor.id,
      created_at: now.toISOString(), expires_at: new Date(now.getTime() + INVITATION_HOURS * 3600_000).toISOString(),
    }).returning('id');
    const invitation_id = Number(typeof inv === 'object' ? inv.id : inv);
    await audit(trx, actor, 'invitation.create', 'firm', firm_ruc, { email, invitation_id });
    await queueInvitationMail(trx, { invitation_id, user_id: Number(user.id), email, token, firm_name: String(firm.name),
      expires_at: new Date(now.getTime() + INVITATION_HOURS * 3600_000).toISOString() }, now);
    return { token, invitation_id, email };
  });
}

/** The invitation behind a token, or the reason it can no longer be used (HTTP 404/410). */
export async function findUsableInvitation(db: Db, token: string, now = new Date()): Promise<InvitationRow> {
  const inv = await db<InvitationRow>('invitations').where({ token_hash: tokenHash(token) }).first();
  if (!inv) throw new FormError(404, { _form: 'portal.invitation_unknown' });
  if (inv.used_at) throw new FormError(410, { _form: 'portal.invitation_used' });
  if (inv.revoked_at) throw new FormError(410, { _form: 'portal.invitation_revoked' });
  if (inv.expires_at <= now.toISOString()) throw new FormError(410, { _form: 'portal.invitation_expired' });
  return inv;
}

export async function acceptInvitation(db: Db, token: string, password: string, confirm: string, ip: string | null, now = new Date()): Promise<string> {
  const inv = await findUsableInvitation(db, token, now);
  const user = await db('users').where({ id: inv.user_id }).first();
  const problem = passwordProblem(password, user.username);
  if (problem) throw new FormError(400, { password: problem });
  if (password !== confirm) throw new FormError(400, { password_confirm: 'portal.password_mismatch' });
  const hash = await hashPassword(password);
  return db.transaction(async (trx) => {
    // Marked used inside the same transaction, only if still unused: a second use finds nothing.
    const marked = await trx('invitations').where({ id: inv.id }).whereNull('used_at').whereNull('revoked_at')
      .update({ used_at: now.toISOString() });
    if (marked !== 1) throw new FormError(410, { _form: 'portal.invitation_used' });
    await trx('users').where({ id: inv.user_id }).update({
      password_hash: hash, active: true, password_changed_at: now.toISOString(),
      session_version: Number(user.session_version) + 1,
    });
    await audit(trx, { id: user.id, username: user.username, ip }, 'invitation.accept', 'firm', inv.firm_ruc, { invitation_id: inv.id });
    return String(user.username);
  });
}

/** Ends a buyer's access: inactive, every session ended, pending links revoked. */
export async function revokeAccess(db: Db, userId: number, actor: Actor, now = new Date()): Promise<string> {
  return db.transaction(async (trx) => {
    const user = await trx('users').where({ id: userId, role: 'buyer' }).first();
    if (!user) throw new FormError(404, { _form: 'auth.user_unknown' });
    await trx('users').where({ id: userId }).update({ active: false, session_version: Number(user.session_version) + 1 });
    await trx('invitations').where({ user_id: userId }).whereNull('used_at').whereNull('revoked_at')
      .update({ revoked_at: now.toISOString() });
    await audit(trx, actor, 'user.revoke', 'firm', user.firm_ruc, { username: user.username });
    return String(user.firm_ruc);
  });
}

/** The firm's buyer users with the state of their latest invitation. */
export async function firmAccess(db: Db, firm_ruc: string, now = new Date()) {
  const users = await db('users').where({ firm_ruc, role: 'buyer' }).orderBy('username');
  const invitations = await db<InvitationRow>('invitations').where({ firm_ruc }).orderBy('id', 'desc');
  return users.map((u) => {
    const latest = invitations.find((i) => i.user_id === u.id);
    let state: string;
    if (!u.active) state = 'revoked';
    else if (u.password_hash) state = 'active';
    else if (!latest) state = 'no_invitation';
    else if (latest.revoked_at) state = 'revoked';
    else if (latest.expires_at <= now.toISOString()) state = 'expired';
    else state = 'invited';
    return { id: u.id, username: u.username, email: u.email, state, latest };
  });
}
