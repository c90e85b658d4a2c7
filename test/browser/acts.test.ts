// A park manager takes the resolutions on a contract's account in real Chromium: a late-fee waiver
// (choose installments, preview, confirm), a reschedule into 24 installments (preview of the new
// schedule, confirm, the earlier version still one click away), an acceleration undone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap, signedInPage } from '../support/browser.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';
import { accelerateContract } from '../../src/delinquency/service.ts';

let h: BrowserHarness;
let page: Page;
let w: number, r: number, a: number;
const text = async (selector: string) => (await page.innerText(selector)).replace(/\s+/g, ' ').trim();
const TODAY = '2026-07-20';

beforeAll(async () => {
  h = await startBrowserHarness({ today: TODAY });
  await setRates(h.db, [['2010-01-01', 12000]]);
  for (const set of [(id: number) => { w = id; }, (id: number) => { r = id; }, (id: number) => { a = id; }]) {
    const c = await sale(h.db, { date: '2026-01-31', today: TODAY });
    await pay(h.db, c.id, '2026-01-31', 1_500_000, TODAY);
    set(c.id);
  }
  await accelerateContract(h.db, a, { resolution_number: 'R.G. 085-2026', date: '2026-05-15' }, TODAY, { id: 2, username: 'gerente', ip: null });
  page = await signedInPage(h, 'gerente');
});
afterAll(async () => { await h?.stop(); });

describe('resolutions in a browser', () => {
  it('waives the late fees of two installments from the contract page', async () => {
    await page.goto(`${h.baseUrl}/contracts/${w}`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${w}/waiver/new`), page.click('text=Condonar moras')]);
    await page.fill('#f-resolution_number', 'R.G. 071-2026');
    await page.fill('#f-resolution_date', '2026-05-15');
    await page.check('#f-installments-1');
    await page.check('#f-installments-2');
    await page.fill('#f-amount', '50.00');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Vista previa")')]);
    expect(await text('#preview')).toContain('Total condonado S/ 50.00');
    await snap(page, 'acts-waiver-preview');
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${w}`), page.click('button:has-text("Registrar la condonación")')]);
    expect(await text('main')).toContain('Condonación registrada.');
    expect(await text('main')).toContain('Condonación de intereses moratorios R.G. 071-2026');
    await snap(page, 'acts-contract-after-waiver');
  });

  it('reschedules the balance into 24 installments; the earlier schedule stays one click away', async () => {
    await page.goto(`${h.baseUrl}/contracts/${r}`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${r}/reschedule/new`), page.click('text=Refinanciar el saldo')]);
    await page.fill('#f-resolution_number', 'R.G. 080-2026');
    await page.fill('#f-resolution_date', '2026-05-15');
    await page.fill('#f-start_date', '2026-05-15');
    await page.fill('#f-installment_count', '24');
    await page.check('input[name=late_fees][value=capitalise]');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Vista previa")')]);
    // Nothing paid but the down payment: 85,000.00 + late fees 43.07 + 25.50 + 8.50 on 15/05.
    expect(await text('#preview')).toContain('Capital del nuevo cronograma S/ 85,077.07');
    await snap(page, 'acts-reschedule-preview', { readme: true, fullPage: false });
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${r}`), page.click('button:has-text("Registrar el refinanciamiento")')]);
    expect(await text('#schedule')).toBe('Cronograma: versión 2 (vigente)');
    await snap(page, 'acts-contract-after-reschedule');
    await Promise.all([page.waitForLoadState('load'), page.click('.versions li:first-child a:has-text("Ver")')]);
    expect(await text('#schedule')).toBe('Cronograma: versión 1 (versión anterior, ya no vigente)');
  });

  it('undoes an acceleration', async () => {
    await page.goto(`${h.baseUrl}/contracts/${a}`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${a}/acceleration-undo/new`), page.click('text=Dejar sin efecto el vencimiento anticipado')]);
    await page.fill('#f-resolution_number', 'R.G. 090-2026');
    await page.fill('#f-resolution_date', '2026-06-15');
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${a}`), page.click('button:has-text("Dejar sin efecto")')]);
    expect(await text('main')).toContain('El vencimiento anticipado quedó sin efecto');
    await snap(page, 'acts-contract-after-undo');
  });

  it('the pages read well on a phone', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${h.baseUrl}/contracts/${r}/reschedule/new`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await snap(page, 'acts-reschedule-phone');
  });
});
