// The contract service as the payments area and the demo seed call it (no HTTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb } from '../support/app.ts';
import { insertFirm, insertLot, saleCounts, validRuc } from '../support/sales.ts';
import type { Db } from '../../src/db/knex.ts';
import { activateContract, markPaidOff, revertContractStatus, signContract, type SaleInput } from '../../src/contracts/service.ts';
import { loadContract } from '../../src/contracts/queries.ts';
import { FormError, HttpError } from '../../src/web/errors.ts';

let db: Db;
let dir: string;
const actor = { id: null, username: 'test' };
const RUC = validRuc('2072200001');
const OTHER = validRuc('2072200002');
const input = (lot_code: string, date = '2025-03-31', firm_ruc = RUC): SaleInput => ({
  lot_code, firm_ruc, date, price_cents: null, price_reason: null, member_number: null, joined_on: null,
});
const statusOf = async (id: number) => {
  const c = await db('contracts').where({ id }).first();
  const l = await db('lots').where({ id: c.lot_id }).first();
  return [c.status, l.status];
};

beforeAll(async () => {
  ({ db, dir } = await tempDb());
  await insertLot(db, { code: 'A-01', area_dm2: 100_000, price_per_m2_cents: 10_000 });
  await insertLot(db, { code: 'A-02', area_dm2: 100_000, price_per_m2_cents: 10_000 });
  await insertFirm(db, RUC, 'Servicio Demo', { number: 'S-1' });
  await insertFirm(db, OTHER, 'Otra Demo', { number: 'S-2' });
});
afterAll(async () => {
  await db.destroy();
  (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
});

describe('contract status steps', () => {
  it('activates on the down payment, pays off, and goes back on a reversal, moving the lot along', async () => {
    const id = await signContract(db, input('A-01'), actor, '2026-11-25');
    expect(await statusOf(id)).toEqual(['awaiting_down_payment', 'awaiting_down_payment']);

    await db.transaction((trx) => activateContract(trx, id, '2025-04-02', actor));
    expect(await statusOf(id)).toEqual(['active', 'under_contract']);
    expect((await db('contracts').where({ id }).first()).activated_on).toBe('2025-04-02');
    // a second call (e.g. a later receipt) changes nothing
    await db.transaction((trx) => activateContract(trx, id, '2025-05-01', actor));
    expect((await db('contracts').where({ id }).first()).activated_on).toBe('2025-04-02');

    await db.transaction((trx) => markPaidOff(trx, id, '2026-10-01', actor));
    expect(await statusOf(id)).toEqual(['paid_off', 'paid_off']);
    expect((await db('contracts').where({ id }).first()).paid_off_on).toBe('2026-10-01');

    await db.transaction((trx) => revertContractStatus(trx, id, 'active', '2026-11-20', actor, 'receipt R001-00000009 reversed'));
    expect(await statusOf(id)).toEqual(['active', 'under_contract']);
    await db.transaction((trx) => revertContractStatus(trx, id, 'awaiting_down_payment', '2026-11-21', actor, 'down payment reversed'));
    expect(await statusOf(id)).toEqual(['awaiting_down_payment', 'awaiting_down_payment']);

    const events = await db('contract_events').where({ contract_id: id }).orderBy('id');
    expect(events.map((e) => [e.kind, e.date])).toEqual([
      ['created', '2025-03-31'], ['activated', '2025-04-02'], ['paid_off', '2026-10-01'],
      ['reopened', '2026-11-20'], ['deactivated', '2026-11-21'],
    ]);
    // The payoff issues the constancia de cancelación and the reversal voids it, each in the audit log too.
    expect(await db('audit_log').where({ entity: 'contract', entity_id: String(id) }).orderBy('id').pluck('action')).toEqual([
      'contract.create', 'contract.activated', 'contract.paid_off', 'contract.certificate_issued',
      'contract.certificate_voided', 'contract.reopened', 'contract.deactivated',
    ]);
    expect(await db('payoff_certificates').where({ contract_id: id }).select('number', 'date', 'status'))
      .toEqual([{ number: 'CDC-2026-0001', date: '2026-10-01', status: 'void' }]);
  });

  it('refuses to pay off a contract that is not active (a programmer error)', async () => {
    const c = await db('contracts').first();
    await expect(db.transaction((trx) => markPaidOff(trx, c.id, '2026-11-25', actor))).rejects.toThrow(/cannot be paid off/);
  });
});

describe('one live contract per lot', () => {
  it('turns the database refusal of a second live contract into a 409 next to the lot, writing nothing', async () => {
    // A live contract on A-02 that the lot status does not show (e.g. a race on PostgreSQL):
    // the partial unique index is the last line of defence.
    const id = await signContract(db, input('A-02'), actor, '2026-11-25');
    await db('lots').where({ code: 'A-02' }).update({ status: 'available' });
    const before = await saleCounts(db);
    const err = await signContract(db, input('A-02', '2025-06-30', OTHER), actor, '2026-11-25').catch((e) => e);
    expect(err).toBeInstanceOf(FormError);
    expect((err as FormError).status).toBe(409);
    expect((err as FormError).fields.lot_code).toEqual({ key: 'contracts.lot_not_available', params: { code: 'A-02' } });
    expect(await saleCounts(db)).toEqual(before);
    expect(await db('contracts').where({ lot_id: (await db('contracts').where({ id }).first()).lot_id })).toHaveLength(1);
  });
});

describe('loadContract', () => {
  it('gives staff any contract and a buyer only its own (404 otherwise)', async () => {
    const c = await db('contracts').where({ firm_ruc: RUC }).first();
    const staff = await loadContract(db, String(c.id), { id: 1, username: 'g', role: 'manager', firm_ruc: null });
    expect(staff).toMatchObject({ number: c.number, lot_code: 'A-01', firm_name: 'Servicio Demo', lot_area_dm2: 100_000, price_cents: 10_000_000 });
    const own = await loadContract(db, c.id, { id: 2, username: 'b', role: 'buyer', firm_ruc: RUC });
    expect(own.id).toBe(c.id);
    const foreign = await loadContract(db, c.id, { id: 3, username: 'o', role: 'buyer', firm_ruc: OTHER }).catch((e) => e);
    expect(foreign).toBeInstanceOf(HttpError);
    expect((foreign as HttpError).status).toBe(404);
  });
});
