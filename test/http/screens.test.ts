// What a person reads after the screens work: messages after saving, no dead ends (sell a lot from its
// page, a firm's portal access, the delinquency report leading to the contract), the public simulator
// refusing lots not for sale, and the site's icon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, login, submit, csrfFrom, textOf, type Agent, type TestApp } from '../support/app.ts';
import { sale, setRates, pay } from '../service/sales-fixtures.ts';

let t: TestApp;
let manager: Agent;
let finance: Agent;
const TODAY = '2026-11-25';
const k = {} as Record<'current' | 'late', { id: number; firm_ruc: string; lot_code: string }>;

const firm = {
  ruc: '20512333797', name: 'Metálicas Demo S.A.C.', representative_name: 'Rosa Quispe Demo',
  representative_dni: '10117410-2', sector: 'metalmecanica', phone: '053 481234', email: 'rosa@demo.pe', address: 'Av. Demo 123',
};

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  k.current = await sale(t.db, { date: '2026-11-01', today: TODAY });
  await pay(t.db, k.current.id, '2026-11-01', 1_500_000, TODAY);
  k.late = await sale(t.db, { date: '2026-03-05', today: TODAY });
  await pay(t.db, k.late.id, '2026-03-05', 1_500_000, TODAY);
  const now = new Date().toISOString();
  await t.db('lots').insert([
    { code: 'A-03', block: 'A', number: 3, area_dm2: 100_000, land_use: 'light_industry', owner: 'municipal', price_per_m2_cents: 10_000, status: 'available', created_at: now, updated_at: now },
    { code: 'C-07', block: 'C', number: 7, area_dm2: 100_000, land_use: 'light_industry', owner: 'municipal', price_per_m2_cents: 10_000, status: 'available', created_at: now, updated_at: now },
    { code: 'M-01', block: 'M', number: 1, area_dm2: 100_000, land_use: 'light_industry', owner: 'ministry', price_per_m2_cents: 10_000, status: 'available', created_at: now, updated_at: now },
  ]);
  manager = await login(t.app, 'gerente');
  finance = await login(t.app, 'finanzas');
});
afterAll(async () => { await t.close(); });

describe('a message after saving, shown once', () => {
  it('says the firm was registered, then the sale was signed, then the payment recorded, then that a resubmission recorded nothing', async () => {
    const created = await submit(manager, '/firms/new', '/firms', firm);
    expect(created.status).toBe(303);
    const firmPage = await manager.get(created.headers.location!);
        expect(firmPage.text).toContain('<div class="alert alert-ok flash no-print" role="status">Empresa Metálicas Demo S.A.C. registrada.</div>');
    // Once: the next page does not repeat it.
    expect((await manager.get(created.headers.location!)).text).not.toContain('class="alert alert-ok flash');

    await submit(manager, '/firms/20512333797/membership/new', '/firms/20512333797/membership', { member_number: 'AC-9', joined_on: '2026-11-02', status: 'active' });
    await manager.get('/firms/20512333797');
    // The lot code as a person types it: lower case, without its zero.
    const signed = await submit(manager, '/contracts/new', '/contracts', { lot_code: 'c7', firm_ruc: '20512333797', date: '2026-11-20' });
    expect(signed.status).toBe(303);
    expect(signed.headers.location).toMatch(/^\/contracts\/\d+$/);
    const contract = await manager.get(signed.headers.location!);
    expect(textOf(contract.text)).toContain('Venta firmada.');

    const form = await manager.get(`${signed.headers.location}/payments/new`);
    const token = /name="form_token" value="([0-9a-f]{32})"/.exec(form.text)![1]!;
    const data = { _csrf: csrfFrom(form.text), form_token: token, date: '2026-11-20', amount: '15000.00', method: 'cash', reference: '' };
    const paid = await manager.post(`${signed.headers.location}/payments`).type('form').send(data);
    expect(paid.status).toBe(303);
    const number = paid.headers.location!.split('/').pop();
    expect(textOf((await manager.get(paid.headers.location!)).text)).toContain(`Pago registrado: recibo ${number}.`);
    const again = await manager.post(`${signed.headers.location}/payments`).type('form').send(data);
    expect(again.headers.location).toBe(paid.headers.location);
    expect(textOf((await manager.get(again.headers.location!)).text)).toContain(`Este pago ya estaba registrado (recibo ${number}); no se registró otra vez.`);
  });
});

describe('every value a person reads, in words', () => {
  it('shows the audit log in Spanish: fields, methods, the parts a payment paid, contract numbers and the system user', async () => {
    const admin = await login(t.app, 'admin');
    await t.db('audit_log').insert({ at: new Date().toISOString(), user_id: null, username: 'system', action: 'firm.update', entity: 'firm', entity_id: '20512333797', details: JSON.stringify({ phone: ['1', '2'] }), ip: null });
    const text = textOf((await admin.get('/audit?action=receipt.create')).text);
    expect(text).toContain('Medio de pago: Efectivo');
    expect(text).toMatch(/Monto: S\/ 15,000\.00/);
    expect(text).toContain('Aplicación: Cuota inicial: capital S/ 15,000.00');
    expect(text).not.toMatch(/cents|method:|"n":/);
    const contracts = textOf((await admin.get('/audit?entity=contract')).text);
    expect(contracts).toMatch(/Contrato CV-2026-\d{4}/);
    expect(contracts).not.toMatch(/Contrato \d+ /);
    expect(contracts).toContain('Condiciones: ');
    expect(contracts).not.toMatch(/down payment ppm|\{"/);
    const system = textOf((await admin.get('/audit?user=system')).text);
    expect(system).toContain('Sistema (carga de datos)');
  });

  it('shows a firm history with its membership status and sector in words', async () => {
    const text = textOf((await manager.get('/firms/20512333797')).text);
    expect(text).toContain('Estado: Activa');
    expect(text).toContain('Rubro: Metalmecánica');
    expect(text).not.toMatch(/Estado: active|Rubro: metalmecanica/);
  });
});

describe('words that agree', () => {
  it('calls a contract paid in full "Pagado" everywhere, never "Cancelado" (which reads as cancelled next to "Resuelto")', async () => {
    const { allKeys, t: tr } = await import('../../src/web/i18n.ts');
    const cancelled = allKeys().filter((key) => /cancelad/i.test(tr('es', key)) && !/cancelar|^common\.cancel$/.test(key));
    expect(cancelled).toEqual([]);
    for (const key of ['status.paid_off', 'contract_status.paid_off', 'portal.contract_status.paid_off', 'payments.contract_status.paid_off']) {
      expect(tr('es', key), key).toBe('Pagado');
    }
  });

  it('says on the home page which figures include late fees and which lots are for sale', async () => {
    const text = textOf((await manager.get('/')).text);
    expect(text).toContain('Vencido (mora incluida)');
    expect(text).toContain('Disponibles (municipales, en venta)');
    expect(text).toContain('Del Ministerio de Vivienda (no se venden)');
  });
});

describe('implausible input, refused with a message', () => {
  it('refuses a phone with letters and a licence issued after today, next to their fields', async () => {
    const res = await submit(manager, '/firms/new', '/firms', { ...firm, ruc: '20100070970', phone: 'abc', licence_number: 'L-1', licence_issued_on: '2030-01-01' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="e-phone">Escriba solo dígitos/);
    expect(await t.db('firms').where({ ruc: '20100070970' }).first()).toBeUndefined();
    const res2 = await submit(manager, '/firms/new', '/firms', { ...firm, ruc: '20100070970', phone: '+51 (53) 48-1234', licence_number: 'L-1', licence_issued_on: '2030-01-01' });
    expect(res2.status).toBe(400);
    expect(res2.text).toMatch(/id="e-licence_issued_on">La licencia no puede haberse emitido después de hoy/);
  });
});

describe('no dead ends', () => {
  it('offers "Vender este lote" on an available municipal lot to a manager, with the map and the simulator', async () => {
    const page = await manager.get('/lots/A-03');
    expect(page.text).toContain('href="/contracts/new?lot=A-03"');
    expect(textOf(page.text)).toContain('Vender este lote');
    expect(page.text).toContain('href="/map?lot=A-03#details"');
    expect(page.text).toContain('href="/quote?lot=A-03#quote-plan"');
    // Not to finance (who may not sell), not on a ministry lot nor on a sold one.
    expect(textOf((await finance.get('/lots/A-03')).text)).not.toContain('Vender este lote');
    expect(textOf((await manager.get('/lots/M-01')).text)).not.toContain('Vender este lote');
    expect(textOf((await manager.get(`/lots/${k.late.lot_code}`)).text)).not.toContain('Vender este lote');
  });

  it('opens the sale form with the lot chosen, however its code was written', async () => {
    for (const lot of ['A-03', 'a03', 'a-3']) {
      const res = await manager.get(`/contracts/new?lot=${lot}`);
      expect(res.text, lot).toMatch(/<input id="f-lot_code" name="lot_code" value="A-03"/);
    }
    const form = await manager.get('/contracts/new');
    expect(form.text).toContain('<option value="A-03">');
    expect(form.text).not.toContain('<option value="M-01">');
  });

  it('links a firm page to its portal access', async () => {
    const page = await manager.get(`/firms/${k.current.firm_ruc}`);
    expect(page.text).toContain(`href="/firms/${k.current.firm_ruc}/access"`);
    expect(textOf(page.text)).toContain('Acceso al portal');
  });
});

describe('the delinquency report', () => {
  it('lists the late contracts by default, and every live one on request', async () => {
    const late = await manager.get('/delinquency?as_of=2026-11-25');
    const text = textOf(late.text);
    expect(text).toContain('Contratos con cuotas vencidas');
    expect(late.text).toContain(`href="/contracts/${k.late.id}"`);
    expect(late.text).not.toContain(`href="/contracts/${k.current.id}"`);
    expect(text).toContain('«Vencido» incluye la mora');
    const all = await manager.get('/delinquency?as_of=2026-11-25&bucket=all');
    expect(all.text).toContain(`href="/contracts/${k.current.id}"`);
    // The CSV keeps its contract: every live contract.
    const csv = await manager.get('/delinquency.csv?as_of=2026-11-25');
    expect(csv.text).toMatch(new RegExp(`^[^,]+,${k.current.firm_ruc},${k.current.lot_code},,0,current,`, 'm'));
  });

  it('leads a manager to the payment form of each late contract, not finance', async () => {
    const res = await manager.get('/delinquency');
    expect(res.text).toContain(`href="/contracts/${k.late.id}/payments/new"`);
    expect(textOf(res.text)).toContain('Registrar pago');
    expect((await finance.get('/delinquency')).text).not.toContain(`/payments/new`);
  });
});

describe('the public simulator', () => {
  it('reads lot codes in any case', async () => {
    for (const lot of ['a03', 'a-03', 'A-3']) {
      const res = await request(t.app).get(`/quote?lot=${lot}`);
      expect(res.status, lot).toBe(200);
      expect(textOf(res.text), lot).toContain('A-03');
      expect(textOf(res.text), lot).toContain('S/ 100,000.00');
    }
  });

  it('says a lot already sold is not for sale, and quotes nothing for it', async () => {
    const res = await request(t.app).get(`/quote?lot=${k.late.lot_code.toLowerCase()}`);
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain(`El lote ${k.late.lot_code} no está en venta (estado: Con contrato).`);
    expect(res.text).not.toContain('id="quote-plan"');
    const csv = await request(t.app).get(`/quote.csv?lot=${k.late.lot_code}`);
    expect(csv.status).toBe(400);
  });
});

describe('the site icon', () => {
  it('is linked from every page and served at /favicon.ico', async () => {
    const login = await request(t.app).get('/login');
    expect(login.text).toContain('<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">');
    const svg = await request(t.app).get('/static/favicon.svg');
    expect(svg.status).toBe(200);
    const ico = await request(t.app).get('/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers['content-type']).toContain('image/svg+xml');
  });
});
