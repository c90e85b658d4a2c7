import type { Knex } from 'knex';

// When each periodic job last ran: with several app processes on one database, a job due is run by
// the first process whose (serialised) transaction finds it due, and skipped by the others.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scheduled_jobs', (t) => {
    t.string('name', 64).primary();
    t.string('last_run_at', 32).notNullable();
    t.string('last_run_by', 128).notNullable(); // host:pid of the process that ran it
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('scheduled_jobs');
}
