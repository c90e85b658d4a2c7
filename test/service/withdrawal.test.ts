// Withdrawal (desistimiento) of a sale whose down payment never came, through the service: the exact
// rows it writes (contract, lot, withdrawals, event, audit), the books untouched and reconciled, the lot
// sold again, each refusal with nothing written, and a payment racing a withdrawal in one process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { isPg, tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { findContractView } from '../../src/contracts/queries.ts';
import { signContract } from '../../src/contracts/service.ts';
import { withdrawContract } from '../../src/contracts/withdrawal.ts';
import { verifyAccounts } from '../../src/accounts/maintain.ts';
import { reconciliation } from '../../src/fund/reports.ts';
import { FormError } from '../../src/web/errors.ts';
import { ACTOR, pay, reverse, ruc, sale, setRates } from './sales-fixtures.ts';

const TODAY = '2026-11-25';
let db: Db;
let dir: string;
beforeEach(async () => {
  ({ db, dir } = await tempDb());
  await setRates(db, [['2010-01-01', 12000]]);
});
afterEach(async () => {
  const verified = await verifyAccounts(db);
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  expect(verified.differences).toEqual([]);
});

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: FormError) => {
  if (!(e instanceof FormError)) throw e;
  return [e.status, e.fields];
});

const INPUT = { reason: 'La empresa desistió por carta del 18/11/2026.', resolution_number: 'R.A. 150-2026-MPI', resolution_date: '2026-11-20' };

/** Everything that would show a write: rows counted per table, and the whole journal. */
async function snapshot() {
  const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0]!.n);
  return {
    contracts: await db('contracts').orderBy('id').select('id', 'number', 'status', 'withdrawn_on', 'withdrawal_resolution'),
    lots: await db('lots').orderBy('id').select('code', 'status'),
    withdrawals: await count('withdrawals'), events: await count('contract_events'), audit: await count('audit_log'),
    receipts: await count('receipts'),
    journal: await db('journal_lines').orderBy('id').select('entry_id', 'account_code', 'debit_cents', 'credit_cents', 'contract_id'),
  };
}

describe('withdrawing a sale that awaits its down payment', () => {
  it('writes the contract withdrawn (number kept), the lot available, the row, the event and the audit; the books untouched', async () => {
    const c = await sale(db, { date: '2026-09-01', today: TODAY });
    const journalBefore = await db('journal_lines').select('*');
    const id = await withdrawContract(db, c.id, INPUT, TODAY, ACTOR);

    expect(await db('contracts').where({ id: c.id }).first('number', 'status', 'withdrawn_on', 'withdrawal_resolution', 'activated_on'))
      .toEqual({ number: 'CV-2026-0001', status: 'withdrawn', withdrawn_on: '2026-11-20', withdrawal_resolution: 'R.A. 150-2026-MPI', activated_on: null });
    expect(await db('lots').where({ code: c.lot_code }).first('status')).toEqual({ status: 'available' });
    expect(await db('withdrawals').select('id', 'contract_id', 'resolution_number', 'resolution_date', 'reason', 'recorded_by')).toEqual([{
      id, contract_id: c.id, resolution_number: 'R.A. 150-2026-MPI', resolution_date: '2026-11-20',
      reason: 'La empresa desistió por carta del 18/11/2026.', recorded_by: ACTOR.id,
    }]);
    const events = await db('contract_events').where({ contract_id: c.id }).orderBy('id').select('kind', 'date', 'details', 'recorded_by');
    expect(events.map((e) => [e.kind, e.date, e.recorded_by])).toEqual([['created', '2026-09-01', 2], ['withdrawn', '2026-11-20', 2]]);
    expect(JSON.parse(events[1]!.details)).toEqual({ resolution: 'R.A. 150-2026-MPI', reason: INPUT.reason, lot: c.lot_code });
    const a = await db('audit_log').where({ action: 'contract.withdrawn' }).select('entity', 'entity_id', 'details');
    expect(a.map((r) => [r.entity, r.entity_id])).toEqual([['contract', String(c.id)]]);
    expect(JSON.parse(a[0]!.details)).toEqual({
      number: 'CV-2026-0001', resolution: 'R.A. 150-2026-MPI', date: '2026-11-20', reason: INPUT.reason, lot: c.lot_code,
    });
    // Nothing was ever posted for it (recognition comes with the down payment), and nothing is now.
    expect(journalBefore).toEqual([]);
    expect(await db('journal_lines').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect((await reconciliation(db, '2026-01-01', TODAY)).ok).toBe(true);
    // Payments are refused from now on.
    expect(await refusal(pay(db, c.id, TODAY, 1_500_000, TODAY)))
      .toEqual([409, { _form: { key: 'payments.error.withdrawn', params: { number: 'CV-2026-0001' } } }]);
  });

  it('lets the lot be sold again: a new number, the lot awaiting the new down payment, the old contract kept', async () => {
    const c = await sale(db, { date: '2026-09-01', today: TODAY });
    await withdrawContract(db, c.id, INPUT, TODAY, ACTOR);
    const now = new Date().toISOString();
    const other = ruc(900);
    await db('firms').insert({ ruc: other, name: 'Nueva Compradora S.A.C.', representative_name: 'Luis Otro', representative_dni: '87654321',
      sector: 'metalmecanica', created_at: now, updated_at: now });
    await db('memberships').insert({ firm_ruc: other, member_number: 'N-1', joined_on: '2020-01-01', status: 'active' });
    const again = await signContract(db, { lot_code: c.lot_code, firm_ruc: other, date: TODAY, price_cents: null, price_reason: null,
      member_number: null, joined_on: null }, ACTOR, TODAY);
    expect(await db('contracts').where({ lot_id: (await findContractView(db, c.id))!.lot_id }).orderBy('id').select('number', 'status', 'firm_ruc'))
      .toEqual([
        { number: 'CV-2026-0001', status: 'withdrawn', firm_ruc: c.firm_ruc },
        { number: 'CV-2026-0002', status: 'awaiting_down_payment', firm_ruc: other },
      ]);
    expect(again).toBeGreaterThan(c.id);
    expect(await db('lots').where({ code: c.lot_code }).first('status')).toEqual({ status: 'awaiting_down_payment' });
  });

  it('after its only receipt was voided: the recognition and the receipt already reversed, the books nil for the contract', async () => {
    const c = await sale(db, { date: '2026-09-01', today: TODAY });
    const r = await pay(db, c.id, '2026-09-05', 1_500_000, TODAY);
    expect((await findContractView(db, c.id))!.status).toBe('active');
    await reverse(db, r, 'Cheque rechazado', TODAY);
    expect((await findContractView(db, c.id))!.status).toBe('awaiting_down_payment');
    const journal = await db('journal_lines').orderBy('id').select('*');
    await withdrawContract(db, c.id, INPUT, TODAY, ACTOR);
    expect(await db('journal_lines').orderBy('id').select('*')).toEqual(journal);
    const byAccount: { account_code: string; d: unknown; c: unknown }[] = await db('journal_lines').where({ contract_id: c.id }).groupBy('account_code').orderBy('account_code')
      .select('account_code').sum({ d: 'debit_cents', c: 'credit_cents' });
    expect(byAccount.map((x) => [x.account_code, Number(x.d) - Number(x.c)])).toEqual([['1101', 0], ['1201', 0], ['2101', 0], ['3101', 0]]);
    expect((await reconciliation(db, '2026-01-01', TODAY)).ok).toBe(true);
    expect(await db('contract_events').where({ contract_id: c.id }).orderBy('id').pluck('kind'))
      .toEqual(['created', 'activated', 'deactivated', 'receipt_voided', 'withdrawn']);
  });
});

describe('refusals write nothing', () => {
  it('a valid receipt (part of the down payment) bars it: 409 naming the receipt', async () => {
    const c = await sale(db, { date: '2026-09-01', today: TODAY });
    await pay(db, c.id, '2026-09-10', 500_000, TODAY);
    const before = await snapshot();
    expect(await refusal(withdrawContract(db, c.id, INPUT, TODAY, ACTOR))).toEqual([409, {
      _form: { key: 'withdrawal.error.receipt', params: { number: 'CV-2026-0001', receipt: 'R001-00000001', date: '10/09/2026' } },
    }]);
    expect(await snapshot()).toEqual(before);
  });

  it('an active contract (down payment paid) is refused 409; a withdrawn one 409 as already withdrawn', async () => {
    const a = await sale(db, { date: '2026-09-01', today: TODAY });
    await pay(db, a.id, '2026-09-01', 1_500_000, TODAY);
    const w = await sale(db, { date: '2026-09-02', today: TODAY });
    await withdrawContract(db, w.id, INPUT, TODAY, ACTOR);
    const before = await snapshot();
    expect(await refusal(withdrawContract(db, a.id, INPUT, TODAY, ACTOR))).toEqual([409, {
      _form: { key: 'withdrawal.error.receipt', params: { number: 'CV-2026-0001', receipt: 'R001-00000001', date: '01/09/2026' } },
    }]);
    expect(await refusal(withdrawContract(db, w.id, { ...INPUT, resolution_number: 'R.A. 151-2026-MPI' }, TODAY, ACTOR))).toEqual([409, {
      _form: { key: 'withdrawal.error.already', params: { number: 'CV-2026-0002', date: '20/11/2026' } },
    }]);
    expect(await snapshot()).toEqual(before);
  });

  it('a resolution dated after today or before the contract: 400 on resolution_date, the contract still awaiting', async () => {
    const c = await sale(db, { date: '2026-09-01', today: TODAY });
    const before = await snapshot();
    expect(await refusal(withdrawContract(db, c.id, { ...INPUT, resolution_date: '2026-11-26' }, TODAY, ACTOR)))
      .toEqual([400, { resolution_date: 'errors.future_date' }]);
    expect(await refusal(withdrawContract(db, c.id, { ...INPUT, resolution_date: '2026-08-31' }, TODAY, ACTOR)))
      .toEqual([400, { resolution_date: { key: 'withdrawal.error.before_contract', params: { date: '01/09/2026' } } }]);
    expect(await snapshot()).toEqual(before);
    expect(before.contracts[0]!.status).toBe('awaiting_down_payment');
  });
});

describe('a down payment and a withdrawal racing on the same contract (one process)', () => {
  for (const first of ['payment', 'withdrawal'] as const) {
    it(`leave one outcome when the ${first} starts first`, async () => {
      for (let round = 0; round < 3; round++) {
        const c = await sale(db, { date: '2026-09-01', today: TODAY });
        const payment = () => pay(db, c.id, '2026-11-20', 1_500_000, TODAY);
        const withdrawal = () => withdrawContract(db, c.id, INPUT, TODAY, ACTOR);
        const [p, w] = first === 'payment'
          ? await Promise.allSettled([payment(), withdrawal()])
          : (await Promise.allSettled([withdrawal(), payment()])).reverse() as [PromiseSettledResult<unknown>, PromiseSettledResult<unknown>];
        const contract = (await findContractView(db, c.id))!;
        const receipts = await db('receipts').where({ contract_id: c.id, status: 'valid' }).count({ n: '*' });
        const withdrawals = await db('withdrawals').where({ contract_id: c.id }).count({ n: '*' });
        // SQLite runs them in the order started; on PostgreSQL either may take the lock first. Either way
        // exactly one wins and the loser gets a 409 that says why.
        expect([p.status, w.status].sort()).toEqual(['fulfilled', 'rejected']);
        if (p.status === 'fulfilled') {
          expect((w as PromiseRejectedResult).reason).toBeInstanceOf(FormError);
          expect(((w as PromiseRejectedResult).reason as FormError).status).toBe(409);
          expect([contract.status, contract.lot_status, receipts, withdrawals]).toEqual(['active', 'under_contract', [{ n: 1 }], [{ n: 0 }]]);
        } else {
          expect(((p as PromiseRejectedResult).reason as FormError).fields).toEqual({
            _form: { key: 'payments.error.withdrawn', params: { number: contract.number } },
          });
          expect([contract.status, contract.lot_status, receipts, withdrawals]).toEqual(['withdrawn', 'available', [{ n: 0 }], [{ n: 1 }]]);
        }
        if (!isPg) expect(first === 'payment' ? p.status : w.status).toBe('fulfilled');
      }
      expect((await reconciliation(db, '2026-01-01', TODAY)).ok).toBe(true);
    });
  }
});
