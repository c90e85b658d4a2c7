// The demo park's payment histories (seeds/demo/payments.ts), recorded through the payments service
// on a frozen day: the mix the demo promises, and books that reconcile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/knex.ts';
import { demoDb, type DemoDb } from '../support/demo.ts';
import { accountOf } from '../../src/payments/account.ts';
import { findContractView } from '../../src/contracts/queries.ts';
import { delinquencyOf } from '../../src/domain/delinquency.ts';
import { accountBalance } from '../../src/fund/ledger.ts';

const TODAY = '2026-11-25';
let db: Db;
let demo: DemoDb;

beforeAll(async () => {
  demo = await demoDb(TODAY);
  db = demo.db;
}, 120_000);
afterAll(async () => { await demo.close(); });

async function statements() {
  const ids: number[] = (await db('contracts').whereIn('status', ['active', 'paid_off']).pluck('id')).map(Number);
  return Promise.all(ids.map(async (id) => {
    const c = (await findContractView(db, id))!;
    return { c, s: (await accountOf(db, c, TODAY)).statement };
  }));
}

describe('demo payments', () => {
  it('has the promised mix: the newest sale awaits its down payment, some paid off, two with 3+ unpaid, late fees paid', async () => {
    const counts: { status: string; n: number }[] = await db('contracts').groupBy('status').select('status').count({ n: '*' });
    const byStatus = Object.fromEntries(counts.map((r) => [r.status, Number(r.n)]));
    expect(byStatus.awaiting_down_payment).toBe(1);
    expect(byStatus.paid_off).toBeGreaterThanOrEqual(2);
    expect(byStatus.active).toBeGreaterThanOrEqual(20);
    const all = await statements();
    const mayAct = all.filter(({ s }) => delinquencyOf(s).may_accelerate_or_rescind);
    expect(mayAct.length).toBeGreaterThanOrEqual(2);
    expect(all.some(({ s }) => s.rows.some((r) => r.status === 'overdue' && r.paid_cents > 0) || s.rows.some((r) => r.status === 'partial'))).toBe(true);
    expect(all.reduce((t, { s }) => t + s.late_fee_paid_cents, 0)).toBeGreaterThan(0);
    const voided = await db('receipts').where({ status: 'void' });
    expect(voided).toHaveLength(1);
    expect(voided[0].void_reason).toContain('dos veces');
  });

  it('receipts are numbered R001-00000001 … without gaps and every one was applied in full', async () => {
    const rows = await db('receipts').orderBy('correlative').select('number', 'correlative', 'id', 'amount_cents');
    rows.forEach((r: { correlative: number; number: string }, i: number) => {
      expect(r.correlative).toBe(i + 1);
      expect(r.number).toBe(`R001-${String(i + 1).padStart(8, '0')}`);
    });
    const [alloc] = await db('receipt_allocations').sum({ s: db.raw('late_fee_cents + interest_cents + principal_cents') });
    const [paid] = await db('receipts').sum({ s: 'amount_cents' });
    expect(Number(alloc!.s)).toBe(Number(paid!.s));
  });

  it('the books reconcile: 1201 = Σ scheduled outstanding; the fund = Σ valid receipts (less spending and refunds)', async () => {
    const all = await statements();
    expect(await accountBalance(db, '1201')).toBe(all.reduce((t, { s }) => t + s.scheduled_outstanding_cents, 0));
    const [valid] = await db('receipts').where({ status: 'valid' }).sum({ s: 'amount_cents' });
    const [fromReceipts] = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
      .where('l.account_code', '3101').whereIn('e.source_type', ['receipt', 'receipt_void']).sum({ c: 'l.credit_cents', d: 'l.debit_cents' });
    expect(Number(fromReceipts!.c) - Number(fromReceipts!.d)).toBe(Number(valid!.s));
  });
});
