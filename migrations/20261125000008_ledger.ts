import type { Knex } from 'knex';

// The double-entry ledger in integer céntimos. Entries are never edited: a correction is a new
// entry that points at the one it reverses. Balances are sums of lines.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.string('code', 16).primary();
    t.string('name', 128).notNullable(); // hledger account name, e.g. activo:banco
    t.string('label_es', 128).notNullable();
    t.string('label_en', 128).notNullable();
    t.string('type', 16).notNullable(); // asset | liability | equity | income | expense
  });
  await knex('accounts').insert([
    { code: '1101', name: 'activo:caja', label_es: 'Caja', label_en: 'Cash', type: 'asset' },
    { code: '1102', name: 'activo:banco', label_es: 'Banco', label_en: 'Bank', type: 'asset' },
    { code: '1201', name: 'activo:cuentas por cobrar:compradores de lotes', label_es: 'Cuentas por cobrar a compradores de lotes', label_en: 'Receivables from lot buyers', type: 'asset' },
    { code: '2101', name: 'pasivo:ingresos diferidos:venta de lotes', label_es: 'Ingresos diferidos por venta de lotes', label_en: 'Deferred income from lot sales', type: 'liability' },
    { code: '3101', name: 'patrimonio:fondo de reinversion', label_es: 'Fondo de reinversión en infraestructura', label_en: 'Infrastructure reinvestment fund', type: 'equity' },
  ]);
  await knex.schema.createTable('journal_entries', (t) => {
    t.increments('id');
    t.string('date', 10).notNullable();
    t.string('description', 255).notNullable();
    t.string('source_type', 32).notNullable(); // receipt | receipt_void | contract | rescission | spending | …
    t.string('source_id', 64).notNullable();
    t.integer('reverses_entry_id').nullable().unique().references('journal_entries.id');
    t.integer('created_by').nullable();
    t.string('created_at', 32).notNullable();
    t.index(['date']);
    t.index(['source_type', 'source_id']);
  });
  await knex.schema.createTable('journal_lines', (t) => {
    t.increments('id');
    t.integer('entry_id').notNullable().references('journal_entries.id');
    t.string('account_code', 16).notNullable().references('accounts.code');
    t.bigInteger('debit_cents').notNullable().defaultTo(0);
    t.bigInteger('credit_cents').notNullable().defaultTo(0);
    t.integer('contract_id').nullable(); // subledger key for receivables and the fund's origin
    t.integer('project_id').nullable(); // spending by project
    t.index(['entry_id']);
    t.index(['account_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('journal_lines');
  await knex.schema.dropTable('journal_entries');
  await knex.schema.dropTable('accounts');
}
