import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type Agent, type TestApp } from '../support/app.ts';
import { insertFirm, validRuc } from '../support/sales.ts';

let t: TestApp;
let manager: Agent;
let finance: Agent;

const firm = {
  ruc: '20512333797', name: 'Metálicas Demo S.A.C.', representative_name: 'Rosa Quispe Demo',
  representative_dni: '10117410-2', sector: 'metalmecanica', phone: '053 481234', email: 'Rosa@Demo.pe',
  address: 'Av. Demo 123, Ilo',
};

const countFirms = async () => Number((await t.db('firms').count<{ n: number }[]>({ n: '*' }))[0]!.n);

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  manager = await login(t.app, 'gerente');
  finance = await login(t.app, 'finanzas');
});
afterAll(async () => { await t.close(); });

describe('registering a firm', () => {
  it('creates the firm, redirects to its page, and audits it', async () => {
    const res = await submit(manager, '/firms/new', '/firms', firm);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/firms/20512333797');
    const row = await t.db('firms').where({ ruc: '20512333797' }).first();
    expect(row).toMatchObject({ name: 'Metálicas Demo S.A.C.', representative_dni: '101174102', email: 'rosa@demo.pe', sector: 'metalmecanica' });
    expect(await t.db('audit_log').where({ action: 'firm.create', entity_id: '20512333797' })).toHaveLength(1);
    const page = textOf((await manager.get('/firms/20512333797')).text);
    expect(page).toContain('Metálicas Demo S.A.C.');
    expect(page).toContain('Metalmecánica');
    expect(page).toContain('Esta empresa aún no es socia de ACIPIAS.');
  });

  it('refuses a duplicate RUC with 409 and writes nothing', async () => {
    const before = await countFirms();
    const res = await submit(manager, '/firms/new', '/firms', { ...firm, name: 'Otra' });
    expect(res.status).toBe(409);
    expect(res.text).toMatch(/id="e-ruc">Ya hay una empresa registrada con ese RUC/);
    expect(await countFirms()).toBe(before);
  });

  it.each([
    ['2051233379', 'El RUC debe tener exactamente 11 dígitos.'],
    ['30512333797', 'El RUC debe empezar por 10, 15, 16, 17 o 20.'],
    ['20512333798', 'El dígito verificador del RUC no corresponde'],
    ['2051233379X', 'El RUC solo puede contener dígitos.'],
  ])('refuses RUC %s with its own message (400, nothing written)', async (ruc, message) => {
    const before = await countFirms();
    const res = await submit(manager, '/firms/new', '/firms', { ...firm, ruc });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain(message);
    expect(res.text).toContain('id="e-ruc"');
    expect(await countFirms()).toBe(before);
  });

  it.each([
    ['1011741', 'El DNI debe tener 8 dígitos'],
    ['1011741X', 'Los 8 primeros caracteres del DNI deben ser dígitos.'],
    ['10117410-3', 'El carácter de verificación del DNI no corresponde'],
  ])('refuses representative DNI %s with its own message', async (dni, message) => {
    const before = await countFirms();
    const res = await submit(manager, '/firms/new', '/firms', { ...firm, ruc: validRuc('2060000001'), representative_dni: dni });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(new RegExp(`id="e-representative_dni">${message}`));
    expect(await countFirms()).toBe(before);
  });

  it('reports every bad field at once and keeps what was typed', async () => {
    const res = await submit(manager, '/firms/new', '/firms', { ...firm, ruc: '20512333798', name: '', email: 'nope' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="e-ruc"');
    expect(res.text).toContain('id="e-name"');
    expect(res.text).toContain('id="e-email"');
    expect(res.text).toContain('value="Rosa Quispe Demo"');
  });

  it('records a provisional licence that lasts one year by default', async () => {
    const ruc = validRuc('1045678901');
    const res = await submit(manager, '/firms/new', '/firms', {
      ...firm, ruc, name: 'Carpintería Demo', licence_number: 'LP-0042-2026', licence_issued_on: '2025-12-10',
    });
    expect(res.status).toBe(303);
    const row = await t.db('firms').where({ ruc }).first();
    expect(row).toMatchObject({ licence_number: 'LP-0042-2026', licence_issued_on: '2025-12-10', licence_expires_on: '2026-12-10' });
  });

  it('refuses a licence that expires before it is issued', async () => {
    const res = await submit(manager, '/firms/new', '/firms', {
      ...firm, ruc: validRuc('1045678902'), licence_number: 'LP-1', licence_issued_on: '2026-05-01', licence_expires_on: '2026-04-30',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="e-licence_expires_on"');
  });
});

describe('editing a firm', () => {
  it('changes its facts (not its RUC) and audits what changed', async () => {
    const res = await submit(manager, '/firms/20512333797/edit', '/firms/20512333797', {
      ...firm, name: 'Metálicas Demo S.A.C.', phone: '053 999000',
    });
    expect(res.status).toBe(303);
    expect((await t.db('firms').where({ ruc: '20512333797' }).first()).phone).toBe('053 999000');
    const audit = await t.db('audit_log').where({ action: 'firm.update', entity_id: '20512333797' }).first();
    expect(JSON.parse(audit.details)).toEqual({ phone: ['053 481234', '053 999000'] });
  });

  it('answers 404 for an unknown firm', async () => {
    expect((await manager.get('/firms/20000000010')).status).toBe(404);
  });
});

describe('the firm list and the licences', () => {
  it('searches by RUC prefix or name and filters by membership', async () => {
    await insertFirm(t.db, validRuc('2070000001'), 'Pesquera Socia Demo', { number: 'A-0100' });
    const byName = textOf((await manager.get('/firms?q=pesquera')).text);
    expect(byName).toContain('Pesquera Socia Demo');
    expect(byName).not.toContain('Metálicas Demo');
    const byRuc = textOf((await manager.get('/firms?q=205123')).text);
    expect(byRuc).toContain('Metálicas Demo');
    const members = textOf((await manager.get('/firms?membership=active')).text);
    expect(members).toContain('Pesquera Socia Demo');
    expect(members).not.toContain('Metálicas Demo');
    const none = textOf((await manager.get('/firms?membership=none')).text);
    expect(none).toContain('Metálicas Demo');
    expect(none).not.toContain('Pesquera Socia Demo');
  });

  it('lists licences expired or expiring within 30 days, soonest first', async () => {
    const now = new Date().toISOString();
    const base = { representative_name: 'R', representative_dni: '10117410', sector: 'otros', created_at: now, updated_at: now };
    await t.db('firms').insert([
      { ...base, ruc: validRuc('2080000001'), name: 'Vence Pronto Demo', licence_number: 'L-2', licence_issued_on: '2025-12-20', licence_expires_on: '2026-12-20' },
      { ...base, ruc: validRuc('2080000002'), name: 'Vencida Demo', licence_number: 'L-1', licence_issued_on: '2025-11-01', licence_expires_on: '2026-11-01' },
      { ...base, ruc: validRuc('2080000003'), name: 'Lejana Demo', licence_number: 'L-3', licence_issued_on: '2026-06-01', licence_expires_on: '2027-06-01' },
    ]);
    const text = textOf((await finance.get('/firms/licences')).text);
    expect(text).toContain('Vencida Demo');
    expect(text).toContain('Vence Pronto Demo');
    expect(text).toContain('Vence en 25 días');
    expect(text).toContain('Vencida');
    expect(text).not.toContain('Lejana Demo');
    // Carpintería Demo's licence (10/12/2026) is 15 days away
    expect(text.indexOf('Vencida Demo')).toBeLessThan(text.indexOf('Carpintería Demo'));
    expect(text.indexOf('Carpintería Demo')).toBeLessThan(text.indexOf('Vence Pronto Demo'));
  });
});

describe('access', () => {
  it('lets finance read firms but not write them', async () => {
    expect((await finance.get('/firms')).status).toBe(200);
    expect((await finance.get('/firms/20512333797')).status).toBe(200);
    expect((await finance.get('/firms/new')).status).toBe(403);
  });
});
