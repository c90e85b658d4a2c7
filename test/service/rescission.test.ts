// Acceleration and rescission (Civil Code art. 1561–1563) through the service: when each is allowed,
// what is written, and the threshold on both sides of the line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { accountOf } from '../../src/payments/account.ts';
import { findContractView } from '../../src/contracts/queries.ts';
import { accelerateContract, rescindContract } from '../../src/delinquency/service.ts';
import { FormError } from '../../src/web/errors.ts';
import { ACTOR, pay, sale, setRates } from './sales-fixtures.ts';

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

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: FormError) => {
  if (!(e instanceof FormError)) throw e;
  return [e.status, e.fields];
});

/** Down payment + installments 1–3 on time + `extra` on installment 4's due date: principal paid = 19,250.01 + extra. */
async function paidUpTo(extra_cents: number) {
  const c = await sale(db, { date: '2026-01-15', today: TODAY });
  await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
  await pay(db, c.id, '2026-02-15', 141_667, TODAY);
  await pay(db, c.id, '2026-03-15', 141_667, TODAY);
  await pay(db, c.id, '2026-04-15', 141_667, TODAY);
  await pay(db, c.id, '2026-05-15', extra_cents, TODAY);
  return c;
}

describe('rescission threshold (art. 1562), here 20% of S/ 100,000.00 = S/ 20,000.00', () => {
  beforeEach(async () => {
    await db('settings').where({ key: 'rescission_threshold_ppm' }).update({ value: '200000' });
  });

  it('exactly at the threshold (S/ 20,000.00 of principal paid) rescission is refused (409), nothing written', async () => {
    const c = await paidUpTo(74_999);
    const input = { resolution_number: 'R.A. 1-2026', resolution_date: TODAY, compensation_cents: 0, penalty_cents: 0 };
    expect(await refusal(rescindContract(db, c.id, input, TODAY, ACTOR)))
      .toEqual([409, { _form: { key: 'rescission.error.threshold', params: { paid: '20', threshold: '20' } } }]);
    expect(await db('rescissions').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect((await findContractView(db, c.id))!.status).toBe('active');
  });

  it('one céntimo below (S/ 19,999.99) it is allowed: returned = received − compensation − penalty, lot available', async () => {
    const c = await paidUpTo(74_998);
    await rescindContract(db, c.id, {
      resolution_number: 'R.A. 2-2026', resolution_date: TODAY, compensation_cents: 500_000, penalty_cents: 100_000,
    }, TODAY, ACTOR);
    const r = await db('rescissions').where({ contract_id: c.id }).first();
    expect(r).toMatchObject({
      resolution_number: 'R.A. 2-2026', resolution_date: TODAY, received_cents: 1_999_999,
      compensation_cents: 500_000, penalty_cents: 100_000, returned_cents: 1_399_999,
    });
    const contract = (await findContractView(db, c.id))!;
    expect(contract).toMatchObject({ status: 'rescinded', rescinded_on: TODAY, rescission_resolution: 'R.A. 2-2026', lot_status: 'available' });
    // Postings: 80,000.01 written off (Dr 2101 / Cr 1201) and 13,999.99 refunded (Dr 3101 / Cr 1102).
    const lines = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
      .where('e.source_type', 'rescission').orderBy('l.id').select('l.account_code', 'l.debit_cents', 'l.credit_cents');
    expect(lines).toEqual([
      { account_code: '2101', debit_cents: 8_000_001, credit_cents: 0 },
      { account_code: '1201', debit_cents: 0, credit_cents: 8_000_001 },
      { account_code: '3101', debit_cents: 1_399_999, credit_cents: 0 },
      { account_code: '1102', debit_cents: 0, credit_cents: 1_399_999 },
    ]);
    // History kept: every receipt still there and valid, the event recorded; no more payments (409).
    expect(await db('receipts').where({ contract_id: c.id, status: 'valid' }).count({ n: '*' })).toEqual([{ n: 5 }]);
    expect(await db('contract_events').where({ contract_id: c.id }).orderBy('id').pluck('kind')).toEqual(['created', 'activated', 'rescinded']);
    expect(await refusal(pay(db, c.id, TODAY, 100, TODAY)))
      .toEqual([409, { _form: { key: 'payments.error.rescinded', params: { number: contract.number } } }]);
    expect(await refusal(rescindContract(db, c.id, { resolution_number: 'x', resolution_date: TODAY, compensation_cents: 0, penalty_cents: 0 }, TODAY, ACTOR)))
      .toEqual([409, { _form: { key: 'rescission.error.already', params: { number: contract.number } } }]);
  });

  it('refuses keeping more than was received (400 next to compensation)', async () => {
    const c = await paidUpTo(74_998);
    expect(await refusal(rescindContract(db, c.id, {
      resolution_number: 'R.A. 3-2026', resolution_date: TODAY, compensation_cents: 1_999_999, penalty_cents: 1,
    }, TODAY, ACTOR))).toEqual([400, { compensation: 'rescission.error.kept_exceeds' }]);
    expect(await db('rescissions').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});

describe('three unpaid installments (art. 1561)', () => {
  it('rescission and acceleration are refused with two unpaid, allowed with three', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    // On 2026-04-15 installments 1 and 2 (15 Feb, 15 Mar) are overdue: two.
    expect(await refusal(accelerateContract(db, c.id, { resolution_number: 'R.G. 1', date: '2026-04-15' }, TODAY, ACTOR)))
      .toEqual([409, { _form: { key: 'acceleration.error.not_delinquent', params: { count: 2, date: '15/04/2026' } } }]);
    expect(await refusal(rescindContract(db, c.id, { resolution_number: 'R.A. 1', resolution_date: '2026-04-15', compensation_cents: 0, penalty_cents: 0 }, TODAY, ACTOR)))
      .toEqual([409, { _form: { key: 'acceleration.error.not_delinquent', params: { count: 2, date: '15/04/2026' } } }]);

    // On 2026-04-16 the third (15 Apr) is overdue too.
    await accelerateContract(db, c.id, { resolution_number: 'R.G. 2', date: '2026-04-16' }, TODAY, ACTOR);
    const contract = (await findContractView(db, c.id))!;
    expect(contract).toMatchObject({ accelerated_on: '2026-04-16', acceleration_resolution: 'R.G. 2', status: 'active' });
    const s = (await accountOf(db, contract, TODAY)).statement;
    // Installments 4–60 now fall due on 2026-04-16; 1–3 keep their dates.
    expect(s.rows.slice(1, 5).map((r) => r.due_date)).toEqual(['2026-02-15', '2026-03-15', '2026-04-15', '2026-04-16']);
    expect(s.rows[60]).toMatchObject({ due_date: '2026-04-16', scheduled_due_date: '2031-01-15', status: 'overdue' });
    expect(s.next_due).toBeNull();
    expect(s.overdue_cents).toBe(s.outstanding_cents);
    // No journal entry for an acceleration; an event and an audit row.
    expect(await db('journal_entries').where({ source_type: 'acceleration' }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await db('contract_events').where({ contract_id: c.id, kind: 'accelerated' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await refusal(accelerateContract(db, c.id, { resolution_number: 'R.G. 3', date: TODAY }, TODAY, ACTOR)))
      .toEqual([409, { _form: { key: 'acceleration.error.already', params: { date: '16/04/2026' } } }]);
  });
});
