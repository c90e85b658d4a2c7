import type { Knex } from 'knex';

// Documents attached to records (issue 14): the scanned signed contract, resolutions, bank vouchers,
// licences, supplier invoices. The bytes live in FILES_DIR under their SHA-256 (the same content is
// stored once); a row names the record it belongs to through exactly one of the record columns, and
// is never deleted: a document put there by mistake is withdrawn (who, when, why) and stays listed.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attachments', (t) => {
    t.increments('id');
    t.string('record_type', 16).notNullable(); // contract | firm | receipt | spending | lot
    t.integer('contract_id').nullable().references('contracts.id');
    t.string('firm_ruc', 11).nullable().references('firms.ruc');
    t.integer('receipt_id').nullable().references('receipts.id');
    t.integer('spending_id').nullable().references('spendings.id');
    t.integer('lot_id').nullable().references('lots.id');
    t.string('title', 200).notNullable();
    t.string('file_name', 255).notNullable(); // as uploaded (path stripped), for the download name
    t.string('content_type', 32).notNullable(); // from the content: application/pdf | image/jpeg | image/png
    t.bigInteger('size_bytes').notNullable();
    t.string('sha256', 64).notNullable(); // lowercase hex; the file is FILES_DIR/<sha256[0..2]>/<sha256>
    t.integer('uploaded_by').nullable().references('users.id');
    t.string('uploaded_by_name', 64).nullable();
    t.string('uploaded_at', 32).notNullable();
    t.string('withdrawn_at', 32).nullable();
    t.integer('withdrawn_by').nullable().references('users.id');
    t.string('withdrawn_by_name', 64).nullable();
    t.string('withdrawal_reason', 500).nullable();
    t.index(['contract_id']);
    t.index(['firm_ruc']);
    t.index(['receipt_id']);
    t.index(['spending_id']);
    t.index(['lot_id']);
    t.index(['sha256']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('attachments');
}
