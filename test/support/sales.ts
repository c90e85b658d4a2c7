// Fixtures for tests around sales: lots, firms and members inserted directly (the lots and firms
// forms have their own tests), with valid RUCs computed from their first ten digits.
import type { Db } from '../../src/db/knex.ts';
import { rucCheckDigit } from '../../src/domain/ruc.ts';

/** A valid RUC from a 10-digit stem, e.g. validRuc('2051233379') → '20512333797'. */
export const validRuc = (stem: string) => `${stem}${rucCheckDigit(stem)}`;

export async function insertLot(db: Db, lot: {
  code: string; area_dm2: number; price_per_m2_cents: number; owner?: 'municipal' | 'ministry'; status?: string; land_use?: string;
}): Promise<number> {
  const now = new Date().toISOString();
  const [block, number] = lot.code.split('-');
  const [row] = await db('lots').insert({
    code: lot.code, block, number: Number(number), area_dm2: lot.area_dm2, land_use: lot.land_use ?? 'metalworking',
    owner: lot.owner ?? 'municipal', price_per_m2_cents: lot.price_per_m2_cents, status: lot.status ?? 'available',
    created_at: now, updated_at: now,
  }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function insertFirm(db: Db, ruc: string, name: string, member?: { number: string; status?: string; joined_on?: string }): Promise<void> {
  const now = new Date().toISOString();
  await db('firms').insert({
    ruc, name, representative_name: 'Rosa Demo', representative_dni: '10117410', sector: 'metalmecanica',
    created_at: now, updated_at: now,
  });
  if (member) {
    await db('memberships').insert({ firm_ruc: ruc, member_number: member.number, joined_on: member.joined_on ?? '2020-01-15', status: member.status ?? 'active' });
    await db('membership_events').insert({ firm_ruc: ruc, status: member.status ?? 'active', effective_on: member.joined_on ?? '2020-01-15', recorded_at: now });
  }
}

/** Row counts of the tables a sale writes, to prove that a refused one wrote nothing. */
export async function saleCounts(db: Db) {
  const count = async (table: string) => Number((await db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);
  return {
    contracts: await count('contracts'), schedule_rows: await count('schedule_rows'),
    contract_events: await count('contract_events'), memberships: await count('memberships'),
    membership_events: await count('membership_events'), counters: await count('counters'),
  };
}
