import type { Knex } from 'knex';

// Which lines each statement's file held. A statement line is stored once per bank account (its
// fingerprint), by the first statement that brought it; an overlapping statement brings some of the
// same lines again. This table keeps, for every statement, every line of its file in the file's
// order, pointing at the stored line (new, or already imported by an earlier statement), so that a
// statement's page and its reconciliation show exactly the file: opening + its lines = closing.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bank_statement_file_lines', (t) => {
    t.integer('statement_id').notNullable().references('bank_statements.id');
    t.integer('line_number').notNullable(); // 1 = the first data line after the header, in the file's order
    t.integer('file_line').notNullable(); // the line as a text editor numbers the file (header and title lines counted)
    t.integer('statement_line_id').notNullable().references('bank_statement_lines.id');
    t.boolean('duplicate').notNullable(); // already imported by an earlier statement
    t.primary(['statement_id', 'line_number']);
    t.index(['statement_line_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bank_statement_file_lines');
}
