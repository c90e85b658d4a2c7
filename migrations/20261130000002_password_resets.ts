import type { Knex } from 'knex';

// Password-reset links: one-time and short-lived; only the SHA-256 of the token is stored (the token
// itself exists only in the e-mail). A used or superseded link keeps its row (used_at / revoked_at).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_resets', (t) => {
    t.increments('id');
    t.string('token_hash', 64).notNullable().unique();
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('email', 254).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable();
    t.string('used_at', 32).nullable();
    t.string('revoked_at', 32).nullable();
    t.string('requested_ip', 64).nullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('password_resets');
}
