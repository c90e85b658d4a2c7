import type { Knex } from 'knex';

// The bank meets the books. A bank account (Banco de la Nación, cuenta corriente …) is kept in a ledger
// account (1102 banco). Finance imports the bank's statements; every statement line is kept once per
// bank account (its fingerprint), even when statements overlap. A line is matched to the book movements
// on the ledger account that it is (receipts by transfer or deposit, cash deposits, spending, refunds),
// or explained by a new balanced entry (bank fee, interest). Matches are undone, never deleted. A bank
// reconciliation of a statement is saved with its figures and who saved it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bank_accounts', (t) => {
    t.increments('id');
    t.string('name', 120).notNullable(); // e.g. "Banco de la Nación — cuenta corriente del parque"
    t.string('bank_name', 120).notNullable();
    t.string('account_number', 40).notNullable().unique();
    t.string('currency', 3).notNullable().defaultTo('PEN');
    t.string('ledger_account_code', 16).notNullable().references('accounts.code'); // 1102
    // The column mapping of this bank's CSV export (JSON): which column holds the date, description,
    // reference, debit, credit (or one signed amount), balance; date and decimal formats; header rows.
    t.text('mapping').nullable();
    t.string('status', 16).notNullable().defaultTo('active'); // active | closed
    t.integer('created_by').nullable();
    t.string('created_at', 32).notNullable();
  });
  // The park's one bank account so far (ledger 1102); finance sets its real number and mapping.
  await knex('bank_accounts').insert({
    name: 'Cuenta del parque industrial', bank_name: 'Banco de la Nación', account_number: 'POR-DEFINIR',
    currency: 'PEN', ledger_account_code: '1102', mapping: null, status: 'active', created_at: new Date().toISOString(),
  });
  await knex.schema.createTable('bank_statements', (t) => {
    t.increments('id');
    t.integer('bank_account_id').notNullable().references('bank_accounts.id');
    t.string('period_from', 10).notNullable();
    t.string('period_to', 10).notNullable();
    t.bigInteger('opening_balance_cents').notNullable();
    t.bigInteger('closing_balance_cents').notNullable();
    t.string('file_name', 255).notNullable();
    t.string('file_sha256', 64).notNullable();
    t.integer('line_count').notNullable(); // lines in the file
    t.integer('new_line_count').notNullable(); // lines kept (not already imported from another statement)
    t.integer('duplicate_line_count').notNullable();
    t.text('mapping_used').notNullable(); // the mapping as applied, JSON
    t.integer('imported_by').nullable();
    t.string('imported_by_name', 64).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['bank_account_id', 'period_to']);
  });
  await knex.schema.createTable('bank_statement_lines', (t) => {
    t.increments('id');
    t.integer('bank_account_id').notNullable().references('bank_accounts.id');
    t.integer('statement_id').notNullable().references('bank_statements.id'); // the first statement that brought it
    t.integer('line_number').notNullable(); // in that statement's file (1 = first data line after the header)
    t.string('date', 10).notNullable();
    t.string('description', 255).notNullable();
    t.string('reference', 64).nullable();
    t.bigInteger('amount_cents').notNullable(); // signed: + money into the account (credit on the bank's side), − out
    t.bigInteger('balance_cents').nullable(); // the running balance the bank printed, if any
    // sha256 of account, date, amount, normalised reference and description, and the occurrence number
    // of identical lines on that date: the same line in an overlapping statement has the same fingerprint.
    t.string('fingerprint', 64).notNullable();
    t.string('status', 16).notNullable().defaultTo('unmatched'); // unmatched | matched | explained
    t.string('created_at', 32).notNullable();
    t.unique(['bank_account_id', 'fingerprint']);
    t.index(['bank_account_id', 'date']);
    t.index(['statement_id']);
  });
  // A match ties one or more statement lines to one or more book lines (journal_lines on the bank
  // account's ledger account) whose amounts add up; or, for an explanation, to the entry it created.
  await knex.schema.createTable('bank_matches', (t) => {
    t.increments('id');
    t.integer('bank_account_id').notNullable().references('bank_accounts.id');
    t.string('kind', 16).notNullable(); // book | explained
    t.string('explanation', 32).nullable(); // bank_fee | interest | … (kind = explained)
    t.string('note', 500).nullable();
    t.integer('entry_id').nullable().references('journal_entries.id'); // the explaining entry
    t.integer('created_by').nullable();
    t.string('created_by_name', 64).nullable();
    t.string('created_at', 32).notNullable();
    t.string('undone_at', 32).nullable();
    t.integer('undone_by').nullable();
    t.string('undo_reason', 500).nullable();
    t.integer('undo_entry_id').nullable().references('journal_entries.id'); // reversal of the explaining entry
  });
  await knex.schema.createTable('bank_match_statement_lines', (t) => {
    t.integer('match_id').notNullable().references('bank_matches.id');
    t.integer('statement_line_id').notNullable().references('bank_statement_lines.id');
    t.primary(['match_id', 'statement_line_id']);
    t.index(['statement_line_id']);
  });
  await knex.schema.createTable('bank_match_book_lines', (t) => {
    t.integer('match_id').notNullable().references('bank_matches.id');
    t.integer('journal_line_id').notNullable().references('journal_lines.id');
    t.primary(['match_id', 'journal_line_id']);
    t.index(['journal_line_id']);
  });
  await knex.schema.createTable('bank_reconciliations', (t) => {
    t.increments('id');
    t.integer('statement_id').notNullable().references('bank_statements.id');
    t.string('as_of', 10).notNullable(); // the statement's closing date
    t.bigInteger('statement_balance_cents').notNullable();
    t.bigInteger('book_balance_cents').notNullable(); // the ledger account on as_of
    t.bigInteger('in_transit_cents').notNullable(); // in the books, not yet in the bank (net)
    t.bigInteger('not_recorded_cents').notNullable(); // in the bank, not yet in the books (net)
    t.bigInteger('difference_cents').notNullable(); // what nothing explains; 0 when reconciled
    t.text('items').notNullable(); // the reconciling items as saved, JSON
    t.integer('saved_by').nullable();
    t.string('saved_by_name', 64).nullable();
    t.string('saved_at', 32).notNullable();
    t.index(['statement_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bank_reconciliations');
  await knex.schema.dropTable('bank_match_book_lines');
  await knex.schema.dropTable('bank_match_statement_lines');
  await knex.schema.dropTable('bank_matches');
  await knex.schema.dropTable('bank_statement_lines');
  await knex.schema.dropTable('bank_statements');
  await knex.schema.dropTable('bank_accounts');
}
