// The demo park's fund (seeds/demo/fund.ts) on a frozen day, after the demo sales and payments:
// the five projects, spending that never needed more than the fund held, the till taken to the bank
// every month end so that neither caja nor banco is ever below zero, and books that reconcile year
// by year, shown on the finance pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { login, textOf } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { demoDb, type DemoDb } from '../support/demo.ts';
import { DEMO_PASSWORD } from '../../seeds/demo/users.ts';
import { dailyFundEffects, fundBalanceSeries } from '../../src/domain/fund-reports.ts';
import { endOfMonth } from '../../src/domain/dates.ts';
import { loadEntries } from '../../src/fund/queries.ts';
import { reconciliation } from '../../src/fund/reports.ts';

const TODAY = '2026-11-25';
let db: Db;
let demo: DemoDb;

beforeAll(async () => {
  demo = await demoDb(TODAY);
  db = demo.db;
}, 120_000);
afterAll(async () => { await demo.close(); });

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

  it('deposits each month\'s cash receipts at its end: caja and banco are never below zero on any day', async () => {
    const deposits: { date: string; reference: string; amount_cents: number; status: string }[] = await db('cash_deposits')
      .orderBy('date').select('date', 'reference', 'amount_cents', 'status');
    expect(deposits[0]).toMatchObject({ date: '2021-01-31', reference: 'DEP-2021-01' });
    expect(deposits.at(-1)).toMatchObject({ date: '2026-10-31', reference: 'DEP-2026-10' });
    const cashOf = async (from: string, to: string) => Number((await db('receipts')
      .where({ method: 'cash', status: 'valid' }).whereBetween('date', [from, to]).sum({ s: 'amount_cents' }))[0]!.s ?? 0);
    for (const d of deposits) {
      expect(d.date).toBe(endOfMonth(d.date));
      expect(d.reference).toBe(`DEP-${d.date.slice(0, 7)}`);
      expect(d.status).toBe('valid');
      expect(d.amount_cents, d.reference).toBe(await cashOf(`${d.date.slice(0, 8)}01`, d.date));
    }
    // What is in the till today is November's cash, not yet deposited.
    const entries = await loadEntries(db);
    const balanceOf = (code: string, to: string) => entries.filter((e) => e.date <= to)
      .reduce((b, e) => b + e.lines.filter((l) => l.account_code === code).reduce((s, l) => s + l.debit_cents - l.credit_cents, 0), 0);
    expect(balanceOf('1101', TODAY)).toBe(await cashOf('2026-11-01', TODAY));
    for (const code of ['1101', '1102']) {
      const daily = new Map<string, number>();
      for (const e of entries) {
        for (const l of e.lines) if (l.account_code === code) daily.set(e.date, (daily.get(e.date) ?? 0) + l.debit_cents - l.credit_cents);
      }
      let balance = 0;
      for (const [date, effect] of [...daily].sort(([a], [b]) => (a < b ? -1 : 1))) {
        balance += effect;
        expect(balance, `${code} on ${date}`).toBeGreaterThanOrEqual(0);
      }
    }
    expect(balanceOf('1102', TODAY)).toBeGreaterThan(0);
  });

  it('reconciles without differences, year by year', async () => {
    for (const y of ['2021', '2022', '2023', '2024', '2025', '2026']) {
      const r = await reconciliation(db, `${y}-01-01`, y === '2026' ? TODAY : `${y}-12-31`);
      expect(r.checks.filter((c) => c.items.length > 0).map((c) => c.key), y).toEqual([]);
      expect(r.ok).toBe(true);
    }
  });

  it('shows the dashboard to the demo finance login, with its charts', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: demo.url });
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
