import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('username', 64).notNullable().unique();
    t.string('email', 254).nullable().unique();
    t.string('password_hash', 255).nullable(); // null until an invited buyer sets it
    t.string('role', 16).notNullable(); // admin | manager | finance | buyer
    t.string('firm_ruc', 11).nullable(); // buyers only
    t.boolean('active').notNullable().defaultTo(true);
    // Bumped on password change: every session holding an older value is logged out.
    t.integer('session_version').notNullable().defaultTo(0);
    t.string('created_at', 32).notNullable();
    t.string('password_changed_at', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
