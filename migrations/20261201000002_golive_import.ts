import type { Knex } from 'knex';

// Go-live import (issue 14): the park's contracts and receipts from before the software, replayed
// through the sale and payment services. Each import is recorded (who, when, the two files by name
// and SHA-256, what it made); the contracts and receipts it made keep their paper numbers, each
// unique, so that the same paper cannot be imported twice.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('imports', (t) => {
    t.increments('id');
    t.integer('imported_by').nullable();
    t.string('imported_by_name', 64).nullable();
    t.string('imported_at', 32).notNullable();
    t.string('cutoff_date', 10).notNullable(); // the date the paper balances were written
    t.string('contracts_file_name', 255).notNullable();
    t.string('contracts_sha256', 64).notNullable();
    t.string('receipts_file_name', 255).nullable();
    t.string('receipts_sha256', 64).nullable();
    t.integer('contract_count').notNullable().defaultTo(0);
    t.integer('receipt_count').notNullable().defaultTo(0);
    t.integer('firm_count').notNullable().defaultTo(0); // firms created from the file
    t.integer('elapsed_ms').nullable();
    t.text('summary').nullable(); // JSON: per contract, the app's balance beside the paper's on the cut-off date
  });
  await knex.schema.alterTable('contracts', (t) => {
    t.string('paper_number', 64).nullable(); // the paper contract's number (imported contracts only)
    t.integer('import_id').nullable();
  });
  await knex.schema.alterTable('receipts', (t) => {
    t.string('paper_number', 64).nullable(); // the paper receipt's number (imported receipts only)
    t.integer('import_id').nullable();
  });
  // NULLs do not collide (SQLite and PostgreSQL): only imported records carry a paper number.
  await knex.raw('CREATE UNIQUE INDEX contracts_paper_number ON contracts (paper_number)');
  await knex.raw('CREATE UNIQUE INDEX receipts_paper_number ON receipts (paper_number)');
  await knex.raw('CREATE INDEX contracts_import_id ON contracts (import_id)');
  await knex.raw('CREATE INDEX receipts_import_id ON receipts (import_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX receipts_import_id');
  await knex.raw('DROP INDEX contracts_import_id');
  await knex.raw('DROP INDEX receipts_paper_number');
  await knex.raw('DROP INDEX contracts_paper_number');
  await knex.schema.alterTable('receipts', (t) => { t.dropColumn('import_id'); t.dropColumn('paper_number'); });
  await knex.schema.alterTable('contracts', (t) => { t.dropColumn('import_id'); t.dropColumn('paper_number'); });
  await knex.schema.dropTable('imports');
}
