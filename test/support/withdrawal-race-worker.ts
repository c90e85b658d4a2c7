// One side of the race in test/service/withdrawal-race.test.ts, in its own process with its own
// connection: at each given instant, the down payment (`pay`) or the withdrawal (`withdraw`) of one
// contract. Prints one JSON line per contract: what it did, or how it was refused.
import { createDb } from '../../src/db/knex.ts';
import { withdrawContract } from '../../src/contracts/withdrawal.ts';
import { FormError } from '../../src/web/errors.ts';
import { pay } from '../service/sales-fixtures.ts';

const [url, op, idsArg, startArg, stepArg, offsetsArg] = process.argv.slice(2) as [string, 'pay' | 'withdraw', string, string, string, string];
const offsets = offsetsArg.split(',').map(Number);
const ids = idsArg.split(',').map(Number);
const TODAY = '2026-11-25';
const db = createDb(url);
await db.raw('select 1'); // connected before the first instant
const results: unknown[] = [];
for (const [i, id] of ids.entries()) {
  const at = Number(startArg) + i * Number(stepArg) + (offsets[i % offsets.length] ?? 0);
  while (Date.now() < at) await new Promise((r) => setTimeout(r, 1));
  try {
    if (op === 'pay') await pay(db, id, '2026-11-20', 1_500_000, TODAY);
    else await withdrawContract(db, id, { reason: 'Desistió', resolution_number: `R.A. ${id}`, resolution_date: '2026-11-20' }, TODAY, { id: 2, username: 'gerente', ip: null });
    results.push({ id, ok: true });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    results.push(err instanceof FormError ? { id, ok: false, status: err.status, fields: err.fields } : { id, ok: false, code: e.code ?? null, message: String(e.message).slice(0, 200) });
  }
}
await db.destroy();
process.stdout.write(`${JSON.stringify(results)}\n`);
