// Demo data: sales (filled by the sales area; called by seeds/01_demo_park.ts on an empty database).
import type { Knex } from 'knex';

export async function seedSales(_knex: Knex): Promise<void> {
  // nothing yet
}
