// A down payment and a withdrawal of the same contract sent at the same instant by two processes,
// each with its own connection to one database (SQLite's WAL file, or PostgreSQL under
// TEST_DATABASE_URL). Whoever wins, the outcome is one: either the receipt exists and the contract is
// active with no withdrawal, or the contract is withdrawn with no receipt and its lot available. The
// loser waits for the winner's commit (each takes the contract before reading it) and is refused 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDb } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { verifyAccounts } from '../../src/accounts/maintain.ts';
import { reconciliation } from '../../src/fund/reports.ts';
import { sale, setRates } from './sales-fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TODAY = '2026-11-25';
let db: Db;
let dir: string;
let url: string;
beforeAll(async () => {
  ({ db, dir, url } = await tempDb());
  await setRates(db, [['2010-01-01', 12000]]);
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Outcome = { id: number; ok: boolean; status?: number; fields?: unknown; code?: string | null; message?: string };

function worker(op: 'pay' | 'withdraw', ids: number[], start: number, step: number, offsets: number[]): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/withdrawal-race-worker.ts', url, op, ids.join(','), String(start), String(step), offsets.join(',')],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (b) => { out += b; });
    proc.stderr.on('data', (b) => { err += b; });
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`${op} worker exited ${code}: ${err}`))));
  });
}

describe('a down payment and a withdrawal racing from two processes', () => {
  it('leave, for each of eight contracts, either the receipt or the withdrawal, never both', { timeout: 120_000 }, async () => {
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push((await sale(db, { date: '2026-09-01', today: TODAY })).id);
    const start = Date.now() + 4_000; // both processes started and connected by then
    // Same instant, or one a little ahead of the other: both orders happen.
    const [payments, withdrawals] = await Promise.all([
      worker('pay', ids, start, 300, [0, 0, 15, 0]), worker('withdraw', ids, start, 300, [0, 15, 0, 5]),
    ]);
    const tally = { paid: 0, withdrawn: 0 };
    for (const [i, id] of ids.entries()) {
      const p = payments[i]!;
      const w = withdrawals[i]!;
      const c = await db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').where('c.id', id).first('c.number', 'c.status', 'l.status as lot_status');
      const receipts = Number((await db('receipts').where({ contract_id: id }).count({ n: '*' }))[0]!.n);
      const rows = Number((await db('withdrawals').where({ contract_id: id }).count({ n: '*' }))[0]!.n);
      expect([p.ok, w.ok].filter(Boolean), JSON.stringify({ p, w })).toHaveLength(1);
      if (p.ok) {
        tally.paid++;
        expect([c.status, c.lot_status, receipts, rows]).toEqual(['active', 'under_contract', 1, 0]);
        // Refused by the state it found once the payment committed: 409, the receipt named.
        expect(w.status, JSON.stringify(w)).toBe(409);
      } else {
        tally.withdrawn++;
        expect([c.status, c.lot_status, receipts, rows]).toEqual(['withdrawn', 'available', 0, 1]);
        // The payment waited for the withdrawal's commit, then found the contract withdrawn.
        expect(p.fields, JSON.stringify(p)).toEqual({ _form: { key: 'payments.error.withdrawn', params: { number: c.number } } });
      }
    }
    expect(tally.paid + tally.withdrawn).toBe(8);
    expect((await verifyAccounts(db)).differences).toEqual([]);
    expect((await reconciliation(db, '2026-01-01', TODAY)).ok).toBe(true);
    // The counters: one receipt number per payment that won, none lost to the losers.
    const numbers = await db('receipts').orderBy('correlative').pluck('correlative');
    expect(numbers.map(Number)).toEqual(Array.from({ length: tally.paid }, (_, i) => i + 1));
    console.log(`race outcomes: ${JSON.stringify(tally)}; losers: ${JSON.stringify([...payments, ...withdrawals].filter((o) => !o.ok).map((o) => o.status ?? o.code))}`);
  });
});
