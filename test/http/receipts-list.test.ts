// The staff's receipts list: newest first, filtered by text, dates, method and status, a page at a
// time with the count and the total of the valid receipts for the whole filter; the CSV has every row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, textOf, type TestApp, type Agent } from '../support/app.ts';
import { pay, reverse, sale, setRates } from '../service/sales-fixtures.ts';

let t: TestApp;
let finance: Agent;
let a: { id: number; lot_code: string; firm_ruc: string };
const numbers: string[] = [];

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  a = await sale(t.db, { date: '2026-01-15', today: t.today });
  const b = await sale(t.db, { date: '2026-02-10', today: t.today });
  numbers.push(await pay(t.db, a.id, '2026-01-15', 1_500_000, t.today));
  numbers.push(await pay(t.db, b.id, '2026-02-10', 1_500_000, t.today, 'transfer'));
  numbers.push(await pay(t.db, a.id, '2026-02-15', 141_667, t.today, 'deposit'));
  // 52 small receipts on B, to need a second page.
  for (let i = 0; i < 52; i++) numbers.push(await pay(t.db, b.id, '2026-03-10', 1_000, t.today));
  await reverse(t.db, numbers[2]!, 'Depósito rechazado', t.today);
  finance = await login(t.app, 'finanzas');
});
afterAll(async () => { await t.close(); });

describe('GET /receipts', () => {
  it('lists every receipt newest first, 50 a page, with the count and the total of the valid ones', async () => {
    const res = await finance.get('/receipts');
    expect(res.status).toBe(200);
    const body = textOf(res.text);
    // 55 receipts; valid: 15,000 + 15,000 + 52 × 10.00 (the deposit of 1,416.67 was voided).
    expect(body).toContain('Recibos: 55 · total de los válidos: S/ 30,520.00');
    expect(body).toContain('Mostrando 1–50 de 55');
    expect(body.indexOf(numbers[54]!)).toBeLessThan(body.indexOf(numbers[10]!));
    expect(body).not.toContain(numbers[0]!); // the oldest is on page 2
    const two = textOf((await finance.get('/receipts?page=2')).text);
    expect(two).toContain('Mostrando 51–55 de 55');
    expect(two).toContain(`${numbers[0]} 15/01/2026`);
  });

  it('filters by method, status, dates and text (receipt, firm, RUC, lot)', async () => {
    const voided = textOf((await finance.get('/receipts?status=void')).text);
    expect(voided).toContain('Recibos: 1 · total de los válidos: S/ 0.00');
    expect(voided).toContain(`${numbers[2]} 15/02/2026`);
    expect(voided).toContain('Anulado');
    expect(textOf((await finance.get('/receipts?method=transfer')).text)).toContain('Recibos: 1 · total de los válidos: S/ 15,000.00');
    expect(textOf((await finance.get('/receipts?from=2026-01-01&to=2026-02-28')).text)).toContain('Recibos: 3 · total de los válidos: S/ 30,000.00');
    expect(textOf((await finance.get(`/receipts?q=${a.firm_ruc}`)).text)).toContain('Recibos: 2 · total de los válidos: S/ 15,000.00');
    expect(textOf((await finance.get(`/receipts?q=${a.lot_code.toLowerCase()}`)).text)).toContain('Recibos: 2 ·');
    expect(textOf((await finance.get(`/receipts?q=${numbers[1]}`)).text)).toContain('Recibos: 1 · total de los válidos: S/ 15,000.00');
  });

  it('a reversed date range is a message next to the filter (400), a repeated search too', async () => {
    const res = await finance.get('/receipts?from=2026-03-01&to=2026-02-01');
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('La fecha inicial es posterior a la final.');
    const twice = await finance.get('/receipts?q=a&q=b');
    expect(twice.status).toBe(400);
  });

  it('the CSV has every receipt of the filter, with its columns', async () => {
    const res = await finance.get('/receipts.csv?from=2026-01-01&to=2026-02-28');
    expect(res.status).toBe(200);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('number,date,contract,firm_ruc,firm,lot_code,amount,method,reference,status');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(new RegExp(`^${numbers[2]},2026-02-15,CV-2026-\\d{4},${a.firm_ruc},Empresa de prueba \\d+ S.A.C.,${a.lot_code},1416.67,deposit,OP-2026-02-15,void$`));
    expect((await finance.get('/receipts.csv')).text.trim().split('\n')).toHaveLength(56);
  });

  it('is for staff: a buyer gets 403', async () => {
    const { createUser } = await import('../../src/auth/service.ts');
    const { PASSWORD } = await import('../support/app.ts');
    await createUser(t.db, { username: 'empresa-a', role: 'buyer', password: PASSWORD, firm_ruc: a.firm_ruc });
    const buyer = await login(t.app, 'empresa-a');
    expect((await buyer.get('/receipts')).status).toBe(403);
  });
});
