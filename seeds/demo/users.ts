// The demo park's staff logins (demo data only; printed at start and in the README).
import type { Knex } from 'knex';
import { hashPassword } from '../../src/auth/passwords.ts';

export const DEMO_PASSWORD = 'demo-ilo';
// Full names and posts are printed on papers (issue 14): fictitious, marked "Demo" / "(demo)".
export const DEMO_USERS = [
  { username: 'admin', role: 'admin', full_name: 'Ana Demo Administradora', post: 'Administradora del sistema (demo)' },
  { username: 'gerente', role: 'manager', full_name: 'Jorge Demo Gerente', post: 'Gerente del Parque Industrial (demo)' },
  { username: 'finanzas', role: 'finance', full_name: 'Lucía Demo Cajera', post: 'Cajera (demo)' },
] as const;

/** The demo's identity on papers: the real name, everything else fictitious (RUC 20000000001 passes the
 *  check digit but is nobody's); the settings page and every letterhead say it is demo data. */
export const DEMO_IDENTITY: Record<string, string> = {
  identity_ruc: '20000000001',
  identity_address: 'Av. Ejemplo 000, Ilo, Moquegua (dirección de demostración)',
  identity_office: 'Gerencia de Desarrollo Económico — Parque Industrial',
  signer_name: 'Rosa Demo Firmante',
  signer_dni: '00000001',
  signer_post: 'Gerente de Desarrollo Económico (demo)',
  signer_resolution: 'R.A. N.° 000-2026-A-MPI (demo)',
};

export async function seedUsers(knex: Knex): Promise<void> {
  const now = new Date().toISOString();
  const hash = await hashPassword(DEMO_PASSWORD);
  await knex('users').insert(DEMO_USERS.map((u) => ({
    username: u.username, role: u.role, full_name: u.full_name, post: u.post, password_hash: hash, created_at: now, password_changed_at: now,
  })));
  await knex('settings').insert(Object.entries(DEMO_IDENTITY).map(([key, value]) => ({ key, value })));
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
