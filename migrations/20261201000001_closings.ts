import type { Knex } from 'knex';

// Month close (issue 13). Each close and each reopen of a month is a row, never updated nor deleted:
// a month is closed while its latest row (highest id) is a close. Closing runs the month's checks first
// and keeps what they found (JSON); a reopen needs a reason. Both are in the audit log as well.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('month_closings', (t) => {
    t.increments('id');
    t.string('month', 7).notNullable(); // 'YYYY-MM'
    t.string('action', 8).notNullable(); // close | reopen
    t.text('reason').nullable(); // required for a reopen (≤ 500)
    t.text('checks').nullable(); // close: the checks as they stood, JSON [{key, ok, detail}]
    t.integer('actor_id').nullable().references('users.id');
    t.string('actor_name', 64).nullable();
    t.string('at', 32).notNullable(); // ISO instant
    t.index(['month']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('month_closings');
}
