// Opens the database, brings its schema up to date and, when it is empty, fills the demo park.
import { createDb, migrate, type Db } from './knex.ts';
import type { Config } from '../config.ts';
import { ensureAccounts } from '../accounts/maintain.ts';
import { seed as seedDemoPark } from '../../seeds/01_demo_park.ts';
import { DEMO_PASSWORD } from '../../seeds/demo/users.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { isDemo } from '../demo.ts';

export async function openDatabase(config: Config): Promise<{ db: Db; seeded: boolean }> {
  const db = createDb(config.DATABASE_URL);
  await migrate(db);
  let seeded = false;
  const users = await db('users').count<{ n: number }[]>({ n: '*' });
  if (Number(users[0]?.n ?? 0) === 0 && config.DEMO_DATA === 'on') {
    await seedDemoPark(db);
    seeded = true;
  }
  await ensureAccounts(db);
  return { db, seeded };
}

/** The active users whose password is still the demo one (checked against each stored hash). */
export async function usersWithDemoPassword(db: Db): Promise<string[]> {
  const users: { username: string; password_hash: string | null }[] = await db('users')
    .whereNotNull('password_hash').orderBy('username').select('username', 'password_hash');
  const found: string[] = [];
  for (const u of users) if (await verifyPassword(DEMO_PASSWORD, u.password_hash)) found.push(u.username);
  return found;
}

/**
 * Why production must not start on this database, or null. A real install (production, unless it
 * was asked explicitly for the demo park with DEMO_DATA=on and holds it) refuses any user whose
 * password is still the published demo one.
 */
export async function productionStartProblem(db: Db, config: Config): Promise<string | null> {
  if (config.NODE_ENV !== 'production') return null;
  if (config.DEMO_DATA === 'on' && (await isDemo(db))) return null;
  const users = await usersWithDemoPassword(db);
  if (users.length === 0) return null;
  return [
    `Refusing to start in production: these users still have the demo password "${DEMO_PASSWORD}": ${users.join(', ')}.`,
    'Give each one its own password, e.g.:',
    ...users.map((u) => `  npm run cli -- user:password ${u} --password '<a new password>'`),
    '(or run a demo on purpose with DEMO_DATA=on on the demo database).',
  ].join('\n');
}
