import type { Knex } from 'knex';

// Park settings (current values; their changes are in the audit log) and the moratorium rate,
// which has an effective date because an ordinance fixes it from a day on.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (t) => {
    t.string('key', 64).primary();
    t.string('value', 255).notNullable();
  });
  await knex('settings').insert([
    { key: 'down_payment_ppm', value: '150000' }, // 15%
    { key: 'installment_count', value: '60' }, // five years
    { key: 'annual_rate_ppm', value: '0' }, // 0%
    { key: 'rescission_threshold_ppm', value: '500000' }, // 50% (Civil Code art. 1562)
  ]);
  await knex.schema.createTable('moratorium_rates', (t) => {
    t.increments('id');
    t.string('effective_from', 10).notNullable().unique();
    t.integer('monthly_rate_ppm').notNullable(); // 1.2% a month = 12000
    t.string('ordinance', 128).nullable();
    t.integer('created_by').nullable();
    t.string('created_at', 32).notNullable();
  });
  // Gap-free counters (contract numbers per year, receipt correlatives per series).
  await knex.schema.createTable('counters', (t) => {
    t.string('name', 32).primary();
    t.integer('last_value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('counters');
  await knex.schema.dropTable('moratorium_rates');
  await knex.schema.dropTable('settings');
}
