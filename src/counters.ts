// Gap-free numbering (contracts per year, receipts per series). Called inside the writing
// transaction: the number is taken and used in the same commit, or neither happens.
import type { Db } from './db/knex.ts';

/**
 * One statement creates the counter at 1 or takes its next value. On PostgreSQL the row it writes
 * stays locked until the transaction ends, so a concurrent one waits and then sees the committed
 * value (or the old one after a rollback): no number is repeated or skipped. ON CONFLICT covers two
 * transactions racing to create the same new counter, where a plain INSERT would fail one of them.
 */
export async function nextValue(trx: Db, name: string): Promise<number> {
  const [row] = await trx('counters').insert({ name, last_value: 1 })
    .onConflict('name').merge({ last_value: trx.raw('?? + 1', ['counters.last_value']) })
    .returning('last_value');
  return Number(row.last_value);
}
