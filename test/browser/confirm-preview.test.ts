// What is confirmed is what was shown (issue 11), in real Chromium. A sale previewed for lot A-03, then
// changed to A-04 at another price: the confirm button goes away ("Actualice la vista previa"
// instead); forced back and pressed anyway, nothing is signed (409, the new preview); previewed again
// and confirmed, the contract is A-04 at the new price. The same for a payment, and the rescission's
// two steps: the summary, then confirm. Screenshots (ILO_SCREENSHOTS=…) of each preview.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap, signedInPage } from '../support/browser.ts';
import { insertFirm, insertLot, validRuc } from '../support/sales.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';
import { STALE_PREVIEW } from '../support/previewed.ts';

let h: BrowserHarness;
let page: Page;
const FIRM = validRuc('2051233379');
let paying = 0;
let late: { id: number; lot_code: string } = { id: 0, lot_code: '' };

const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const text = async (selector: string) => norm(await page.innerText(selector)); // as laid out: a dt and its dd apart
const count = async (table: string) => Number((await h.db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);
/** Clicks and waits for the page it loads. */
const go = (selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);
/** What a person who insists would do: show the hidden confirm buttons again and enable them. */
const forceConfirmVisible = () => page.evaluate(() => {
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-confirm-for]')) { b.hidden = false; b.disabled = false; }
});

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  await setRates(h.db, [['2010-01-01', 12000]]);
  await insertLot(h.db, { code: 'A-03', area_dm2: 100_000, price_per_m2_cents: 10_000 });
  await insertLot(h.db, { code: 'A-04', area_dm2: 80_000, price_per_m2_cents: 10_000 });
  await insertFirm(h.db, FIRM, 'Metálicas del Sur Demo S.A.C.', { number: 'AC-101' });
  const p = await sale(h.db, { date: '2026-06-10', today: h.today });
  paying = p.id;
  await pay(h.db, p.id, '2026-06-10', 1_500_000, h.today, 'transfer');
  // Only the down payment since 05/03/2026: eight installments unpaid, rescission allowed.
  late = await sale(h.db, { date: '2026-03-05', today: h.today });
  await pay(h.db, late.id, '2026-03-05', 1_500_000, h.today);
  page = await signedInPage(h, 'gerente');
});
afterAll(async () => { await h?.stop(); });

describe('a sale previewed, then changed', () => {
  it('previews A-03 with its confirm button', async () => {
    await page.goto(`${h.baseUrl}/contracts/new`);
    await page.fill('#f-lot_code', 'A-03');
    await page.selectOption('#f-firm_ruc', FIRM);
    await page.fill('#f-date', '2026-11-20');
    await go('#sale-form button[name=preview]');
    expect(await text('#preview dl')).toContain('Lote A-03 · 1,000.00 m²');
    expect(await text('#preview')).toContain('Precio S/ 100,000.00');
    expect(await page.isVisible('#confirm-sale button.primary')).toBe(true);
    expect(await page.isVisible('#confirm-sale >> text=Actualice la vista previa')).toBe(false);
    await snap(page, 'confirm-sale-preview');
  });

  it('changed to A-04 at S/ 70,000.00: the confirm buttons go, "Actualice la vista previa" shows instead', async () => {
    await page.fill('#f-lot_code', 'A-04');
    await page.fill('#f-price', '70000.00');
    await page.fill('#f-price_reason', 'Acuerdo de concejo 12-2026');
    await page.click('h1'); // leave the field, as a person moving to the button does
    expect(await page.locator('[data-confirm-for=sale-form]').evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).hidden && (b as HTMLButtonElement).disabled)))
      .toEqual([true, true]);
    expect(await page.isVisible('#confirm-sale button.primary')).toBe(false);
    expect(await page.isVisible('#confirm-sale >> text=Actualice la vista previa')).toBe(true);
    expect(await page.getAttribute('#preview', 'class')).toContain('preview-stale');
    await snap(page, 'confirm-sale-edited');
  });

  it('pressed anyway: nothing is signed, the page says the preview is out of date and shows A-04', async () => {
    await forceConfirmVisible();
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('#confirm-sale button.primary')]);
    await page.waitForLoadState('load');
    expect(response.status()).toBe(409);
    expect(await count('contracts')).toBe(2); // the two of the fixtures
    expect(await text('.stale-preview')).toContain(STALE_PREVIEW);
    expect(await text('#preview dl')).toContain('Lote A-04 · 800.00 m²');
    expect(await text('#preview')).toContain('Precio S/ 70,000.00 Pactado');
    expect(await page.inputValue('#f-lot_code')).toBe('A-04');
    await snap(page, 'confirm-sale-409');
  });

  it('previewed again and confirmed: the contract is A-04 at S/ 70,000.00', async () => {
    await go('#sale-form button[name=preview]');
    expect(new URL(page.url()).searchParams.get('lot_code')).toBe('A-04');
    expect(await page.isVisible('#confirm-sale button.primary')).toBe(true);
    await Promise.all([page.waitForURL(/\/contracts\/\d+$/), page.click('#confirm-sale button.primary')]);
    expect(await text('h1')).toContain('CV-2026-0003');
    const c = await h.db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').where('c.number', 'CV-2026-0003')
      .first('l.code', 'c.price_cents', 'c.date', 'c.firm_ruc');
    expect(c).toEqual({ code: 'A-04', price_cents: 7_000_000, date: '2026-11-20', firm_ruc: FIRM });
    expect((await h.db('lots').where({ code: 'A-03' }).first()).status).toBe('available');
  });
});

describe('a payment previewed, then changed', () => {
  it('previews S/ 3,000.00', async () => {
    await page.goto(`${h.baseUrl}/contracts/${paying}/payments/new`);
    await page.fill('#f-date', '2026-09-01');
    await page.fill('#f-amount', '3000.00');
    await page.selectOption('#f-method', 'deposit');
    await page.fill('#f-reference', 'BN-0045821');
    await go('#payment-form button[type=submit]');
    expect(await text('#preview')).toContain('El pago de S/ 3,000.00 del 01/09/2026');
    expect(await page.isVisible('#confirm-payment button.primary')).toBe(true);
    await snap(page, 'confirm-payment-preview');
  });

  it('changed to S/ 2,500.00: the confirm button goes; Enter in the form only previews again, nothing recorded', async () => {
    const receipts = await count('receipts');
    await page.fill('#f-amount', '2500.00');
    expect(await page.isVisible('#confirm-payment button.primary')).toBe(false);
    expect(await page.isVisible('#confirm-payment >> text=Actualice la vista previa')).toBe(true);
    // Implicit submission uses the form's first button: the preview (a GET).
    await Promise.all([page.waitForNavigation(), page.press('#f-amount', 'Enter')]);
    expect(await count('receipts')).toBe(receipts);
    expect(await text('#preview')).toContain('El pago de S/ 2,500.00 del 01/09/2026');
    expect(await page.isVisible('#confirm-payment button.primary')).toBe(true);
  });

  it('changed again (another method) and pressed anyway: 409, nothing recorded; updated and confirmed as shown', async () => {
    const receipts = await count('receipts');
    await page.selectOption('#f-method', 'transfer');
    expect(await page.isVisible('#confirm-payment button.primary')).toBe(false);
    await forceConfirmVisible();
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('#confirm-payment button.primary')]);
    await page.waitForLoadState('load');
    expect(response.status()).toBe(409);
    expect(await count('receipts')).toBe(receipts);
    expect(await text('.stale-preview')).toContain(STALE_PREVIEW);
    expect(await text('#preview')).toContain('El pago de S/ 2,500.00 del 01/09/2026');
    await snap(page, 'confirm-payment-409');
    // Changed once more, then "Actualice la vista previa" (in place of the confirm button) and confirm.
    await page.fill('#f-amount', '2400.00');
    await go('#confirm-payment >> text=Actualice la vista previa');
    expect(await text('#preview')).toContain('El pago de S/ 2,400.00 del 01/09/2026');
    await Promise.all([page.waitForURL(/\/receipts\/R001-\d{8}$/), page.click('#confirm-payment button.primary')]);
    const number = page.url().split('/').pop();
    expect(await h.db('receipts').where({ number }).first('contract_id', 'date', 'amount_cents', 'method', 'reference'))
      .toEqual({ contract_id: paying, date: '2026-09-01', amount_cents: 240_000, method: 'transfer', reference: 'BN-0045821' });
    expect(await count('receipts')).toBe(receipts + 1);
  });
});

describe('a rescission in two steps', () => {
  it('from the contract page: the form, then the summary with the refund, the fund that pays it, the lot and the write-off', async () => {
    await page.goto(`${h.baseUrl}/contracts/${late.id}`);
    await go('a[href$="/rescission/new"]');
    await page.fill('#f-resolution_number', 'R.A. 112-2026-MPI');
    await page.fill('#f-compensation', '3000.00');
    await page.fill('#f-penalty', '500.00');
    await go('#rescission-form button[name=preview]');
    expect(await count('rescissions')).toBe(0);
    const summary = await text('#preview');
    expect(summary).toContain('Recibido del comprador al 25/11/2026 S/ 15,000.00');
    expect(summary).toContain('A devolver al comprador S/ 11,500.00');
    expect(summary).toContain('La devolución se carga a la cuenta 3101 Fondo de reinversión en infraestructura');
    // The fund holds the receipts so far: 15,000.00 × 2 + 2,400.00.
    expect(summary).toContain('Saldo de esa cuenta al 25/11/2026 S/ 32,400.00');
    expect(summary).toContain(`Lote que vuelve al catálogo ${late.lot_code} · 1,000.00 m²: queda disponible para una nueva venta`);
    expect(summary).toContain('Cuentas por cobrar que se dan de baja S/ 85,000.00');
    await snap(page, 'confirm-rescission-summary');
    await page.setViewportSize({ width: 360, height: 800 });
    await snap(page, 'confirm-rescission-summary-360');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('a changed penalty hides the confirm button until the summary is updated; then confirm rescinds as summarised', async () => {
    await page.fill('#f-penalty', '1000.00');
    expect(await page.isVisible('#confirm-rescission button.danger')).toBe(false);
    await go('#confirm-rescission >> text=Actualice la vista previa');
    expect(await text('#preview')).toContain('A devolver al comprador S/ 11,000.00');
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${late.id}`), page.click('#confirm-rescission button.danger')]);
    expect(await h.db('rescissions').first('contract_id', 'resolution_number', 'compensation_cents', 'penalty_cents', 'returned_cents'))
      .toEqual({ contract_id: late.id, resolution_number: 'R.A. 112-2026-MPI', compensation_cents: 300_000, penalty_cents: 100_000, returned_cents: 1_100_000 });
    expect((await h.db('lots').where({ code: late.lot_code }).first()).status).toBe('available');
    await snap(page, 'confirm-rescission-done');
  });
});

describe('the previews on a phone', () => {
  it('shows the sale and payment previews at 360 px', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${h.baseUrl}/contracts/new?lot_code=A-03&firm_ruc=${FIRM}&date=2026-11-20&preview=1`);
    expect(await page.isVisible('#confirm-sale button.primary')).toBe(true);
    await snap(page, 'confirm-sale-preview-360', { fullPage: false });
    await page.goto(`${h.baseUrl}/contracts/${paying}/payments/new?date=2026-11-25&amount=100.00&method=cash`);
    await snap(page, 'confirm-payment-preview-360', { fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
