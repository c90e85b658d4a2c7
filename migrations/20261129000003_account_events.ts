import type { Knex } from 'knex';

// Resolutions that change what a contract owes or when: acceleration and its undo, late-fee waivers,
// reschedules. The replay applies them by date (src/domain/statement.ts AccountEvent); nothing is edited.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_events', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().references('contracts.id');
    t.string('kind', 32).notNullable(); // acceleration | acceleration_undo | waiver | reschedule
    t.string('date', 10).notNullable(); // the resolution's date: the day it takes effect
    t.string('resolution_number', 64).notNullable();
    t.text('details').notNullable(); // JSON: waiver parts, reschedule terms
    t.integer('recorded_by').nullable();
    t.string('recorded_at', 32).notNullable();
    t.index(['contract_id']);
  });
  const accelerated = await knex('contracts').whereNotNull('accelerated_on')
    .select('id', 'accelerated_on', 'acceleration_resolution', 'created_at');
  for (const c of accelerated) {
    await knex('account_events').insert({
      contract_id: c.id, kind: 'acceleration', date: c.accelerated_on, resolution_number: c.acceleration_resolution ?? '',
      details: '{}', recorded_by: null, recorded_at: c.created_at,
    });
  }
  // A reschedule adds a schedule version; its rows continue the numbering (n stays unique per contract).
  await knex.schema.alterTable('schedule_rows', (t) => { t.integer('version').notNullable().defaultTo(1); });
  await knex.schema.alterTable('contracts', (t) => {
    t.integer('schedule_version').notNullable().defaultTo(1);
    t.string('rescheduled_on', 10).nullable(); // the last reschedule: the delinquency report watches it
    // The last resolution that fixed the balance (waiver, reschedule): receipts dated on or before it can
    // no longer be added or voided, or what the resolution decided would change under it.
    t.string('balance_fixed_on', 10).nullable();
    t.string('balance_fixed_by', 64).nullable();
  });
  await knex.schema.alterTable('account_rows', (t) => {
    t.integer('version').notNullable().defaultTo(1);
    t.bigInteger('late_fee_waived_cents').notNullable().defaultTo(0);
    t.bigInteger('moved_cents').notNullable().defaultTo(0);
  });
  // Late fees are income only when paid, so a waiver moves no money: it is kept in memorandum accounts
  // (cuentas de orden, class 0 of the Peruvian chart), debit and credit, for the fund reports.
  await knex('accounts').insert([
    { code: '0701', name: 'orden:moras condonadas', label_es: 'Intereses moratorios condonados (cuenta de orden)', label_en: 'Late fees waived (memorandum)', type: 'asset' },
    { code: '0901', name: 'orden:contra:moras condonadas', label_es: 'Intereses moratorios condonados por resolución (contracuenta)', label_en: 'Late fees waived by resolution (contra)', type: 'liability' },
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex('accounts').whereIn('code', ['0701', '0901']).delete();
  await knex.schema.alterTable('account_rows', (t) => { t.dropColumn('version'); t.dropColumn('late_fee_waived_cents'); t.dropColumn('moved_cents'); });
  await knex.schema.alterTable('contracts', (t) => {
    t.dropColumn('schedule_version'); t.dropColumn('rescheduled_on'); t.dropColumn('balance_fixed_on'); t.dropColumn('balance_fixed_by');
  });
  await knex.schema.alterTable('schedule_rows', (t) => { t.dropColumn('version'); });
  await knex.schema.dropTable('account_events');
}
