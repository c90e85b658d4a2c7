import type { Knex } from 'knex';

// The login sessions' table, in the schema from the start (as connect-session-knex would make it on its
// first use): the expired-session sweep and anything else that reads it must not race the store's
// own creation of it on a new database. A database where the store already made it keeps it as it is.
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('sessions')) return;
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid').primary();
    t.json('sess').notNullable();
    t.timestamp('expired').notNullable().index();
  });
}

export async function down(): Promise<void> {
  // Kept: it may have been made by the session store before this migration existed.
}
