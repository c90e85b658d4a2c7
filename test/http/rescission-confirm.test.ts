// Rescission in two steps (issue 11): GET …/rescission/new with the values and preview=1 shows the
// summary (received, compensation, penalty, refund, the account that pays it and its balance, the lot
// back in the catalogue, the receivable written off) and writes nothing; its confirm button posts the
// form with the previewed copy. A changed form, or a refund that would now be another, answers 409 with
// the new summary and writes nothing; as shown → 303 and the rescission exactly as summarised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, csrfFrom, textOf, type Agent, type TestApp } from '../support/app.ts';
import { pay, sale, setRates, ACTOR } from '../service/sales-fixtures.ts';
import { previewedFrom, STALE_PREVIEW } from '../support/previewed.ts';
import { validRuc } from '../support/sales.ts';
import { createProject, recordSpending } from '../../src/fund/service.ts';
import { fixedClock } from '../../src/clock.ts';
import type { Db } from '../../src/db/knex.ts';
import type { Cents } from '../../src/domain/money.ts';

let t: TestApp;
let manager: Agent;
const k: Record<'c' | 'c2' | 'fresh', { id: number; firm_ruc: string; lot_code: string }> = {} as never;
const STALE = STALE_PREVIEW;

async function counts(db: Db) {
  const n = async (table: string) => Number((await db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);
  return {
    rescissions: await n('rescissions'), journal_entries: await n('journal_entries'), journal_lines: await n('journal_lines'),
    contract_events: await n('contract_events'), audit_log: await n('audit_log'), receipts: await n('receipts'),
    rescinded: Number((await db('contracts').where({ status: 'rescinded' }).count<{ n: number }[]>({ n: '*' }))[0]!.n),
    available: Number((await db('lots').where({ status: 'available' }).count<{ n: number }[]>({ n: '*' }))[0]!.n),
  };
}

const summaryUrl = (id: number, v: Record<string, string>) => `/contracts/${id}/rescission/new?${new URLSearchParams({ ...v, preview: '1' })}`;

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  // Two sales of 05/03/2026 with only the down payment (S/ 15,000.00) paid: eight installments unpaid.
  for (const key of ['c', 'c2'] as const) {
    k[key] = await sale(t.db, { date: '2026-03-05', today: t.today });
    await pay(t.db, k[key].id, '2026-03-05', 1_500_000, t.today);
  }
  // Down payment paid this month: nothing overdue, no rescission.
  k.fresh = await sale(t.db, { date: '2026-11-01', today: t.today });
  await pay(t.db, k.fresh.id, '2026-11-01', 1_500_000, t.today);
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('the summary before a rescission', () => {
  it('shows received, kept, the refund, the fund that pays it and its balance, the lot and the write-off; writes nothing', async () => {
    const before = await counts(t.db);
    const res = await manager.get(summaryUrl(k.c.id, { resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', compensation: '3000.00', penalty: '500.00' }));
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain('Por la resolución R.A. 10-2026 del 25/11/2026 se resolverá el contrato CV-2026-0001. Nada se registra hasta que confirme.');
    expect(text).toContain('Recibido del comprador al 25/11/2026 S/ 15,000.00');
    expect(text).toContain('Menos: compensación por el uso del lote − S/ 3,000.00');
    expect(text).toContain('Menos: penalidad pactada − S/ 500.00');
    expect(text).toContain('A devolver al comprador S/ 11,500.00');
    // Receipts of the three contracts: 3 × S/ 15,000.00 in the fund (3101).
    expect(text).toContain('La devolución se carga a la cuenta 3101 Fondo de reinversión en infraestructura');
    expect(text).toContain('Saldo de esa cuenta al 25/11/2026 S/ 45,000.00');
    expect(text).toContain('El saldo de la cuenta 3101 cubre la devolución; después quedarán S/ 33,500.00.');
    expect(text).toContain(`Lote que vuelve al catálogo ${k.c.lot_code} · 1,000.00 m²: queda disponible para una nueva venta`);
    // S/ 100,000.00 scheduled at 0% less the S/ 15,000.00 down payment.
    expect(text).toContain('Cuentas por cobrar que se dan de baja S/ 85,000.00');
    expect(text).toContain('Confirmar y resolver el contrato');
    expect(previewedFrom(res.text)).toEqual({
      previewed_resolution_number: 'R.A. 10-2026', previewed_resolution_date: '2026-11-25', previewed_compensation: '3000.00',
      previewed_penalty: '500.00', previewed_refund: '11500.00',
    });
    expect(await counts(t.db)).toEqual(before);
  });

  it('keeps the refusals: not delinquent (409), keeping more than received (400 next to compensation), no summary', async () => {
    const fresh = await manager.get(summaryUrl(k.fresh.id, { resolution_number: 'R.A. 1', resolution_date: '2026-11-25', compensation: '0', penalty: '0' }));
    expect(fresh.status).toBe(409);
    expect(textOf(fresh.text)).toContain('Al 25/11/2026 hay 0 cuotas vencidas impagas: la ley exige tres (Código Civil, art. 1561).');
    expect(fresh.text).not.toContain('id="preview"');
    const over = await manager.get(summaryUrl(k.c.id, { resolution_number: 'R.A. 1', resolution_date: '2026-11-25', compensation: '15000.00', penalty: '0.01' }));
    expect(over.status).toBe(400);
    expect(over.text).toContain('id="e-compensation"');
    expect(over.text).not.toContain('id="preview"');
  });
});

describe('the summary in English', () => {
  it('reads in English, with the English name of the account', async () => {
    const agent = await login(t.app, 'admin');
    await agent.get('/lang/en?next=/');
    const res = await agent.get(summaryUrl(k.c.id, { resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', compensation: '3000.00', penalty: '500.00' }));
    const text = textOf(res.text);
    expect(text).toContain('To refund to the buyer S/ 11,500.00');
    expect(text).toContain('The refund is charged to account 3101 Infrastructure reinvestment fund');
    expect(text).toContain('The balance of account 3101 covers the refund; S/ 33,500.00 will remain.');
    expect(text).toContain('Confirm and rescind the contract');
    expect(text).not.toMatch(/rescission\.summary\.|preview\.update/);
  });
});

describe('confirming a rescission', () => {
  it('a form changed after the summary: 409, nothing written, the new summary; as shown: 303 and the books exactly so', async () => {
    const page = await manager.get(summaryUrl(k.c.id, { resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', compensation: '3000.00', penalty: '500.00' }));
    const shown = previewedFrom(page.text);
    const before = await counts(t.db);
    const res = await manager.post(`/contracts/${k.c.id}/rescission`).type('form').send({
      _csrf: csrfFrom(page.text), resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', compensation: '2000.00', penalty: '500.00', ...shown,
    });
    expect(res.status).toBe(409);
    const text = textOf(res.text);
    expect(text).toContain(STALE);
    expect(text).toContain('A devolver al comprador S/ 12,500.00');
    expect(await counts(t.db)).toEqual(before);
    expect((await t.db('contracts').where({ id: k.c.id }).first()).status).toBe('active');
    const again = previewedFrom(res.text);
    expect(again).toMatchObject({ previewed_compensation: '2000.00', previewed_refund: '12500.00' });

    // The refund shown must be the refund paid: a copy that says otherwise is out of date too.
    const wrongRefund = await manager.post(`/contracts/${k.c.id}/rescission`).type('form').send({
      _csrf: csrfFrom(res.text), resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', compensation: '2000.00', penalty: '500.00',
      ...again, previewed_refund: '11500.00',
    });
    expect(wrongRefund.status).toBe(409);
    expect(await counts(t.db)).toEqual(before);

    // As shown ('2,000' is '2000.00'): rescinded.
    const ok = await manager.post(`/contracts/${k.c.id}/rescission`).type('form').send({
      _csrf: csrfFrom(res.text), resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', compensation: '2,000', penalty: '500', ...again,
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/contracts/${k.c.id}`);
    expect(await t.db('rescissions').select('contract_id', 'resolution_number', 'resolution_date', 'received_cents', 'compensation_cents', 'penalty_cents', 'returned_cents'))
      .toEqual([{ contract_id: k.c.id, resolution_number: 'R.A. 10-2026', resolution_date: '2026-11-25', received_cents: 1_500_000,
        compensation_cents: 200_000, penalty_cents: 50_000, returned_cents: 1_250_000 }]);
    const entry = await t.db('journal_entries').where({ source_type: 'rescission' }).first('id', 'date');
    expect(entry.date).toBe('2026-11-25');
    const lines = await t.db('journal_lines').where({ entry_id: entry.id }).orderBy('id').select('account_code', 'debit_cents', 'credit_cents');
    expect(lines.map((l) => [l.account_code, Number(l.debit_cents), Number(l.credit_cents)])).toEqual([
      ['2101', 8_500_000, 0], ['1201', 0, 8_500_000], ['3101', 1_250_000, 0], ['1102', 0, 1_250_000],
    ]);
    expect((await t.db('lots').where({ code: k.c.lot_code }).first()).status).toBe('available');
    expect((await t.db('contracts').where({ id: k.c.id }).first()).status).toBe('rescinded');
  });

  it('says clearly when the fund does not cover the refund, and still lets the manager confirm', async () => {
    // The fund now holds 45,000.00 − 12,500.00 = 32,500.00; a works spending of 25,000.00 leaves 7,500.00.
    const project = await createProject(t.db, ACTOR, { code: 'VIAS-01', name: 'Pistas internas', budget_cents: 5_000_000 as Cents, status: 'in_progress', description: null });
    await recordSpending(t.db, fixedClock(t.today), ACTOR, project, {
      date: '2026-11-20', supplier_ruc: validRuc('2010007097'), supplier_name: 'Constructora Demo', document_number: 'F001-1',
      description: 'Asfaltado', amount_cents: 2_500_000 as Cents, confirm_over: false,
    });
    const page = await manager.get(summaryUrl(k.c2.id, { resolution_number: 'R.A. 11-2026', resolution_date: '2026-11-25', compensation: '0.00', penalty: '0.00' }));
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain('A devolver al comprador S/ 15,000.00');
    expect(text).toContain('Saldo de esa cuenta al 25/11/2026 S/ 7,500.00');
    expect(text).toContain('El saldo no alcanza. La cuenta 3101 tiene S/ 7,500.00 y la devolución es de S/ 15,000.00: faltan S/ 7,500.00.');
    expect(page.text).toContain('class="alert alert-error" role="alert"><strong>El saldo no alcanza.</strong>');
    const ok = await manager.post(`/contracts/${k.c2.id}/rescission`).type('form').send({
      _csrf: csrfFrom(page.text), resolution_number: 'R.A. 11-2026', resolution_date: '2026-11-25', compensation: '0.00', penalty: '0.00',
      ...previewedFrom(page.text),
    });
    expect(ok.status).toBe(303);
    expect((await t.db('rescissions').where({ contract_id: k.c2.id }).first()).returned_cents).toBe(1_500_000);
  });
});
