import type { Knex } from 'knex';

// Receipts are numbered without gaps per series and never deleted: a wrong one is voided.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('receipts', (t) => {
    t.increments('id');
    t.string('number', 16).notNullable().unique(); // R001-00000123
    t.string('series', 4).notNullable();
    t.integer('correlative').notNullable();
    t.integer('contract_id').notNullable().references('contracts.id');
    t.string('date', 10).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.string('method', 16).notNullable(); // cash | deposit | transfer
    t.string('reference', 64).nullable();
    // One token per payment form: a second submission of the same form finds this row.
    t.string('form_token', 64).nullable().unique();
    t.integer('recorded_by').nullable();
    t.string('recorded_by_name', 64).nullable();
    t.string('created_at', 32).notNullable();
    t.string('status', 8).notNullable().defaultTo('valid'); // valid | void
    t.string('void_reason', 500).nullable();
    t.integer('voided_by').nullable();
    t.string('voided_at', 32).nullable();
    t.unique(['series', 'correlative']);
    t.index(['contract_id']);
  });
  // How each receipt was applied when recorded (what its printout shows). The live allocation
  // is recomputed from all valid receipts whenever one is reversed.
  await knex.schema.createTable('receipt_allocations', (t) => {
    t.integer('receipt_id').notNullable().references('receipts.id');
    t.integer('n').notNullable();
    t.bigInteger('late_fee_cents').notNullable();
    t.bigInteger('interest_cents').notNullable();
    t.bigInteger('principal_cents').notNullable();
    t.primary(['receipt_id', 'n']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('receipt_allocations');
  await knex.schema.dropTable('receipts');
}
