import type { Knex } from 'knex';

// Buyer firms (identified by RUC) and the ACIPIAS member register with its status history.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('firms', (t) => {
    t.string('ruc', 11).primary();
    t.string('name', 200).notNullable();
    t.string('representative_name', 200).notNullable();
    t.string('representative_dni', 9).notNullable();
    t.string('sector', 64).notNullable();
    t.string('phone', 32).nullable();
    t.string('email', 254).nullable();
    t.string('address', 255).nullable();
    t.string('licence_number', 64).nullable(); // provisional municipal operating licence
    t.string('licence_issued_on', 10).nullable();
    t.string('licence_expires_on', 10).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });
  await knex.schema.createTable('memberships', (t) => {
    t.string('firm_ruc', 11).primary().references('firms.ruc');
    t.string('member_number', 32).notNullable().unique();
    t.string('joined_on', 10).notNullable();
    t.string('status', 16).notNullable(); // active | suspended | withdrawn
  });
  await knex.schema.createTable('membership_events', (t) => {
    t.increments('id');
    t.string('firm_ruc', 11).notNullable().references('firms.ruc');
    t.string('status', 16).notNullable();
    t.string('effective_on', 10).notNullable();
    t.string('note', 255).nullable();
    t.integer('recorded_by').nullable();
    t.string('recorded_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('membership_events');
  await knex.schema.dropTable('memberships');
  await knex.schema.dropTable('firms');
}
