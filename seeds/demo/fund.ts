// Demo data: fund (filled by the fund area; called by seeds/01_demo_park.ts on an empty database).
import type { Knex } from 'knex';

export async function seedFund(_knex: Knex): Promise<void> {
  // nothing yet
}
