// The buyer's portal on a 360-px phone, in real Chromium: the manager invites the firm's contact,
// the contact opens the link on the phone, sets a password, logs in with the firm's RUC, reads its
// contract card, opens the statement and the contract with its schedule, and prints a receipt.
// No page may be wider than the phone. With ILO_SCREENSHOTS set, the portal refreshes the README's picture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';

const PHONE = { width: 360, height: 740 };
const BUYER_PASSWORD = 'Tornos-del-Sur-2026';

let h: BrowserHarness;
let phone: BrowserContext;
let page: Page;
let contract: { id: number; firm_ruc: string; lot_code: string };
let inviteUrl = '';
const receipts: string[] = [];

const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const text = async (selector: string) => norm(await page.textContent(selector));
/** How much wider than the screen the page is (0: it fits). */
const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  await setRates(h.db, [['2010-01-01', 12000]]);
  // S/ 100,000 on 10/06/2026: down payment and installment 1 paid; installments 2-5 overdue on 25/11
  // (late fees 60.63 + 43.07 + 26.07 + 8.50 = S/ 138.27, as worked out in test/http/portal-fixtures.ts).
  contract = await sale(h.db, { date: '2026-06-10', today: h.today });
  receipts.push(await pay(h.db, contract.id, '2026-06-10', 1_500_000, h.today, 'transfer'));
  receipts.push(await pay(h.db, contract.id, '2026-07-10', 141_667, h.today));
  await h.db('firms').where({ ruc: contract.firm_ruc }).update({ name: 'Tornería del Sur S.A.C.' });
  phone = await h.browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  page = await phone.newPage();
  page.setDefaultTimeout(8000);
});
afterAll(async () => { await h?.stop(); });

describe('the buyers’ portal on a phone', () => {
  it('the manager invites the firm’s contact and gets a one-time link', async () => {
    const desk = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desk.goto(`${h.baseUrl}/login`);
    await desk.fill('#f-username', 'gerente');
    await desk.fill('#f-password', PASSWORD);
    await Promise.all([desk.waitForURL(`${h.baseUrl}/`), desk.click('button[type=submit]')]);
    await desk.goto(`${h.baseUrl}/firms/${contract.firm_ruc}/access`);
    await desk.fill('#f-email', 'gerencia@torneriadelsur.pe');
    await Promise.all([desk.waitForURL(`${h.baseUrl}/firms/${contract.firm_ruc}/access`), desk.click('text=Crear invitación')]);
    inviteUrl = await desk.inputValue('input.copy');
    expect(inviteUrl).toMatch(new RegExp(`^${h.baseUrl}/invitations/[A-Za-z0-9_-]{40,}$`));
    await desk.close();
  });

  it('the contact opens the link on the phone, sets a password and logs in with the RUC', async () => {
    await page.goto(inviteUrl);
    expect(await text('main')).toContain('Cree la contraseña de su cuenta gerencia@torneriadelsur.pe');
    expect(await overflow()).toBe(0);
    await page.fill('#f-password', BUYER_PASSWORD);
    await page.fill('#f-password_confirm', BUYER_PASSWORD);
    await Promise.all([page.waitForURL(/\/login\?welcome=1$/), page.click('text=Guardar contraseña')]);
    await page.fill('#f-username', contract.firm_ruc);
    await page.fill('#f-password', BUYER_PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/portal`), page.click('button[type=submit]')]);
  });

  it('shows its contract card with large figures, the overdue amount in red, and fits the screen', async () => {
    expect(await text('h1')).toBe('Tornería del Sur S.A.C.');
    const card = `#contract-${contract.id}`;
    expect(await text(`${card} .fig-next`)).toBe('Próxima cuota S/ 1,416.67 vence el 10/12/2026');
    expect(await text(`${card} .fig-overdue`)).toBe('Vencido sin pagar (incluye mora) S/ 5,804.95');
    expect(await text(`${card} .fig-balance`)).toBe('Saldo total por pagar S/ 83,721.60');
    expect(await text(card)).toContain('Mora a la fecha S/ 138.27');
    // Red, and big enough to read at arm's length.
    const overdue = await page.$eval(`${card} .fig-overdue dd`, (el) => {
      const s = getComputedStyle(el);
      return { color: s.color, size: parseFloat(s.fontSize) };
    });
    expect(overdue.color).toBe('rgb(179, 38, 30)');
    expect(overdue.size).toBeGreaterThanOrEqual(20);
    expect(await overflow()).toBe(0);
    // Only the buyer's menu: no staff pages.
    const menu = await page.$$eval('nav.menu a', (links) => links.map((a) => a.getAttribute('href')));
    expect(menu.filter((href) => href && !href.startsWith('/lang/'))).toEqual(['/portal', '/quote', '/account']); // and its own account, from its name
    await snap(page, 'portal-phone', { readme: true });
  });

  it('opens the statement: every row readable without sideways scrolling', async () => {
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${contract.id}/statement`), page.click('text=Estado de cuenta (para imprimir)')]);
    expect(await text('h1')).toContain('Estado de cuenta');
    expect(await text('table.statement-rows tbody tr:nth-child(3)')).toBe(
      '2 10/08/2026 S/ 1,416.67 S/ 60.63 S/ 0.00 S/ 1,477.30 Vencida');
    expect(await overflow()).toBe(0);
    await snap(page, 'portal-phone-statement');
  });

  it('opens the contract with its schedule, which fits the phone too', async () => {
    await page.goto(`${h.baseUrl}/portal`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${contract.id}`), page.click('text=Contrato y cronograma de pagos')]);
    expect(await text('h1')).toContain('Contrato CV-2026-0001');
    expect(await page.isVisible('text=Registrar pago')).toBe(false);
    expect(await overflow()).toBe(0);
    await snap(page, 'portal-phone-contract');
  });

  it('lists its receipts and prints one on a single A4 page, without menus or staff forms', async () => {
    await page.goto(`${h.baseUrl}/portal`);
    await Promise.all([page.waitForURL(/\/portal\/receipts\?contract=\d+$/), page.click('text=Mis recibos (2)')]);
    expect(await overflow()).toBe(0);
    await snap(page, 'portal-phone-receipts');
    await Promise.all([page.waitForURL(`${h.baseUrl}/receipts/${receipts[1]}`), page.click(`text=${receipts[1]}`)]);
    expect(await text('.receipt-words')).toBe('SON: MIL CUATROCIENTOS DIECISÉIS CON 67/100 SOLES');
    expect(await overflow()).toBe(0);
    await snap(page, 'portal-phone-receipt');
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('header.top')).toBe(false);
    expect(await page.isVisible('text=Imprimir recibo')).toBe(false);
    expect(await page.$('.reverse-form')).toBeNull();
    await snap(page, 'portal-phone-receipt-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });
  });
});
