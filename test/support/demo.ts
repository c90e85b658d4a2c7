// The whole demo park (seeds/01_demo_park.ts) on a fresh database, seeded as on a frozen day
// (the seeds read "today" from the clock, which ILO_TODAY freezes).
import fs from 'node:fs';
import type { Db } from '../../src/db/knex.ts';
import { seed } from '../../seeds/01_demo_park.ts';
import { tempDb } from './app.ts';

export interface DemoDb {
  db: Db;
  dir: string;
  url: string;
  close(): Promise<void>;
}

export async function demoDb(today: string): Promise<DemoDb> {
  const before = process.env.ILO_TODAY;
  process.env.ILO_TODAY = today;
  const { db, dir, url } = await tempDb();
  await seed(db);
  return {
    db, dir, url,
    async close() {
      if (before === undefined) delete process.env.ILO_TODAY; else process.env.ILO_TODAY = before;
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
