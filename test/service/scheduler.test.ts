// Periodic jobs with several app processes on one database: a job due runs once, whoever comes first.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { runIfDue, sessionSweep, type Job } from '../../src/jobs/scheduler.ts';

let db: Db;
let dir: string;
beforeEach(async () => { ({ db, dir } = await tempDb()); });
afterEach(async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); });

describe('scheduled jobs', () => {
  it('two processes ticking at once: the job runs once; again only when its period has passed', async () => {
    const runs: string[] = [];
    const job: Job = { name: 'test.job', everyMs: 60_000, async run(_trx, now) { runs.push(now.toISOString()); } };
    const t0 = new Date('2026-11-27T10:00:00.000Z');
    const both = await Promise.all([runIfDue(db, job, t0, 'host-a:1'), runIfDue(db, job, t0, 'host-b:2')]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(runs).toEqual(['2026-11-27T10:00:00.000Z']);
    expect(await runIfDue(db, job, new Date('2026-11-27T10:00:59.999Z'), 'host-b:2')).toBe(false);
    expect(await runIfDue(db, job, new Date('2026-11-27T10:01:00.000Z'), 'host-b:2')).toBe(true);
    expect(await db('scheduled_jobs').select('name', 'last_run_at', 'last_run_by'))
      .toEqual([{ name: 'test.job', last_run_at: '2026-11-27T10:01:00.000Z', last_run_by: 'host-b:2' }]);
  });

  it('a job that fails records no run, so the next tick tries again', async () => {
    const job: Job = { name: 'test.fails', everyMs: 60_000, async run() { throw new Error('boom'); } };
    await expect(runIfDue(db, job, new Date('2026-11-27T10:00:00.000Z'))).rejects.toThrow('boom');
    expect(await db('scheduled_jobs').where({ name: 'test.fails' })).toEqual([]);
  });

  it('the session sweep removes expired sessions only', async () => {
    await db('sessions').insert([
      { sid: 'old', sess: '{}', expired: '2026-11-27T09:00:00.000Z' },
      { sid: 'live', sess: '{}', expired: '2026-11-27T11:00:00.000Z' },
    ]);
    await runIfDue(db, sessionSweep, new Date('2026-11-27T10:00:00.000Z'));
    expect((await db('sessions').select('sid')).map((r: { sid: string }) => r.sid)).toEqual(['live']);
  });
});
