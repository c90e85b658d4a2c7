// SQL for users and login attempts.
import type { Db } from '../db/knex.ts';
import type { Role } from '../web/routing.ts';

export interface UserRow {
  id: number;
  username: string;
  email: string | null;
  password_hash: string | null;
  role: Role;
  firm_ruc: string | null;
  active: number | boolean;
  session_version: number;
  created_at: string;
  password_changed_at: string | null;
}

export const findUserById = (db: Db, id: number) =>
  db<UserRow>('users').where({ id }).first();

/**
 * Who a login names: a username or an e-mail names one user; a firm's RUC names every portal user of
 * that firm (a firm may invite several contacts), and the password then tells which one it is.
 */
export async function findLoginCandidates(db: Db, login: string): Promise<UserRow[]> {
  const one = await db<UserRow>('users').where('username', login).orWhere('email', login.toLowerCase()).orderBy('id').first();
  if (one) return [one];
  return db<UserRow>('users').where({ firm_ruc: login, role: 'buyer' }).orderBy('id');
}

export const listUsers = (db: Db) => db<UserRow>('users').orderBy('username');

/**
 * Failed logins since a moment, from the audit log (so that every process of the app sees the same
 * counts): for one account, from one address, or for one account from one address.
 */
export async function countRecentFailures(db: Db, by: { account?: string; ip?: string | null }, sinceIso: string): Promise<number> {
  const q = db('audit_log').where({ action: 'login.failed' }).andWhere('at', '>=', sinceIso);
  if (by.account !== undefined) q.andWhere({ entity: 'user', entity_id: by.account });
  if (by.ip !== undefined) {
    if (by.ip === null) q.whereNull('ip');
    else q.andWhere({ ip: by.ip });
  }
  const row = await q.count<{ n: number }[]>({ n: '*' });
  return Number(row[0]?.n ?? 0);
}
