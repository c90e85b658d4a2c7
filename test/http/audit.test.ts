import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type Agent, type TestApp } from '../support/app.ts';
import { audit } from '../../src/audit/audit.ts';

let t: TestApp;
let admin: Agent;

beforeAll(async () => {
  t = await testApp();
  admin = await login(t.app, 'admin');
  const gerente = await login(t.app, 'gerente');
  const res = await submit(gerente, '/lots/new', '/lots', { code: 'C-07', area_m2: '1250.50', land_use: 'metalworking', owner: 'municipal', price_per_m2: '85.00' });
  expect(res.status).toBe(303);
  await submit(gerente, '/lots/C-07/edit', '/lots/C-07', { area_m2: '1250.50', land_use: 'metalworking', owner: 'municipal', price_per_m2: '90.00' });
});
afterAll(async () => { await t.close(); });

const rowsOf = (html: string) => [...html.matchAll(/<tr>\s*<td data-label="Fecha y hora">([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!));

describe('the audit log page (GET /audit)', () => {
  it('shows the latest entries first, with who, the action in words and what changed', async () => {
    const res = await admin.get('/audit');
    expect(res.status).toBe(200);
    const rows = rowsOf(res.text);
    expect(rows[0]).toContain('gerente Lote modificado Lote C-07 Precio por m²: S/ 85.00 → S/ 90.00');
    expect(rows[1]).toContain('gerente Lote creado Lote C-07');
    expect(rows[1]).toContain('Área: 1,250.50 m²');
    expect(rows[1]).toContain('Uso: Metalmecánica');
    expect(res.text).toContain('<a href="/lots/C-07">C-07</a>');
    expect(textOf(res.text)).toContain('Ingreso'); // the logins of admin and gerente
  });

  it('filters by action, user and record kind, keeping the choice in the form', async () => {
    const byAction = await admin.get('/audit?action=lot.create');
    expect(rowsOf(byAction.text)).toHaveLength(1);
    expect(byAction.text).toContain('<option value="lot.create" selected>Lote creado</option>');
    const byUser = rowsOf((await admin.get('/audit?user=admin')).text);
    expect(byUser.length).toBeGreaterThan(0);
    expect(byUser.every((r) => / admin /.test(` ${r} `))).toBe(true);
    const byEntity = rowsOf((await admin.get('/audit?entity=lot')).text);
    expect(byEntity).toHaveLength(2);
    const none = await admin.get('/audit?action=lot.transfer');
    expect(textOf(none.text)).toContain('No hay registros con estos filtros.');
  });

  it('shows 50 entries a page, with links to older and newer ones that keep the filters', async () => {
    for (let i = 1; i <= 120; i++) {
      await audit(t.db, { id: null, username: 'system' }, 'demo.tick', 'route', `tick-${i}`, { n: i });
    }
    const first = await admin.get('/audit?action=demo.tick');
    const text = textOf(first.text);
    expect(text).toContain('Mostrando 1–50 de 120');
    expect(rowsOf(first.text)).toHaveLength(50);
    expect(rowsOf(first.text)[0]).toContain('tick-120');
    const html = first.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(html).toContain('href="/audit?action=demo.tick&page=2"');
    const last = await admin.get('/audit?action=demo.tick&page=3');
    expect(textOf(last.text)).toContain('Mostrando 101–120 de 120');
    expect(rowsOf(last.text)).toHaveLength(20);
    expect(rowsOf(last.text).at(-1)).toContain('tick-1 ');
    // An action no area has words for is shown by its code; a page past the end shows the last.
    expect(rowsOf(last.text)[0]).toContain('demo.tick');
    expect(textOf((await admin.get('/audit?action=demo.tick&page=99')).text)).toContain('Mostrando 101–120 de 120');
  });

  it('is for administrators only (403 for manager and finance)', async () => {
    for (const username of ['gerente', 'finanzas']) {
      const agent = await login(t.app, username);
      expect((await agent.get('/audit')).status, username).toBe(403);
    }
  });
});
