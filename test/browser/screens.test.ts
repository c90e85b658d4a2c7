// The pages the screens work touched, in real Chromium at 1280 and 360 px on the demo park: the
// catalogue a page at a time, the sale form's lot field, a preview that is scrolled to and focused on a
// phone, the plan with its list. With ILO_SCREENSHOTS set, a screenshot of each is kept for a person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { demoDb, type DemoDb } from '../support/demo.ts';
import { DEMO_PASSWORD } from '../../seeds/demo/users.ts';
import { CHROMIUM_FLAGS, snap } from '../support/browser.ts';

const TODAY = '2026-11-25';
let demo: DemoDb;
let server: Server;
let browser: Browser;
let base: string;

beforeAll(async () => {
  demo = await demoDb(TODAY);
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: demo.url });
  const app = await createApp({ db: demo.db, clock: fixedClock(TODAY), config });
  server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await demo?.close();
});

async function loggedIn(width: number, user = 'gerente'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: width < 500 ? 740 : 900 } });
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/login`);
  await page.fill('#f-username', user);
  await page.fill('#f-password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/`), page.click('main button[type=submit]')]);
  return page;
}

/** Whether anything on the page sticks out to the right of the viewport (text cut off on a phone). */
const overflowsX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe('the screens on a desktop and on a phone', () => {
  for (const width of [1280, 360]) {
    it(`pages the catalogue and the contracts at ${width} px, without spilling sideways`, async () => {
      const page = await loggedIn(width);
      await page.goto(`${base}/lots`);
      expect(await page.locator('.pager-count').first().textContent()).toMatch(/Mostrando 1–50 de \d+/);
      await Promise.all([page.waitForURL(/page=2/), page.click('nav.pager a[rel=next] >> nth=0')]);
      expect(await page.locator('.pager-count').first().textContent()).toMatch(/Mostrando 51–100 de/);
      if (width === 360) expect(await overflowsX(page)).toBe(false);
      await snap(page, `screens-lots-page2-${width}`, { fullPage: false });
      await page.goto(`${base}/contracts`);
      if (width === 360) expect(await overflowsX(page)).toBe(false);
      await snap(page, `screens-contracts-${width}`, { fullPage: false });
      await page.goto(`${base}/delinquency`);
      await snap(page, `screens-delinquency-${width}`, { fullPage: false });
      await page.close();
    });

    it(`sells from a lot's page: the form comes with the lot, the preview is scrolled to and focused (${width} px)`, async () => {
      const page = await loggedIn(width);
      const code = await demo.db('lots').where({ owner: 'municipal', status: 'available' }).orderBy('code').first().then((l) => l.code as string);
      await page.goto(`${base}/lots/${code}`);
      await snap(page, `screens-lot-${width}`, { fullPage: false });
      await Promise.all([page.waitForURL(/\/contracts\/new\?lot=/), page.click('main >> text=Vender este lote')]);
      expect(await page.inputValue('#f-lot_code')).toBe(code);
      const firm = await demo.db('memberships').where({ status: 'active' }).first();
      await page.selectOption('#f-firm_ruc', firm.firm_ruc);
      await Promise.all([page.waitForURL(/#preview$/), page.click('main button[name=preview]')]);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('preview');
      // The preview's top is in view, not far below the form.
      const top = await page.evaluate(() => document.getElementById('preview')!.getBoundingClientRect().top);
      expect(Math.abs(top)).toBeLessThan(60);
      await snap(page, `screens-sale-preview-${width}`, { fullPage: false });
      await page.close();
    });

    it(`shows the plan and its list alternative (${width} px)`, async () => {
      const page = await loggedIn(width);
      await page.goto(`${base}/map?owner=municipal`);
      expect(await page.locator('ul.legend').textContent()).toContain('Ministerio de Vivienda: 0');
      await page.click('details.map-list summary');
      expect(await page.locator('details.map-list tbody tr').count()).toBeGreaterThan(100);
      await snap(page, `screens-map-${width}`, { fullPage: false });
      await page.close();
    });
  }

  it('shows the audit log in words (1280 px)', async () => {
    const page = await loggedIn(1280, 'admin');
    await page.goto(`${base}/audit?action=receipt.create`);
    const text = await page.textContent('table.audit');
    expect(text).toContain('Medio de pago');
    expect(text).not.toMatch(/amount cents|"n":/);
    await snap(page, 'screens-audit-1280', { fullPage: false });
    await page.close();
  });
});
