// The daily collections run as a scheduler job (src/jobs/scheduler.ts): due once per Lima calendar day,
// from the hour set in `collections_hour` (default 8). The scheduler checks every minute and records the
// run in the same transaction, so however many processes share the database it runs once a day; a day
// the server was down is caught up by the first tick after it comes back (runCollections issues what is
// due that day, never a stale reminder). The same run by hand: `npm run cli -- collections:run`.
import type { Job } from '../jobs/scheduler.ts';
import { limaDate } from '../domain/dates.ts';
import { SYSTEM } from '../audit/audit.ts';
import { getCollectionSettings } from '../settings/collections.ts';
import { runCollections } from './service.ts';

/** The hour of the day in Peru (UTC−5, no daylight saving). */
export const limaHour = (instant: Date) => (instant.getUTCHours() + 24 - 5) % 24;

export const collectionsJob: Job = {
  name: 'collections.daily',
  everyMs: 24 * 60 * 60_000, // unused: isDue decides
  async isDue(trx, lastRunAt, now) {
    const { collections_hour } = await getCollectionSettings(trx);
    if (limaHour(now) < collections_hour) return false;
    return lastRunAt === null || limaDate(lastRunAt) < limaDate(now);
  },
  async run(trx, now) {
    // Inside the tick's transaction: each contract's acts are savepoints of it (knex nests transactions).
    const r = await runCollections(trx, limaDate(now), SYSTEM);
    if (r.letters.length || r.reminders.length) {
      console.log(`collections ${r.date}: ${r.letters.length} letters, ${r.reminders.length} reminders`);
    }
  },
};
