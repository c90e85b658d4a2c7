// Issue 10, item 3: text typed into the app that a spreadsheet would run as a formula reaches the
// CSV exports as text (a leading apostrophe), while the money columns stay plain numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { login, submit, testApp, type Agent, type TestApp } from '../support/app.ts';
import { insertFirm, validRuc } from '../support/sales.ts';

let t: TestApp;
let finance: Agent;
let admin: Agent;
const ruc = validRuc('2051233379');
beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  finance = await login(t.app, 'finanzas');
  admin = await login(t.app, 'admin');
  await insertFirm(t.db, ruc, '=HYPERLINK("http://evil.example","Ver")', { number: '@SUM(1)' });
  await t.db('cash_deposits').insert({
    date: '2026-11-20', amount_cents: 1250, reference: '-2+3+cmd|\' /C calc\'!A0', cash_available_cents: 1250,
    status: 'valid', recorded_by_name: '+finanzas', created_at: new Date().toISOString(),
  });
});
afterAll(async () => { await t.close(); });

const rows = (text: string) => parse(text) as string[][];

describe('CSV exports neutralise formulas', () => {
  it('/members.csv: the firm name and member number are text', async () => {
    const res = await admin.get('/members.csv');
    expect(res.status).toBe(200);
    expect(rows(res.text)[1]).toEqual([ruc, `'=HYPERLINK("http://evil.example","Ver")`, "'@SUM(1)", '2020-01-15', 'active']);
  });

  it('/finance/budget.csv: a project name is text, its amounts numbers', async () => {
    const made = await submit(finance, '/finance/projects/new', '/finance/projects',
      { code: 'AGUA-ZA', name: '+1+1', budget: '1000.00', status: 'planned', description: '' });
    expect(made.status).toBe(303);
    const res = await finance.get('/finance/budget.csv');
    expect(res.status).toBe(200);
    const line = rows(res.text).find((r) => r[0] === 'AGUA-ZA')!;
    expect(line[1]).toBe("'+1+1");
    expect(line[3]).toBe('1000.00');
  });

  it('/finance/cash-deposits.csv: the reference and recorder are text, the amount a number', async () => {
    const res = await finance.get('/finance/cash-deposits.csv');
    expect(res.status).toBe(200);
    const [, line] = rows(res.text);
    expect(line![2]).toBe(`'-2+3+cmd|' /C calc'!A0`);
    expect(line![3]).toBe('12.50');
    expect(line![5]).toBe("'+finanzas");
  });
});
