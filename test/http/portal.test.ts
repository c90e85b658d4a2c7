// The buyer's own pages: its home with each contract's account today, its receipts, and the staff
// pages it shares (contract, statement, receipt, print) showing no staff action or staff link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { testApp, login, textOf, type Agent, type TestApp } from '../support/app.ts';
import { buyersPark, BUYER_A, FIRM_A_NAME, FIRM_B_NAME, TODAY, type BuyersPark } from './portal-fixtures.ts';

let t: TestApp;
let park: BuyersPark;
let buyer: Agent;

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  park = await buyersPark(t.db);
  buyer = await login(t.app, BUYER_A);
});
afterAll(async () => { await t.close(); });

/** The text of one contract card on /portal. */
function card(html: string, id: number): string {
  const m = new RegExp(`<article class="card portal-contract" id="contract-${id}"[\\s\\S]*?</article>`).exec(html);
  expect(m, `card of contract ${id}`).toBeTruthy();
  return m![0];
}

describe('the buyer home (/portal)', () => {
  it('shows the firm and its ACIPIAS membership', async () => {
    const res = await buyer.get('/portal');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(FIRM_A_NAME);
    expect(text).toContain(`RUC ${park.a.ruc}`);
    expect(text).toContain('Socia ACIPIAS N.º AC-0417');
    expect(text).toContain('Estado en ACIPIAS Activa');
    expect(text).toContain('Socia desde 02/03/2015');
    expect(text).toContain('Montos al 25/11/2026');
  });

  it('shows, for the active contract, the next installment, overdue (in red), late fees and balance to the céntimo', async () => {
    const html = card((await buyer.get('/portal')).text, park.a.active);
    const text = textOf(html);
    expect(text).toContain(`Lote ${park.lotCode} Vigente`);
    expect(text).toContain('Contrato CV-2026-0001 · 10/06/2026 · S/ 100,000.00');
    expect(text).toContain('Próxima cuota S/ 1,416.67 vence el 10/12/2026');
    expect(text).toContain('Vencido sin pagar (incluye mora) S/ 5,804.95');
    expect(text).toContain('Mora a la fecha S/ 138.27');
    expect(text).toContain('Saldo total por pagar S/ 83,721.60');
    expect(text).toContain('Total pagado S/ 16,416.67');
    expect(text).toContain('Tiene 4 cuota(s) vencida(s) sin pagar; la más antigua lleva 107 días de atraso.');
    expect(text).toContain('la Municipalidad puede exigir el pago de todo el saldo o resolver el contrato');
    expect(html).toMatch(/<div class="fig-overdue is-bad">/);
    for (const href of [`/contracts/${park.a.active}/statement`, `/contracts/${park.a.active}/statement.csv`,
      `/contracts/${park.a.active}`, `/contracts/${park.a.active}/schedule.csv`, `/contracts/${park.a.active}/print`,
      `/portal/receipts?contract=${park.a.active}`]) {
      expect(html).toContain(`href="${href}"`);
    }
    expect(text).toContain('Mis recibos (2)');
  });

  it('agrees with the statement CSV of the same day (one replay behind both)', async () => {
    const csv = await buyer.get(`/contracts/${park.a.active}/statement.csv`);
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    const cents = (col: string, keep: (r: Record<string, string>) => boolean = () => true) =>
      rows.filter(keep).reduce((s, r) => s + Math.round(Number(r[col]) * 100), 0);
    expect(cents('outstanding')).toBe(8_372_160);
    expect(cents('outstanding', (r) => r.status === 'overdue')).toBe(580_495);
    expect(cents('late_fee')).toBe(13_827);
    expect(cents('paid')).toBe(1_641_667);
  });

  it('says a paid-off contract is paid, and a rescinded one ended, without amounts owed', async () => {
    const html = (await buyer.get('/portal')).text;
    const paid = textOf(card(html, park.a.paidOff));
    expect(paid).toContain('Lote P-01 Pagado');
    expect(paid).toContain('Pagado en su totalidad el 01/02/2025. No debe nada por este lote.');
    expect(paid).toContain('Total pagado S/ 100,000.00');
    expect(paid).not.toContain('Saldo total por pagar');
    const ended = textOf(card(html, park.a.rescinded));
    expect(ended).toContain('Lote P-02 Resuelto');
    expect(ended).toContain('Contrato resuelto el 01/10/2025 (resolución R.A. 101-2025)');
    expect(ended).not.toContain('Vencido');
    expect(ended).not.toContain('Saldo total por pagar');
  });

  it('shows only its own firm: nothing of the other buyer', async () => {
    const res = await buyer.get('/portal');
    expect(res.text).not.toContain(FIRM_B_NAME);
    expect(res.text).not.toContain(park.b.ruc);
    expect(res.text).not.toContain(`/contracts/${park.b.active}"`);
    expect(res.text.match(/class="card portal-contract"/g)).toHaveLength(3);
  });

  it('reads in English with every word translated', async () => {
    const en = request.agent(t.app);
    await en.get('/lang/en');
    const page = await en.get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await en.post('/login').type('form').send({ _csrf: token, username: BUYER_A, password: 'correct-horse-battery' });
    for (const url of ['/portal', '/portal/receipts']) {
      const res = await en.get(url);
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text, url).not.toMatch(/\b(portal|receipts|payments|common)\.[a-z_]+/);
      if (url === '/portal') {
        expect(text).toContain('Next installment S/ 1,416.67 due 10/12/2026');
        expect(text).toContain('Late fees to date S/ 138.27');
        expect(text).toContain('Paid in full on 01/02/2025.');
      } else {
        expect(text).toContain('My receipts');
      }
    }
  });
});

describe('the buyer receipts (/portal/receipts)', () => {
  it('lists every receipt of its contracts, newest first, each linking to its printable page', async () => {
    const res = await buyer.get('/portal/receipts');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    const [r1, r2, r3, r4, r5] = park.a.receipts;
    for (const n of park.a.receipts) expect(res.text).toContain(`href="/receipts/${n}"`);
    for (const n of park.b.receipts) expect(res.text).not.toContain(n);
    // Contract 1: newest first.
    expect(text).toContain(`${r2} 10/07/2026 · Efectivo S/ 1,416.67 ${r1} 10/06/2026 · Transferencia S/ 15,000.00`);
    expect(text).toContain(`${r4} 01/02/2025 · Depósito bancario S/ 85,000.00 ${r3} 15/01/2025 · Efectivo S/ 15,000.00`);
    expect(text).toContain(`${r5} 10/03/2025 · Efectivo S/ 15,000.00`);
    expect(text).toContain('2 recibo(s); pagos válidos: S/ 16,416.67.');
    expect(text).toContain('2 recibo(s); pagos válidos: S/ 100,000.00.');
  });

  it('narrows to one contract, and answers 404 for another firm’s or a malformed one', async () => {
    const one = await buyer.get(`/portal/receipts?contract=${park.a.paidOff}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain(park.a.receipts[3]);
    expect(one.text).not.toContain(park.a.receipts[0]);
    for (const bad of [String(park.b.active), 'abc', '0', '-1', `${park.a.active}.0`]) {
      const res = await buyer.get(`/portal/receipts?contract=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(404);
      expect(res.text).not.toContain(FIRM_B_NAME);
    }
  });

  it('shows a voided receipt struck through with its state, on the other buyer’s list', async () => {
    const b = await login(t.app, 'comprador-b');
    const text = textOf((await b.get('/portal/receipts')).text);
    expect(text).toContain(`${park.b.voided} 10/05/2026 · Depósito bancario S/ 1,416.67 Anulado`);
    expect(text).toContain('3 recibo(s); pagos válidos: S/ 16,416.67.');
  });
});

describe('the shared pages, seen by a buyer', () => {
  // What only staff may do or open: payment, reversal, acceleration, rescission, edit, and staff menus.
  const STAFF_MARKS = ['/payments/new', '/reverse', '/acceleration/new', '/rescission/new', '/edit', 'href="/firms',
    'href="/lots', 'href="/contracts"', 'href="/delinquency', 'href="/finance', 'href="/settings', 'href="/audit',
    'href="/members', 'href="/map'];

  const pages = () => [
    `/contracts/${park.a.active}`, `/contracts/${park.a.active}/print`, `/contracts/${park.a.active}/statement`,
    `/receipts/${park.a.receipts[1]}`, '/portal', '/portal/receipts', '/account/password',
  ];

  it('show no staff action, no staff link and no form but logout', async () => {
    for (const url of pages()) {
      const res = await buyer.get(url);
      expect(res.status, url).toBe(200);
      for (const mark of STAFF_MARKS) expect(res.text, `${url} shows ${mark}`).not.toContain(mark);
      const forms = [...res.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
      expect(forms, url).toEqual(url === '/account/password' ? ['/logout', '/account/password'] : ['/logout']);
      expect(textOf(res.text), url).not.toMatch(/Registrar pago|Anular recibo|Vencimiento anticipado…|Resolver contrato/);
    }
  });

  it('while the manager sees the actions on the same contract and receipt (the check above is meaningful)', async () => {
    const manager = await login(t.app, 'gerente');
    const contract = await manager.get(`/contracts/${park.a.active}`);
    expect(contract.text).toContain(`/contracts/${park.a.active}/payments/new`);
    expect(contract.text).toContain(`/contracts/${park.a.active}/rescission/new`);
    expect(contract.text).toContain(`href="/firms/${park.a.ruc}"`);
    const receipt = await manager.get(`/receipts/${park.a.receipts[1]}`);
    expect(receipt.text).toContain(`action="/receipts/${park.a.receipts[1]}/reverse"`);
  });

  it('sends a buyer from / to its portal, and staff away from the portal (403)', async () => {
    const home = await buyer.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/portal');
    const manager = await login(t.app, 'gerente');
    expect((await manager.get('/portal')).status).toBe(403);
    expect((await manager.get('/portal/receipts')).status).toBe(403);
  });
});
