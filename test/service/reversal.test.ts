// Reversing receipts: the receipt is voided (never deleted, number kept), the replay drops it, and
// the contract's status and ledger follow.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { accountOf, statementInput } from '../../src/payments/account.ts';
import { computeStatement } from '../../src/domain/statement.ts';
import { findContractView } from '../../src/contracts/queries.ts';
import { liveActivationEntry } from '../../src/payments/postings.ts';
import { FormError } from '../../src/web/errors.ts';
import { pay, reverse, sale, setRates } from './sales-fixtures.ts';

const TODAY = '2026-11-25';
let db: Db;
let dir: string;
beforeEach(async () => {
  ({ db, dir } = await tempDb());
  await setRates(db, [['2010-01-01', 12000]]);
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const contract = async (id: number) => (await findContractView(db, id))!;

describe('reversing a receipt', () => {
  it('in the middle of a history: the statement after equals the replay without it', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    await pay(db, c.id, '2026-02-15', 141_667, TODAY);
    const middle = await pay(db, c.id, '2026-03-15', 141_667, TODAY);
    await pay(db, c.id, '2026-04-20', 200_000, TODAY);
    const without = computeStatement({
      ...(await statementInput(db, await contract(c.id), TODAY)),
      payments: (await db('receipts').where({ contract_id: c.id }).whereNot({ number: middle }))
        .map((r: { id: number; date: string; amount_cents: number }) => ({ id: r.id, date: r.date, amount_cents: Number(r.amount_cents) })),
    });

    await reverse(db, middle, 'Cheque sin fondos', TODAY);

    const after = (await accountOf(db, await contract(c.id), TODAY)).statement;
    expect(after.rows).toEqual(without.rows);
    expect([...after.allocations.entries()]).toEqual([...without.allocations.entries()]);
    // The later payment of S/ 2,000.00 now goes first to installment 2, 36 days late (16 Mar … 20 Apr):
    // 141667 × 0.012 × 36/30 = 2040.00 of late fee.
    const last = [...after.allocations.values()].at(-1)!;
    expect(last[0]).toEqual({ n: 2, late_fee_cents: 2040, interest_cents: 0, principal_cents: 141_667 });
    expect(after.total_paid_cents).toBe(1_500_000 + 141_667 + 200_000);
  });

  it('keeps the receipt, marks it void with reason, user and time, and records the event; twice is 409', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    const r = await pay(db, c.id, '2026-02-15', 141_667, TODAY);
    await reverse(db, r, 'Monto equivocado', TODAY);
    const row = await db('receipts').where({ number: r }).first();
    expect(row).toMatchObject({ status: 'void', void_reason: 'Monto equivocado', voided_by: 2, amount_cents: 141_667 });
    expect(row.voided_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await db('receipt_allocations').where({ receipt_id: row.id }).count({ n: '*' })).toEqual([{ n: 1 }]);
    const ev = await db('contract_events').where({ contract_id: c.id, kind: 'receipt_voided' }).first();
    expect(JSON.parse(ev.details)).toEqual({ receipt: r, amount_cents: 141_667, reason: 'Monto equivocado' });
    expect(await db('audit_log').where({ action: 'receipt.void', entity_id: r }).count({ n: '*' })).toEqual([{ n: 1 }]);

    const again = await reverse(db, r, 'otra vez', TODAY).catch((e) => e);
    expect(again).toBeInstanceOf(FormError);
    expect((again as FormError).status).toBe(409);
    // The next receipt takes the next number: a voided number is never reused.
    expect(await pay(db, c.id, '2026-02-15', 141_667, TODAY)).toBe('R001-00000003');
  });

  it('a paid-off contract goes back to active, and its lot to under contract', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    const rest = await pay(db, c.id, '2026-02-15', 8_500_000, TODAY);
    expect((await contract(c.id)).status).toBe('paid_off');
    await reverse(db, rest, 'Transferencia rechazada', TODAY);
    expect(await contract(c.id)).toMatchObject({ status: 'active', paid_off_on: null, lot_status: 'under_contract' });
  });

  it('voiding the down payment sends the contract back to awaiting it and reverses the recognition', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    const down = await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    expect(await liveActivationEntry(db, c.id)).not.toBeNull();
    await reverse(db, down, 'Registrado en el contrato equivocado', TODAY);
    expect(await contract(c.id)).toMatchObject({ status: 'awaiting_down_payment', activated_on: null, lot_status: 'awaiting_down_payment' });
    expect(await liveActivationEntry(db, c.id)).toBeNull();
    const [r] = await db('journal_lines').where({ contract_id: c.id, account_code: '1201' }).sum({ d: 'debit_cents', c: 'credit_cents' });
    expect(Number(r!.d) - Number(r!.c)).toBe(0);
    // Paying it again activates it again.
    await pay(db, c.id, '2026-01-16', 1_500_000, TODAY);
    expect(await contract(c.id)).toMatchObject({ status: 'active', activated_on: '2026-01-16' });
  });
});
