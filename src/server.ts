// Starts listening; nothing else.
import { loadConfig } from './config.ts';
import { openDatabase, productionStartProblem } from './db/setup.ts';
import { displayUrl } from './db/knex.ts';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import { isDemo } from './demo.ts';
import { sessionSweep, startJobs, type Job } from './jobs/scheduler.ts';
import { collectionsJob } from './collections/job.ts';
import { mailJob } from './mail/sender.ts';
import { transportFromConfig } from './mail/transport.ts';
import { DEMO_USERS, DEMO_PASSWORD, DEMO_BUYER } from '../seeds/demo/users.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

const { db, seeded } = await openDatabase(config);
const problem = await productionStartProblem(db, config);
if (problem) {
  console.error(problem);
  await db.destroy();
  process.exit(1);
}
const app = await createApp({ db, clock: systemClock, config });
const server = app.listen(config.PORT, () => {
  console.log(`Parque Industrial de Ilo: http://localhost:${config.PORT}`);
  console.log(`Database: ${displayUrl(config.DATABASE_URL)}${seeded ? ' (new: filled with the DEMO park)' : ''}`);
});
// With SMTP_URL set, the outbox is delivered every minute; without it, mail waits (GET /mail shows it).
const mailTransport = transportFromConfig(config);
const jobs: Job[] = [sessionSweep, collectionsJob, ...(mailTransport ? [mailJob(mailTransport, config.MAIL_FROM)] : [])];
const stopJobs = startJobs(db, jobs);
if (await isDemo(db)) {
  const buyer = await db('users').where({ username: DEMO_BUYER, role: 'buyer' }).first('firm_ruc');
  const logins = [...DEMO_USERS.map((u) => `${u.username} (${u.role})`), ...(buyer ? [`${DEMO_BUYER} (buyer, RUC ${buyer.firm_ruc})`] : [])];
  console.log(`DEMO DATA. Logins (password "${DEMO_PASSWORD}"): ${logins.join(', ')}`);
}

function shutdown(): void {
  stopJobs();
  mailTransport?.close();
  server.close(() => db.destroy().then(() => process.exit(0)));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
