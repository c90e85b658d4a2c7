// The public reinvestment report (/transparencia and its CSV) after the generated finance history
// (fund-history.ts): sales on municipal and ministry lots, payments, a reversed receipt, a rescission
// with refund, spendings on two projects (one reversed). Exact figures, worked out in fund-history.ts;
// open to a visitor; no buyer's data on the page or in the CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, login, textOf, type TestApp } from '../support/app.ts';
import { accountsReport, fundStatementReport } from '../../src/fund/reports.ts';
import { transparencyReport } from '../../src/transparency/report.ts';
import { EXPECTED, TODAY, fundHistory, salesHistory } from './fund-history.ts';

let t: TestApp;
let page: string;
let csv: string;

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await salesHistory(t.db);
  await fundHistory(await login(t.app, 'finanzas'));
  const res = await request(t.app).get('/transparencia');
  expect(res.status).toBe(200);
  page = textOf(res.text);
  const c = await request(t.app).get('/transparencia.csv');
  expect(c.status).toBe(200);
  csv = c.text;
});
afterAll(async () => { await t.close(); });

describe('the public reinvestment report', () => {
  it('opens to a visitor without login, in Spanish, with the date it was generated and no staff menu', async () => {
    const res = await request(t.app).get('/transparencia');
    expect(res.status).toBe(200);
    expect(page).toContain('Reinversión de la venta de lotes del Parque Industrial — Informe público');
    expect(page).toContain('Informe generado el 25/11/2026.');
    expect(page).toContain('cuota inicial del 15%');
    expect(page).toContain('Cada sol cobrado por un lote municipal va al fondo de reinversión del parque');
    expect(res.text).not.toContain('href="/finance"');
    expect(res.text).not.toContain('href="/contracts"');
    expect(res.text).toContain('href="/transparencia.csv"');
  });

  it('stays in Spanish for a visitor who chose English (only the menu follows the language)', async () => {
    const visitor = request.agent(t.app);
    await visitor.get('/lang/en?next=/transparencia');
    const res = await visitor.get('/transparencia');
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain('Log in');
    expect(textOf(res.text)).toContain('AGUA-ZA Agua potable para la zona alta (En ejecución)');
  });

  it('is linked from the login page', async () => {
    const res = await request(t.app).get('/login');
    expect(res.text).toContain('<a href="/transparencia">Informe público de reinversión</a>');
  });

  it('shows what was collected per year: the fund credits of receipts on municipal lots, reversals net', async () => {
    // 2025: 38,750.01. 2026: A 20,000 + C 50,000 + D 7,000 − the 1,416.67 reversed = 75,583.33 (E is the ministry's).
    const s2025 = await fundStatementReport(t.db, '2025-01-01', '2025-12-31');
    const s2026 = await fundStatementReport(t.db, '2026-01-01', '2026-12-31');
    expect(s2025.collections_cents + s2025.voided_cents).toBe(EXPECTED.fundAt2025End);
    expect(s2026.collections_cents + s2026.voided_cents).toBe(EXPECTED.collections2026 + EXPECTED.voided2026);
    expect(page).toContain('2025 S/ 38,750.01 S/ 0.00 S/ 0.00 S/ 38,750.01');
    expect(page).toContain('2026 S/ 75,583.33 -S/ 13,000.00 -S/ 77,000.00 -S/ 14,416.67');
    expect(page).toContain('Total S/ 114,333.34 -S/ 13,000.00 -S/ 77,000.00 S/ 24,333.34');
  });

  it('shows the fund balance today, equal to account 3101', async () => {
    const accounts = await accountsReport(t.db, TODAY);
    const fund = accounts.rows.find((r) => r.code === '3101')!;
    expect(fund.balance_cents).toBe(EXPECTED.fundNow);
    expect(EXPECTED.fundNow).toBe(2_433_334);
    expect(page).toContain('Saldo del fondo al 25/11/2026: S/ 24,333.34');
  });

  it('lists each work with budget, spent to date and remaining, and its valid spendings', () => {
    expect(page).toContain('AGUA-ZA Agua potable para la zona alta (En ejecución) S/ 60,000.00 S/ 65,000.00 -S/ 5,000.00');
    expect(page).toContain('PAV-01 Pavimentación de la avenida principal (En ejecución) S/ 30,000.00 S/ 12,000.00 S/ 18,000.00');
    expect(page).toContain('Total S/ 90,000.00 S/ 77,000.00 S/ 13,000.00');
    expect(page).toContain('15/04/2026 Constructora Ilo S.A.C. F001-00000101 Valorización de obra S/ 25,000.00');
    expect(page).toContain('20/11/2026 Constructora Ilo S.A.C. F001-00000104 Valorización de obra S/ 40,000.00');
    expect(page).toContain('20/07/2026 Constructora Ilo S.A.C. F001-00000102 Valorización de obra S/ 12,000.00');
    // The reversed spending is not a work paid for.
    expect(page).not.toContain('F001-00000103');
  });

  it('gives the same figures as CSV, one row per line with its section', () => {
    expect(csv.split('\n')).toEqual([
      'section,year,project_code,project_name,date,supplier,document,budget,amount',
      'collected,2025,,,,,,,38750.01',
      'refunds,2025,,,,,,,0.00',
      'works,2025,,,,,,,0.00',
      'collected,2026,,,,,,,75583.33',
      'refunds,2026,,,,,,,-13000.00',
      'works,2026,,,,,,,-77000.00',
      'balance,,,,2026-11-25,,,,24333.34',
      'project,,AGUA-ZA,Agua potable para la zona alta,,,,60000.00,65000.00',
      'spending,2026,AGUA-ZA,Agua potable para la zona alta,2026-04-15,Constructora Ilo S.A.C.,F001-00000101,,25000.00',
      'spending,2026,AGUA-ZA,Agua potable para la zona alta,2026-11-20,Constructora Ilo S.A.C.,F001-00000104,,40000.00',
      'project,,PAV-01,Pavimentación de la avenida principal,,,,30000.00,12000.00',
      'spending,2026,PAV-01,Pavimentación de la avenida principal,2026-07-20,Constructora Ilo S.A.C.,F001-00000102,,12000.00',
      '',
    ]);
  });

  it('carries no buyer data: no firm name, RUC, DNI, contract, receipt or lot code of a sale', async () => {
    const firms = await t.db('firms').select('name', 'ruc', 'representative_dni');
    const contracts = await t.db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').select('c.number', 'l.code');
    const receipts = await t.db('receipts').select('number');
    expect(firms.length).toBe(5);
    const secrets = [
      ...firms.flatMap((f) => [f.name, f.ruc, f.representative_dni]),
      ...contracts.flatMap((c) => [c.number, c.code]), ...receipts.map((r) => r.number),
    ].filter((s): s is string => typeof s === 'string' && s !== '');
    for (const s of secrets) {
      expect(page, s).not.toContain(s);
      expect(csv, s).not.toContain(s);
    }
  });

  it('sums the fund per year in the database exactly as the fund statement replays the journal', async () => {
    const report = await transparencyReport(t.db, TODAY);
    expect(report.years.map((y) => y.year)).toEqual(['2025', '2026']);
    for (const y of report.years) {
      const s = await fundStatementReport(t.db, `${y.year}-01-01`, `${y.year}-12-31`);
      expect(y.collected_cents).toBe(s.collections_cents + s.voided_cents);
      expect(y.refunds_cents).toBe(s.refunds_cents);
      expect(y.works_cents).toBe(s.spending_cents);
      expect(y.other_cents).toBe(s.other_cents);
    }
    const all = await fundStatementReport(t.db, '2025-01-01', TODAY);
    expect(report.balance_cents).toBe(all.closing_cents);
  });
});
