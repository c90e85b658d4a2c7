import type { Knex } from 'knex';

// Deposits of the till's cash in the bank (Dr 1102 banco / Cr 1101 caja). A deposit is never edited
// or deleted: a wrong one is reversed (its entry mirrored), and its bank voucher number may then be
// entered again. Among valid deposits the voucher number is unique, whatever its case.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cash_deposits', (t) => {
    t.increments('id');
    t.string('date', 10).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.string('reference', 64).notNullable(); // the bank's voucher (constancia) number
    t.bigInteger('cash_available_cents').notNullable(); // what the till could give on that date, when recorded
    t.integer('entry_id').nullable().references('journal_entries.id'); // set in the same transaction
    t.string('status', 16).notNullable().defaultTo('valid'); // valid | reversed
    t.string('reversal_reason', 500).nullable();
    t.string('reversed_on', 10).nullable();
    t.integer('reversal_entry_id').nullable().references('journal_entries.id');
    t.integer('reversed_by').nullable();
    t.integer('recorded_by').nullable();
    t.string('recorded_by_name', 64).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['date']);
  });
  await knex.raw(`CREATE UNIQUE INDEX cash_deposits_valid_reference ON cash_deposits (upper(reference)) WHERE status = 'valid'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cash_deposits');
}
