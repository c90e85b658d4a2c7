// A rescinded contract's account stops on the resolution's date: its statement and statement.csv,
// asked for today or any later date, are those of the resolution's date, so no late fee accrues on a
// contract that has ended (a sale of 05/03/2026 with only its down payment paid, rescinded on 10/07/2026).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, textOf, type Agent, type TestApp } from '../support/app.ts';
import { pay, sale, setRates, ACTOR } from '../service/sales-fixtures.ts';
import { rescindContract } from '../../src/delinquency/service.ts';

let t: TestApp;
let manager: Agent;
let id: number;

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  const c = await sale(t.db, { date: '2026-03-05', today: '2026-07-10' });
  id = c.id;
  await pay(t.db, id, '2026-03-05', 1_500_000, '2026-07-10');
  await rescindContract(t.db, id, { resolution_number: 'R.A. 77-2026', resolution_date: '2026-07-10', compensation_cents: 0, penalty_cents: 0 }, '2026-07-10', ACTOR);
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('the statement of a settled contract', () => {
  it('is the statement on the resolution date, whatever later date is asked for', async () => {
    const atResolution = await manager.get(`/contracts/${id}/statement.csv?as_of=2026-07-10`);
    const today = await manager.get(`/contracts/${id}/statement.csv`);
    const later = await manager.get(`/contracts/${id}/statement.csv?as_of=2026-11-20`);
    expect(atResolution.status).toBe(200);
    expect(today.text).toBe(atResolution.text);
    expect(later.text).toBe(atResolution.text);
    expect(today.headers['content-disposition']).toContain('2026-07-10');
  });

  it('charges late fees only until the resolution (installments 1 to 4 due 05/04 … 05/07)', async () => {
    const csv = (await manager.get(`/contracts/${id}/statement.csv`)).text.trim().split(/\r?\n/);
    const header = csv[0]!.split(',');
    const fee = header.indexOf('late_fee');
    expect(fee).toBeGreaterThan(-1);
    const fees = csv.slice(1, 7).map((l) => l.split(',')[fee]);
    // Installment 5 (due 05/08) was not yet due on 10/07: no fee; later rows none either.
    expect(fees[5]).toBe('0.00');
    // 1.2% a month on S/ 1,416.67 from each due date to 10/07: 96, 66, 35 and 5 days.
    expect(fees.slice(1, 5)).toEqual(['54.40', '37.40', '19.83', '2.83']);
    expect(csv[2]).toBe('1,2026-04-05,1416.67,0.00,54.40,1471.07,overdue');
  });

  it('says on the page that the account was closed on that date', async () => {
    const page = textOf((await manager.get(`/contracts/${id}/statement`)).text);
    expect(page).toContain('La cuenta quedó cerrada el 10/07/2026 con la liquidación del contrato');
    const before = textOf((await manager.get(`/contracts/${id}/statement?as_of=2026-06-01`)).text);
    expect(before).not.toContain('La cuenta quedó cerrada');
  });
});
