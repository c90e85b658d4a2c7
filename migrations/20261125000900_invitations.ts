import type { Knex } from 'knex';

// One-time links with which a buyer firm's contact sets its password. Only the SHA-256 of the
// token is kept, so a copy of the database does not hand out working links.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invitations', (t) => {
    t.increments('id');
    t.string('token_hash', 64).notNullable().unique();
    t.integer('user_id').notNullable().references('users.id');
    t.string('firm_ruc', 11).notNullable().references('firms.ruc');
    t.string('email', 254).notNullable();
    t.integer('created_by').nullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable();
    t.string('used_at', 32).nullable();
    t.string('revoked_at', 32).nullable();
    t.index(['firm_ruc']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('invitations');
}
