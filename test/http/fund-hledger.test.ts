// The journal export read by hledger itself (Debian's /usr/bin/hledger, installed by .ci/run): a
// generated history with reversals and spending, exported over HTTP and by the CLI, passes
// `hledger check` (strict: declared accounts and commodities, ordered dates), and hledger's balances
// are the app's: the fund, receivables, every account, spending by project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { testApp, login, type TestApp, type Agent } from '../support/app.ts';
import { runCli } from '../../src/cli.ts';
import { TODAY, fundHistory, salesHistory } from './fund-history.ts';

let t: TestApp;
let finance: Agent;

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await salesHistory(t.db);
  finance = await login(t.app, 'finanzas');
  await fundHistory(finance);
});
afterAll(async () => { await t.close(); });

const hledger = (...args: string[]) => execFileSync('hledger', args, { encoding: 'utf8' });

async function exportTo(name: string, query = ''): Promise<string> {
  const res = await finance.get(`/finance/ledger.journal${query}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, res.text);
  return file;
}

/** hledger's flat balances as {account: céntimos}, parsed from its CSV output. */
function balances(file: string, ...query: string[]): Map<string, number> {
  const out = hledger('-f', file, 'bal', '--flat', '--no-total', '-O', 'csv', ...query);
  const rows = parse(out, { columns: true }) as { account: string; balance: string }[];
  return new Map(rows.map((r) => {
    const m = /^S\/ (-?\d+)\.(\d{2})$/.exec(r.balance);
    if (!m) throw new Error(`unexpected amount ${r.balance}`);
    const whole = Number(m[1]);
    return [r.account, (whole < 0 || m[1] === '-0' ? -1 : 1) * (Math.abs(whole) * 100 + Number(m[2]))];
  }));
}

/** The app's chart of accounts as {hledger name: debit − credit}. */
async function appBalances(as_of: string): Promise<Map<string, number>> {
  const csv = (await finance.get(`/finance/accounts.csv?as_of=${as_of}`)).text;
  const rows = parse(csv, { columns: true }) as { account: string; debit: string; credit: string }[];
  const c = (s: string) => Math.round(Number(s) * 100);
  return new Map(rows.map((r) => [r.account, c(r.debit) - c(r.credit)] as [string, number]).filter(([, b]) => b !== 0));
}

describe('hledger reads the exported journal', () => {
  it('passes hledger check, and the strict checks of declared accounts, commodities and date order', async () => {
    const file = await exportTo('all.journal');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('commodity S/ 1000.00');
    expect(text).toContain('account patrimonio:fondo de reinversion  ; type: E, code: 3101');
    expect(text).toMatch(/\n2025-02-20 \* \(\d+\) Recibo R001-\d{8}\n    ; source: receipt \d+\n/);
    expect(text).toMatch(/; source: receipt_void \d+, reverses: \d+\n/);
    expect(text).toMatch(/\n    patrimonio:fondo de reinversion {2,}S\/ 25000\.00  ; project: AGUA-ZA\n/);
    hledger('-f', file, 'check');
    hledger('-f', file, 'check', 'accounts', 'commodities', 'ordereddates');
    hledger('-f', file, '--strict', 'bal');
  });

  it('gives the same balances as the app: the fund, receivables and every account', async () => {
    const file = await exportTo('all.journal');
    const h = balances(file);
    expect(h.get('patrimonio:fondo de reinversion')).toBe(-2_433_334); // a credit balance of S/ 24,333.34
    const receivables = (await finance.get(`/finance/receivables.csv?as_of=${TODAY}`)).text.trim().split('\n').slice(1)
      .reduce((s, r) => s + Math.round(Number(r.split(',')[3]) * 100), 0);
    expect(h.get('activo:cuentas por cobrar:compradores de lotes')).toBe(receivables);
    expect(receivables).toBe(14_287_943);
    expect(h).toEqual(await appBalances(TODAY));
  });

  it('tags spending with its project: hledger sums it per project as the budget report does', async () => {
    const file = await exportTo('all.journal');
    const water = balances(file, 'patrimonio', 'tag:project=AGUA-ZA');
    const paving = balances(file, 'patrimonio', 'tag:project=PAV-01');
    expect(water.get('patrimonio:fondo de reinversion')).toBe(6_500_000);
    expect(paving.get('patrimonio:fondo de reinversion')).toBe(1_200_000); // 12,000 + 5,000 − 5,000 reversed
    const budget = (await finance.get('/finance/budget.csv')).text;
    expect(budget).toContain('AGUA-ZA,Agua potable para la zona alta,in_progress,60000.00,65000.00,65000.00');
    expect(budget).toContain('PAV-01,Pavimentación de la avenida principal,in_progress,30000.00,12000.00,12000.00');
  });

  it('exports a period opened by the balances of the day before, which hledger carries to the same closing', async () => {
    const file = await exportTo('2026.journal', '?from=2026-01-01&to=2026-11-25');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('2026-01-01 * Saldos al 2025-12-31');
    expect(text).not.toMatch(/\n2025-/);
    hledger('-f', file, 'check', 'accounts', 'commodities', 'ordereddates');
    expect(balances(file)).toEqual(await appBalances(TODAY));
    const early = await exportTo('2025.journal', '?to=2025-12-31');
    expect(balances(early).get('patrimonio:fondo de reinversion')).toBe(-3_875_001);
    expect(balances(early)).toEqual(await appBalances('2025-12-31'));
  });

  it('writes the same journal with `npm run cli -- export:ledger --out <file>`', async () => {
    const out = path.join(t.dir, 'cli.journal');
    const before = process.env.DATABASE_URL;
    process.env.DATABASE_URL = t.url;
    try {
      expect(await runCli(['export:ledger', '--out', out])).toBe(0);
    } finally {
      if (before === undefined) delete process.env.DATABASE_URL; else process.env.DATABASE_URL = before;
    }
    const http = fs.readFileSync(await exportTo('all.journal'), 'utf8');
    expect(fs.readFileSync(out, 'utf8')).toBe(http);
    hledger('-f', out, 'check', 'accounts', 'commodities');
  });
});
