// Concurrent writers. On SQLite the single connection serialises the transactions; on PostgreSQL
// (TEST_DATABASE_URL) they run on several connections and must come out the same: gap-free numbers,
// and a check made by one transaction still true when it writes.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { nextValue } from '../../src/counters.ts';
import { FormError } from '../../src/web/errors.ts';
import { pay, sale, setRates } from './sales-fixtures.ts';

let db: Db;
let dir: string;

beforeAll(async () => {
  ({ db, dir } = await tempDb());
  await setRates(db, [['2010-01-01', 12000]]);
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A writing transaction that takes a number and keeps its lock a moment longer, as a real write does. */
const take = (name: string, fail = false) => db.transaction(async (trx) => {
  const value = await nextValue(trx, name);
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (fail) throw new Error(`refused after taking ${value}`);
  return value;
});

const lastValue = async (name: string) => (await db('counters').where({ name }).first('last_value'))?.last_value;

describe('nextValue', () => {
  it('gives eight concurrent transactions on a new counter 1 to 8, none twice', async () => {
    const values = await Promise.all(Array.from({ length: 8 }, () => take('receipt:RACE')));
    expect(values.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await lastValue('receipt:RACE')).toBe(8);
  });

  it('continues an existing counter under concurrency', async () => {
    const values = await Promise.all(Array.from({ length: 5 }, () => take('receipt:RACE')));
    expect(values.sort((a, b) => a - b)).toEqual([9, 10, 11, 12, 13]);
  });

  it('leaves no gap when a transaction that took a number rolls back', async () => {
    const results = await Promise.allSettled([take('contract:2026'), take('contract:2026', true), take('contract:2026')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const kept = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])).sort((a, b) => a - b);
    expect(kept).toEqual([1, 2]);
    expect(await lastValue('contract:2026')).toBe(2);
    expect(await take('contract:2026')).toBe(3);
  });
});

describe('check, then write', () => {
  it('of two concurrent payments of 60,000.00 on a 100,000.00 contract, records one and refuses the other as exceeding the balance', async () => {
    const c = await sale(db, { date: '2026-01-15', today: '2026-11-25' });
    const results = await Promise.allSettled([
      pay(db, c.id, '2026-01-15', 6_000_000, '2026-11-25', 'transfer'),
      pay(db, c.id, '2026-01-15', 6_000_000, '2026-11-25', 'transfer'),
    ]);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(FormError);
    expect((refused[0] as FormError).status).toBe(400);
    expect(Object.keys((refused[0] as FormError).fields)).toEqual(['amount']);
    expect(await db('receipts').where({ contract_id: c.id }).select('number', 'amount_cents'))
      .toEqual([{ number: 'R001-00000001', amount_cents: 6_000_000 }]);
  });
});
