// Writing to the outbox (table mail_outbox): call enqueueMail inside the transaction of the act that
// causes the message, so that the message exists exactly when the act does. Delivery is the sender's
// job (src/mail/sender.ts), never the act's.
import type { Db } from '../db/knex.ts';

export interface OutgoingMail {
  /** Unique per message: the same key queued twice is one message (e.g. `letter:CC-2026-0007`). */
  key: string;
  kind: string;
  to: string[]; // addresses; an empty list queues nothing
  subject: string;
  text: string;
  html?: string | null;
  record_type?: string | null;
  record_id?: string | number | null;
}

/** Queues a message; returns its id, or null when there is no recipient. The same key again returns the first. */
export async function enqueueMail(trx: Db, mail: OutgoingMail, now: Date = new Date()): Promise<number | null> {
  const to = mail.to.map((a) => a.trim()).filter(Boolean);
  if (to.length === 0) return null;
  const existing = await trx('mail_outbox').where({ idempotency_key: mail.key }).first('id');
  if (existing) return Number(existing.id);
  const at = now.toISOString();
  const [row] = await trx('mail_outbox').insert({
    idempotency_key: mail.key, kind: mail.kind, to_address: to.join(', '), subject: mail.subject,
    text_body: mail.text, html_body: mail.html ?? null, record_type: mail.record_type ?? null,
    record_id: mail.record_id === undefined || mail.record_id === null ? null : String(mail.record_id),
    status: 'pending', attempts: 0, next_attempt_at: at, created_at: at,
  }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/** The messages a record caused, newest first (for its page: sent, pending or failed). */
export async function mailOf(db: Db, record_type: string, record_id: string | number) {
  return db('mail_outbox').where({ record_type, record_id: String(record_id) }).orderBy('id', 'desc')
    .select('id', 'kind', 'to_address', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'sent_at');
}
