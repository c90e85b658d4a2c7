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
