import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, login, submit, csrfFrom, textOf, PASSWORD, type Agent, type TestApp } from '../support/app.ts';
import { insertFirm, insertLot, saleCounts, validRuc } from '../support/sales.ts';
import { createUser } from '../../src/auth/service.ts';

let t: TestApp;
let manager: Agent;
let admin: Agent;

const MEMBER = validRuc('2061100001'); // active ACIPIAS member
const OUTSIDER = validRuc('2061100002'); // never joined
const SUSPENDED = validRuc('2061100003');
const sale = (data: Record<string, string>) => submit(manager, '/contracts/new', '/contracts', data);
const lotStatus = async (code: string) => (await t.db('lots').where({ code }).first()).status;

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  manager = await login(t.app, 'gerente');
  admin = await login(t.app, 'admin');
  // 1,000.00 m² × S/ 100.00 = S/ 100,000.00
  await insertLot(t.db, { code: 'C-07', area_dm2: 100_000, price_per_m2_cents: 10_000 });
  // 1,234.56 m² × S/ 85.50 = 105,554.88
  await insertLot(t.db, { code: 'C-08', area_dm2: 123_456, price_per_m2_cents: 8_550 });
  await insertLot(t.db, { code: 'C-09', area_dm2: 50_000, price_per_m2_cents: 9_000 });
  await insertLot(t.db, { code: 'D-01', area_dm2: 80_000, price_per_m2_cents: 7_000 });
  await insertLot(t.db, { code: 'D-02', area_dm2: 60_000, price_per_m2_cents: 7_000 });
  await insertLot(t.db, { code: 'D-03', area_dm2: 60_000, price_per_m2_cents: 7_000 });
  await insertLot(t.db, { code: 'M-01', area_dm2: 200_000, price_per_m2_cents: 6_000, owner: 'ministry' });
  await insertFirm(t.db, MEMBER, 'Metálicas del Pacífico Demo', { number: 'A-0001' });
  await insertFirm(t.db, OUTSIDER, 'Carpintería Nueva Demo');
  await insertFirm(t.db, SUSPENDED, 'Conservas Suspendida Demo', { number: 'A-0002', status: 'suspended' });
});
afterAll(async () => { await t.close(); });

describe('the sale form and its preview', () => {
  it('lists only available municipal lots and the firms', async () => {
    const res = await manager.get('/contracts/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<option value="C-07">');
    expect(textOf(res.text)).toContain('C-07 · 1,000.00 m² · S/ 100,000.00');
    expect(res.text).not.toContain('value="M-01"');
    expect(textOf(res.text)).toContain('Carpintería Nueva Demo');
  });

  it('previews list price, down payment, financed amount and the whole schedule before confirming, writing nothing', async () => {
    const before = await saleCounts(t.db);
    const res = await manager.get(`/contracts/new?lot_code=C-07&firm_ruc=${MEMBER}&date=2026-01-31&preview=1`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain('Precio de lista S/ 100,000.00 (1,000.00 m² × S/ 100.00/m²)');
    expect(text).toContain('Cuota inicial (15%) S/ 15,000.00');
    expect(text).toContain('Saldo financiado S/ 85,000.00');
    expect(text).toContain('60 cuotas mensuales de S/ 1,416.67');
    expect(text).toContain('1 28/02/2026 S/ 1,416.67 S/ 0.00 S/ 1,416.67 S/ 83,583.33');
    expect(text).toContain('60 31/01/2031 S/ 1,416.47 S/ 0.00 S/ 1,416.47 S/ 0.00');
    // The confirm button posts the form with the values this preview was computed from.
    expect(res.text).toContain('formmethod="post" formaction="/contracts"');
    expect(res.text).toContain('<input type="hidden" name="previewed_lot_code" value="C-07">');
    expect(await saleCounts(t.db)).toEqual(before);
  });

  it('shows a refusal in the preview next to the field', async () => {
    const res = await manager.get(`/contracts/new?lot_code=M-01&firm_ruc=${MEMBER}&date=2026-01-31&preview=1`);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="e-lot_code">El lote M-01 pertenece al Ministerio de Vivienda/);
  });
});

describe('signing a sale', () => {
  it('creates CV-2026-0001 awaiting its down payment, with the terms, the schedule, the events and the lot status', async () => {
    const res = await sale({ lot_code: 'C-07', firm_ruc: MEMBER, date: '2026-01-31' });
    expect(res.status).toBe(303);
    const id = Number(/^\/contracts\/(\d+)$/.exec(String(res.headers.location))![1]);
    const c = await t.db('contracts').where({ id }).first();
    expect(c).toMatchObject({
      number: 'CV-2026-0001', year: 2026, seq: 1, firm_ruc: MEMBER, date: '2026-01-31',
      list_price_cents: 10_000_000, price_cents: 10_000_000, price_reason: null,
      down_payment_ppm: 150_000, down_payment_cents: 1_500_000, financed_cents: 8_500_000,
      installment_count: 60, annual_rate_ppm: 0, rescission_threshold_ppm: 500_000, status: 'awaiting_down_payment',
    });
    const rows = await t.db('schedule_rows').where({ contract_id: id }).orderBy('n');
    expect(rows).toHaveLength(61);
    expect(rows[0]).toMatchObject({ n: 0, due_date: '2026-01-31', principal_cents: 1_500_000, interest_cents: 0, balance_cents: 8_500_000 });
    expect(rows[1]).toMatchObject({ n: 1, due_date: '2026-02-28', principal_cents: 141_667, installment_cents: 141_667, balance_cents: 8_358_333 });
    expect(rows[60]).toMatchObject({ n: 60, due_date: '2031-01-31', principal_cents: 141_647, balance_cents: 0 });
    expect((await t.db('contract_events').where({ contract_id: id })).map((e) => e.kind)).toEqual(['created']);
    expect(await lotStatus('C-07')).toBe('awaiting_down_payment');
    expect(await t.db('audit_log').where({ action: 'contract.create', entity_id: String(id) })).toHaveLength(1);

    const page = textOf((await manager.get(`/contracts/${id}`)).text);
    expect(page).toContain('Contrato CV-2026-0001 Espera cuota inicial');
    expect(page).toContain('Metálicas del Pacífico Demo');
    expect(page).toContain('Cuota inicial (15%) S/ 15,000.00');
    expect(page).toContain('60 31/01/2031 S/ 1,416.47');
  });

  it('serves the schedule as CSV with the quote columns', async () => {
    const c = await t.db('contracts').where({ number: 'CV-2026-0001' }).first();
    const res = await manager.get(`/contracts/${c.id}/schedule.csv`);
    expect(res.status).toBe(200);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('n,due_date,principal,interest,installment,balance');
    expect(lines[1]).toBe('0,2026-01-31,15000.00,0.00,15000.00,85000.00');
    expect(lines[2]).toBe('1,2026-02-28,1416.67,0.00,1416.67,83583.33');
    expect(lines[61]).toBe('60,2031-01-31,1416.47,0.00,1416.47,0.00');
    expect(res.text).toBe((await request(t.app).get('/quote.csv?price=100000.00&date=2026-01-31')).text);
  });

  it('prints the contract with the price in words and the schedule', async () => {
    const c = await t.db('contracts').where({ number: 'CV-2026-0001' }).first();
    const text = textOf((await manager.get(`/contracts/${c.id}/print`)).text);
    expect(text).toContain('Contrato de compraventa CV-2026-0001');
    expect(text).toContain('El precio de venta es S/ 100,000.00 (CIEN MIL CON 00/100 SOLES)');
    expect(text).toContain('31 de enero de 2026');
  });

  it('keeps a negotiated price with its reason in the history', async () => {
    const res = await sale({ lot_code: 'C-08', firm_ruc: MEMBER, date: '2026-03-10', price: '100000', price_reason: 'Lote con talud: acuerdo de directorio 15-2026' });
    expect(res.status).toBe(303);
    const c = await t.db('contracts').where({ number: 'CV-2026-0002' }).first();
    expect(c).toMatchObject({ list_price_cents: 10_555_488, price_cents: 10_000_000, price_reason: 'Lote con talud: acuerdo de directorio 15-2026' });
    const events = await t.db('contract_events').where({ contract_id: c.id }).orderBy('id');
    expect(events.map((e) => e.kind)).toEqual(['created', 'price_negotiated']);
    expect(JSON.parse(events[1].details)).toEqual({ list_price_cents: 10_555_488, price_cents: 10_000_000, reason: 'Lote con talud: acuerdo de directorio 15-2026' });
    const page = textOf((await manager.get(`/contracts/${c.id}`)).text);
    expect(page).toContain('S/ 105,554.88 → S/ 100,000.00: Lote con talud');
  });

  it('enrols a firm that is not yet a member in the same transaction', async () => {
    const res = await sale({ lot_code: 'C-09', firm_ruc: OUTSIDER, date: '2026-04-01', member_number: 'A-0050', joined_on: '2026-04-01' });
    expect(res.status).toBe(303);
    expect(await t.db('memberships').where({ firm_ruc: OUTSIDER }).first()).toMatchObject({ member_number: 'A-0050', status: 'active', joined_on: '2026-04-01' });
    expect(await t.db('membership_events').where({ firm_ruc: OUTSIDER })).toHaveLength(1);
    expect(await lotStatus('C-09')).toBe('awaiting_down_payment');
  });

  it('enters a past contract with its real date and numbers it in its own year', async () => {
    const res = await sale({ lot_code: 'D-01', firm_ruc: MEMBER, date: '2021-05-31' });
    expect(res.status).toBe(303);
    const c = await t.db('contracts').where({ lot_id: (await t.db('lots').where({ code: 'D-01' }).first()).id }).first();
    expect(c.number).toBe('CV-2021-0001');
    expect((await t.db('schedule_rows').where({ contract_id: c.id, n: 1 }).first()).due_date).toBe('2021-06-30');
  });
});

describe('refused sales write nothing', () => {
  const refusals: [string, Record<string, string>, number, string, string][] = [
    ['a ministry lot', { lot_code: 'M-01', date: '2026-05-01' }, 400, 'lot_code', 'El lote M-01 pertenece al Ministerio de Vivienda: debe transferirse primero'],
    ['a lot already under contract', { lot_code: 'C-07', date: '2026-05-01' }, 409, 'lot_code', 'El lote C-07 no está disponible'],
    ['an unknown lot', { lot_code: 'Z-99', date: '2026-05-01' }, 404, 'lot_code', 'No existe un lote con ese código.'],
    ['an unknown firm', { lot_code: 'D-02', firm_ruc: '20000000010', date: '2026-05-01' }, 404, 'firm_ruc', 'No hay ninguna empresa registrada con ese RUC.'],
    ['a suspended member', { lot_code: 'D-02', firm_ruc: SUSPENDED, date: '2026-05-01' }, 400, 'firm_ruc', 'La socia N.º A-0002 no está activa en ACIPIAS'],
    ['a negotiated price without a reason', { lot_code: 'D-02', price: '40000.00', date: '2026-05-01' }, 400, 'price_reason', 'Explique por qué el precio difiere'],
    ['a price of zero', { lot_code: 'D-02', price: '0', price_reason: 'x', date: '2026-05-01' }, 400, 'price', 'El monto debe ser mayor que cero.'],
    ['a date in the future', { lot_code: 'D-02', date: '2026-11-26' }, 400, 'date', 'La fecha no puede ser posterior a hoy.'],
  ];

  it.each(refusals)('refuses %s', async (_name, data, status, field, message) => {
    const before = await saleCounts(t.db);
    const counter = await t.db('counters').where({ name: 'CV-2026' }).first();
    const res = await sale({ firm_ruc: MEMBER, ...data });
    expect(res.status).toBe(status);
    expect(res.text).toContain(`id="e-${field}"`);
    expect(textOf(res.text)).toContain(message);
    expect(await saleCounts(t.db)).toEqual(before);
    expect(await t.db('counters').where({ name: 'CV-2026' }).first()).toEqual(counter);
  });

  it('refuses a firm that never joined ACIPIAS unless the form enrols it', async () => {
    await insertFirm(t.db, validRuc('2061100005'), 'Sin Membresía Demo');
    const before = await saleCounts(t.db);
    const res = await sale({ lot_code: 'D-02', firm_ruc: validRuc('2061100005'), date: '2026-05-01' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="e-firm_ruc">La empresa no es socia activa de ACIPIAS/);
    expect(await saleCounts(t.db)).toEqual(before);
  });

  it('refuses an enrolment with a member number another firm holds (409), enrolling nobody', async () => {
    const before = await saleCounts(t.db);
    const res = await sale({ lot_code: 'D-02', firm_ruc: validRuc('2061100005'), date: '2026-05-01', member_number: 'A-0001', joined_on: '2026-05-01' });
    expect(res.status).toBe(409);
    expect(res.text).toMatch(/id="e-member_number">Ese número de socia ya pertenece/);
    expect(await saleCounts(t.db)).toEqual(before);
    expect(await lotStatus('D-02')).toBe('available');
  });

  it('keeps numbering without gaps after refusals', async () => {
    const res = await sale({ lot_code: 'D-02', firm_ruc: MEMBER, date: '2026-06-15' });
    expect(res.status).toBe(303);
    expect((await t.db('contracts').orderBy('id', 'desc').first()).number).toBe('CV-2026-0004');
  });
});

describe('two managers selling the same lot at once', () => {
  it('lets exactly one sale through; the other gets 409', async () => {
    const other = await login(t.app, 'admin');
    const [pageA, pageB] = await Promise.all([manager.get('/contracts/new'), other.get('/contracts/new')]);
    const data = { lot_code: 'D-03', firm_ruc: MEMBER, date: '2026-07-01' };
    const [a, b] = await Promise.all([
      manager.post('/contracts').type('form').send({ _csrf: csrfFrom(pageA.text), ...data }),
      other.post('/contracts').type('form').send({ _csrf: csrfFrom(pageB.text), ...data }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const lot = await t.db('lots').where({ code: 'D-03' }).first();
    expect(await t.db('contracts').where({ lot_id: lot.id })).toHaveLength(1);
    expect(lot.status).toBe('awaiting_down_payment');
  });
});

describe('terms are kept as signed', () => {
  it('a settings change does not alter an existing contract, and applies to the next one', async () => {
    const before = await t.db('contracts').where({ number: 'CV-2026-0001' }).first();
    const rowsBefore = await t.db('schedule_rows').where({ contract_id: before.id }).orderBy('n');
    const res = await submit(admin, '/settings', '/settings', { down_payment_pct: '20', installment_count: '36', annual_rate_pct: '6', rescission_threshold_pct: '40' });
    expect(res.status).toBe(303);
    expect(await t.db('contracts').where({ number: 'CV-2026-0001' }).first()).toEqual(before);
    expect(await t.db('schedule_rows').where({ contract_id: before.id }).orderBy('n')).toEqual(rowsBefore);
    const csv = await manager.get(`/contracts/${before.id}/schedule.csv`);
    expect(csv.text.split('\n')[1]).toBe('0,2026-01-31,15000.00,0.00,15000.00,85000.00');

    await insertLot(t.db, { code: 'E-01', area_dm2: 100_000, price_per_m2_cents: 10_000 });
    expect((await sale({ lot_code: 'E-01', firm_ruc: MEMBER, date: '2026-08-31' })).status).toBe(303);
    const next = await t.db('contracts').orderBy('id', 'desc').first();
    expect(next).toMatchObject({ down_payment_ppm: 200_000, down_payment_cents: 2_000_000, financed_cents: 8_000_000, installment_count: 36, annual_rate_ppm: 60_000, rescission_threshold_ppm: 400_000 });
    expect(await t.db('schedule_rows').where({ contract_id: next.id })).toHaveLength(37);
  });
});

describe('who sees contracts', () => {
  it('shows a buyer its own contract and answers 404 for another firm’s', async () => {
    await createUser(t.db, { username: 'comprador1', role: 'buyer', password: PASSWORD, firm_ruc: OUTSIDER });
    const buyer = await login(t.app, 'comprador1');
    const own = await t.db('contracts').where({ firm_ruc: OUTSIDER }).first();
    const foreign = await t.db('contracts').where({ firm_ruc: MEMBER }).first();
    expect((await buyer.get(`/contracts/${own.id}`)).status).toBe(200);
    expect((await buyer.get(`/contracts/${own.id}/schedule.csv`)).status).toBe(200);
    expect((await buyer.get(`/contracts/${foreign.id}`)).status).toBe(404);
    expect((await buyer.get(`/contracts/${foreign.id}/schedule.csv`)).status).toBe(404);
    expect((await buyer.get(`/contracts/${foreign.id}/print`)).status).toBe(404);
    expect((await buyer.get('/contracts')).status).toBe(403);
    expect((await buyer.get('/contracts/new')).status).toBe(403);
  });

  it('lets finance read but not sell', async () => {
    const finance = await login(t.app, 'finanzas');
    const list = await finance.get('/contracts?status=awaiting_down_payment');
    expect(list.status).toBe(200);
    expect(textOf(list.text)).toContain('CV-2026-0001');
    expect((await finance.get('/contracts/new')).status).toBe(403);
    expect((await request(t.app).get('/contracts/1')).status).toBe(303);
  });

  it('answers 404 for a contract that does not exist', async () => {
    expect((await manager.get('/contracts/9999')).status).toBe(404);
    expect((await manager.get('/contracts/abc')).status).toBe(404);
  });
});

describe('English', () => {
  it('reads every page of the area in English, with no untranslated key', async () => {
    const agent = await login(t.app, 'admin');
    await agent.get('/lang/en?next=/');
    const c = await t.db('contracts').where({ number: 'CV-2026-0002' }).first();
    const firm = MEMBER;
    const urls = ['/contracts', '/contracts/new', `/contracts/new?lot_code=E-99&firm_ruc=${firm}&date=2026-01-31&preview=1`,
      `/contracts/${c.id}`, `/contracts/${c.id}/print`, '/firms', '/firms/new', `/firms/${firm}`, `/firms/${firm}/edit`,
      `/firms/${firm}/membership/new`, '/firms/licences', '/members', '/settings', '/quote', '/quote?lot=C-07&date=2026-01-31'];
    for (const url of urls) {
      const res = await agent.get(url);
      // C-07 is sold by now: the simulator refuses it with its reason (400), in English too.
      expect([200, 400, 404], url).toContain(res.status);
      const text = textOf(res.text);
      expect(text, url).not.toMatch(/\b(firms|contracts|contract_status|contract_event|settings|quote|members|membership|schedule|land_use|audit)\.[a-z_]+/);
    }
    const page = textOf((await agent.get(`/contracts/${c.id}`)).text);
    expect(page).toContain('Negotiated price');
    expect(page).toContain('Payment schedule');
  });
});
