// Collections in real Chromium: the manager opens cobranza, prints a letter (one A4 page, no menus),
// sends the next one now; the buyer sees it in the portal on a 360-px phone and opens it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';
import { createUser } from '../../src/auth/service.ts';
import { runCollections } from '../../src/collections/service.ts';
import { addDays } from '../../src/domain/dates.ts';

let h: BrowserHarness;
let contract: { id: number; firm_ruc: string; lot_code: string };
let number = '';
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-09-11' });
  await setRates(h.db, [['2010-01-01', 12000]]);
  contract = await sale(h.db, { date: '2026-06-10', today: h.today });
  await pay(h.db, contract.id, '2026-06-10', 1_500_000, h.today);
  await h.db('firms').where({ ruc: contract.firm_ruc }).update({ name: 'Tornería del Sur S.A.C.', email: 'pagos@torneriadelsur.pe', phone: '053-482211' });
  number = (await h.db('contracts').where({ id: contract.id }).first('number')).number;
  await h.db('settings').insert([
    { key: 'pay_bank_1', value: 'Banco de la Nación' }, { key: 'pay_account_1', value: '00-581-012345' }, { key: 'pay_cci_1', value: '01858100058101234567' },
    { key: 'pay_office_address', value: 'Caja municipal, Jr. Abtao 850, Ilo' }, { key: 'pay_office_hours', value: 'lunes a viernes de 8:00 a 15:30' },
    { key: 'pay_contact', value: 'cobranzas@muniilo.gob.pe · 053-481222' },
  ]);
  await createUser(h.db, { username: 'tornos', role: 'buyer', password: PASSWORD, firm_ruc: contract.firm_ruc, email: 'gerencia@torneriadelsur.pe' });
  // The daily runs up to yesterday: letters CC-2026-0001 (15/07) and CC-2026-0002 (09/08).
  for (let d = '2026-07-01'; d <= '2026-09-10'; d = addDays(d, 1)) await runCollections(h.db, d);
});
afterAll(async () => { await h?.stop(); });

describe('collections in the browser', () => {
  it('the manager opens cobranza, prints a letter on one A4 page, and sends the next one now', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(8000);
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'gerente');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
    await Promise.all([page.waitForURL(`${h.baseUrl}/collections`), page.click('nav >> text=Cobranza')]);
    const row = norm(await page.innerText(`#c-${contract.id}`));
    expect(row).toContain('Tornería del Sur S.A.C.');
    expect(row).toContain('053-482211 pagos@torneriadelsur.pe 10/07/2026 63 días · 3 impagas S/ 4,304.41 Mora S/ 54.40');
    expect(row).toContain('CC-2026-0002 Segundo aviso · 09/08/2026 hoy (nivel 3)');
    await snap(page, 'collections-page');

    await Promise.all([page.waitForURL(`${h.baseUrl}/collections/letters/CC-2026-0002`), page.click('text=Imprimir CC-2026-0002')]);
    expect(norm(await page.innerText('.letter-items tfoot'))).toBe('Total a pagar al 09/08/2026 S/ 1,416.67 S/ 17.00 S/ 1,433.67');
    expect(norm(await page.innerText('.how-to-pay'))).toContain('Banco de la Nación · N.º de cuenta 00-581-012345 · CCI 01858100058101234567');
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('header.top')).toBe(false);
    expect(await page.isVisible('button[data-print]')).toBe(false);
    await snap(page, 'collections-letter-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${h.baseUrl}/collections`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/collections`), page.click(`#c-${contract.id} >> text=Enviar ahora`)]);
    expect(norm(await page.innerText('.flash'))).toBe('Carta CC-2026-0003 emitida y enviada a pagos@torneriadelsur.pe.');
    expect(norm(await page.innerText(`#c-${contract.id}`))).toContain('CC-2026-0003 Último aviso (art. 1561) · 11/09/2026');
    const mail = await h.db('mail_outbox').where({ idempotency_key: 'letter:CC-2026-0003' }).first();
    expect(mail.to_address).toBe('pagos@torneriadelsur.pe');
    await page.goto(`${h.baseUrl}/collections/letters/CC-2026-0003`);
    await snap(page, 'collections-letter-3');
    await page.emulateMedia({ media: 'print' });
    const pdf3 = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf3.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.close();
  });

  it('the buyer sees the letter in the portal on a phone and opens it', async () => {
    const phone = await h.browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'tornos');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/portal`), page.click('button[type=submit]')]);
    const letters = norm(await page.innerText('.portal-letters'));
    expect(letters).toContain(`CC-2026-0003 · 11/09/2026 · Último aviso (art. 1561) · Contrato ${number} · S/ 4,304.41`);
    expect(norm(await page.innerText('.how-to-pay'))).toContain('Caja: Caja municipal, Jr. Abtao 850, Ilo (lunes a viernes de 8:00 a 15:30)');
    expect(await overflow(page)).toBe(0);
    await snap(page, 'collections-portal-phone');
    await Promise.all([page.waitForURL(`${h.baseUrl}/collections/letters/CC-2026-0003`), page.click('text=CC-2026-0003')]);
    expect(norm(await page.innerText('.letter-legal'))).toContain('Código Civil, artículo 1561');
    expect(norm(await page.innerText('.letter-items tfoot'))).toBe('Total a pagar al 11/09/2026 S/ 4,250.01 S/ 54.40 S/ 4,304.41');
    expect(await overflow(page)).toBe(0);
    await snap(page, 'collections-letter-phone');
    await phone.close();
  });
});
