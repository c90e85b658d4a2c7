// Issue 13 end to end in real Chromium: finance imports November's bank statement, accepts the safe
// matches, explains the bank fee, saves the bank reconciliation (difference S/ 0.00) and closes November;
// a payment dated in November is then refused with the closed-month message; the public report is
// rendered for a visitor. Two sales of November, down payments of S/ 15,000.00 each, one by transfer
// (OP-2026-11-0001) and one by deposit (DEP-0099); the bank charges S/ 12.50 on 30/11.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, signedInPage, snap, type BrowserHarness } from '../support/browser.ts';
import { sale, ACTOR } from '../service/sales-fixtures.ts';
import { payBy } from '../support/bank.ts';
import { login, submit, textOf } from '../support/app.ts';

const TODAY = '2026-12-03';
let h: BrowserHarness;
let page: Page;
let a: { id: number };
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

const STATEMENT = [
  'Fecha,Descripción,Referencia,Cargo,Abono,Saldo',
  '02/11/2026,ABONO TRANSF INTERBANCARIA,OP-2026-11-0001,,"15,000.00","15,000.00"',
  '10/11/2026,DEPOSITO EN VENTANILLA,DEP-0099,,"15,000.00","30,000.00"',
  '30/11/2026,COMISION MANTENIMIENTO DE CUENTA,,12.50,,"29,987.50"',
].join('\r\n') + '\r\n';

beforeAll(async () => {
  h = await startBrowserHarness({ today: TODAY });
  a = await sale(h.db, { date: '2026-11-02', today: TODAY });
  await payBy(h.db, ACTOR, TODAY, a.id, '2026-11-02', 1_500_000, 'transfer', 'OP-2026-11-0001');
  const b = await sale(h.db, { date: '2026-11-09', today: TODAY });
  await payBy(h.db, ACTOR, TODAY, b.id, '2026-11-10', 1_500_000, 'deposit', 'DEP-0099');
  page = await signedInPage(h, 'finanzas');
});
afterAll(async () => { await h?.stop(); });

describe('finance closes November in a browser', () => {
  it('imports the statement and opens its matching', async () => {
    await page.goto(`${h.baseUrl}/finance`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/finance/bank-statements`), page.click('nav.subnav >> text=Extractos bancarios')]);
    await page.setInputFiles('#f-file', { name: 'extracto-noviembre.csv', mimeType: 'text/csv', buffer: Buffer.from(STATEMENT) });
    await Promise.all([page.waitForURL(/\/finance\/bank-statements\/\d+$/), page.click('#upload button[type=submit]')]);
    const head = norm(await page.innerText('.bank-statement-head'));
    expect(head).toContain('Periodo 02/11/2026 – 30/11/2026');
    expect(head).toContain('Saldo inicial S/ 0.00');
    expect(head).toContain('Saldo final S/ 29,987.50');
    await Promise.all([page.waitForURL(/\/matching$/), page.click('text=Conciliar las líneas con los libros')]);
  });

  it('accepts the two safe proposals and explains the fee', async () => {
    await Promise.all([page.waitForLoadState('load'), page.click('text=Aceptar todas las propuestas seguras (2)')]);
    expect(await h.db('bank_statement_lines').orderBy('id').pluck('status')).toEqual(['matched', 'matched', 'unmatched']);
    const fee = await h.db('bank_statement_lines').where({ amount_cents: -1250 }).first('id');
    await page.selectOption(`#x-${fee.id}`, 'bank_fee');
    await page.fill(`#n-${fee.id}`, 'Mantenimiento de cuenta, noviembre');
    await Promise.all([page.waitForLoadState('load'), page.click(`form[action="/finance/bank-statement-lines/${fee.id}/explain"] button`)]);
    expect(await h.db('bank_statement_lines').orderBy('id').pluck('status')).toEqual(['matched', 'matched', 'explained']);
    // Dr 6391 gastos bancarios / Cr 1102 banco, dated the bank line's date.
    const entry = await h.db('journal_entries').where({ source_type: 'bank_explanation' }).first('id', 'date');
    expect(entry.date).toBe('2026-11-30');
    expect(await h.db('journal_lines').where({ entry_id: entry.id }).orderBy('id').select('account_code', 'debit_cents', 'credit_cents'))
      .toEqual([{ account_code: '6391', debit_cents: 1250, credit_cents: 0 }, { account_code: '1102', debit_cents: 0, credit_cents: 1250 }]);
    await snap(page, 'bank-matching', { readme: true });
  });

  it('saves the bank reconciliation with no difference', async () => {
    const statement = await h.db('bank_statements').first('id');
    await page.goto(`${h.baseUrl}/finance/bank-statements/${statement.id}/reconciliation`);
    expect(norm(await page.innerText('main'))).toContain('Conciliado: la diferencia sin explicar es S/ 0.00.');
    await Promise.all([page.waitForLoadState('load'), page.click('text=Guardar la conciliación')]);
    const saved = await h.db('bank_reconciliations').first('statement_balance_cents', 'book_balance_cents', 'difference_cents', 'saved_by_name');
    expect(saved).toEqual({ statement_balance_cents: 2_998_750, book_balance_cents: 2_998_750, difference_cents: 0, saved_by_name: 'finanzas' });
    await snap(page, 'bank-reconciliation', { readme: true });
  });

  it('closes November once every check is clean; the month shows closed', async () => {
    await page.goto(`${h.baseUrl}/finance/closings?month=2026-11`);
    const checks = (await page.locator('#checks tbody tr').allInnerTexts()).map(norm);
    expect(checks).toHaveLength(4);
    for (const c of checks) expect(c).toContain('Correcto');
    await Promise.all([page.waitForLoadState('load'), page.click('#checks button:has-text("Cerrar")')]);
    expect(await h.db('month_closings').select('month', 'action', 'actor_name')).toEqual([{ month: '2026-11', action: 'close', actor_name: 'finanzas' }]);
    expect(norm(await page.innerText('#month-2026-11'))).toContain('cerrado');
    await snap(page, 'month-close', { readme: true });
    // A finance report of November says it is closed.
    await page.goto(`${h.baseUrl}/finance/reconciliation?from=2026-11-01&to=2026-11-30`);
    expect(norm(await page.innerText('p.period-closure'))).toMatch(/^Periodo cerrado el \d\d\/\d\d\/2026/);
  });

  it('refuses a payment dated in November with the closed-month message, writing nothing', async () => {
    const manager = await login(h.app, 'gerente');
    const before = await h.db('receipts').count({ n: '*' });
    const res = await submit(manager, `/contracts/${a.id}/payments/new`, `/contracts/${a.id}/payments`,
      { date: '2026-11-28', amount: '100.00', method: 'cash' });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('El mes 2026-11 está cerrado. Las correcciones se hacen con una reversión o un ajuste fechado en un mes abierto.');
    expect(await h.db('receipts').count({ n: '*' })).toEqual(before);
  });

  it('renders the public report for a visitor', async () => {
    const visitor = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await visitor.goto(`${h.baseUrl}/transparencia`);
    const text = norm(await visitor.innerText('main'));
    expect(text).toContain('Informe público');
    expect(text).toContain('S/ 30,000.00');
    await snap(visitor, 'transparencia-after-close');
    await visitor.close();
  });
});
