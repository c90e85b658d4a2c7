// Bank statements in real Chromium: finance opens Extractos bancarios from the finance menu, uploads a
// bad file (every bad line listed, nothing kept), then the README's example file with the demo mapping,
// and reads the statement's page; the page on a phone. Screenshots with ILO_SCREENSHOTS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { ROOT_DIR } from '../../src/db/knex.ts';
import { seedBank } from '../../seeds/demo/bank.ts';

let h: BrowserHarness;
let page: Page;
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  await seedBank(h.db);
  page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(8000);
});
afterAll(async () => { await h?.stop(); });

describe('bank statements in a browser', () => {
  it('lists every bad line of a refused file, then imports the example statement and shows it', async () => {
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'finanzas');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
    await page.goto(`${h.baseUrl}/finance`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/finance/bank-statements`), page.click('nav.subnav >> text=Extractos bancarios')]);

    const bad = 'x\ny\nz\nFecha;Descripción;Nro. Operación;Cargo;Abono;Saldo\n31/02/2026;A;;1.234;;\n05/11/2026;B;;5.00;5.00;\n';
    await page.setInputFiles('#f-file', { name: 'malo.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await Promise.all([page.waitForLoadState('load'), page.click('#upload button[type=submit]')]);
    expect((await page.locator('ul.import-errors li').allInnerTexts()).map(norm)).toEqual([
      'Línea 5: Fecha: fecha no válida «31/02/2026» (formato DD/MM/YYYY).',
      'Línea 5: Cargo: importe no válido «1.234» (formato 1,234.56).',
      'Línea 6: tiene importe en «Cargo» y en «Abono» a la vez.',
    ]);
    await snap(page, 'bank-statement-refused');
    expect(await h.db('bank_statements').count({ n: '*' })).toEqual([{ n: 0 }]);

    await page.setInputFiles('#f-file', path.join(ROOT_DIR, 'docs/examples/extracto-banco-ejemplo.csv'));
    await Promise.all([page.waitForURL(/\/finance\/bank-statements\/\d+$/), page.click('#upload button[type=submit]')]);
    const facts = norm(await page.innerText('.bank-statement-head'));
    expect(facts).toContain('Periodo 01/10/2026 – 31/10/2026');
    expect(facts).toContain('Saldo inicial S/ 47,300.00');
    expect(facts).toContain('Saldo final S/ 44,500.62');
    expect(facts).toContain('8 líneas: 8 nuevas, 0 ya importadas en un extracto anterior');
    expect(await page.locator('table.bank-lines tbody tr').count()).toBe(8);
    expect(norm(await page.innerText('table.bank-lines tfoot'))).toBe('Totales S/ 18,512.85 S/ 15,713.47');
    await snap(page, 'bank-statement');

    // The same file again: refused with a link to the statement.
    await page.goto(`${h.baseUrl}/finance/bank-statements`);
    await page.setInputFiles('#f-file', path.join(ROOT_DIR, 'docs/examples/extracto-banco-ejemplo.csv'));
    await Promise.all([page.waitForLoadState('load'), page.click('#upload button[type=submit]')]);
    expect(norm(await page.innerText('#e-file'))).toBe('Este extracto ya fue importado (extracto #1).');
  });

  it('fits a phone: the lines stacked, nothing wider than the screen', async () => {
    const phone = await h.browser.newPage({ viewport: { width: 360, height: 740 } });
    const cookies = await page.context().cookies();
    await phone.context().addCookies(cookies);
    await phone.goto(`${h.baseUrl}/finance/bank-statements/1`);
    const widths = await phone.evaluate(() => [document.documentElement.scrollWidth, document.querySelector('table.bank-lines')!.scrollWidth]);
    expect(widths[0]).toBeLessThanOrEqual(360);
    expect(widths[1]).toBeLessThanOrEqual(360);
    await snap(phone, 'bank-statement-phone');
    await phone.close();
  });
});
