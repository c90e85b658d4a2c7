// The park manager records a payment in real Chromium: fills the form, sees the preview, confirms,
// prints the receipt (one A4 page), then reverses it. Screenshots go to /tmp for a look.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';

let h: BrowserHarness;
let page: Page;
let contractId: number;
const text = async (selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  await setRates(h.db, [['2010-01-01', 12000]]);
  const c = await sale(h.db, { date: '2026-06-10', today: h.today });
  contractId = c.id;
  await pay(h.db, c.id, '2026-06-10', 1_500_000, h.today, 'transfer');
  await pay(h.db, c.id, '2026-07-10', 141_667, h.today);
  page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(8000);
});
afterAll(async () => { await h?.stop(); });

describe('recording a payment in a browser', () => {
  it('logs in, fills the payment form and sees how it will be applied', async () => {
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'gerente');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
    await page.goto(`${h.baseUrl}/contracts/${contractId}`);
    await snap(page, 'payments-contract');
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${contractId}/payments/new`), page.click('text=Registrar pago')]);
    await page.fill('#f-date', '2026-09-01');
    await page.fill('#f-amount', '3000.00');
    await page.selectOption('#f-method', 'deposit');
    await page.fill('#f-reference', 'BN-0045821');
    await Promise.all([page.waitForLoadState('load'), page.click('text=Ver cómo se aplicará')]);
    const preview = await text('section[aria-labelledby=preview-title]');
    // Installment 2 (due 10/08) is 22 days late on 01/09: 141667 × 0.012 × 22/30 = 1246.67 → S/ 12.47.
    expect(preview).toContain('Cuota 2 10/08/2026 S/ 12.47 S/ 0.00 S/ 1,416.67 S/ 1,429.14');
    expect(preview).toContain('Cuota 3 10/09/2026 S/ 0.00 S/ 0.00 S/ 1,416.67 S/ 1,416.67');
    expect(preview).toContain('Cuota 4 10/10/2026 S/ 0.00 S/ 0.00 S/ 154.19 S/ 154.19');
    await snap(page, 'payments-preview');
  });

  it('confirms, lands on the receipt and prints it on one A4 page', async () => {
    await Promise.all([page.waitForURL(/\/receipts\/R001-00000003$/), page.click('text=Confirmar y emitir recibo')]);
    expect(await text('.receipt-box')).toContain('R001-00000003');
    expect(await text('.receipt-words')).toBe('SON: TRES MIL CON 00/100 SOLES');
    await page.emulateMedia({ media: 'print' });
    await snap(page, 'payments-receipt-print');
    expect(await page.isVisible('header.top')).toBe(false);
    expect(await page.isVisible('.reverse-form')).toBe(false);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync('/tmp/payments-receipt.pdf', pdf);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });
    await snap(page, 'payments-receipt');
  });

  it('reverses it with a reason: the receipt is marked void and the statement shows it', async () => {
    // The void form is folded away under the receipt, and takes a ticked confirmation.
    expect(await page.isVisible('#f-reason')).toBe(false);
    await page.click('details.reverse-form summary');
    await page.fill('#f-reason', 'El banco rechazó el depósito');
    await page.check('details.reverse-form input[name=confirm]');
    await Promise.all([page.waitForLoadState('load'), page.click('details.reverse-form button.danger')]);
    expect(page.url()).toBe(`${h.baseUrl}/receipts/R001-00000003`);
    expect(await text('.receipt-void-note')).toContain('Motivo: El banco rechazó el depósito');
    expect(await page.getAttribute('article.receipt', 'class')).toContain('is-void');
    await snap(page, 'payments-receipt-void');
    await page.goto(`${h.baseUrl}/contracts/${contractId}/statement?as_of=2026-11-25`);
    expect(await text('tr.is-void')).toContain('R001-00000003');
    await snap(page, 'payments-statement');
    await page.emulateMedia({ media: 'print' });
    await snap(page, 'payments-statement-print');
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${h.baseUrl}/delinquency`);
    await snap(page, 'payments-delinquency');
  });
});
