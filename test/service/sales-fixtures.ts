// Test fixtures of the payments area: a lot, a member firm and a signed sale on a fresh database,
// through the contracts service (as POST /contracts does), and payments through ours.
import type { Db } from '../../src/db/knex.ts';
import { rucCheckDigit } from '../../src/domain/ruc.ts';
import { signContract } from '../../src/contracts/service.ts';
import { recordPayment, reverseReceipt } from '../../src/payments/service.ts';
import type { Actor } from '../../src/audit/audit.ts';
import type { Cents } from '../../src/domain/money.ts';
import type { Method } from '../../src/payments/postings.ts';

export const ACTOR: Actor = { id: 2, username: 'gerente', ip: null };

let serial = 0;

/** A valid company RUC (prefix 20) made from a serial number. */
export function ruc(n: number): string {
  const first10 = `20${String(n).padStart(8, '0')}`;
  return `${first10}${rucCheckDigit(first10)}`;
}

/** Sets the moratorium rate history (monthly ppm from each date). */
export async function setRates(db: Db, rates: [string, number][]): Promise<void> {
  await db('moratorium_rates').delete();
  for (const [effective_from, monthly_rate_ppm] of rates) {
    await db('moratorium_rates').insert({ effective_from, monthly_rate_ppm, created_at: new Date().toISOString() });
  }
}

/**
 * Signs a sale of a fresh lot to a fresh member firm. Default price S/ 100,000.00 (1,000 m² at S/ 100):
 * down 15,000.00 and 60 × 1,416.67 (the last 1,416.47) at 0%.
 */
export async function sale(db: Db, opts: { date: string; today: string; area_dm2?: number; price_per_m2_cents?: number;
  owner?: 'municipal' | 'ministry' }): Promise<{ id: number; lot_code: string; firm_ruc: string }> {
  serial += 1;
  const n = serial;
  const now = new Date().toISOString();
  const lot_code = `T-${(serial % 999) + 1}`;
  const firm_ruc = ruc(n);
  const [lot] = await db('lots').insert({
    code: lot_code, block: 'T', number: (serial % 999) + 1, area_dm2: opts.area_dm2 ?? 100_000, land_use: 'light_industry',
    owner: 'municipal', price_per_m2_cents: opts.price_per_m2_cents ?? 10_000, status: 'available', created_at: now, updated_at: now,
  }).returning('id');
  await db('firms').insert({
    ruc: firm_ruc, name: `Empresa de prueba ${serial} S.A.C.`, representative_name: 'Ana Prueba', representative_dni: '12345678',
    sector: 'metalmecanica', created_at: now, updated_at: now,
  });
  await db('memberships').insert({ firm_ruc, member_number: `T-${n}`, joined_on: '2015-01-01', status: 'active' });
  const id = await signContract(db, {
    lot_code, firm_ruc, date: opts.date, price_cents: null, price_reason: null, member_number: null, joined_on: null,
  }, ACTOR, opts.today);
  // A ministry lot cannot be sold: the guard in the postings is tested by turning the lot over afterwards.
  if (opts.owner === 'ministry') await db('lots').where({ id: typeof lot === 'object' ? lot.id : lot }).update({ owner: 'ministry' });
  return { id, lot_code, firm_ruc };
}

export async function pay(db: Db, contractId: number, date: string, amount_cents: number, today: string,
  method: Method = 'cash', form_token: string | null = null): Promise<string> {
  return recordPayment(db, contractId, {
    date, amount_cents: amount_cents as Cents, method, reference: method === 'cash' ? null : `OP-${date}`, form_token,
  }, today, ACTOR);
}

export async function reverse(db: Db, number: string, reason: string, today: string): Promise<void> {
  await reverseReceipt(db, number, reason, today, ACTOR);
}
