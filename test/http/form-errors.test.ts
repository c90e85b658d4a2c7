// Issue 10 item 12: a refused form shows every message at once, each next to its field, rather than
// one round at a time (the parsing's messages first, then the service's rules, then a conflict).
// Item 21: dates before 2000-01-01 are refused; a sold lot's edit form shows area and owner read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type Agent, type TestApp } from '../support/app.ts';
import { insertFirm, insertLot, validRuc } from '../support/sales.ts';

let t: TestApp;
let manager: Agent;
let finance: Agent;
const RUC = validRuc('2051233379');
const OTHER_RUC = validRuc('2060000001');
const BAD_RUC = `${RUC.slice(0, 10)}${(Number(RUC[10]) + 1) % 10}`;
let contractId = 0;
let projectId = 0;

/** The ids of the error messages on the page (`<p class="error" id="e-<field>">`). */
const errorFields = (html: string) => [...html.matchAll(/class="error" id="e-([a-z0-9_]+)"/g)].map((m) => m[1]).sort();
const count = async (table: string) => Number((await t.db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  manager = await login(t.app, 'gerente');
  finance = await login(t.app, 'finanzas');
  await insertFirm(t.db, RUC, 'Metalmecánica del Sur SAC', { number: 'S-001' });
  await insertLot(t.db, { code: 'A-01', area_dm2: 100_000, price_per_m2_cents: 10_000 });
  await insertLot(t.db, { code: 'A-02', area_dm2: 200_000, price_per_m2_cents: 10_000 });
  const sold = await submit(manager, '/contracts/new', '/contracts', { lot_code: 'A-01', firm_ruc: RUC, date: '2026-01-10' });
  expect(sold.status).toBe(303);
  contractId = Number(/\/contracts\/(\d+)/.exec(String(sold.headers.location))![1]);
  const now = new Date().toISOString();
  const [row] = await t.db('projects').insert({
    code: 'AGUA-01', name: 'Agua zona alta', budget_cents: 10_000_000, status: 'planned', created_by: 1, created_at: now, updated_at: now,
  }).returning('id');
  projectId = Number(typeof row === 'object' ? row.id : row);
});
afterAll(async () => { await t.close(); });

describe('every message of a refused form in one answer', () => {
  it('the spending form: required fields, a future date, a wrong RUC check digit', async () => {
    const res = await submit(finance, `/finance/projects/${projectId}/spending/new`, `/finance/projects/${projectId}/spending`, {
      date: '2027-01-05', supplier_ruc: BAD_RUC, supplier_name: '', document_number: 'F001-77', description: 'Tubería', amount: '-5',
    });
    expect(res.status).toBe(400);
    expect(errorFields(res.text)).toEqual(['amount', 'date', 'supplier_name', 'supplier_ruc']);
    expect(textOf(res.text)).toContain('La fecha no puede ser posterior a hoy');
  });

  it('the spending form: a document already recorded together with the other refusals', async () => {
    const ok = await submit(finance, `/finance/projects/${projectId}/spending/new`, `/finance/projects/${projectId}/spending`, {
      date: '2026-11-20', supplier_ruc: RUC, supplier_name: 'Proveedor', document_number: 'F001-1', description: 'Tubos', amount: '100', confirm_over: '1',
    });
    expect(ok.status).toBe(303);
    const res = await submit(finance, `/finance/projects/${projectId}/spending/new`, `/finance/projects/${projectId}/spending`, {
      date: '2027-01-05', supplier_ruc: RUC, supplier_name: 'Proveedor', document_number: 'F001-1', description: 'Tubos', amount: '100', confirm_over: '1',
    });
    expect(errorFields(res.text)).toEqual(['date', 'document_number']);
  });

  it('the project forms: a code taken with the parsing messages; an edit with its budget below what was spent', async () => {
    const res = await submit(finance, '/finance/projects/new', '/finance/projects', { code: 'agua-01', name: '', budget: 'mucho', status: 'planned' });
    expect(res.status).toBe(400);
    expect(errorFields(res.text)).toEqual(['budget', 'code', 'name']);
    expect(textOf(res.text)).toContain('AGUA-01');
    const edit = await submit(finance, `/finance/projects/${projectId}/edit`, `/finance/projects/${projectId}`, { name: '', budget: '50', status: 'planned' });
    expect(errorFields(edit.text)).toEqual(['budget', 'name']);
  });

  it('the cash deposit form: a future date with a bad amount', async () => {
    const res = await submit(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', { date: '2027-02-01', amount: 'diez', reference: '' });
    expect(res.status).toBe(400);
    expect(errorFields(res.text)).toEqual(['amount', 'date', 'reference']);
  });

  it('the sale form: an unknown lot, a bad price, a date before 2000 (item 21)', async () => {
    const before = await count('contracts');
    const res = await submit(manager, '/contracts/new', '/contracts', { lot_code: 'Z-99', firm_ruc: OTHER_RUC, date: '1990-03-01', price: 'abc' });
    expect(errorFields(res.text)).toEqual(['date', 'firm_ruc', 'lot_code', 'price']);
    expect(textOf(res.text)).toContain('La fecha no puede ser anterior al 01/01/2000: revise el año.');
    const preview = await manager.get('/contracts/new?preview=1&lot_code=A-02&firm_ruc=&date=1999-12-31');
    expect(errorFields(preview.text)).toEqual(['date', 'firm_ruc']);
    expect(await count('contracts')).toBe(before);
  });

  it('the firm form: a RUC taken, a phone with letters, a licence issued after today without its number', async () => {
    const res = await submit(manager, '/firms/new', '/firms', {
      ruc: RUC, name: 'Otra', representative_name: 'Ana', representative_dni: '1011741', sector: 'metalmecanica',
      phone: 'abc', email: '', address: '', licence_number: '', licence_issued_on: '2030-01-01', licence_expires_on: '',
    });
    expect(errorFields(res.text)).toEqual(['licence_issued_on', 'licence_number', 'phone', 'representative_dni', 'ruc']);
    const edit = await submit(manager, `/firms/${RUC}/edit`, `/firms/${RUC}`, {
      name: '', representative_name: 'Ana', representative_dni: '10117410', sector: 'metalmecanica',
      phone: '', email: '', address: '', licence_number: 'L-1', licence_issued_on: '2030-01-01', licence_expires_on: '',
    });
    expect(errorFields(edit.text)).toEqual(['licence_issued_on', 'name']);
  });

  it('the lot form: a code taken with a bad area and no price', async () => {
    const res = await submit(manager, '/lots/new', '/lots', { code: 'a-02', area_m2: 'grande', land_use: 'metalworking', owner: 'municipal', price_per_m2: '' });
    expect(errorFields(res.text)).toEqual(['area_m2', 'code', 'price_per_m2']);
    expect(textOf(res.text)).toContain('A-02');
  });

  it('the payment form: a future date, a transfer without reference and no amount; a date before 2000 (item 21)', async () => {
    const page = `/contracts/${contractId}/payments/new`;
    const res = await submit(manager, page, `/contracts/${contractId}/payments`, { date: '2027-01-01', amount: '', method: 'transfer', reference: '' });
    expect(res.status).toBe(400);
    expect(errorFields(res.text)).toEqual(['amount', 'date', 'reference']);
    const early = await submit(manager, page, `/contracts/${contractId}/payments`, { date: '1999-06-01', amount: '10', method: 'cash', reference: '' });
    expect(early.status).toBe(400);
    expect(textOf(early.text)).toContain('La fecha no puede ser anterior al 01/01/2000: revise el año.');
    expect(await count('receipts')).toBe(0);
  });
});

describe('the edit form of a sold lot (item 21)', () => {
  it('shows area and owner as text with the reason, not as inputs', async () => {
    const html = (await manager.get('/lots/A-01/edit')).text;
    expect(html).not.toContain('id="f-area_m2"');
    expect(html).not.toContain('id="f-owner"');
    const text = textOf(html);
    expect(text).toContain('Este lote tiene contrato: su área y su propietario no se pueden cambiar.');
    expect(text).toMatch(/Área \(m²\)\s+1,000\.00 m²/);
    const free = (await manager.get('/lots/A-02/edit')).text;
    expect(free).toContain('id="f-area_m2"');
  });

  it('saves the price of a sold lot with the area and owner it keeps', async () => {
    const res = await submit(manager, '/lots/A-01/edit', '/lots/A-01', { area_m2: '1000.00', land_use: 'metalworking', owner: 'municipal', price_per_m2: '120' });
    expect(res.status).toBe(303);
    const changed = await submit(manager, '/lots/A-01/edit', '/lots/A-01', { area_m2: '900', land_use: 'metalworking', owner: 'ministry', price_per_m2: '' });
    expect(errorFields(changed.text)).toEqual(['area_m2', 'owner', 'price_per_m2']);
  });
});
