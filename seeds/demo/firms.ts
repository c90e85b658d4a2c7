// Demo data: firms (filled by the firms area; called by seeds/01_demo_park.ts on an empty database).
import type { Knex } from 'knex';

export async function seedFirms(_knex: Knex): Promise<void> {
  // nothing yet
}
