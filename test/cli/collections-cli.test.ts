// `npm run cli -- collections:run [--date]`: prints what it issued, exit 0; the same day again issues nothing.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { sale, setRates, pay } from '../service/sales-fixtures.ts';
import { runIfDue } from '../../src/jobs/scheduler.ts';
import { collectionsJob } from '../../src/collections/job.ts';

let db: Db;
let dir: string;
let number: string;
const out: string[] = [];

beforeAll(async () => {
  const t = await tempDb();
  db = t.db; dir = t.dir;
  process.env.DATABASE_URL = t.url;
  await setRates(db, [['2010-01-01', 12000]]);
  const c = await sale(db, { date: '2026-06-10', today: '2026-06-10' });
  await pay(db, c.id, '2026-06-10', 1_500_000, '2026-06-10');
  await db('firms').where({ ruc: c.firm_ruc }).update({ email: 'cobros@empresa.pe' });
  number = (await db('contracts').where({ id: c.id }).first('number')).number;
  vi.spyOn(console, 'log').mockImplementation((m: unknown) => { out.push(String(m)); });
  vi.spyOn(console, 'error').mockImplementation((m: unknown) => { out.push(String(m)); });
});
afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.DATABASE_URL;
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('collections:run', () => {
  it('issues the day\'s letter and says so; again the same day, nothing', async () => {
    expect(await runCli(['collections:run', '--date', '2026-07-15'])).toBe(0);
    expect(out.at(-1)!.replace(/\u00a0/g, ' ')).toBe([
      'Collections of 2026-07-15: 1 letters, 0 reminders issued.',
      `  letter CC-2026-0001 level 1 ${number} S/ 1,419.50 → cobros@empresa.pe`,
    ].join('\n'));
    expect(await runCli(['collections:run', '--date', '2026-07-15'])).toBe(0);
    expect(out.at(-1)).toBe('Collections of 2026-07-15: 0 letters, 0 reminders issued.');
  });
  it('refuses a date that is not a date', async () => {
    expect(await runCli(['collections:run', '--date', '15/07/2026'])).toBe(1);
    expect(out.at(-1)).toMatch(/^Not a YYYY-MM-DD date: 15\/07\/2026/);
  });
});

describe('the daily job', () => {
  it('runs once per Lima day, from collections_hour (default 8)', async () => {
    // 12:59 UTC is 07:59 in Lima: not yet.
    expect(await runIfDue(db, collectionsJob, new Date('2026-08-09T12:59:00Z'))).toBe(false);
    expect(await runIfDue(db, collectionsJob, new Date('2026-08-09T13:00:00Z'))).toBe(true);
    expect(await db('collection_letters').orderBy('id').pluck('number')).toEqual(['CC-2026-0001', 'CC-2026-0002']);
    expect(await runIfDue(db, collectionsJob, new Date('2026-08-09T20:00:00Z'))).toBe(false);
    // 04:00 UTC on the 10th is still the 9th in Lima.
    expect(await runIfDue(db, collectionsJob, new Date('2026-08-10T04:00:00Z'))).toBe(false);
    await db('settings').insert({ key: 'collections_hour', value: '6' });
    expect(await runIfDue(db, collectionsJob, new Date('2026-08-10T11:00:00Z'))).toBe(true);
    expect(await db('collection_letters').count({ n: '*' }).first()).toEqual({ n: 2 });
  });
});
