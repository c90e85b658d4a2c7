// The demo park's fund (seeds/demo/fund.ts) on a frozen day, after the demo sales and payments:
// the five projects, spending that never needed more than the fund held, and books that reconcile
// year by year, shown on the finance pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { tempDb, login, textOf } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { seed } from '../../seeds/01_demo_park.ts';
import { DEMO_PASSWORD } from '../../seeds/demo/users.ts';
import { dailyFundEffects, fundBalanceSeries } from '../../src/domain/fund-reports.ts';
import { loadEntries } from '../../src/fund/queries.ts';
import { reconciliation } from '../../src/fund/reports.ts';

const TODAY = '2026-11-25';
let db: Db;
let dir: string;
let before: string | undefined;

beforeAll(async () => {
  before = process.env.ILO_TODAY;
  process.env.ILO_TODAY = TODAY;
  ({ db, dir } = await tempDb());
  await seed(db);
}, 120_000);
afterAll(async () => {
  if (before === undefined) delete process.env.ILO_TODAY; else process.env.ILO_TODAY = before;
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('demo fund', () => {
  it('has the five projects, with past spending on all but the machinery centre', async () => {
    const projects = await db('projects').orderBy('code').select('code', 'status', 'budget_cents');
    expect(projects.map((p) => [p.code, p.status])).toEqual([
      ['AGUA-ZA', 'in_progress'], ['CMAQ', 'planned'], ['DREN-PL', 'in_progress'], ['ELEC-MT', 'done'], ['PAV-VI', 'in_progress'],
    ]);
    const spent: { code: string; last: string }[] = await db('spendings as s').join('projects as p', 'p.id', 's.project_id')
      .where('s.status', 'valid').groupBy('p.code').select('p.code').max({ last: 's.date' });
    expect(spent.map((s) => s.code).sort()).toEqual(['AGUA-ZA', 'DREN-PL', 'ELEC-MT', 'PAV-VI']);
    for (const s of spent) expect(s.last < TODAY).toBe(true);
    expect(await db('spendings').where({ status: 'reversed' })).toHaveLength(1);
  });

  it('never spent more than the fund held on any day, nor beyond a budget', async () => {
    expect(await db('spendings').where('over_fund', true).orWhere('over_budget', true)).toEqual([]);
    const entries = await loadEntries(db);
    let balance = 0;
    for (const d of dailyFundEffects(entries).sort((a, b) => (a.date < b.date ? -1 : 1))) {
      balance += d.effect_cents;
      expect(balance, d.date).toBeGreaterThanOrEqual(0);
    }
    expect(Math.min(...fundBalanceSeries(entries, '2021-01-01', TODAY).map((p) => p.balance_cents))).toBeGreaterThanOrEqual(0);
  });

  it('reconciles without differences, year by year', async () => {
    for (const y of ['2021', '2022', '2023', '2024', '2025', '2026']) {
      const r = await reconciliation(db, `${y}-01-01`, y === '2026' ? TODAY : `${y}-12-31`);
      expect(r.checks.filter((c) => c.items.length > 0).map((c) => c.key), y).toEqual([]);
      expect(r.ok).toBe(true);
    }
  });

  it('shows the dashboard to the demo finance login, with its charts', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: path.join(dir, 'test.sqlite') });
    const app = await createApp({ db, clock: fixedClock(TODAY), config });
    const finance = await login(app, 'finanzas', DEMO_PASSWORD);
    const res = await finance.get('/finance');
    expect(res.status).toBe(200);
    const body = textOf(res.text);
    expect(body).toContain('DATOS DE DEMOSTRACIÓN');
    expect(body).toContain('Saldo del fondo');
    expect(res.text.match(/<rect class="chart-bar"/g)).toHaveLength(11); // January to November
    expect(res.text).toContain('<polyline class="line"');
    expect(res.text.match(/<rect class="chart-bar series-1"/g)).toHaveLength(5);
  });
});
