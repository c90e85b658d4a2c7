import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, textOf, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  const now = new Date().toISOString();
  const lot = (code: string, owner: string, status: string, outline: string | null) => ({
    code, block: code.split('-')[0], number: Number(code.split('-')[1]), area_dm2: 125050, land_use: 'metalmecanica',
    owner, price_per_m2_cents: 8500, status, outline, created_at: now, updated_at: now,
  });
  await t.db('lots').insert([
    lot('A-01', 'municipal', 'available', '[[0,0],[30,0],[30,40],[0,40]]'),
    lot('A-02', 'ministry', 'available', '[[35,0],[65,0],[65,40],[35,40]]'),
    lot('A-03', 'municipal', 'available', null),
  ]);
});
afterAll(async () => { await t.close(); });

const svgOf = (html: string) => html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));

describe('GET /map', () => {
  it('shows every lot with an outline as a linked shape with its status, owner and data', async () => {
    const agent = await login(t.app, 'gerente');
    const res = await agent.get('/map');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<a href="/lots/A-01" class="lot status-available owner-municipal" id="lot-A-01">');
    expect(res.text).toContain('<title>A-02 · 1,250.50 m² · Ministerio de Vivienda · Disponible</title>');
    // A-03 has no outline: not on the plan, but in the list under it.
    expect(svgOf(res.text)).not.toContain('href="/lots/A-03"');
    expect(res.text).toContain('href="/lots/A-03"');
    expect(textOf(res.text)).toContain('1 lotes no tienen contorno registrado');
  });

  it('shows the details of the lot asked for (?lot=, a tap from the list or the lot page), with links (issue 10 item 22)', async () => {
    const agent = await login(t.app, 'gerente');
    const res = await agent.get('/map?lot=a-01');
    expect(res.status).toBe(200);
    const details = textOf(res.text.slice(res.text.indexOf('id="details"'), res.text.indexOf('</section>', res.text.indexOf('id="details"'))));
    expect(details).toContain('Lote A-01');
    expect(details).toContain('Estado Disponible Área (m²) 1,250.50 m² Propietario Municipal');
    expect(res.text).toContain('href="/lots/A-01">Abrir la ficha del lote');
    expect(res.text).toContain('href="/contracts/new?lot=A-01">Vender este lote');
    expect(svgOf(res.text)).toContain('class="lot status-available owner-municipal selected"');
    expect(res.text).toContain('href="/map?lot=A-02#details"');
    expect(textOf((await agent.get('/map?lot=Z-99')).text)).toContain('No hay un lote Z-99 en el parque.');
  });

  it('filters by owner', async () => {
    const agent = await login(t.app, 'finanzas');
    const res = await agent.get('/map?owner=ministry');
    expect(svgOf(res.text)).toContain('href="/lots/A-02"');
    expect(res.text).not.toContain('href="/lots/A-01"');
    // The legend counts what the filter shows, not the whole park.
    expect(textOf(res.text)).toContain('Disponible: 1 (0 municipales)');
    expect(textOf(res.text)).toContain('Ministerio de Vivienda: 1');
  });

  it('sends a visitor to /login', async () => {
    const { default: request } = await import('supertest');
    const res = await request(t.app).get('/map');
    expect(res.status).toBe(303);
  });
});
