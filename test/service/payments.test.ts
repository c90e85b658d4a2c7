// Recording payments through the service on a fresh database: how each payment is applied (exact
// céntimos), the receipt's numbering, allocation snapshot and the contract's status steps.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { accountOf } from '../../src/payments/account.ts';
import { findContractView } from '../../src/contracts/queries.ts';
import { FormError } from '../../src/web/errors.ts';
import { pay, sale, setRates } from './sales-fixtures.ts';

const TODAY = '2026-11-25';
let db: Db;
let dir: string;

beforeEach(async () => {
  ({ db, dir } = await tempDb());
  await setRates(db, [['2010-01-01', 12000]]); // 1.2% a month
});
afterEach(async () => {
  await db.destroy();
  const fs = await import('node:fs');
  fs.rmSync(dir, { recursive: true, force: true });
});

async function statementOf(id: number, as_of = TODAY) {
  const c = (await findContractView(db, id))!;
  return (await accountOf(db, c, as_of)).statement;
}

async function allocations(number: string) {
  const r = await db('receipts').where({ number }).first();
  return db('receipt_allocations').where({ receipt_id: r.id }).orderBy('n')
    .select('n', 'late_fee_cents', 'interest_cents', 'principal_cents');
}

describe('recording payments', () => {
  it('numbers receipts R001-00000001, R001-00000002… and activates the contract on the down payment', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    const first = await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    const second = await pay(db, c.id, '2026-02-15', 141_667, TODAY);
    expect([first, second]).toEqual(['R001-00000001', 'R001-00000002']);
    const contract = await db('contracts').where({ id: c.id }).first();
    expect(contract.status).toBe('active');
    expect(contract.activated_on).toBe('2026-01-15');
    expect((await db('lots').where({ code: c.lot_code }).first()).status).toBe('under_contract');
    expect(await allocations(first)).toEqual([{ n: 0, late_fee_cents: 0, interest_cents: 0, principal_cents: 1_500_000 }]);
  });

  it('on time: an installment paid on its due date carries no late fee', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    const r = await pay(db, c.id, '2026-02-15', 141_667, TODAY);
    expect(await allocations(r)).toEqual([{ n: 1, late_fee_cents: 0, interest_cents: 0, principal_cents: 141_667 }]);
    const s = await statementOf(c.id, '2026-02-15');
    expect(s.rows[1]!.status).toBe('paid');
    expect(s.rows[1]!.paid_on).toBe('2026-02-15');
  });

  it('late: 30 days at 1.2% a month on S/ 1,416.67 is S/ 17.00, paid before the installment', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    // Due 2026-02-15, paid 2026-03-17: 30 days (16 Feb … 17 Mar); 141667 × 0.012 = 1700.004 → 1700.
    const r = await pay(db, c.id, '2026-03-17', 143_367, TODAY);
    expect(await allocations(r)).toEqual([{ n: 1, late_fee_cents: 1700, interest_cents: 0, principal_cents: 141_667 }]);
  });

  it('late fees across a month end and a moratorium rate change (0.90% → 1.2% on 2026-03-01)', async () => {
    await setRates(db, [['2010-01-01', 9000], ['2026-03-01', 12000]]);
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    // 16–28 Feb: 13 days at 0.90%; 1–10 Mar: 10 days at 1.2%. 141667 × (13×9000 + 10×12000) / 30e6 = 1119.17 → 1119.
    const r = await pay(db, c.id, '2026-03-10', 142_786, TODAY);
    expect(await allocations(r)).toEqual([{ n: 1, late_fee_cents: 1119, interest_cents: 0, principal_cents: 141_667 }]);
  });

  it('partial: S/ 700.00 leaves installment 1 partly paid (S/ 716.67 outstanding)', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    await pay(db, c.id, '2026-02-10', 70_000, TODAY);
    const s = await statementOf(c.id, '2026-02-10');
    expect(s.rows[1]).toMatchObject({ status: 'partial', paid_cents: 70_000, outstanding_cents: 71_667, paid_on: null });
    expect(s.next_due).toEqual({ n: 1, due_date: '2026-02-15', amount_cents: 71_667 });
  });

  it('spread over several installments: S/ 5,000.00 pays 1–3 and S/ 749.99 of 4', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    const r = await pay(db, c.id, '2026-02-15', 500_000, TODAY);
    expect(await allocations(r)).toEqual([
      { n: 1, late_fee_cents: 0, interest_cents: 0, principal_cents: 141_667 },
      { n: 2, late_fee_cents: 0, interest_cents: 0, principal_cents: 141_667 },
      { n: 3, late_fee_cents: 0, interest_cents: 0, principal_cents: 141_667 },
      { n: 4, late_fee_cents: 0, interest_cents: 0, principal_cents: 74_999 },
    ]);
  });

  it('prepayment of the whole balance pays the contract off and the lot with it', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    await pay(db, c.id, '2026-02-15', 141_667, TODAY);
    // Paid 1 of 60; the rest (8,358,333) on the due date of installment 2, so no late fee.
    await pay(db, c.id, '2026-03-15', 8_358_333, TODAY);
    const contract = await db('contracts').where({ id: c.id }).first();
    expect(contract).toMatchObject({ status: 'paid_off', paid_off_on: '2026-03-15' });
    expect((await db('lots').where({ code: c.lot_code }).first()).status).toBe('paid_off');
    const s = await statementOf(c.id);
    expect(s.paid_off).toBe(true);
    expect(s.total_paid_cents).toBe(10_000_000);
  });

  it('refuses a payment beyond the whole outstanding, with the maximum, and writes nothing', async () => {
    const c = await sale(db, { date: TODAY, today: TODAY });
    await pay(db, c.id, TODAY, 1_500_000, TODAY);
    const before = await Promise.all(['receipts', 'receipt_allocations', 'journal_entries', 'audit_log', 'counters']
      .map(async (t) => JSON.stringify(await db(t).select())));
    const err = await pay(db, c.id, TODAY, 8_500_001, TODAY).catch((e) => e);
    expect(err).toBeInstanceOf(FormError);
    expect((err as FormError).status).toBe(400);
    expect((err as FormError).fields.amount).toEqual({ key: 'payments.error.exceeds', params: { date: '25/11/2026', max: 'S/\u00a085,000.00' } }); // es-PE puts a no-break space after S/
    const after = await Promise.all(['receipts', 'receipt_allocations', 'journal_entries', 'audit_log', 'counters']
      .map(async (t) => JSON.stringify(await db(t).select())));
    expect(after).toEqual(before);
    // The whole balance itself is accepted.
    expect(await pay(db, c.id, TODAY, 8_500_000, TODAY)).toBe('R001-00000002');
  });

  it('refuses dates in the future or before the contract, a deposit without reference, a paid-off contract (409)', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    const fields = async (p: Promise<unknown>) => p.then(() => null, (e: FormError) => [e.status, e.fields]);
    expect(await fields(pay(db, c.id, '2026-11-26', 100, TODAY))).toEqual([400, { date: 'errors.future_date' }]);
    expect(await fields(pay(db, c.id, '2026-01-14', 100, TODAY)))
      .toEqual([400, { date: { key: 'payments.error.before_contract', params: { date: '15/01/2026' } } }]);
    const noRef = (await import('../../src/payments/service.ts')).recordPayment(db, c.id,
      { date: '2026-01-15', amount_cents: 100 as never, method: 'deposit', reference: null, form_token: null }, TODAY, { id: 2, username: 'gerente' });
    expect(await fields(noRef)).toEqual([400, { reference: 'payments.error.reference_required' }]);
    await pay(db, c.id, '2026-01-15', 10_000_000, TODAY);
    expect(await fields(pay(db, c.id, '2026-02-15', 100, TODAY)))
      .toEqual([409, { _form: { key: 'payments.error.paid_off', params: { number: 'CV-2026-0001' } } }]);
    expect(await db('receipts').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('a past payment entered after later ones is applied in date order (the replay orders by date)', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    const later = await pay(db, c.id, '2026-03-15', 141_667, TODAY); // first taken by installment 1, 28 days late
    expect(await allocations(later)).toEqual([
      { n: 1, late_fee_cents: 1587, interest_cents: 0, principal_cents: 140_080 },
    ]);
    await pay(db, c.id, '2026-02-15', 141_667, TODAY); // now entered: it was paid on time
    const s = await statementOf(c.id, '2026-03-15');
    expect(s.rows[1]).toMatchObject({ status: 'paid', late_fee_cents: 0, paid_on: '2026-02-15' });
    expect(s.rows[2]).toMatchObject({ status: 'paid', late_fee_cents: 0, paid_on: '2026-03-15' });
    // The receipt's own printout keeps what it said when issued.
    expect(await allocations(later)).toEqual([{ n: 1, late_fee_cents: 1587, interest_cents: 0, principal_cents: 140_080 }]);
  });

  it('the same form token twice records one payment', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    const token = 'a'.repeat(32);
    const [a, b] = await Promise.all([
      pay(db, c.id, '2026-01-15', 1_500_000, TODAY, 'cash', token),
      pay(db, c.id, '2026-01-15', 1_500_000, TODAY, 'cash', token),
    ]);
    const again = await pay(db, c.id, '2026-01-15', 1_500_000, TODAY, 'cash', token);
    expect([a, b, again]).toEqual(['R001-00000001', 'R001-00000001', 'R001-00000001']);
    expect(await db('receipts').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await db('journal_entries').where({ source_type: 'receipt' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});

describe('contract status follows the replay', () => {
  it('a partial down payment does not activate; completing it does, on the day it was completed', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_000_000, TODAY);
    expect((await db('contracts').where({ id: c.id }).first()).status).toBe('awaiting_down_payment');
    await pay(db, c.id, '2026-01-20', 500_000, TODAY);
    expect(await db('contracts').where({ id: c.id }).first()).toMatchObject({ status: 'active', activated_on: '2026-01-20' });
    const events = await db('contract_events').where({ contract_id: c.id }).orderBy('id').pluck('kind');
    expect(events).toEqual(['created', 'activated']);
  });
});
