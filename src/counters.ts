// Gap-free numbering (contracts per year, receipts per series). Called inside the writing
// transaction: the number is taken and used in the same commit, or neither happens.
import type { Db } from './db/knex.ts';

export async function nextValue(trx: Db, name: string): Promise<number> {
  const updated = await trx('counters').where({ name }).increment('last_value', 1);
  if (updated === 0) {
    await trx('counters').insert({ name, last_value: 1 });
    return 1;
  }
  const row = await trx('counters').where({ name }).first('last_value');
  return Number(row.last_value);
}
