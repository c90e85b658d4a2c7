import type { Knex } from 'knex';

// Withdrawal (desistimiento / anulación) of a sale whose down payment never came: the contract
// becomes `withdrawn` on the resolution's date (its number stays used), the withdrawals row keeps
// the resolution and the reason. Two park settings: the days a down payment may take before the
// home page lists the contract, and the months a rescheduled contract stays watched.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contracts', (t) => {
    t.string('withdrawn_on', 10).nullable();
    t.string('withdrawal_resolution', 64).nullable();
  });
  await knex.schema.createTable('withdrawals', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().unique().references('contracts.id');
    t.string('resolution_number', 64).notNullable();
    t.string('resolution_date', 10).notNullable();
    t.string('reason', 500).notNullable();
    t.integer('recorded_by').nullable();
    t.string('recorded_at', 32).notNullable();
  });
  await knex('settings').insert([
    { key: 'down_payment_deadline_days', value: '30' },
    { key: 'reschedule_watch_months', value: '6' },
  ]).onConflict('key').ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex('settings').whereIn('key', ['down_payment_deadline_days', 'reschedule_watch_months']).delete();
  await knex.schema.dropTable('withdrawals');
  await knex.schema.alterTable('contracts', (t) => {
    t.dropColumn('withdrawal_resolution');
    t.dropColumn('withdrawn_on');
  });
}
