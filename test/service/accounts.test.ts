// The maintained accounts under generated histories written through the services, as the forms do:
// partial, late, back-dated and reversed payments, acceleration, rescission, a moratorium rate entered
// with a past date. After every act, accounts:verify finds each stored account equal to its replay.
import { rng } from '../support/rng.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { addDays } from '../../src/domain/dates.ts';
import { refreshAllAccounts, verifyAccounts } from '../../src/accounts/maintain.ts';
import { accelerateContract, rescindContract } from '../../src/delinquency/service.ts';
import { updateSettings } from '../../src/settings/service.ts';
import { FormError } from '../../src/web/errors.ts';
import { ACTOR, pay, reverse, sale, setRates } from './sales-fixtures.ts';

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

const clean = async () => expect((await verifyAccounts(db)).differences).toEqual([]);
/** A refusal (over the balance, a rescinded contract) is part of a generated history, not a failure. */
const tolerate = async (p: Promise<unknown>) => { try { await p; } catch (e) { if (!(e instanceof FormError)) throw e; } };

describe('maintained accounts equal their replay after every act', () => {
  it('six generated contracts: late, partial, back-dated, reversed, accelerated, rescinded', async () => {
    const r = rng(7);
    const contracts = [];
    for (let i = 0; i < 6; i++) contracts.push(await sale(db, { date: addDays('2024-01-31', i * 37), today: TODAY }));
    await clean();
    const receipts: string[] = [];
    for (const [i, c] of contracts.entries()) {
      const start = addDays('2024-01-31', i * 37);
      receipts.push(await pay(db, c.id, start, 1_500_000, TODAY));
      let day = start;
      for (let k = 0; k < 12 + i * 3; k++) {
        day = addDays(day, 20 + Math.floor(r() * 40));
        if (day > TODAY) break;
        const amount = i === 4 ? 60_000 : 50_000 + Math.floor(r() * 250_000);
        await tolerate(pay(db, c.id, day, amount, TODAY).then((n) => receipts.push(n)));
      }
      // A receipt entered late with its real, earlier date.
      await tolerate(pay(db, c.id, addDays(start, 45), 33_333, TODAY).then((n) => receipts.push(n)));
      await clean();
    }
    for (const n of [receipts[3], receipts[9], receipts[20]]) {
      await reverse(db, n!, 'Depósito rechazado por el banco', TODAY);
      await clean();
    }
    // Contract 4 paid too little: accelerated, then rescinded; contract 5: accelerated only.
    await tolerate(accelerateContract(db, contracts[4]!.id, { resolution_number: 'R.G. 10-2026', date: '2026-10-01' }, TODAY, ACTOR));
    await clean();
    await tolerate(rescindContract(db, contracts[4]!.id, { resolution_number: 'R.A. 11-2026', resolution_date: TODAY, compensation_cents: 0, penalty_cents: 0 }, TODAY, ACTOR));
    await clean();
    // A moratorium ordinance entered with a past date re-prices every late fee closed since then.
    await updateSettings(db, {
      down_payment_ppm: 150_000, installment_count: 60, annual_rate_ppm: 0, rescission_threshold_ppm: 500_000,
      moratorium: { monthly_rate_ppm: 9000, effective_from: '2025-03-01', ordinance: 'O.M. 5-2025' },
    }, ACTOR);
    await clean();
    // The history did what it says: three receipts voided, contract 4 accelerated then rescinded.
    expect(await db('receipts').where({ status: 'void' }).count({ n: '*' })).toEqual([{ n: 3 }]);
    expect(await db('contracts').where({ id: contracts[4]!.id }).first('status', 'accelerated_on'))
      .toEqual({ status: 'rescinded', accelerated_on: '2026-10-01' });
    expect(Number((await db('receipts').count({ n: '*' }))[0]!.n)).toBeGreaterThan(60);
  });

  it('verify names a contract whose stored account was altered; rebuild makes it equal again', async () => {
    const c = await sale(db, { date: '2026-01-15', today: TODAY });
    await pay(db, c.id, '2026-01-15', 1_500_000, TODAY);
    await pay(db, c.id, '2026-03-01', 200_000, TODAY);
    await clean();
    await db('account_rows').where({ contract_id: c.id, n: 1 }).update({ principal_paid_cents: 1 });
    const { checked, differences } = await verifyAccounts(db);
    expect(checked).toBe(1);
    expect(differences).toEqual([{ contract_id: c.id, number: expect.stringMatching(/^CV-2026-\d{4}$/), what: 'rows differ' }]);
    await db.transaction((trx) => refreshAllAccounts(trx));
    await clean();
    // The stored row after the rebuild: row 1 (S/ 1,416.67 due 15/02) paid on 01/03 with 14 days of fee.
    const row = await db('account_rows').where({ contract_id: c.id, n: 1 }).first();
    // 141,667 × 1.2% × 14/30 = 793.34 → 793 céntimos of late fee, paid first.
    expect(row).toMatchObject({ late_fee_cents: 793, late_fee_paid_cents: 793, paid_on: '2026-03-01', accrued_to: '2026-03-01' });
    expect(Number(row.unpaid_cents)).toBe(0);
  });
});
