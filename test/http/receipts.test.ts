// Reversing a receipt over HTTP: the form on the receipt page, the reason required, the VOID mark,
// the statement recomputed, and a second reversal refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, csrfFrom, textOf, type TestApp, type Agent } from '../support/app.ts';
import { sale, setRates, pay } from '../service/sales-fixtures.ts';

let t: TestApp;
let manager: Agent;
let c: { id: number };
const text = textOf; // textOf already folds the no-break space that es-PE puts after "S/"

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  c = await sale(t.db, { date: '2026-06-10', today: t.today });
  await pay(t.db, c.id, '2026-06-10', 1_500_000, t.today);
  await pay(t.db, c.id, '2026-07-10', 141_667, t.today);
  await pay(t.db, c.id, '2026-08-10', 141_667, t.today);
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('POST /receipts/<number>/reverse', () => {
  it('requires a reason (400 next to the field), nothing written', async () => {
    const res = await submit(manager, '/receipts/R001-00000002', '/receipts/R001-00000002/reverse', { reason: '  ' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="e-reason"');
    expect(text(res.text)).toContain('Este campo es obligatorio.');
    expect((await t.db('receipts').where({ number: 'R001-00000002' }).first()).status).toBe('valid');
  });

  it('voids the receipt → 303 back to it, marked ANULADO with the reason; the statement replays without it', async () => {
    const res = await submit(manager, '/receipts/R001-00000002', '/receipts/R001-00000002/reverse', { reason: 'Depósito rechazado por el banco' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/receipts/R001-00000002');
    const receipt = await manager.get('/receipts/R001-00000002');
    const body = text(receipt.text);
    expect(receipt.text).toContain('class="receipt is-void"');
    expect(body).toContain('Recibo ANULADO el');
    expect(body).toContain('por gerente');
    expect(body).toContain('Motivo: Depósito rechazado por el banco');
    expect(body).not.toContain('Anular este recibo');
    // Installment 1 is now paid by R001-00000003 (dated 10/08/2026), 31 days late: 141667 × 0.012 × 31/30 = 1756.67 → 1757.
    const st = text((await manager.get(`/contracts/${c.id}/statement?as_of=2026-08-10`)).text);
    expect(st).toMatch(/1 10\/07\/2026 S\/ 1,416.67 S\/ 17.57 S\/ 1,416.67 S\/ 17.57 Vencida/);
    expect(st).toContain('R001-00000002 10/07/2026 S/ 1,416.67 Efectivo — Anulado Depósito rechazado por el banco');
  });

  it('a second reversal is refused (409) and changes nothing', async () => {
    const before = await t.db('journal_entries').count({ n: '*' });
    const page = await manager.get('/receipts/R001-00000002');
    const res = await manager.post('/receipts/R001-00000002/reverse').type('form').send({ _csrf: csrfFrom(page.text), reason: 'otra vez' });
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('Este recibo ya fue anulado.');
    expect(await t.db('journal_entries').count({ n: '*' })).toEqual(before);
  });

  it('finance may read receipts but not reverse them (403)', async () => {
    const finance = await login(t.app, 'finanzas');
    const page = await finance.get('/receipts/R001-00000003');
    expect(page.status).toBe(200);
    expect(text(page.text)).not.toContain('Anular este recibo');
    const res = await finance.post('/receipts/R001-00000003/reverse').type('form').send({ _csrf: csrfFrom(page.text), reason: 'x' });
    expect(res.status).toBe(403);
  });
});
