// The ledger after a whole history (activation, payments, a late payment, a receipt entered with a
// past date, a reversal in the middle, prepayment, rescission, a partial down payment, a ministry lot):
// every entry balances, the fund got exactly the collections on municipal lots, and receivables (1201)
// equal the subledger (Σ scheduled outstanding of the replays).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { accountOf } from '../../src/payments/account.ts';
import { findContractView } from '../../src/contracts/queries.ts';
import { accountBalance } from '../../src/fund/ledger.ts';
import { contractReceivable } from '../../src/payments/postings.ts';
import { rescindContract } from '../../src/delinquency/service.ts';
import { ACTOR, pay, reverse, sale, setRates } from './sales-fixtures.ts';

const TODAY = '2026-11-25';
let db: Db;
let dir: string;
const ids = { a: 0, b: 0, c: 0, d: 0, e: 0 };

beforeAll(async () => {
  ({ db, dir } = await tempDb());
  await setRates(db, [['2010-01-01', 9000], ['2025-07-01', 12000]]);
  // A: paid on time, then late, one receipt reversed in the middle, one entered late with its past date, prepayment.
  const a = await sale(db, { date: '2025-05-10', today: TODAY });
  ids.a = a.id;
  await pay(db, a.id, '2025-05-10', 1_500_000, TODAY, 'transfer');
  await pay(db, a.id, '2025-06-10', 141_667, TODAY);
  const wrong = await pay(db, a.id, '2025-07-10', 141_667, TODAY, 'deposit');
  await pay(db, a.id, '2025-09-01', 300_000, TODAY); // late: fees on installments 3 (and 2 after the reversal)
  await pay(db, a.id, '2025-08-10', 141_667, TODAY); // entered after the 1 Sep receipt, with its real (earlier) date
  await reverse(db, wrong, 'Depósito duplicado', TODAY);
  await pay(db, a.id, '2026-01-10', 2_000_000, TODAY, 'transfer'); // prepayment
  // B: pays the down payment and one installment, then nothing: rescinded with compensation and penalty.
  const b = await sale(db, { date: '2025-02-20', today: TODAY });
  ids.b = b.id;
  await pay(db, b.id, '2025-02-20', 1_500_000, TODAY);
  await pay(db, b.id, '2025-04-01', 150_000, TODAY);
  await rescindContract(db, b.id, { resolution_number: 'R.A. 77-2026', resolution_date: '2026-10-01', compensation_cents: 300_000, penalty_cents: 50_000 }, TODAY, ACTOR);
  // C: paid off at once.
  const c = await sale(db, { date: '2026-03-03', today: TODAY, area_dm2: 50_000 });
  ids.c = c.id;
  await pay(db, c.id, '2026-03-03', 5_000_000, TODAY, 'deposit');
  // D: a partial down payment only: nothing recognized yet.
  const d = await sale(db, { date: '2026-06-01', today: TODAY });
  ids.d = d.id;
  await pay(db, d.id, '2026-06-01', 700_000, TODAY);
  // E: a lot that is (somehow) the ministry's: its collections must never reach the fund.
  const e = await sale(db, { date: '2026-02-01', today: TODAY, owner: 'ministry' });
  ids.e = e.id;
  await pay(db, e.id, '2026-02-01', 1_500_000, TODAY);
  await pay(db, e.id, '2026-03-01', 141_667, TODAY);
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sumOf = async (q: Promise<{ s: number | null }[]>) => Number((await q)[0]?.s ?? 0);

describe('ledger after a whole history', () => {
  it('every entry balances', async () => {
    const rows = await db('journal_lines').groupBy('entry_id').select('entry_id')
      .sum({ d: 'debit_cents', c: 'credit_cents' });
    expect(rows.length).toBeGreaterThan(15);
    for (const r of rows as { d: number; c: number }[]) expect(Number(r.d)).toBe(Number(r.c));
  });

  it('the fund got exactly every valid receipt on a municipal lot, less the refund', async () => {
    const municipal = await sumOf(db('receipts as r').join('contracts as c', 'c.id', 'r.contract_id').join('lots as l', 'l.id', 'c.lot_id')
      .where({ 'r.status': 'valid', 'l.owner': 'municipal' }).sum({ s: 'r.amount_cents' }));
    const fromReceipts = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
      .where('l.account_code', '3101').whereIn('e.source_type', ['receipt', 'receipt_void'])
      .sum({ c: 'l.credit_cents', d: 'l.debit_cents' });
    expect(Number(fromReceipts[0]!.c) - Number(fromReceipts[0]!.d)).toBe(municipal);
    // A: 15,000 + 1,416.67 + 3,000 + 1,416.67 + 20,000 (the voided deposit out); B: 16,500; C: 50,000; D: 7,000.
    expect(municipal).toBe(1_500_000 + 141_667 + 300_000 + 141_667 + 2_000_000 + 1_650_000 + 5_000_000 + 700_000);
    const refund = (await db('rescissions').where({ contract_id: ids.b }).first()).returned_cents;
    expect(refund).toBe(1_650_000 - 350_000);
    expect(-(await accountBalance(db, '3101'))).toBe(municipal - refund);
  });

  it('collections on the ministry lot sit in 2201, not in the fund', async () => {
    expect(-(await accountBalance(db, '2201'))).toBe(1_500_000 + 141_667);
    const e = await db('journal_lines').where({ contract_id: ids.e, account_code: '3101' }).count({ n: '*' });
    expect(e).toEqual([{ n: 0 }]);
  });

  it('cash and bank hold the valid receipts less the refund', async () => {
    const valid = await sumOf(db('receipts').where({ status: 'valid' }).sum({ s: 'amount_cents' }));
    const money = (await accountBalance(db, '1101')) + (await accountBalance(db, '1102'));
    expect(money).toBe(valid - 1_300_000);
  });

  it('receivables (1201) equal Σ scheduled outstanding of live contracts, contract by contract', async () => {
    let subledger = 0;
    for (const [name, id] of Object.entries(ids)) {
      const contract = (await findContractView(db, id))!;
      const { statement } = await accountOf(db, contract, TODAY);
      const live = contract.status === 'active' || contract.status === 'paid_off';
      const expected = live ? statement.scheduled_outstanding_cents : 0;
      expect([name, contract.status, await contractReceivable(db, id)]).toEqual([name, contract.status, expected]);
      subledger += expected;
    }
    expect(await accountBalance(db, '1201')).toBe(subledger);
    // 2101 mirrors 1201: deferred income is what is still to be collected of what was recognized.
    expect(-(await accountBalance(db, '2101'))).toBe(subledger);
    expect((await findContractView(db, ids.c))!.status).toBe('paid_off');
    expect((await findContractView(db, ids.d))!.status).toBe('awaiting_down_payment');
  });

  it('a receipt entered with a past date and the reversal moved later receipts between late fees and schedule', async () => {
    const adjustments = await db('journal_entries').where({ source_type: 'receipt_adjustment' }).count({ n: '*' });
    expect(Number((adjustments[0] as { n: number }).n)).toBeGreaterThan(0);
    // After all that, S posted per receipt = the replay's S for every valid receipt of A.
    const contract = (await findContractView(db, ids.a))!;
    const { statement, receipts } = await accountOf(db, contract, TODAY);
    for (const r of receipts) {
      const [row] = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
        .where({ 'l.account_code': '1201', 'e.source_id': String(r.id) }).whereIn('e.source_type', ['receipt', 'receipt_void', 'receipt_adjustment'])
        .sum({ c: 'l.credit_cents', d: 'l.debit_cents' });
      const s = r.status === 'valid' ? (statement.allocations.get(r.id) ?? []).reduce((t, p) => t + p.interest_cents + p.principal_cents, 0) : 0;
      expect([r.number, Number(row!.c) - Number(row!.d)]).toEqual([r.number, s]);
    }
  });
});
