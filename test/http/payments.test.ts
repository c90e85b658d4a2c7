// Recording payments over HTTP: the form and its preview, the POST and its refusals (nothing
// written), the one-time form token, the receipt page and who may see it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, login, submit, csrfFrom, textOf, PASSWORD, type TestApp, type Agent } from '../support/app.ts';
import { createUser } from '../../src/auth/service.ts';
import { sale, setRates } from '../service/sales-fixtures.ts';

let t: TestApp;
let manager: Agent;
let c: { id: number; lot_code: string; firm_ruc: string };
const page = (id: number) => `/contracts/${id}/payments/new`;
/** Visible text with es-PE's no-break spaces as plain spaces. */
const text = textOf; // textOf already folds the no-break space that es-PE puts after "S/"
const count = async (table: string) => Number((await t.db(table).count({ n: '*' }))[0]!.n);

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  c = await sale(t.db, { date: '2026-11-25', today: t.today });
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('payment form and preview', () => {
  it('shows the form with a one-time token and what is owed', async () => {
    const res = await manager.get(page(c.id));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/name="form_token" value="[0-9a-f]{32}"/);
    expect(text(res.text)).toContain('Saldo total adeudado al 25/11/2026 S/ 100,000.00');
  });

  it('previews how the entered payment will be applied, before anything is written', async () => {
    const res = await manager.get(`${page(c.id)}?date=2026-11-25&amount=15500.00&method=cash&reference=`);
    expect(res.status).toBe(200);
    const body = text(res.text);
    expect(body).toContain('Vista previa de la aplicación');
    expect(body).toMatch(/Cuota inicial 25\/11\/2026 S\/ 0.00 S\/ 0.00 S\/ 15,000.00 S\/ 15,000.00/);
    expect(body).toMatch(/Cuota 1 25\/12\/2026 S\/ 0.00 S\/ 0.00 S\/ 500.00 S\/ 500.00/);
    expect(body).toContain('Saldo total adeudado después del pago S/ 84,500.00');
    expect(body).toContain('el contrato entra en vigencia');
    expect(await count('receipts')).toBe(0);
  });

  it('shows a refused preview next to the field (400)', async () => {
    const res = await manager.get(`${page(c.id)}?date=2026-11-25&amount=100000.01&method=cash`);
    expect(res.status).toBe(400);
    expect(text(res.text)).toContain('El pago excede el saldo total adeudado al 25/11/2026 (máximo S/ 100,000.00)');
  });
});

describe('POST /contracts/<id>/payments', () => {
  it('records the down payment → 303 to its receipt, which prints amount in figures and words', async () => {
    const res = await submit(manager, page(c.id), `/contracts/${c.id}/payments`,
      { date: '2026-11-25', amount: '15000.00', method: 'transfer', reference: 'OP-778812' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/receipts/R001-00000001');
    const receipt = await manager.get('/receipts/R001-00000001');
    expect(receipt.status).toBe(200);
    const body = text(receipt.text);
    expect(body).toContain('RECIBO DE CAJA R001-00000001');
    expect(body).toContain('Empresa de prueba 1 S.A.C.');
    expect(body).toContain(`RUC ${c.firm_ruc}`);
    expect(body).toContain('Contrato CV-2026-0001');
    expect(body).toContain(`Lote ${c.lot_code}`);
    expect(body).toContain('Importe S/ 15,000.00');
    expect(body).toContain('SON: QUINCE MIL CON 00/100 SOLES');
    expect(body).toContain('Transferencia · Referencia: OP-778812');
    expect(body).toContain('Cuota inicial 25/11/2026 S/ 0.00 S/ 0.00 S/ 15,000.00 S/ 15,000.00');
    expect(body).toContain('Registrado por gerente');
    expect((await t.db('contracts').where({ id: c.id }).first()).status).toBe('active');
  });

  it('refuses a payment beyond the whole outstanding with the maximum next to the amount, writing nothing', async () => {
    const before = [await count('receipts'), await count('journal_entries'), await count('audit_log')];
    const res = await submit(manager, page(c.id), `/contracts/${c.id}/payments`,
      { date: '2026-11-25', amount: '85000.01', method: 'cash', reference: '' });
    expect(res.status).toBe(400);
    expect(text(res.text)).toContain('El pago excede el saldo total adeudado al 25/11/2026 (máximo S/ 85,000.00)');
    expect(res.text).toMatch(/id="e-amount"/);
    expect([await count('receipts'), await count('journal_entries'), await count('audit_log')]).toEqual(before);
  });

  it('refuses bad amounts, future dates, dates before the contract and a transfer without reference (400)', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ date: '2026-11-25', amount: 'doce', method: 'cash' }, 'amount', 'Escriba un monto en soles'],
      [{ date: '2026-11-25', amount: '1.250,50', method: 'cash' }, 'amount', 'Monto ambiguo'],
      [{ date: '2026-11-25', amount: '-12.50', method: 'cash' }, 'amount', 'El monto debe ser mayor que cero.'],
      [{ date: '2026-11-25', amount: '0', method: 'cash' }, 'amount', 'El monto debe ser mayor que cero.'],
      [{ date: '2026-11-26', amount: '10.00', method: 'cash' }, 'date', 'La fecha no puede ser posterior a hoy.'],
      [{ date: '2026-11-24', amount: '10.00', method: 'cash' }, 'date', 'La fecha no puede ser anterior a la del contrato (25/11/2026).'],
      [{ date: '2026-11-25', amount: '10.00', method: 'transfer', reference: '' }, 'reference', 'Indique el número de operación'],
      [{ date: '2026-11-25', amount: '10.00', method: 'cheque' }, 'method', 'Elija una de las opciones.'],
    ];
    const before = await count('receipts');
    for (const [data, field, message] of cases) {
      const res = await submit(manager, page(c.id), `/contracts/${c.id}/payments`, data);
      expect([field, res.status]).toEqual([field, 400]);
      expect(res.text).toContain(`id="e-${field}"`);
      expect(text(res.text)).toContain(message);
    }
    expect(await count('receipts')).toBe(before);
  });

  it('the same form posted twice at once records one payment; both answers go to its receipt', async () => {
    const form = await manager.get(page(c.id));
    const token = /name="form_token" value="([0-9a-f]{32})"/.exec(form.text)![1]!;
    const data = { _csrf: csrfFrom(form.text), form_token: token, date: '2026-11-25', amount: '1416.67', method: 'cash', reference: '' };
    const before = await count('receipts');
    const [a, b] = await Promise.all([
      manager.post(`/contracts/${c.id}/payments`).type('form').send(data),
      manager.post(`/contracts/${c.id}/payments`).type('form').send(data),
    ]);
    const again = await manager.post(`/contracts/${c.id}/payments`).type('form').send(data); // back button + resubmit
    expect([a.status, b.status, again.status]).toEqual([303, 303, 303]);
    expect(new Set([a.headers.location, b.headers.location, again.headers.location]).size).toBe(1);
    expect(await count('receipts')).toBe(before + 1);
    expect(await t.db('receipts').where({ form_token: token }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('an old form reused with other values is refused (409) instead of being swallowed', async () => {
    const form = await manager.get(page(c.id));
    const token = /name="form_token" value="([0-9a-f]{32})"/.exec(form.text)![1]!;
    const data = { _csrf: csrfFrom(form.text), form_token: token, date: '2026-11-25', amount: '10.00', method: 'cash', reference: '' };
    const first = await manager.post(`/contracts/${c.id}/payments`).type('form').send(data);
    expect(first.status).toBe(303);
    const before = await count('receipts');
    const other = await manager.post(`/contracts/${c.id}/payments`).type('form').send({ ...data, amount: '20.00' });
    expect(other.status).toBe(409);
    expect(text(other.text)).toContain(`Este formulario ya se usó para emitir el recibo ${first.headers.location!.split('/').pop()} con otros datos.`);
    expect(await count('receipts')).toBe(before);
  });

  it('is for managers: finance gets 403 on the form and the POST', async () => {
    const finance = await login(t.app, 'finanzas');
    expect((await finance.get(page(c.id))).status).toBe(403);
    const home = await finance.get('/');
    const res = await finance.post(`/contracts/${c.id}/payments`).type('form')
      .send({ _csrf: csrfFrom(home.text), date: '2026-11-25', amount: '1.00', method: 'cash' });
    expect(res.status).toBe(403);
    expect((await finance.get('/receipts/R001-00000001')).status).toBe(200);
  });
});

describe('who sees a receipt', () => {
  it('a buyer sees its own firm’s receipts and gets 404 for another firm’s; a visitor is sent to log in', async () => {
    const other = await sale(t.db, { date: '2026-11-25', today: t.today });
    await submit(manager, page(other.id), `/contracts/${other.id}/payments`, { date: '2026-11-25', amount: '100.00', method: 'cash' });
    const otherNumber = (await t.db('receipts').where({ contract_id: other.id }).first()).number;
    await createUser(t.db, { username: 'comprador1', role: 'buyer', password: PASSWORD, firm_ruc: c.firm_ruc });
    const buyer = await login(t.app, 'comprador1');
    const own = await buyer.get('/receipts/R001-00000001');
    expect(own.status).toBe(200);
    expect(text(own.text)).not.toContain('Anular este recibo');
    expect((await buyer.get(`/receipts/${otherNumber}`)).status).toBe(404);
    expect((await buyer.get('/receipts/R001-99999999')).status).toBe(404);
    expect((await buyer.get(page(c.id))).status).toBe(403);
    expect((await request(t.app).get('/receipts/R001-00000001')).status).toBe(303);
  });
});

describe('a payment POST without the form token (issue 10, item 8)', () => {
  it('is refused (400) when form_token is missing or malformed, writing nothing', async () => {
    const form = await manager.get(page(c.id));
    for (const form_token of [undefined, '', 'abc', 'g'.repeat(32), `${'a'.repeat(32)}x`]) {
      const before = [await count('receipts'), await count('journal_entries')];
      const data: Record<string, string> = { _csrf: csrfFrom(form.text), date: '2026-11-25', amount: '10.00', method: 'cash', reference: '' };
      if (form_token !== undefined) data.form_token = form_token;
      const res = await manager.post(`/contracts/${c.id}/payments`).type('form').send(data);
      expect(res.status, String(form_token)).toBe(400);
      expect(text(res.text)).toContain('Falta el código de un solo uso del formulario (form_token) o no es válido');
      expect([await count('receipts'), await count('journal_entries')]).toEqual(before);
    }
  });

  it('takes an amount as the screens show it ("S/ 1,416.67")', async () => {
    const form = await manager.get(page(c.id));
    const token = /name="form_token" value="([0-9a-f]{32})"/.exec(form.text)![1]!;
    const res = await manager.post(`/contracts/${c.id}/payments`).type('form')
      .send({ _csrf: csrfFrom(form.text), form_token: token, date: '2026-11-25', amount: 'S/ 1,416.67', method: 'cash', reference: '' });
    expect(res.status).toBe(303);
    expect((await t.db('receipts').where({ form_token: token }).first()).amount_cents).toBe(141_667);
  });
});

describe('the amounts offered on the payment form (issue 10, item 13)', () => {
  it('offers the next installment and the whole balance, each a link to the preview with that amount', async () => {
    const other = await sale(t.db, { date: '2026-11-25', today: t.today });
    const form = await manager.get(page(other.id));
    const links = [...form.text.matchAll(/<a class="button" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'), textOf(m[2]!)]);
    expect(links.map(([, label]) => label)).toEqual(['Próxima cuota: S/ 15,000.00', 'Todo el saldo: S/ 100,000.00']);
    const token = /name="form_token" value="([0-9a-f]{32})"/.exec(form.text)![1]!;
    const [href] = links[1]!;
    expect(href).toBe(`/contracts/${other.id}/payments/new?form_token=${token}&date=2026-11-25&method=cash&amount=100000.00`);
    const preview = await manager.get(href!);
    expect(preview.status).toBe(200);
    expect(text(preview.text)).toContain('Vista previa de la aplicación');
    expect(preview.text).toContain(`name="form_token" value="${token}"`);
  });
});
