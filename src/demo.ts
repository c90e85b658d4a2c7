// Whether this database holds the demo park (set by the demo seed), so every page can say so.
import type { Db } from './db/knex.ts';

export async function isDemo(db: Db): Promise<boolean> {
  const row = await db('settings').where({ key: 'demo_data' }).first();
  return row?.value === 'yes';
}
