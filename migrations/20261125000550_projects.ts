import type { Knex } from 'knex';

// Infrastructure projects financed by the reinvestment fund, and the spending charged to them.
// A spending is never edited or deleted: a wrong one is reversed (its entry mirrored in the ledger).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('projects', (t) => {
    t.increments('id');
    t.string('code', 32).notNullable().unique(); // e.g. AGUA-ZA
    t.string('name', 200).notNullable();
    t.text('description').nullable();
    t.bigInteger('budget_cents').notNullable();
    t.string('status', 16).notNullable(); // planned | in_progress | done
    t.integer('created_by').nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });
  await knex.schema.createTable('spendings', (t) => {
    t.increments('id');
    t.integer('project_id').notNullable().references('projects.id');
    t.string('date', 10).notNullable();
    t.string('supplier_ruc', 11).notNullable();
    t.string('supplier_name', 200).notNullable();
    t.string('document_number', 64).notNullable(); // the supplier's invoice (factura) number
    t.string('description', 500).notNullable();
    t.bigInteger('amount_cents').notNullable();
    // What was known when it was recorded, and whether finance confirmed going beyond it.
    t.bigInteger('fund_available_cents').notNullable();
    t.bigInteger('budget_remaining_cents').notNullable();
    t.boolean('over_fund').notNullable().defaultTo(false);
    t.boolean('over_budget').notNullable().defaultTo(false);
    t.integer('entry_id').nullable().references('journal_entries.id'); // set in the same transaction
    t.string('status', 16).notNullable().defaultTo('valid'); // valid | reversed
    t.string('reversal_reason', 500).nullable();
    t.string('reversed_on', 10).nullable();
    t.integer('reversal_entry_id').nullable().references('journal_entries.id');
    t.integer('reversed_by').nullable();
    t.integer('recorded_by').nullable();
    t.string('recorded_by_name', 64).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['project_id']);
    t.index(['date']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('spendings');
  await knex.schema.dropTable('projects');
}
