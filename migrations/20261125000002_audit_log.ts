import type { Knex } from 'knex';

// Append-only: who did what to which record, when, with the values before and after.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.string('at', 32).notNullable();
    t.integer('user_id').nullable();
    t.string('username', 64).nullable();
    t.string('action', 64).notNullable(); // e.g. lot.create, login.failed, access.denied
    t.string('entity', 32).nullable();
    t.string('entity_id', 64).nullable();
    t.text('details').nullable(); // JSON
    t.string('ip', 64).nullable();
    t.index(['entity', 'entity_id']);
    t.index(['action']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
