// A park manager's sale in real Chromium: register a firm, enrol it in ACIPIAS, sell it a lot
// (preview, then confirm), record the down payment, and see the lot change status in the
// catalogue. Screenshots of the preview and the contract page go to /tmp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { insertLot } from '../support/sales.ts';

let h: BrowserHarness;
let page: Page;
let contractUrl = '';

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  // 1,000.00 m² × S/ 100.00 = S/ 100,000.00
  await insertLot(h.db, { code: 'C-07', area_dm2: 100_000, price_per_m2_cents: 10_000 });
  await insertLot(h.db, { code: 'C-08', area_dm2: 80_000, price_per_m2_cents: 9_500 });
  await insertLot(h.db, { code: 'M-01', area_dm2: 200_000, price_per_m2_cents: 5_000, owner: 'ministry' });
  page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(8000);
});
afterAll(async () => { await h?.stop(); });

/** Text as read, spaces folded (money has a no-break space after S/). */
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const submitAndWait = (selector: string) => Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)]);

describe('selling a lot in a browser', () => {
  it('logs in and registers a firm, with a message next to a wrong RUC first', async () => {
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'gerente');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);

    await page.goto(`${h.baseUrl}/firms/new`);
    await page.fill('#f-ruc', '20512333798');
    await page.fill('#f-name', 'Metálicas del Sur Demo S.A.C.');
    await page.fill('#f-representative_name', 'Rosa Quispe Demo');
    await page.fill('#f-representative_dni', '10117410-2');
    await page.selectOption('#f-sector', 'metalmecanica');
    await page.fill('#f-phone', '053 481234');
    await submitAndWait('main button.primary');
    expect(await page.textContent('#e-ruc')).toContain('El dígito verificador del RUC no corresponde');
    expect(await page.inputValue('#f-name')).toBe('Metálicas del Sur Demo S.A.C.');
    await page.fill('#f-ruc', '20512333797');
    await Promise.all([page.waitForURL(`${h.baseUrl}/firms/20512333797`), page.click('main button.primary')]);
    expect(await page.textContent('h1')).toBe('Metálicas del Sur Demo S.A.C.');
  });

  it('enrols the firm in ACIPIAS', async () => {
    await Promise.all([page.waitForURL(`${h.baseUrl}/firms/20512333797/membership/new`), page.click('main >> text=Inscribir en ACIPIAS')]);
    await page.fill('#f-member_number', 'AC-101');
    await page.fill('#f-joined_on', '2026-11-02');
    await page.selectOption('#f-status', 'active');
    await Promise.all([page.waitForURL(`${h.baseUrl}/firms/20512333797`), page.click('main button.primary')]);
    const text = await page.textContent('main');
    expect(text).toContain('AC-101');
    expect(text).toContain('02/11/2026');
    expect(text).toContain('Activa');
  });

  it('previews the sale with its whole schedule, then signs it', async () => {
    await Promise.all([page.waitForURL(/\/contracts\/new\?firm_ruc=20512333797$/), page.click('main >> text=Nueva venta de lote')]);
    expect(await page.inputValue('#f-firm_ruc')).toBe('20512333797');
    // the ministry lot is not offered
    expect(await page.locator('#lots-available option[value="M-01"]').count()).toBe(0);
    expect(await page.locator('#lots-available option[value="C-07"]').count()).toBe(1);
    // The code is typed as a person would: any case, without its zero.
    await page.fill('#f-lot_code', 'c-7');
    await page.fill('#f-date', '2026-01-31');
    await submitAndWait('main button[name=preview]');
    // The preview is where the page lands, focused (on a phone it is far below the form).
    expect(new URL(page.url()).hash).toBe('#preview');
    expect(new URL(page.url()).searchParams.get('lot_code')).toBe('c-7');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('preview');
    const preview = norm(await page.textContent('section.preview'));
    expect(preview).toContain('S/ 100,000.00');
    expect(preview).toContain('S/ 15,000.00');
    expect(preview).toContain('S/ 85,000.00');
    expect(await page.locator('section.preview tbody tr').count()).toBe(61);
    const last = await page.textContent('section.preview tbody tr:last-child');
    expect(norm(last)).toContain('60 31/01/2031 S/ 1,416.47 S/ 0.00 S/ 1,416.47 S/ 0.00');
    await snap(page, 'sale-preview');

    await Promise.all([page.waitForURL(/\/contracts\/\d+$/), page.click('#confirm-sale button.primary')]);
    contractUrl = page.url();
    expect(await page.textContent('h1')).toContain('CV-2026-0001');
    expect(await page.textContent('h1')).toContain('Espera cuota inicial');
    await snap(page, 'contract-page');
  });

  it('records the down payment, and the catalogue shows the lot under contract', async () => {
    await page.goto(`${contractUrl}/payments/new`);
    await page.fill('#f-date', '2026-02-02');
    await page.fill('#f-amount', '15000.00');
    await page.selectOption('#f-method', 'cash');
    await submitAndWait('main #payment-form button[type=submit]');
    await Promise.all([page.waitForURL(/\/receipts\/R001-\d{8}$/), page.click('#confirm-payment button.primary')]);

    await page.goto(contractUrl);
    expect(await page.textContent('h1')).toContain('Vigente');
    await snap(page, 'contract-page-active');

    await page.goto(`${h.baseUrl}/lots`);
    const row = page.locator('tbody tr', { has: page.locator('a', { hasText: /^C-07$/ }) });
    expect(await row.locator('td[data-label="Estado"]').textContent()).toContain('Con contrato');
    const other = page.locator('tbody tr', { has: page.locator('a', { hasText: /^C-08$/ }) });
    expect(await other.locator('td[data-label="Estado"]').textContent()).toContain('Disponible');
  });

  it('prints the contract on clean pages', async () => {
    await page.goto(`${contractUrl}/print`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.textContent('.contract-doc')).toContain('CIEN MIL CON 00/100 SOLES');
    await snap(page, 'contract-print');
    await page.emulateMedia({ media: 'screen' });
  });
});
