import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAccounts } from '../../src/accounts/maintain.ts';
import request from 'supertest';
import { testApp, login, submit, csrfFrom, textOf, PASSWORD, type Agent, type TestApp } from '../support/app.ts';
import { createUser } from '../../src/auth/service.ts';
import { countRows, fieldError } from './lots-helpers.ts';

let t: TestApp;
let gerente: Agent;

/** HTML with attribute escapes undone (Handlebars writes = as &#x3D;), as a browser reads links. */
const attrs = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

const lotC07 = { code: 'C-07', area_m2: '1250.50', land_use: 'metalworking', owner: 'municipal', price_per_m2: '85.00' };

beforeAll(async () => {
  t = await testApp();
  gerente = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('creating a lot (POST /lots)', () => {
  it('creates the lot, redirects to its page and shows its list price to the céntimo', async () => {
    const res = await submit(gerente, '/lots/new', '/lots', lotC07);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/lots/C-07');
    const row = await t.db('lots').where({ code: 'C-07' }).first();
    expect(row).toMatchObject({ block: 'C', number: 7, area_dm2: 125050, land_use: 'metalworking', owner: 'municipal', price_per_m2_cents: 8500, status: 'available' });
    const page = textOf((await gerente.get('/lots/C-07')).text);
    expect(page).toContain('Lote C-07');
    expect(page).toContain('1,250.50 m²');
    expect(page).toContain('Metalmecánica');
    // 1,250.50 m² × S/ 85.00 = S/ 106,292.50
    expect(page).toContain('S/ 106,292.50');
    expect(page).toContain('Lote creado');
    const audits = await t.db('audit_log').where({ action: 'lot.create', entity: 'lot', entity_id: 'C-07' });
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].details)).toMatchObject({ area_dm2: [null, 125050], price_per_m2_cents: [null, 8500] });
    expect(audits[0].username).toBe('gerente');
  });

  it('writes the code in capitals, with block and number taken from it', async () => {
    const res = await submit(gerente, '/lots/new', '/lots', { ...lotC07, code: ' ab-112 ', area_m2: '300' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/lots/AB-112');
    expect(await t.db('lots').where({ code: 'AB-112' }).first()).toMatchObject({ block: 'AB', number: 112, area_dm2: 30000 });
  });

  it('refuses a malformed code with the message next to the code field, writing nothing', async () => {
    const before = await countRows(t.db, 'lots');
    for (const code of ['C7', 'C-0', 'ABCD-1', 'C-1234', '']) {
      const res = await submit(gerente, '/lots/new', '/lots', { ...lotC07, code });
      expect(res.status, code).toBe(400);
      expect(fieldError(res.text, 'code'), code).toBe(code === ''
        ? 'Este campo es obligatorio.'
        : 'Escriba el código como manzana y número: de 1 a 3 letras, un guion y de 1 a 3 dígitos (ej. C-07).');
    }
    expect(await countRows(t.db, 'lots')).toBe(before);
  });

  it('refuses a bad area, land use, owner and price, each next to its field, and keeps what was typed', async () => {
    const before = await countRows(t.db, 'lots');
    const res = await submit(gerente, '/lots/new', '/lots', { code: 'D-01', area_m2: '12,5', land_use: 'mining', owner: 'private', price_per_m2: '0' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'area_m2')).toBe('Escriba el área en m² con punto decimal y hasta dos decimales (ej. 1250.50).');
    expect(fieldError(res.text, 'land_use')).toBe('Elija una de las opciones.');
    expect(fieldError(res.text, 'owner')).toBe('Elija una de las opciones.');
    expect(fieldError(res.text, 'price_per_m2')).toBe('El monto debe ser mayor que cero.');
    expect(textOf(res.text)).toContain('Revise los campos marcados.');
    expect(res.text).toContain('value="D-01"');
    expect(await countRows(t.db, 'lots')).toBe(before);

    const zero = await submit(gerente, '/lots/new', '/lots', { ...lotC07, code: 'D-01', area_m2: '0.00' });
    expect(zero.status).toBe(400);
    expect(fieldError(zero.text, 'area_m2')).toBe('El área debe ser mayor que cero.');
    expect(await countRows(t.db, 'lots')).toBe(before);
  });

  it('refuses a code already in the park (409), however its zeros are written', async () => {
    const before = await countRows(t.db, 'lots');
    for (const code of ['C-07', 'C-7', 'c-007']) {
      const res = await submit(gerente, '/lots/new', '/lots', { ...lotC07, code });
      expect(res.status, code).toBe(409);
      expect(fieldError(res.text, 'code')).toBe('Ya existe el lote C-07 en el parque.');
    }
    expect(await countRows(t.db, 'lots')).toBe(before);
    expect(await countRows(t.db, 'audit_log', { action: 'lot.create' })).toBe(2);
  });

  it('refuses a form without its CSRF token (403) and writes nothing', async () => {
    const before = await countRows(t.db, 'lots');
    const res = await gerente.post('/lots').type('form').send({ ...lotC07, code: 'E-01' });
    expect(res.status).toBe(403);
    expect(await countRows(t.db, 'lots')).toBe(before);
  });
});

describe('the park has 80 ha', () => {
  let t2: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t2 = await testApp();
    agent = await login(t2.app, 'gerente');
    // Roads and green areas take 799,000.00 m² of the 800,000 m².
    await t2.db('common_areas').insert({ name: 'Vías', kind: 'road', area_dm2: 79_900_000, created_at: '2026-01-01T00:00:00Z' });
  });
  afterAll(async () => { await t2.close(); });

  it('takes a lot that fills the park exactly, and refuses the next one saying by how many m²', async () => {
    const ok = await submit(agent, '/lots/new', '/lots', { ...lotC07, code: 'A-01', area_m2: '1000.00' });
    expect(ok.status).toBe(303);
    const res = await submit(agent, '/lots/new', '/lots', { ...lotC07, code: 'A-02', area_m2: '0.01' });
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'area_m2')).toBe('Con este cambio los lotes y las áreas comunes superarían las 80 ha del parque en 0.01 m².');
    expect(await countRows(t2.db, 'lots')).toBe(1);
  });

  it('refuses to enlarge a lot past the park, and lets it shrink', async () => {
    const grow = await submit(agent, '/lots/A-01/edit', '/lots/A-01', { area_m2: '1250.50', land_use: 'metalworking', owner: 'municipal', price_per_m2: '85.00' });
    expect(grow.status).toBe(409);
    expect(fieldError(grow.text, 'area_m2')).toBe('Con este cambio los lotes y las áreas comunes superarían las 80 ha del parque en 250.50 m².');
    expect((await t2.db('lots').where({ code: 'A-01' }).first()).area_dm2).toBe(100_000);
    const shrink = await submit(agent, '/lots/A-01/edit', '/lots/A-01', { area_m2: '900.00', land_use: 'metalworking', owner: 'municipal', price_per_m2: '85.00' });
    expect(shrink.status).toBe(303);
    expect((await t2.db('lots').where({ code: 'A-01' }).first()).area_dm2).toBe(90_000);
  });

  it('lets a refused form be corrected and sent again: the page it comes back on carries its token', async () => {
    const refused = await submit(agent, '/lots/new', '/lots', { ...lotC07, code: 'E-02', area_m2: '50.00', price_per_m2: 'abc' });
    expect(refused.status).toBe(400);
    const again = await agent.post('/lots').type('form').send({ _csrf: csrfFrom(refused.text), ...lotC07, code: 'E-02', area_m2: '50.00' });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/lots/E-02');
  });
});

describe('editing a lot (POST /lots/<code>)', () => {
  it('changes the price and land use, records both in the history with before and after', async () => {
    const form = await gerente.get('/lots/C-07/edit');
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="1250.50"');
    expect(form.text).toContain('value="85.00"');
    const res = await submit(gerente, '/lots/C-07/edit', '/lots/C-07', { area_m2: '1250.50', land_use: 'carpentry', owner: 'municipal', price_per_m2: '90.00' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/lots/C-07');
    expect(await t.db('lots').where({ code: 'C-07' }).first()).toMatchObject({ land_use: 'carpentry', price_per_m2_cents: 9000, area_dm2: 125050 });
    const audit = await t.db('audit_log').where({ action: 'lot.update', entity_id: 'C-07' }).first();
    expect(JSON.parse(audit.details)).toEqual({ land_use: ['metalworking', 'carpentry'], price_per_m2_cents: [8500, 9000] });
    const page = textOf((await gerente.get('/lots/C-07')).text);
    expect(page).toContain('Lote modificado');
    expect(page).toContain('Precio por m²: S/ 85.00 → S/ 90.00');
    expect(page).toContain('Uso: Metalmecánica → Carpintería');
    // 1,250.50 m² × S/ 90.00 = S/ 112,545.00
    expect(page).toContain('S/ 112,545.00');
  });

  it('writes no audit row when nothing changed', async () => {
    const before = await countRows(t.db, 'audit_log', { action: 'lot.update' });
    const res = await submit(gerente, '/lots/C-07/edit', '/lots/C-07', { area_m2: '1250.5', land_use: 'carpentry', owner: 'municipal', price_per_m2: '90' });
    expect(res.status).toBe(303);
    expect(await countRows(t.db, 'audit_log', { action: 'lot.update' })).toBe(before);
  });

  it('refuses to change the area or owner of a lot under contract (409), but takes a new price', async () => {
    await submit(gerente, '/lots/new', '/lots', { ...lotC07, code: 'F-03', area_m2: '2000.00' });
    await t.db('lots').where({ code: 'F-03' }).update({ status: 'under_contract' });
    const res = await submit(gerente, '/lots/F-03/edit', '/lots/F-03', { area_m2: '2100.00', land_use: 'metalworking', owner: 'ministry', price_per_m2: '85.00' });
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'area_m2')).toBe('No se puede cambiar el área de un lote con contrato: el precio y el cronograma del contrato dependen de ella.');
    expect(fieldError(res.text, 'owner')).toBe('No se puede cambiar el propietario de un lote con contrato.');
    expect(await t.db('lots').where({ code: 'F-03' }).first()).toMatchObject({ area_dm2: 200000, owner: 'municipal' });
    expect(textOf((await gerente.get('/lots/F-03/edit')).text)).toContain('Este lote tiene contrato: su área y su propietario no se pueden cambiar.');
    const price = await submit(gerente, '/lots/F-03/edit', '/lots/F-03', { area_m2: '2000.00', land_use: 'metalworking', owner: 'municipal', price_per_m2: '95.50' });
    expect(price.status).toBe(303);
    expect((await t.db('lots').where({ code: 'F-03' }).first()).price_per_m2_cents).toBe(9550);
  });

  it('answers 404 for a lot that does not exist', async () => {
    expect((await gerente.get('/lots/Z-99')).status).toBe(404);
    expect((await gerente.get('/lots/Z-99/edit')).status).toBe(404);
    const page = await gerente.get('/lots/C-07/edit');
    const res = await gerente.post('/lots/Z-99').type('form').send({ _csrf: csrfFrom(page.text), area_m2: '1.00', land_use: 'commerce', owner: 'municipal', price_per_m2: '1.00' });
    expect(res.status).toBe(404);
  });
});

describe('transferring a ministry lot to the municipality', () => {
  beforeAll(async () => {
    const res = await submit(gerente, '/lots/new', '/lots', { ...lotC07, code: 'M-01', owner: 'ministry', land_use: 'fishing', area_m2: '3000.00', price_per_m2: '45.00' });
    expect(res.status).toBe(303);
  });

  it('refuses a missing resolution number and a date after today, writing nothing', async () => {
    const res = await submit(gerente, '/lots/M-01/transfer/new', '/lots/M-01/transfer', { resolution_number: '', resolution_date: '2026-11-26' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'resolution_number')).toBe('Este campo es obligatorio.');
    const future = await submit(gerente, '/lots/M-01/transfer/new', '/lots/M-01/transfer', { resolution_number: 'R.M. 045-2026-VIVIENDA', resolution_date: '2026-11-26' });
    expect(future.status).toBe(400);
    expect(fieldError(future.text, 'resolution_date')).toBe('La fecha no puede ser posterior a hoy.');
    const bad = await submit(gerente, '/lots/M-01/transfer/new', '/lots/M-01/transfer', { resolution_number: 'R.M. 045-2026-VIVIENDA', resolution_date: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'resolution_date')).toBe('Escriba una fecha válida (AAAA-MM-DD).');
    expect(await countRows(t.db, 'lot_transfers')).toBe(0);
    expect((await t.db('lots').where({ code: 'M-01' }).first()).owner).toBe('ministry');
  });

  it('records the resolution, makes the lot municipal and shows it on the lot page', async () => {
    const res = await submit(gerente, '/lots/M-01/transfer/new', '/lots/M-01/transfer', { resolution_number: 'R.M. 045-2026-VIVIENDA', resolution_date: '2026-11-25' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/lots/M-01');
    const lot = await t.db('lots').where({ code: 'M-01' }).first();
    expect(lot.owner).toBe('municipal');
    const rows = await t.db('lot_transfers').where({ lot_id: lot.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ resolution_number: 'R.M. 045-2026-VIVIENDA', resolution_date: '2026-11-25' });
    const page = textOf((await gerente.get('/lots/M-01')).text);
    expect(page).toContain('R.M. 045-2026-VIVIENDA 25/11/2026 gerente');
    expect(page).toContain('Lote transferido al municipio');
    expect(page).toContain('Propietario: Ministerio de Vivienda → Municipal');
  });

  it('refuses to transfer a municipal lot (409) with the reason', async () => {
    const page = await gerente.get('/lots/M-01/transfer/new');
    expect(textOf(page.text)).toContain('Este lote ya es municipal');
    const res = await gerente.post('/lots/M-01/transfer').type('form')
      .send({ _csrf: csrfFrom(page.text), resolution_number: 'R.M. 046-2026-VIVIENDA', resolution_date: '2026-11-25' });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('Este lote ya es municipal: solo los lotes del Ministerio de Vivienda se transfieren a la municipalidad.');
    expect(await countRows(t.db, 'lot_transfers')).toBe(1);
  });
});

describe('the catalogue (GET /lots)', () => {
  it('lists the lots with filters kept in the form, counts and the area balance', async () => {
    await submit(gerente, '/lots/new', '/lots', { ...lotC07, code: 'N-02', owner: 'ministry', land_use: 'warehousing', area_m2: '500.00', price_per_m2: '40.00' });
    const all = textOf((await gerente.get('/lots')).text);
    expect(all).toContain('Catálogo de lotes');
    expect(all).toContain('5 de 5 lotes');
    // Lots: C-07 1,250.50 + AB-112 300 + F-03 2,000 + M-01 3,000 (now municipal) + N-02 500 (ministry).
    expect(all).toContain('Lotes municipales 6,550.50 m²');
    expect(all).toContain('Lotes del Ministerio 500.00 m²');
    expect(all).toContain('Sin asignar 792,949.50 m²');
    // Sold: F-03 is under contract. Available: the other municipal lots.
    expect(all).toContain('Vendido (comprometido) 2,000.00 m²');
    expect(all).toContain('Disponible para venta 4,550.50 m²');

    const res = await gerente.get('/lots?owner=ministry');
    const text = textOf(res.text);
    expect(text).toContain('1 de 5 lotes');
    expect(text).toContain('N-02');
    expect(text).not.toContain('C-07');
    expect(res.text).toContain('<option value="ministry" selected>');
    expect(attrs(res.text)).toContain('href="/lots.csv?owner=ministry"');

    const byUse = textOf((await gerente.get('/lots?land_use=carpentry&status=available')).text);
    expect(byUse).toContain('1 de 5 lotes');
    expect(byUse).toContain('C-07');

    const byBlock = textOf((await gerente.get('/lots?block=ab')).text);
    expect(byBlock).toContain('1 de 5 lotes');
    expect(byBlock).toContain('AB-112');
  });

  it('sorts by a clicked column and flips on a second click', async () => {
    const codesIn = (html: string) => [...html.matchAll(/<a href="\/lots\/([A-Z]+-\d+)"><strong>/g)].map((m) => m[1]);
    const byCode = await gerente.get('/lots');
    expect(codesIn(byCode.text)).toEqual(['AB-112', 'C-07', 'F-03', 'M-01', 'N-02']);
    const byArea = await gerente.get('/lots?sort=area&dir=desc');
    expect(codesIn(byArea.text)).toEqual(['M-01', 'F-03', 'C-07', 'N-02', 'AB-112']);
    // The current column's link flips the direction; the others sort ascending.
    expect(attrs(byArea.text)).toContain('href="/lots?sort=area"');
    expect(attrs(byArea.text)).toContain('href="/lots?sort=price_m2"');
    // List price: M-01 3,000 × 45 = 135,000; F-03 2,000 × 95.50 = 191,000; C-07 112,545; N-02 20,000; AB-112 25,500.
    const byPrice = await gerente.get('/lots?sort=price');
    expect(codesIn(byPrice.text)).toEqual(['N-02', 'AB-112', 'C-07', 'M-01', 'F-03']);
  });

  it('shows the contracts signed on a lot on its page', async () => {
    const lot = await t.db('lots').where({ code: 'F-03' }).first();
    const now = new Date().toISOString();
    await t.db('firms').insert({ ruc: '20512333797', name: 'Metalmecánica Ilo S.A.C.', representative_name: 'Ana Quispe', representative_dni: '40123456', sector: 'metalworking', created_at: now, updated_at: now });
    await t.db('contracts').insert({
      number: 'CV-2026-0001', year: 2026, seq: 1, lot_id: lot.id, firm_ruc: '20512333797', date: '2026-03-15',
      list_price_cents: 19100000, price_cents: 19100000, down_payment_ppm: 150000, down_payment_cents: 2865000,
      financed_cents: 16235000, installment_count: 60, annual_rate_ppm: 0, rescission_threshold_ppm: 500000,
      status: 'active', created_at: now,
    });
    // Written outside the services: its account is made as the app does at start for such contracts.
    expect(await ensureAccounts(t.db)).toBe(1);
    const page = textOf((await gerente.get('/lots/F-03')).text);
    expect(page).toContain('CV-2026-0001 Metalmecánica Ilo S.A.C. 15/03/2026 S/ 191,000.00 Vigente');
    expect(textOf((await gerente.get('/lots/C-07')).text)).toContain('Este lote no tiene contratos.');
  });

  it('speaks English when asked', async () => {
    const agent = await login(t.app, 'finanzas');
    await agent.get('/lang/en?next=/lots');
    const text = textOf((await agent.get('/lots/C-07')).text);
    expect(text).toContain('Lot C-07');
    expect(text).toContain('Carpentry');
    expect(text).toContain('List price');
  });
});

describe('who may see and change lots', () => {
  it('sends a visitor who is not logged in to the login page', async () => {
    const res = await request(t.app).get('/lots');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Flots');
  });

  it('lets finance read the catalogue and a lot, but not create, edit, import or transfer (403)', async () => {
    const finanzas = await login(t.app, 'finanzas');
    const list = await finanzas.get('/lots');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('href="/lots/new"');
    expect((await finanzas.get('/lots/C-07')).status).toBe(200);
    expect((await finanzas.get('/lots.csv')).status).toBe(200);
    for (const url of ['/lots/new', '/lots/C-07/edit', '/lots/import/new', '/lots/M-01/transfer/new']) {
      expect((await finanzas.get(url)).status, url).toBe(403);
    }
    const before = await countRows(t.db, 'lots');
    const token = csrfFrom(list.text);
    expect((await finanzas.post('/lots').type('form').send({ _csrf: token, ...lotC07, code: 'G-01' })).status).toBe(403);
    expect((await finanzas.post('/lots/C-07').type('form').send({ _csrf: token, ...lotC07 })).status).toBe(403);
    expect((await finanzas.post('/lots/N-02/transfer').type('form').send({ _csrf: token, resolution_number: 'X', resolution_date: '2026-11-01' })).status).toBe(403);
    expect(await countRows(t.db, 'lots')).toBe(before);
    expect((await t.db('lots').where({ code: 'N-02' }).first()).owner).toBe('ministry');
  });

  it('refuses the catalogue, a lot page and the CSV to a buyer (403)', async () => {
    await createUser(t.db, { username: 'comprador', role: 'buyer', password: PASSWORD, firm_ruc: '20512333797' });
    const buyer = await login(t.app, 'comprador');
    for (const url of ['/lots', '/lots/C-07', '/lots.csv', '/lots/new']) {
      expect((await buyer.get(url)).status, url).toBe(403);
    }
  });

  it('lets the administrator create lots', async () => {
    const admin = await login(t.app, 'admin');
    const res = await submit(admin, '/lots/new', '/lots', { ...lotC07, code: 'H-01' });
    expect(res.status).toBe(303);
    expect((await t.db('audit_log').where({ action: 'lot.create', entity_id: 'H-01' }).first()).username).toBe('admin');
  });
});
