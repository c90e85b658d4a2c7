// The public reinvestment report in Chromium, as a visitor (no login): reached from the login page,
// readable at 1280 and 360 px without sideways scrolling, and printed to A4 without the site chrome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { login } from '../support/app.ts';
import { TODAY, fundHistory, salesHistory } from '../http/fund-history.ts';

let h: BrowserHarness;
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  h = await startBrowserHarness({ today: TODAY });
  await salesHistory(h.db);
  await fundHistory(await login(h.app, 'finanzas'));
});
afterAll(async () => { await h?.stop(); });

describe('the public reinvestment report in the browser', () => {
  it('opens from the login page for a visitor at 1280 px, fits, and prints to A4', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${h.baseUrl}/login`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/transparencia`), page.click('text=Informe público de reinversión')]);
    expect(norm(await page.innerText('h1'))).toBe('Reinversión de la venta de lotes del Parque Industrial — Informe público');
    expect(norm(await page.innerText('.transparency-balance'))).toBe('Saldo del fondo al 25/11/2026: S/ 24,333.34');
    expect(await page.locator('a[href="/finance"]').count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await snap(page, 'transparencia-1280');
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('header.top')).toBe(false);
    expect(await page.isVisible('text=Descargar en CSV')).toBe(false);
    await snap(page, 'transparencia-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(2);
    await ctx.close();
  });

  it('fits a 360 px phone without sideways scrolling', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto(`${h.baseUrl}/transparencia`);
    expect(norm(await page.innerText('.transparency-balance'))).toBe('Saldo del fondo al 25/11/2026: S/ 24,333.34');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await snap(page, 'transparencia-360');
    await ctx.close();
  });
});
