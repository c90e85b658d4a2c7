// The park manager withdraws a sale whose down payment never came, in real Chromium: from the home
// page's list of down payments past their deadline, through the form (a refusal first, then the
// withdrawal), to the contract page with its settlement card; then the statement and a phone's width.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { ACTOR, pay, sale, setRates } from '../service/sales-fixtures.ts';
import { rescindContract } from '../../src/delinquency/service.ts';
import { createUser } from '../../src/auth/service.ts';

let h: BrowserHarness;
let page: Page;
let c: { id: number; lot_code: string };
let r: { id: number; lot_code: string; firm_ruc: string };
const text = async (selector: string) => (await page.innerText(selector)).replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  await setRates(h.db, [['2010-01-01', 12000]]);
  c = await sale(h.db, { date: '2026-09-01', today: h.today }); // CV-2026-0001, 85 days waiting
  await sale(h.db, { date: '2026-11-10', today: h.today }); // within the deadline
  r = await sale(h.db, { date: '2026-03-05', today: h.today }); // down payment only, rescinded today
  await pay(h.db, r.id, '2026-03-05', 1_500_000, h.today);
  await rescindContract(h.db, r.id, { resolution_number: 'R.A. 10-2026', resolution_date: h.today, compensation_cents: 300_000, penalty_cents: 50_000 }, h.today, ACTOR);
  await createUser(h.db, { username: 'comprador-r', role: 'buyer', password: PASSWORD, email: 'r@example.pe', firm_ruc: r.firm_ruc });
  page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(8000);
});
afterAll(async () => { await h?.stop(); });

describe('withdrawing a sale from the home page', () => {
  it('sees the late down payment on the home page and opens its withdrawal form', async () => {
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'gerente');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
    const list = await text('section.late-down');
    expect(list).toContain('Cuota inicial fuera de plazo (30 días)');
    expect(list).toContain(`CV-2026-0001 Empresa de prueba 1 S.A.C. ${c.lot_code} 01/09/2026 85 S/ 15,000.00 Dejar sin efecto`);
    expect(list).not.toContain('CV-2026-0002');
    await snap(page, 'withdrawal-home');
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${c.id}/withdrawal/new`), page.click('section.late-down a.button')]);
    expect(await text('h1')).toBe('Dejar sin efecto la venta (desistimiento)');
  });

  it('is told what is missing, then withdraws and lands on the contract with its settlement', async () => {
    await page.fill('#f-resolution_number', 'R.A. 150-2026-MPI');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Dejar la venta sin efecto")')]);
    expect(await text('#e-reason')).toBe('Este campo es obligatorio.');
    expect(await page.inputValue('#f-resolution_number')).toBe('R.A. 150-2026-MPI');
    await page.fill('#f-reason', 'La empresa desistió por carta del 18/11/2026.');
    await snap(page, 'withdrawal-form');
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${c.id}`), page.click('button:has-text("Dejar la venta sin efecto")')]);
    expect(await text('h1')).toBe('Contrato CV-2026-0001 Sin efecto (desistimiento)');
    const card = await text('section.settlement');
    expect(card).toContain('Venta dejada sin efecto el 25/11/2026 (resolución R.A. 150-2026-MPI) por desistimiento.');
    expect(card).toContain('Recibido del comprador S/ 0.00 (no se recibió nada)');
    expect(card).toContain(`Lote ${c.lot_code} devuelto al catálogo (disponible)`);
    const body = await text('main');
    for (const w of ['Saldo total adeudado', 'Vencido', 'Próxima cuota', 'Registrar pago']) expect(body).not.toContain(w);
    await snap(page, 'withdrawal-contract');
    expect(await h.db('lots').where({ code: c.lot_code }).first('status')).toEqual({ status: 'available' });
  });

  it('the home page no longer lists it; the statement and a phone show the settlement', async () => {
    await page.goto(`${h.baseUrl}/`);
    expect(await page.isVisible('section.late-down')).toBe(false);
    await page.goto(`${h.baseUrl}/contracts/${c.id}/statement`);
    expect(await text('section.settlement')).toContain('por desistimiento');
    await snap(page, 'withdrawal-statement');
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${h.baseUrl}/contracts/${c.id}`);
    expect(await page.isVisible('section.settlement')).toBe(true);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await snap(page, 'withdrawal-contract-phone');
  });

  it('a rescinded contract shows its settlement to the manager, and in the buyer\'s portal on a phone', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${h.baseUrl}/contracts/${r.id}`);
    const card = await text('section.settlement');
    expect(card).toContain('Contrato resuelto el 25/11/2026 (resolución R.A. 10-2026).');
    expect(card).toContain('Devuelto al comprador S/ 11,500.00');
    expect(card).toContain('Cuenta por cobrar dada de baja S/ 85,000.00');
    await snap(page, 'rescission-contract');
    const buyer = await h.browser.newPage({ viewport: { width: 360, height: 800 } });
    await buyer.goto(`${h.baseUrl}/login`);
    await buyer.fill('#f-username', 'comprador-r');
    await buyer.fill('#f-password', PASSWORD);
    await Promise.all([buyer.waitForURL(`${h.baseUrl}/portal`), buyer.click('button[type=submit]')]);
    const portal = (await buyer.innerText('main')).replace(/\s+/g, ' ');
    expect(portal).toContain('Penalidad retenida S/ 500.00');
    for (const w of ['Saldo total por pagar', 'Vencido', 'Próxima cuota']) expect(portal).not.toContain(w);
    expect(await buyer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await snap(buyer, 'rescission-portal-phone');
    await buyer.close();
  });
});
