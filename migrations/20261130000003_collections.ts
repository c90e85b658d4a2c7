import type { Knex } from 'knex';

// Collections (issue 12): the numbered collection letters (CC-YYYY-NNNN, gap-free per year) and the
// notes of calls the cobranza page keeps. A letter is written once and never changed: it states what
// was overdue on its date. Unique (contract, episode, level): one letter per level per oldest overdue
// installment, whoever runs the day (two processes cannot both issue it).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('collection_letters', (t) => {
    t.increments('id');
    t.string('number', 16).notNullable().unique(); // CC-2026-0001
    t.integer('contract_id').notNullable().references('contracts.id');
    t.integer('level').notNullable(); // 1 reminder after a due date, 2 second notice, 3 last notice (art. 1561)
    t.string('date', 10).notNullable(); // the letter's date: figures are to this day
    t.string('episode_due_date', 10).notNullable(); // due date of the oldest overdue installment then
    t.text('items').notNullable(); // JSON: [{n, due_date, unpaid_cents, late_fee_cents, total_cents}]
    t.bigInteger('overdue_cents').notNullable(); // principal + interest overdue
    t.bigInteger('late_fee_cents').notNullable(); // late fees unpaid on the overdue installments to `date`
    t.bigInteger('total_cents').notNullable();
    t.integer('unpaid_count').notNullable();
    t.string('trigger', 16).notNullable(); // daily | manual
    t.string('email', 254).nullable(); // the firm's e-mail it was sent to (null: none on file, printed only)
    t.integer('mail_id').nullable(); // mail_outbox.id
    t.integer('created_by').nullable();
    t.string('created_at', 32).notNullable();
    t.unique(['contract_id', 'episode_due_date', 'level']);
    t.index(['contract_id']);
  });
  await knex.schema.createTable('collection_notes', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().references('contracts.id');
    t.string('date', 10).notNullable();
    t.text('note').notNullable();
    t.integer('created_by').nullable();
    t.string('created_at', 32).notNullable();
    t.index(['contract_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('collection_notes');
  await knex.schema.dropTable('collection_letters');
}
