import type { Knex } from 'knex';

// Papers that look official (issue 14): each user's full name and post (cargo), printed where a document
// names who recorded or issued it, and the municipality's logo kept in the database (base64), so that
// the letterhead needs no file storage. The identity's text fields (name, RUC, address, office, the
// official who signs sales) are rows of `settings` (identity_*, signer_*).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('full_name', 120).nullable();
    t.string('post', 120).nullable();
  });
  await knex.schema.createTable('settings_files', (t) => {
    t.string('key', 64).primary(); // 'identity_logo'
    t.string('content_type', 32).notNullable(); // image/png | image/jpeg (from the magic bytes)
    t.text('data_base64').notNullable();
    t.integer('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.integer('updated_by').nullable();
    t.string('updated_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('settings_files');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('post');
    t.dropColumn('full_name');
  });
}
