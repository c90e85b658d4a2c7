// The demo park's staff logins (demo data only; printed at start and in the README).
import type { Knex } from 'knex';
import { hashPassword } from '../../src/auth/passwords.ts';

export const DEMO_PASSWORD = 'demo-ilo';
export const DEMO_USERS = [
  { username: 'admin', role: 'admin' },
  { username: 'gerente', role: 'manager' },
  { username: 'finanzas', role: 'finance' },
] as const;

export async function seedUsers(knex: Knex): Promise<void> {
  const now = new Date().toISOString();
  const hash = await hashPassword(DEMO_PASSWORD);
  await knex('users').insert(DEMO_USERS.map((u) => ({
    username: u.username, role: u.role, password_hash: hash, created_at: now, password_changed_at: now,
  })));
}

/** The demo buyer: a portal login for the firm with the most live contracts, so the portal has
 *  something to show (contracts late and on time). */
export const DEMO_BUYER = 'comprador';

export async function seedBuyer(knex: Knex): Promise<string | null> {
  const top = await knex('contracts').whereIn('status', ['active', 'paid_off'])
    .select('firm_ruc').count<{ firm_ruc: string; n: number }[]>({ n: '*' })
    .groupBy('firm_ruc').orderBy([{ column: 'n', order: 'desc' }, { column: 'firm_ruc' }]).first();
  if (!top) return null;
  const now = new Date().toISOString();
  await knex('users').insert({
    username: DEMO_BUYER, role: 'buyer', firm_ruc: top.firm_ruc, password_hash: await hashPassword(DEMO_PASSWORD),
    created_at: now, password_changed_at: now,
  });
  return top.firm_ruc;
}
