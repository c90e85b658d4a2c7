// The park manager's journey through the lot catalogue in real Chromium: log in, create a lot
// through the form, filter the catalogue, open the lot's page. With ILO_SCREENSHOTS set, screenshots
// are kept (and the demo catalogue refreshes docs/screenshots/ for the README).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { seedLots } from '../../seeds/demo/lots.ts';

let h: BrowserHarness;
let page: Page;

/** An element's text with whitespace folded (money is written with a no-break space after S/). */
const text = async (selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  h = await startBrowserHarness();
  await seedLots(h.db);
  page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(8000);
});
afterAll(async () => { await h?.stop(); });

describe('the lot catalogue in a browser', () => {
  it('logs in as the park manager and shows the demo park with its area balance', async () => {
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'gerente');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
    await page.goto(`${h.baseUrl}/lots`);
    const heading = await page.textContent('h1');
    expect(heading).toBe('Catálogo de lotes');
    const balance = await text('.balance');
    expect(balance).toContain('384,300.00 m²'); // municipal lots of the demo park
    expect(balance).toContain('159,300.00 m²'); // roads and green areas
    expect(await page.textContent('p.count')).toContain('363 de 363 lotes');
    await snap(page, 'catalogue', { readme: true, fullPage: false });
  });

  it('creates a lot through the form and lands on its page', async () => {
    await page.click('main >> text=Nuevo lote');
    await page.waitForURL(`${h.baseUrl}/lots/new`);
    await page.fill('#f-code', 'q-01');
    await page.fill('#f-area_m2', '1250.50');
    await page.selectOption('#f-land_use', 'metalworking');
    await page.selectOption('#f-owner', 'municipal');
    await page.fill('#f-price_per_m2', 'abc');
    await Promise.all([page.waitForLoadState('load'), page.click('main button.primary')]);
    // Refused: the message sits under the field and what was typed is still there.
    expect(await page.textContent('#e-price_per_m2')).toContain('Escriba un monto en soles');
    expect(await page.inputValue('#f-code')).toBe('q-01');
    expect(await page.inputValue('#f-land_use')).toBe('metalworking');
    await snap(page, 'lots-form-error');
    await page.fill('#f-price_per_m2', '85.00');
    await Promise.all([page.waitForURL(`${h.baseUrl}/lots/Q-01`), page.click('main button.primary')]);
    const facts = await text('dl.facts');
    expect(facts).toContain('1,250.50 m²');
    expect(facts).toContain('S/ 106,292.50');
    expect(await page.textContent('.history')).toContain('Lote creado');
    await snap(page, 'lots-page');
  });

  it('filters the catalogue by owner and land use, and sorts by area', async () => {
    await page.goto(`${h.baseUrl}/lots`);
    await page.selectOption('select[name=owner]', 'ministry');
    await page.selectOption('select[name=land_use]', 'fishing');
    await Promise.all([page.waitForURL(/owner=ministry/), page.click('form.filters button[type=submit]')]);
    const owners = await page.$$eval('tbody td[data-label="Propietario"]', (tds) => tds.map((td) => td.textContent?.trim()));
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set(['Ministerio de Vivienda']));
    const uses = await page.$$eval('tbody td[data-label="Uso"]', (tds) => tds.map((td) => td.textContent?.trim()));
    expect(new Set(uses)).toEqual(new Set(['Pesquera']));
    expect(await text('p.count')).toContain(`${owners.length} de 364 lotes`);
    // The filters stay chosen, and a click on a column header sorts within them.
    expect(await page.inputValue('select[name=owner]')).toBe('ministry');
    await Promise.all([page.waitForURL(/sort=area/), page.click('th >> text=Área (m²)')]);
    const areas = await page.$$eval('tbody td[data-label="Área (m²)"]', (tds) => tds.map((td) => Number(td.textContent!.replace(/[^\d.]/g, ''))));
    expect(areas).toEqual([...areas].sort((a, b) => a - b));
    expect(await page.inputValue('select[name=land_use]')).toBe('fishing');
    await snap(page, 'lots-filtered');
  });

  it('opens a lot from the filtered list', async () => {
    const first = await page.textContent('tbody tr:first-child td[data-label="Código"] a');
    await Promise.all([page.waitForURL(new RegExp(`/lots/${first}$`)), page.click('tbody tr:first-child td[data-label="Código"] a')]);
    expect(await page.textContent('h1')).toContain(`Lote ${first}`);
    expect(await page.textContent('dl.facts')).toContain('Ministerio de Vivienda');
    expect(await page.isVisible('text=Transferir a la municipalidad')).toBe(true);
  });
});
