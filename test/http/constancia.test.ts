// The constancia de cancelación: issued with the payoff (CDC-YYYY-NNNN per year of the payoff date, no gaps),
// voided (never deleted) when the payoff's receipt is reversed, a new number on the next payoff; its printed
// page; who may see it; and the migration that gives one to contracts paid off before it existed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { testApp, login, textOf, tempDb, PASSWORD, type Agent, type TestApp } from '../support/app.ts';
import { pay, reverse, sale, setRates } from '../service/sales-fixtures.ts';
import { createUser } from '../../src/auth/service.ts';
import { migrate, migrationConfig } from '../../src/db/knex.ts';

const TODAY = '2026-11-25';
let t: TestApp;
let manager: Agent;
let buyer2: Agent;
const c = {} as Record<'p1' | 'p2' | 'p3' | 'live', { id: number; firm_ruc: string; lot_code: string }>;

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  // Each S/ 100,000: down 15,000.00 on the contract date and the 85,000.00 financed in one payment.
  c.p1 = await sale(t.db, { date: '2025-01-15', today: TODAY }); // CV-2025-0001
  await pay(t.db, c.p1.id, '2025-01-15', 1_500_000, TODAY); // R001-00000001
  await pay(t.db, c.p1.id, '2025-02-01', 8_500_000, TODAY); // R001-00000002: paid off → CDC-2025-0001
  c.p2 = await sale(t.db, { date: '2026-02-10', today: TODAY }); // CV-2026-0001
  await pay(t.db, c.p2.id, '2026-02-10', 1_500_000, TODAY); // R001-00000003
  await pay(t.db, c.p2.id, '2026-03-01', 8_500_000, TODAY, 'deposit'); // R001-00000004 → CDC-2026-0001
  c.p3 = await sale(t.db, { date: '2026-03-05', today: TODAY }); // CV-2026-0002
  await pay(t.db, c.p3.id, '2026-03-05', 1_500_000, TODAY); // R001-00000005
  await pay(t.db, c.p3.id, '2026-04-01', 8_500_000, TODAY, 'transfer'); // R001-00000006 → CDC-2026-0002
  await reverse(t.db, 'R001-00000006', 'Transferencia observada por el banco', TODAY); // CDC-2026-0002 void
  await pay(t.db, c.p3.id, '2026-04-02', 8_500_000, TODAY, 'transfer'); // R001-00000007 → CDC-2026-0003
  c.live = await sale(t.db, { date: '2026-06-10', today: TODAY }); // CV-2026-0003, active
  await pay(t.db, c.live.id, '2026-06-10', 1_500_000, TODAY);
  await createUser(t.db, { username: 'comprador-2', role: 'buyer', password: PASSWORD, firm_ruc: c.p2.firm_ruc });
  manager = await login(t.app, 'gerente');
  buyer2 = await login(t.app, 'comprador-2');
});
afterAll(async () => { await t.close(); });

describe('numbering, void and re-issue', () => {
  it('one row per payoff, numbered per year of the payoff date; the reversed payoff’s constancia void, not deleted', async () => {
    const rows = await t.db('payoff_certificates').orderBy('id')
      .select('number', 'contract_id', 'year', 'seq', 'date', 'firm_ruc', 'status', 'total_paid_cents', 'receipts', 'void_reason', 'issued_by');
    expect(rows.map((r) => ({ ...r, receipts: JSON.parse(r.receipts) }))).toEqual([
      { number: 'CDC-2025-0001', contract_id: c.p1.id, year: 2025, seq: 1, date: '2025-02-01', firm_ruc: c.p1.firm_ruc, status: 'valid',
        total_paid_cents: 10_000_000, void_reason: null, issued_by: 2, receipts: [
          { number: 'R001-00000001', date: '2025-01-15', amount_cents: 1_500_000 },
          { number: 'R001-00000002', date: '2025-02-01', amount_cents: 8_500_000 }] },
      { number: 'CDC-2026-0001', contract_id: c.p2.id, year: 2026, seq: 1, date: '2026-03-01', firm_ruc: c.p2.firm_ruc, status: 'valid',
        total_paid_cents: 10_000_000, void_reason: null, issued_by: 2, receipts: [
          { number: 'R001-00000003', date: '2026-02-10', amount_cents: 1_500_000 },
          { number: 'R001-00000004', date: '2026-03-01', amount_cents: 8_500_000 }] },
      { number: 'CDC-2026-0002', contract_id: c.p3.id, year: 2026, seq: 2, date: '2026-04-01', firm_ruc: c.p3.firm_ruc, status: 'void',
        total_paid_cents: 10_000_000, void_reason: 'Recibo R001-00000006 anulado: Transferencia observada por el banco', issued_by: 2, receipts: [
          { number: 'R001-00000005', date: '2026-03-05', amount_cents: 1_500_000 },
          { number: 'R001-00000006', date: '2026-04-01', amount_cents: 8_500_000 }] },
      { number: 'CDC-2026-0003', contract_id: c.p3.id, year: 2026, seq: 3, date: '2026-04-02', firm_ruc: c.p3.firm_ruc, status: 'valid',
        total_paid_cents: 10_000_000, void_reason: null, issued_by: 2, receipts: [
          { number: 'R001-00000005', date: '2026-03-05', amount_cents: 1_500_000 },
          { number: 'R001-00000007', date: '2026-04-02', amount_cents: 8_500_000 }] },
    ]);
    expect(await t.db('counters').where('name', 'like', 'CDC-%').orderBy('name').select('name', 'last_value'))
      .toEqual([{ name: 'CDC-2025', last_value: 1 }, { name: 'CDC-2026', last_value: 3 }]);
    expect(await t.db('audit_log').where('action', 'like', 'contract.certificate%').orderBy('id').pluck('action')).toEqual([
      'contract.certificate_issued', 'contract.certificate_issued', 'contract.certificate_issued', 'contract.certificate_voided', 'contract.certificate_issued',
    ]);
    expect(await t.db('contract_events').where({ contract_id: c.p3.id }).orderBy('id').pluck('kind'))
      .toEqual(['created', 'activated', 'paid_off', 'reopened', 'receipt_voided', 'paid_off']);
    expect(await t.db('payoff_certificates').where({ contract_id: c.live.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});

describe('the printed constancia', () => {
  it('names the municipality, the buyer, the lot, the price, each receipt, the total in words and the payoff date', async () => {
    const res = await manager.get(`/contracts/${c.p3.id}/constancia`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('is-void');
    const firm = (await t.db('firms').where({ ruc: c.p3.firm_ruc }).first()).name;
    const text = textOf(res.text).replace(/\u00a0/g, ' ');
    expect(text).toContain('Municipalidad Provincial de Ilo Parque Industrial de Ilo RUC por registrar Constancia de cancelación CDC-2026-0003 Emitido el 25/11/2026 12:00');
    expect(text).toContain(`La Municipalidad Provincial de Ilo hace constar que ${firm}, con RUC ${c.p3.firm_ruc}, representada por Ana Prueba, `
      + `DNI 12345678, ha pagado el 2 de abril de 2026 la totalidad del precio del lote ${c.p3.lot_code} del Parque Industrial de Ilo, `
      + 'de 1,000.00 m², objeto del contrato de compraventa CV-2026-0002 del 5 de marzo de 2026, por el precio de S/ 100,000.00, con los pagos que se detallan.');
    expect(text).toContain('Partida electrónica del lote por inscribir');
    expect(text).toContain('Precio S/ 100,000.00 (CIEN MIL CON 00/100 SOLES) Fecha de cancelación 02/04/2026');
    expect(text).toContain('Recibo Fecha Importe R001-00000005 05/03/2026 S/ 15,000.00 R001-00000007 02/04/2026 S/ 85,000.00 '
      + 'Total pagado (2 recibos) S/ 100,000.00');
    expect(text).toContain('Total pagado S/ 100,000.00 SON: CIEN MIL CON 00/100 SOLES');
    // Dated the day it was issued (the payoff date is above): the machine's day, as a receipt's timestamp.
    expect(text).toMatch(/para los fines de la formalización de su título de propiedad\. Ilo, \d{1,2} de [a-z]+ de \d{4}\./);
    expect(text).toContain('Gerente del Parque Industrial Municipalidad Provincial de Ilo Tesorería Municipalidad Provincial de Ilo');
    expect(text).not.toContain('R001-00000006');
  });

  it('a void one prints with its stamp and why; a number of another contract, or none, is a 404', async () => {
    const res = await manager.get(`/contracts/${c.p3.id}/constancia?number=CDC-2026-0002`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('class="contract-doc constancia is-void" data-void-label="ANULADA"');
    const text = textOf(res.text);
    expect(text).toMatch(/Constancia anulada el \d\d\/\d\d\/2026 \d\d:\d\d: el contrato dejó de estar pagado en su totalidad\. Motivo: Recibo R001-00000006 anulado: Transferencia observada por el banco/);
    expect(text).toContain('R001-00000006 01/04/2026');
    for (const url of [`/contracts/${c.p3.id}/constancia?number=CDC-2026-0001`, `/contracts/${c.p3.id}/constancia?number=x`,
      `/contracts/${c.live.id}/constancia`, '/contracts/999999/constancia']) {
      expect((await manager.get(url)).status, url).toBe(404);
    }
  });

  it('the contract page shows the valid one with its link, and the void one', async () => {
    const page = await manager.get(`/contracts/${c.p3.id}`);
    expect(page.text).toContain(`href="/contracts/${c.p3.id}/constancia"`);
    const text = textOf(page.text);
    expect(text).toContain('Constancia de cancelación Constancia N.º CDC-2026-0003: contrato pagado en su totalidad el 02/04/2026. Imprimir constancia');
    expect(text).toMatch(/CDC-2026-0002 anulada el \d\d\/\d\d\/2026 \d\d:\d\d: Recibo R001-00000006 anulado: Transferencia observada por el banco/);
    expect(text).toContain('Contrato pagado en su totalidad: el título aún no está inscrito.');
    const live = textOf((await manager.get(`/contracts/${c.live.id}`)).text);
    expect(live).toContain('Se emite al pagarse la última cuota.');
  });
});

describe('a buyer', () => {
  it('sees its own constancia, linked from its portal', async () => {
    const portal = await buyer2.get('/portal');
    expect(portal.text).toContain(`<a href="/contracts/${c.p2.id}/constancia">Constancia de cancelación</a>`);
    const res = await buyer2.get(`/contracts/${c.p2.id}/constancia`);
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain('Constancia de cancelación CDC-2026-0001');
  });

  it('gets the same 404 for another firm’s constancia as for one that does not exist', async () => {
    const none = await buyer2.get('/contracts/999999/constancia');
    for (const url of [`/contracts/${c.p3.id}/constancia`, `/contracts/${c.p3.id}/constancia?number=CDC-2026-0002`, `/contracts/${c.p1.id}/constancia`]) {
      const res = await buyer2.get(url);
      expect(res.status, url).toBe(404);
      expect(textOf(res.text)).toBe(textOf(none.text));
      expect(res.text.replace(/href="\/lang\/[^"]*"/g, ''), url).not.toContain('CDC-');
    }
  });
});

describe('the migration', () => {
  it('gives contracts already paid off their constancia, by payoff date, and each receipt its payer', async () => {
    const { db, dir } = await tempDb();
    try {
      // Back to the schema before this migration, with a history written as it was then.
      await db.migrate.down({ ...migrationConfig, name: '20261129000002_title.ts' } as never);
      expect(await db.schema.hasTable('payoff_certificates')).toBe(false);
      const now = new Date().toISOString();
      await db('firms').insert([
        { ruc: '20100000001', name: 'Uno S.A.C.', representative_name: 'A', representative_dni: '10117410', sector: 'otros', created_at: now, updated_at: now },
        { ruc: '20100000002', name: 'Dos S.A.C.', representative_name: 'B', representative_dni: '10117410', sector: 'otros', created_at: now, updated_at: now },
      ]);
      const contract = async (n: number, ruc: string, status: string, paid_off_on: string | null) => {
        await db('lots').insert({ id: n, code: `M-${n}`, block: 'M', number: n, area_dm2: 100_000, land_use: 'services', owner: 'municipal',
          price_per_m2_cents: 10_000, status: status === 'paid_off' ? 'paid_off' : 'under_contract', created_at: now, updated_at: now });
        await db('contracts').insert({ id: n, number: `CV-2024-000${n}`, year: 2024, seq: n, lot_id: n, firm_ruc: ruc, date: '2024-01-10',
          list_price_cents: 10_000_000, price_cents: 10_000_000, down_payment_ppm: 150_000, down_payment_cents: 1_500_000,
          financed_cents: 8_500_000, installment_count: 60, annual_rate_ppm: 0, rescission_threshold_ppm: 500_000, status,
          activated_on: '2024-01-10', paid_off_on, created_at: now });
      };
      await contract(1, '20100000001', 'paid_off', '2025-03-01');
      await contract(2, '20100000002', 'paid_off', '2024-09-30');
      await contract(3, '20100000002', 'active', null);
      const receipt = async (id: number, contract_id: number, date: string, amount_cents: number, status = 'valid') => db('receipts').insert({
        id, number: `R001-0000000${id}`, series: 'R001', correlative: id, contract_id, date, amount_cents, method: 'cash', created_at: now, status });
      await receipt(1, 1, '2024-01-10', 1_500_000);
      await receipt(2, 1, '2025-02-01', 100_000, 'void');
      await receipt(3, 1, '2025-03-01', 8_500_000);
      await receipt(4, 2, '2024-09-30', 10_000_000);
      await receipt(5, 3, '2024-01-10', 1_500_000);
      await db('counters').insert({ name: 'CDC-2024', last_value: 4 }); // numbers already used that year (say, on paper)
      await migrate(db);
      expect(await db('payoff_certificates').orderBy('id').select('number', 'contract_id', 'date', 'firm_ruc', 'total_paid_cents', 'status', 'receipts'))
        .toEqual([
          { number: 'CDC-2024-0005', contract_id: 2, date: '2024-09-30', firm_ruc: '20100000002', total_paid_cents: 10_000_000, status: 'valid',
            receipts: JSON.stringify([{ number: 'R001-00000004', date: '2024-09-30', amount_cents: 10_000_000 }]) },
          { number: 'CDC-2025-0001', contract_id: 1, date: '2025-03-01', firm_ruc: '20100000001', total_paid_cents: 10_000_000, status: 'valid',
            receipts: JSON.stringify([{ number: 'R001-00000001', date: '2024-01-10', amount_cents: 1_500_000 },
              { number: 'R001-00000003', date: '2025-03-01', amount_cents: 8_500_000 }]) },
        ]);
      expect(await db('receipts').orderBy('id').pluck('payer_ruc'))
        .toEqual(['20100000001', '20100000001', '20100000001', '20100000002', '20100000002']);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
