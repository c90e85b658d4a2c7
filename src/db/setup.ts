// Opens the database, brings its schema up to date and, when it is empty, fills the demo park.
import { createDb, migrate, type Db } from './knex.ts';
import type { Config } from '../config.ts';
import { ensureAccounts } from '../accounts/maintain.ts';
import { seed as seedDemoPark } from '../../seeds/01_demo_park.ts';

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
