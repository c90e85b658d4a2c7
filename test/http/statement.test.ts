// The statement of account: page and CSV as of a date (exact rows), and the contract page's panel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, textOf, PASSWORD, type TestApp, type Agent } from '../support/app.ts';
import { createUser } from '../../src/auth/service.ts';
import { sale, setRates, pay } from '../service/sales-fixtures.ts';

let t: TestApp;
let manager: Agent;
let c: { id: number; firm_ruc: string };
let other: { id: number };
const text = textOf; // textOf already folds the no-break space that es-PE puts after "S/"

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  c = await sale(t.db, { date: '2026-06-10', today: t.today });
  await pay(t.db, c.id, '2026-06-10', 1_500_000, t.today);
  await pay(t.db, c.id, '2026-07-10', 141_667, t.today);
  await pay(t.db, c.id, '2026-08-10', 70_000, t.today, 'deposit');
  other = await sale(t.db, { date: '2026-06-10', today: t.today });
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('GET /contracts/<id>/statement.csv', () => {
  it('has exactly the contract columns, one row per schedule row, as of the date asked', async () => {
    const res = await manager.get(`/contracts/${c.id}/statement.csv?as_of=2026-09-15`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.text.trim().split('\n');
    expect(lines).toHaveLength(62);
    expect(lines.slice(0, 6)).toEqual([
      'n,due_date,installment,paid,late_fee,outstanding,status',
      '0,2026-06-10,15000.00,15000.00,0.00,0.00,paid',
      '1,2026-07-10,1416.67,1416.67,0.00,0.00,paid',
      // 716.67 unpaid from 11 Aug to 15 Sep (36 days) at 1.2%: 71667 × 0.0144 = 1032.00
      '2,2026-08-10,1416.67,700.00,10.32,726.99,overdue',
      // 1416.67 unpaid from 11 to 15 Sep (5 days): 141667 × 0.002 = 283.33 → 2.83
      '3,2026-09-10,1416.67,0.00,2.83,1419.50,overdue',
      '4,2026-10-10,1416.67,0.00,0.00,1416.67,pending',
    ]);
    expect(lines[61]).toBe('60,2031-06-10,1416.47,0.00,0.00,1416.47,pending');
  });

  it('a row paid in part before its due date is partial', async () => {
    const res = await manager.get(`/contracts/${c.id}/statement.csv?as_of=2026-08-10`);
    expect(res.text.split('\n')[3]).toBe('2,2026-08-10,1416.67,700.00,0.00,716.67,partial');
  });

  it('refuses a bad as_of (400)', async () => {
    expect((await manager.get(`/contracts/${c.id}/statement.csv?as_of=2026-02-30`)).status).toBe(400);
  });
});

describe('GET /contracts/<id>/statement', () => {
  it('shows the summary with late fees, the rows with their status, and the receipts', async () => {
    const res = await manager.get(`/contracts/${c.id}/statement?as_of=2026-09-15`);
    expect(res.status).toBe(200);
    const body = text(res.text);
    expect(body).toContain('Estado de cuenta · CV-2026-0001');
    expect(body).toContain('Saldo total adeudado al 15/09/2026 S/ 82,896.48');
    expect(body).toContain('Vencido (incluye mora) S/ 2,146.49');
    expect(body).toContain('Mora pendiente S/ 13.15');
    expect(body).toMatch(/2 10\/08\/2026 S\/ 1,416.67 S\/ 10.32 S\/ 700.00 S\/ 726.99 Vencida/);
    expect(body).toMatch(/Cuota inicial 10\/06\/2026 S\/ 15,000.00 S\/ 0.00 S\/ 15,000.00 S\/ 0.00 Pagada/);
    expect(body).toContain('R001-00000003 10/08/2026 S/ 700.00 Depósito bancario · OP-2026-08-10 2 S/ 0.00 Válido');
    expect(body).toContain('Próximo vencimiento S/ 1,416.67 10/10/2026');
  });

  it('the contract page carries the payments panel', async () => {
    const res = await manager.get(`/contracts/${c.id}`);
    expect(res.status).toBe(200);
    const body = text(res.text);
    expect(body).toContain('Pagos y estado de cuenta');
    expect(body).toContain('Registrar pago');
    expect(body).toContain('R001-00000001');
  });

  it('a buyer reads its own statement and gets 404 for another firm’s', async () => {
    await createUser(t.db, { username: 'comprador2', role: 'buyer', password: PASSWORD, firm_ruc: c.firm_ruc });
    const buyer = await login(t.app, 'comprador2');
    expect((await buyer.get(`/contracts/${c.id}/statement`)).status).toBe(200);
    expect((await buyer.get(`/contracts/${c.id}/statement.csv`)).status).toBe(200);
    expect((await buyer.get(`/contracts/${other.id}/statement`)).status).toBe(404);
    expect((await buyer.get(`/contracts/${other.id}/statement.csv`)).status).toBe(404);
    const panel = text((await buyer.get(`/contracts/${c.id}`)).text);
    expect(panel).not.toContain('Registrar pago');
  });
});
