// Cash deposits in real Chromium, after the generated history of fund-history.ts: from the finance
// menu to the form, a deposit beyond the till refused next to its amount, then recorded; its page with
// the journal entry, its reversal; the list on a phone. Screenshots go to /tmp/cash-deposit-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD, login } from '../support/app.ts';
import { TODAY, fundHistory, salesHistory } from '../http/fund-history.ts';

let h: BrowserHarness;
let page: Page;

beforeAll(async () => {
  h = await startBrowserHarness({ today: TODAY });
  await salesHistory(h.db);
  await fundHistory(await login(h.app, 'finanzas'));
  page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(8000);
});
afterAll(async () => { await h?.stop(); });

const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('cash deposits in a browser', () => {
  it('refuses a deposit beyond the till next to its amount, then records one and shows its entry', async () => {
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'finanzas');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
    await page.goto(`${h.baseUrl}/finance`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/finance/cash-deposits`), page.click('nav.subnav >> text=Depósitos de caja')]);
    expect(norm(await page.innerText('.kpis'))).toContain('Banco (1102) -S/ 5,000.00');
    await snap(page, 'cash-deposit-list-empty');

    await Promise.all([page.waitForURL(/\/finance\/cash-deposits\/new$/), page.click('text=Registrar depósito')]);
    await page.fill('#f-date', '2026-10-31');
    await page.fill('#f-amount', '45750.02');
    await page.fill('#f-reference', '0045-778812');
    await page.click('form[action="/finance/cash-deposits"] button[type=submit]');
    expect(norm(await page.textContent('#e-amount'))).toBe('El depósito de S/ 45,750.02 excede el efectivo disponible en caja al 31/10/2026: S/ 45,750.01.');
    await snap(page, 'cash-deposit-form-refused');

    await page.fill('#f-amount', '45750.01');
    await Promise.all([page.waitForURL(/\/finance\/cash-deposits\/\d+$/), page.click('form[action="/finance/cash-deposits"] button[type=submit]')]);
    expect(norm(await page.innerText('h1'))).toBe('Depósito #1 Vigente');
    expect(norm(await page.innerText('table.journal'))).toContain('1102 Banco S/ 45,750.01');
    await snap(page, 'cash-deposit-page');
  });

  it('reverses it with a reason: the mirror entry dated today', async () => {
    await page.fill('#f-reason', 'Constancia de otra cuenta bancaria');
    await Promise.all([page.waitForURL(/\/finance\/cash-deposits\/1$/), page.click('button.danger')]);
    expect(norm(await page.innerText('h1'))).toBe('Depósito #1 Anulado');
    expect(await page.locator('table.journal tbody.entry').count()).toBe(2);
    expect(norm(await page.innerText('table.journal tbody.is-reversal'))).toContain('25/11/2026 · Anulación del depósito #1');
    await snap(page, 'cash-deposit-reversed');
  });

  it('lists the deposits on a phone', async () => {
    const phone = await h.browser.newPage({ viewport: { width: 360, height: 740 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${h.baseUrl}/finance/cash-deposits`);
    expect(norm(await phone.innerText('table'))).toContain('0045-778812');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await snap(phone, 'cash-deposit-list-phone');
    await phone.close();
  });
});
