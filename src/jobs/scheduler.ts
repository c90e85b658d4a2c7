// Periodic jobs that must run once per period however many app processes share the database. Each tick
// opens a writing transaction (serialised: SQLite's single writer, PostgreSQL's advisory write lock, see
// src/db/knex.ts), reads when the job last ran, and runs it only when due, recording the run in the same
// transaction; a process that comes second finds the job already done and skips it.
import os from 'node:os';
import type { Db } from '../db/knex.ts';

export interface Job {
  name: string;
  everyMs: number;
  run(trx: Db, now: Date): Promise<void>;
  /** Work that must not hold the write transaction (e.g. talking to an SMTP server), run after it commits. */
  afterCommit?(db: Db, now: Date): Promise<void>;
  /** When given, decides instead of everyMs whether the job is due at `now`, knowing when it last ran (a
   *  daily job at a configured hour). Called inside the tick's transaction. */
  isDue?(trx: Db, lastRunAt: Date | null, now: Date): Promise<boolean>;
}

export const PROCESS_ID = `${os.hostname()}:${process.pid}`;

/** Runs `job` if it is due at `now`; true when this process ran it. */
export async function runIfDue(db: Db, job: Job, now: Date, by = PROCESS_ID): Promise<boolean> {
  const ran = await db.transaction(async (trx) => {
    const last = await trx('scheduled_jobs').where({ name: job.name }).first('last_run_at');
    if (job.isDue) {
      if (!(await job.isDue(trx, last ? new Date(String(last.last_run_at)) : null, now))) return false;
    } else if (last && now.getTime() - Date.parse(String(last.last_run_at)) < job.everyMs) return false;
    await job.run(trx, now);
    const row = { last_run_at: now.toISOString(), last_run_by: by };
    if (last) await trx('scheduled_jobs').where({ name: job.name }).update(row);
    else await trx('scheduled_jobs').insert({ name: job.name, ...row });
    return true;
  });
  if (ran && job.afterCommit) await job.afterCommit(db, now);
  return ran;
}

/** Checks every job once a minute (and at start); returns a stop function. Errors are logged, never fatal. */
export function startJobs(db: Db, jobs: Job[], tickMs = 60_000): () => void {
  const tick = () => {
    for (const job of jobs) {
      runIfDue(db, job, new Date()).catch((err) => console.error(`job ${job.name}:`, err));
    }
  };
  const timer = setInterval(tick, tickMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}

/** Expired login sessions out of the session store (ephemeral rows, not records). */
export const sessionSweep: Job = {
  name: 'sessions.sweep',
  everyMs: 10 * 60_000,
  async run(trx, now) {
    await trx('sessions').where('expired', '<', now.toISOString()).delete();
  },
};
