import type { Knex } from 'knex';

// A moratorium rate not yet in force can be withdrawn (an ordinance repealed before its date): the row
// stays, marked withdrawn with who, when and why, and no longer applies. One live rate per date: a
// withdrawn date can be entered again.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('moratorium_rates', (t) => {
    t.string('withdrawn_at', 32).nullable();
    t.integer('withdrawn_by').nullable();
    t.string('withdrawal_reason', 500).nullable();
  });
  await knex.schema.alterTable('moratorium_rates', (t) => {
    t.dropUnique(['effective_from']);
  });
  await knex.raw('CREATE UNIQUE INDEX moratorium_rates_live_date ON moratorium_rates (effective_from) WHERE withdrawn_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX moratorium_rates_live_date');
  await knex.schema.alterTable('moratorium_rates', (t) => {
    t.unique(['effective_from']);
  });
  await knex.schema.alterTable('moratorium_rates', (t) => {
    t.dropColumn('withdrawal_reason');
    t.dropColumn('withdrawn_by');
    t.dropColumn('withdrawn_at');
  });
}
