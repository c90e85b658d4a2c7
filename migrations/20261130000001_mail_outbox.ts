import type { Knex } from 'knex';

// The outbox: every e-mail is written here in the same transaction as the act that causes it (an
// invitation, a receipt, a letter), then a sender delivers it. `idempotency_key` is unique: the same
// message is never queued twice, and the sender marks it before and after the SMTP exchange.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mail_outbox', (t) => {
    t.increments('id');
    t.string('idempotency_key', 200).notNullable().unique(); // e.g. receipt:R001-00000123:notice
    t.string('kind', 32).notNullable(); // invitation | receipt | reminder | letter | password_reset | …
    t.text('to_address').notNullable(); // one or more addresses, comma separated
    t.string('subject', 300).notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').nullable();
    t.string('record_type', 32).nullable(); // what caused it (contract, receipt, user, letter…)
    t.string('record_id', 64).nullable();
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | sending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 32).notNullable(); // ISO timestamp: not before
    t.text('last_error').nullable();
    t.text('smtp_response').nullable();
    t.string('message_id', 300).nullable();
    t.string('created_at', 32).notNullable();
    t.string('sent_at', 32).nullable();
    t.index(['status', 'next_attempt_at']);
    t.index(['record_type', 'record_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mail_outbox');
}
