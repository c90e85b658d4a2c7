// Demo data: lots (filled by the lots area; called by seeds/01_demo_park.ts on an empty database).
import type { Knex } from 'knex';

export async function seedLots(_knex: Knex): Promise<void> {
  // nothing yet
}
