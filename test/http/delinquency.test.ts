// Delinquency by age (page and CSV), and the municipality's answers over HTTP: acceleration and
// rescission, each refused unless three installments are unpaid, rescission also beyond the threshold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, csrfFrom, textOf, type TestApp, type Agent } from '../support/app.ts';
import { sale, setRates, pay } from '../service/sales-fixtures.ts';

let t: TestApp;
let manager: Agent;
const k: Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f', { id: number; firm_ruc: string; lot_code: string }> = {} as never;
const text = textOf; // textOf already folds the no-break space that es-PE puts after "S/"

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  const today = t.today;
  k.a = await sale(t.db, { date: '2026-11-01', today }); // down paid, nothing due yet: current
  await pay(t.db, k.a.id, '2026-11-01', 1_500_000, today);
  k.b = await sale(t.db, { date: '2026-06-10', today }); // installments 4 and 5 unpaid: 46 days
  await pay(t.db, k.b.id, '2026-06-10', 1_500_000, today);
  await pay(t.db, k.b.id, '2026-07-10', 425_001, today);
  k.c = await sale(t.db, { date: '2026-03-05', today }); // only the down payment: 8 unpaid, 234 days
  await pay(t.db, k.c.id, '2026-03-05', 1_500_000, today);
  k.d = await sale(t.db, { date: '2026-03-05', today }); // awaiting its down payment: not listed
  k.f = await sale(t.db, { date: '2026-03-05', today }); // like c, for acceleration
  await pay(t.db, k.f.id, '2026-03-05', 1_500_000, today);
  await t.db('settings').where({ key: 'rescission_threshold_ppm' }).update({ value: '150000' });
  k.e = await sale(t.db, { date: '2026-03-05', today }); // like c, but rescission excluded from 15% paid
  await pay(t.db, k.e.id, '2026-03-05', 1_500_000, today);
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('GET /delinquency.csv', () => {
  it('has exactly the contract columns, oldest delay first', async () => {
    const res = await manager.get('/delinquency.csv?as_of=2026-11-25');
    expect(res.status).toBe(200);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('contract,firm_ruc,lot_code,oldest_due_date,days_late,bucket,overdue,late_fee,outstanding');
    const row = (x: { firm_ruc: string; lot_code: string }, n: string, rest: string) => `${n},${x.firm_ruc},${x.lot_code},${rest}`;
    // c: eight installments unpaid since 05/04/2026, late fees Σ 141667 × 0.012 × days/30 per row = 576.86
    expect(lines).toContain(row(k.c, 'CV-2026-0003', '2026-04-05,234,90+,11910.22,576.86,85576.86'));
    // b: installment 4 (46 days: 26.07) and 5 (15 days: 8.50) unpaid
    expect(lines).toContain(row(k.b, 'CV-2026-0002', '2026-10-10,46,31-60,2867.91,34.57,80784.56'));
    expect(lines).toContain(row(k.a, 'CV-2026-0001', ',0,current,0.00,0.00,85000.00'));
    expect(lines).toHaveLength(1 + 5); // a, b, c, e, f (d awaits its down payment)
    expect(lines[1]!.startsWith('CV-2026-0003,')).toBe(true);
  });

  it('filters by bucket', async () => {
    const res = await manager.get('/delinquency.csv?as_of=2026-11-25&bucket=31-60');
    expect(res.text.trim().split('\n')).toHaveLength(2);
  });
});

describe('GET /delinquency', () => {
  it('shows totals per bucket and flags the contracts the law allows acting on', async () => {
    const res = await manager.get('/delinquency?as_of=2026-11-25');
    expect(res.status).toBe(200);
    const body = text(res.text);
    expect(body).toContain('Al día 1 S/ 0.00 S/ 0.00 S/ 85,000.00');
    expect(body).toContain('31–60 días 1 S/ 2,867.91 S/ 34.57 S/ 80,784.56');
    expect(body).toContain('Más de 90 días 3 S/ 35,730.66 S/ 1,730.58 S/ 256,730.58');
    expect(body).toContain('CV-2026-0003 Art. 1561');
  });

  it('is for staff: finance reads it', async () => {
    const finance = await login(t.app, 'finanzas');
    expect((await finance.get('/delinquency')).status).toBe(200);
  });
});

describe('acceleration', () => {
  it('is refused (409) with two unpaid installments, saying why', async () => {
    const res = await submit(manager, `/contracts/${k.b.id}/acceleration/new`, `/contracts/${k.b.id}/acceleration`,
      { resolution_number: 'R.G. 10-2026', date: '2026-11-25' });
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('Al 25/11/2026 hay 2 cuotas vencidas impagas: la ley exige tres (Código Civil, art. 1561).');
    expect((await t.db('contracts').where({ id: k.b.id }).first()).accelerated_on).toBeNull();
  });

  it('with three or more: recorded → 303 to the statement, where every remaining row falls due that day', async () => {
    const res = await submit(manager, `/contracts/${k.f.id}/acceleration/new`, `/contracts/${k.f.id}/acceleration`,
      { resolution_number: 'R.G. 11-2026', date: '2026-11-20' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/contracts/${k.f.id}/statement`);
    const csv = (await manager.get(`/contracts/${k.f.id}/statement.csv?as_of=2026-11-25`)).text.trim().split('\n');
    expect(csv[10]).toBe('9,2026-11-20,1416.67,0.00,2.83,1419.50,overdue'); // scheduled 05/12/2026; 5 days: 283.33 → 2.83
    expect(csv[61]).toBe('60,2026-11-20,1416.47,0.00,2.83,1419.30,overdue');
    const body = text((await manager.get(`/contracts/${k.f.id}/statement`)).text);
    expect(body).toContain('Vencimiento anticipado desde el 20/11/2026 (resolución R.G. 11-2026)');
  });
});

describe('rescission', () => {
  it('beyond the threshold the page says why and offers acceleration; the POST is refused (409)', async () => {
    const page = text((await manager.get(`/contracts/${k.e.id}/rescission/new`)).text);
    expect(page).toContain('No procede la resolución: el comprador ya pagó el 15% del precio y el contrato la excluye desde el 15%');
    expect(page).toContain('Ir al vencimiento anticipado');
    const form = await manager.get(`/contracts/${k.e.id}/rescission/new`);
    const res = await manager.post(`/contracts/${k.e.id}/rescission`).type('form').send({
      _csrf: csrfFrom(form.text), resolution_number: 'R.A. 9', resolution_date: '2026-11-25', compensation: '0.00', penalty: '0.00',
    });
    expect(res.status).toBe(409);
    expect(await t.db('rescissions').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('refuses keeping more than was received (400 next to compensation)', async () => {
    const res = await submit(manager, `/contracts/${k.c.id}/rescission/new`, `/contracts/${k.c.id}/rescission`,
      { resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', compensation: '15000.00', penalty: '0.01' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="e-compensation"');
    expect(text(res.text)).toContain('La compensación más la penalidad superan lo recibido');
  });

  it('rescinds → 303 to the contract: returned = received − compensation − penalty, lot available again', async () => {
    const page = text((await manager.get(`/contracts/${k.c.id}/rescission/new`)).text);
    expect(page).toContain('Recibido del comprador al 25/11/2026 S/ 15,000.00');
    expect(page).toContain('Parte del precio pagada 15%');
    const res = await submit(manager, `/contracts/${k.c.id}/rescission/new`, `/contracts/${k.c.id}/rescission`,
      { resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', compensation: '3000.00', penalty: '500.00' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/contracts/${k.c.id}`);
    expect(await t.db('rescissions').where({ contract_id: k.c.id }).first()).toMatchObject({
      received_cents: 1_500_000, compensation_cents: 300_000, penalty_cents: 50_000, returned_cents: 1_150_000,
    });
    expect((await t.db('lots').where({ code: k.c.lot_code }).first()).status).toBe('available');
    const body = text((await manager.get(`/contracts/${k.c.id}`)).text);
    expect(body).toContain('Contrato resuelto el 25/11/2026 (resolución R.A. 10-2026)');
    expect(body).toContain('Devuelto al comprador S/ 11,500.00'); // the settlement card (views/partials/contract-settlement.hbs)
    // Gone from delinquency; its receipts remain.
    expect((await manager.get('/delinquency.csv')).text).not.toContain('CV-2026-0003');
    expect(await t.db('receipts').where({ contract_id: k.c.id, status: 'valid' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});

describe('delinquency as of a past date', () => {
  it('lists a contract paid off since then as it stood that day, and not after', async () => {
    const today = t.today;
    const g = await sale(t.db, { date: '2026-05-20', today }); // down payment, then nothing until paid off
    await pay(t.db, g.id, '2026-05-20', 1_500_000, today);
    // Pay off everything on 20/11: the refusal of a too-large payment states the exact maximum.
    const refused = await pay(t.db, g.id, '2026-11-20', 99_999_999, today).then(() => null, (e) => e);
    const maxText = /[\d,]+\.\d{2}/.exec(String(refused?.fields?.amount?.params?.max))![0];
    const max = Number(maxText.replace(/[,.]/g, ''));
    await pay(t.db, g.id, '2026-11-20', max, today);
    expect((await t.db('contracts').where({ id: g.id }).first()).status).toBe('paid_off');
    const number = (await t.db('contracts').where({ id: g.id }).first()).number;
    const before = await manager.get('/delinquency.csv?as_of=2026-10-01');
    // On 01/10 installments 1–4 (due 20/06 … 20/09) were unpaid: 103 days since 20/06.
    expect(before.text).toMatch(new RegExp(`^${number},${g.firm_ruc},${g.lot_code},2026-06-20,103,90\\+,`, 'm'));
    const after = await manager.get('/delinquency.csv?as_of=2026-11-25');
    expect(after.text).not.toContain(`${number},`);
  });
});
