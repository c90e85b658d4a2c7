import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, textOf, type TestApp } from '../support/app.ts';
import { sale, pay, setRates } from '../service/sales-fixtures.ts';

const TODAY = '2026-11-25';
let t: TestApp;
let late: { id: number };
let waiting: { id: number };

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2020-01-01', 12_000]]);
  // Down payment paid, then nothing: installments due 30/07 … 30/10 are unpaid on 25/11 (4 of them).
  late = await sale(t.db, { date: '2026-06-30', today: TODAY });
  await pay(t.db, late.id, '2026-06-30', 1_500_000, TODAY);
  // Signed, its down payment never received.
  waiting = await sale(t.db, { date: '2026-11-10', today: TODAY });
  // On time.
  const good = await sale(t.db, { date: '2026-10-05', today: TODAY });
  await pay(t.db, good.id, '2026-10-05', 1_500_000, TODAY);
  await pay(t.db, good.id, '2026-11-05', 141_667, TODAY);
  const now = new Date().toISOString();
  await t.db('firms').where({ name: 'Empresa de prueba 3 S.A.C.' }).update({ licence_number: 'LP-7', licence_issued_on: '2025-12-01', licence_expires_on: '2026-12-01', updated_at: now });
});
afterAll(async () => { await t.close(); });

describe('staff home', () => {
  it('tells the manager what needs attention: three unpaid, the awaited down payment, licences', async () => {
    const agent = await login(t.app, 'gerente');
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    const number = (await t.db('contracts').where({ id: late.id }).first()).number;
    const waitingNumber = (await t.db('contracts').where({ id: waiting.id }).first()).number;
    expect(text).toContain('Tres o más cuotas impagas');
    expect(text).toMatch(new RegExp(`${number} · Empresa de prueba 1 S\\.A\\.C\\. · lote T-2 — 4 cuotas impagas, 118 días`));
    expect(text).toMatch(new RegExp(`${waitingNumber} · Empresa de prueba 2 S\\.A\\.C\\. · lote T-3 — S/ 15,000\\.00 desde el 10/11/2026 \\(15 días\\)`));
    expect(text).toContain('Empresa de prueba 3 S.A.C. — vence el 01/12/2026');
    expect(text).toContain('Contratos con cuotas vencidas 1');
    expect(text).not.toContain('Saldo del fondo de reinversión'); // the fund is finance's
  });

  it('shows finance the fund balance, equal to what was collected', async () => {
    const agent = await login(t.app, 'finanzas');
    const text = textOf((await agent.get('/')).text);
    expect(text).toContain('Saldo del fondo de reinversión S/ 31,416.67');
  });
});
