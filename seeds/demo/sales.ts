// Demo data: about 40 sales of municipal lots signed from 2021 to this year, through the contract
// service with their real (past) dates, to the demo's active ACIPIAS members; a few at a
// negotiated price. Payments are added after this by the payments area. Deterministic.
import type { Knex } from 'knex';
import { SYSTEM } from '../../src/audit/audit.ts';
import { systemClock } from '../../src/clock.ts';
import { addDays, daysBetween } from '../../src/domain/dates.ts';
import { listPrice } from '../../src/domain/schedule.ts';
import { percentOf } from '../../src/domain/money.ts';
import { signContract } from '../../src/contracts/service.ts';

const SALES = 40;
const FIRST_DATE = '2021-01-15';

/** The contract ids signed by the demo, oldest first (for the payments seed). */
export async function seedSales(knex: Knex): Promise<number[]> {
  const today = systemClock.today();
  const lastDate = addDays(today, -20);
  const lots: { code: string; area_dm2: number; price_per_m2_cents: number }[] =
    await knex('lots').where({ owner: 'municipal', status: 'available' }).orderBy('code');
  const members: { firm_ruc: string }[] = await knex('memberships').where({ status: 'active' }).orderBy('member_number');
  if (lots.length === 0 || members.length === 0 || lastDate <= FIRST_DATE) return [];

  const count = Math.min(SALES, lots.length);
  const span = daysBetween(FIRST_DATE, lastDate);
  const ids: number[] = [];
  for (let k = 0; k < count; k++) {
    // Spread over the park (every n-th lot) and over the years (evenly, oldest first).
    const lot = lots[Math.floor((k * lots.length) / count)]!;
    const date = addDays(FIRST_DATE, Math.floor((k * span) / (count - 1 || 1)));
    const firm = members[(k * 7) % members.length]!;
    // Every ninth sale is negotiated 5% below list, with the reason the board gave.
    const list = listPrice(Number(lot.area_dm2), Number(lot.price_per_m2_cents));
    const negotiated = k % 9 === 4;
    ids.push(await signContract(knex, {
      lot_code: lot.code, firm_ruc: firm.firm_ruc, date,
      price_cents: negotiated ? percentOf(list, 950_000) : null,
      price_reason: negotiated ? 'Demo: rebaja del 5% por pendiente del terreno (acuerdo de directorio)' : null,
      member_number: null, joined_on: null,
    }, SYSTEM, today));
  }
  return ids;
}
