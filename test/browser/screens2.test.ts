// Issue 10, the rest of items 17, 18 and 22 in real Chromium at 1280 and 360 px: the reconciliation's
// verdict column on a phone, the statement's next installment before the schedule, and the plan on a
// touch screen (a tap opens the lot; ?lot= shows its details). With ILO_SCREENSHOTS set, each is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, snap, type BrowserHarness } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';

let h: BrowserHarness;
let contract: { id: number; lot_code: string };

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  await setRates(h.db, [['2010-01-01', 12000]]);
  contract = await sale(h.db, { date: '2026-06-10', today: h.today });
  await pay(h.db, contract.id, '2026-06-10', 1_500_000, h.today, 'transfer');
  await pay(h.db, contract.id, '2026-07-10', 141_667, h.today);
  // A row of lots on the plan: the sold one and narrow ones beside it.
  await h.db('lots').where({ code: contract.lot_code }).update({ outline: '[[0,0],[40,0],[40,60],[0,60]]' });
  const now = new Date().toISOString();
  for (let i = 1; i <= 6; i++) {
    const x = 40 + i * 12;
    await h.db('lots').insert({
      code: `B-${String(i).padStart(2, '0')}`, block: 'B', number: i, area_dm2: 72_000, land_use: 'metalworking', owner: 'municipal',
      price_per_m2_cents: 8500, status: 'available', outline: JSON.stringify([[x, 0], [x + 12, 0], [x + 12, 60], [x, 60]]),
      created_at: now, updated_at: now,
    });
  }
}, 60_000);
afterAll(async () => { await h?.stop(); });

async function loggedIn(width: number, user: string, touch = false): Promise<Page> {
  const ctx = await h.browser.newContext({ viewport: { width, height: width < 500 ? 740 : 900 }, hasTouch: touch, isMobile: touch });
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${h.baseUrl}/login`);
  await page.fill('#f-username', user);
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('main button[type=submit]')]);
  return page;
}
const overflowsX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe('the rest of the screens', () => {
  for (const width of [1280, 360]) {
    it(`shows every reconciliation column, the verdict included, without scrolling sideways (${width} px)`, async () => {
      const page = await loggedIn(width, 'finanzas');
      await page.goto(`${h.baseUrl}/finance/reconciliation?from=2026-01-01&to=2026-11-25`);
      await snap(page, `screens2-reconciliation-${width}`);
      const verdict = page.locator('table.recon td.recon-verdict').first();
      const box = await verdict.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      expect(await overflowsX(page)).toBe(false);
      await page.context().close();
    });

    it(`puts the next installment and the overdue amount above the schedule (${width} px)`, async () => {
      const page = await loggedIn(width, 'gerente');
      await page.goto(`${h.baseUrl}/contracts/${contract.id}/statement`);
      await snap(page, `screens2-statement-${width}`, { fullPage: false });
      const now = await page.locator('.owed-now').boundingBox();
      const schedule = await page.locator('#schedule').boundingBox();
      expect(now!.y).toBeLessThan(schedule!.y);
      if (width === 360) expect(now!.y + now!.height).toBeLessThan(740); // on the first screen
      expect((await page.locator('.owed-now').innerText()).replace(/\u00a0/g, ' ')).toContain('S/ 1,416.67');
      expect(await overflowsX(page)).toBe(false);
      await page.goto(`${h.baseUrl}/contracts/${contract.id}`);
      await snap(page, `screens2-contract-${width}`, { fullPage: false });
      await page.context().close();
    });
  }

  it('on a touch phone, tapping a lot on the plan opens its details; ?lot= shows them above the plan (360 px)', async () => {
    const page = await loggedIn(360, 'gerente', true);
    await page.goto(`${h.baseUrl}/map?lot=B-03#details`);
    const details = page.locator('#details');
    expect(await details.innerText()).toContain('Lote B-03');
    expect(await details.innerText()).toContain('720.00 m²');
    expect(await page.locator('svg.park-map polygon.selected').count()).toBe(1);
    // every lot named on the plan, the narrow ones upright
    expect(await page.locator('svg.park-map text.lot-label').count()).toBe(7);
    await snap(page, 'screens2-map-details-360', { fullPage: false });
    await page.locator(`#lot-${contract.lot_code} polygon`).tap();
    await page.waitForURL(`${h.baseUrl}/lots/${contract.lot_code}`);
    expect(await page.locator('main').innerText()).toContain(contract.lot_code);
    await page.context().close();
  });
});
