// Delivering the outbox (table mail_outbox, filled by enqueueMail in the acts' transactions).
//
// Each due message is claimed with a guarded UPDATE (pending → sending, only if nobody changed it since
// it was read), so that of two senders (two processes, the server and `mail:send`) only one gets it;
// then it is handed to SMTP outside any transaction, and marked `sent` (with the server's answer and
// the Message-ID) or put back to `pending` with a later next_attempt_at (temporary failure) or `failed`
// (permanent failure, or too many attempts).
//
// What a crash can do: a process killed after the SMTP server accepted the message and before the row
// was marked `sent` leaves the row in `sending`. Such a row is taken again only after SENDING_LEASE_MS
// (its next_attempt_at is set to the end of the lease when it is claimed), so a sender that is merely
// slow is never doubled; after the lease the message is sent again. The recipient may then get it
// twice, both copies with the same Message-ID header (derived from the idempotency key), which mail
// systems and clients use to recognise a duplicate. It is never lost, and never sent more than twice
// per crash; without a crash it is sent once.
import { createHash } from 'node:crypto';
import type { Db } from '../db/knex.ts';
import type { Job } from '../jobs/scheduler.ts';
import { judgeFailure, type MailTransport } from './transport.ts';

/** Minutes to wait after the 1st, 2nd, … temporary failure; after the last one the message fails. */
export const BACKOFF_MINUTES = [1, 5, 30, 120, 360, 720];
export const MAX_ATTEMPTS = BACKOFF_MINUTES.length + 1;
/** A message claimed `sending` longer than this is taken to be from a sender that died. */
export const SENDING_LEASE_MS = 10 * 60_000;
/** Messages handled per run (the rest wait for the next minute). */
export const BATCH = 50;

export interface SendResult { sent: number; retry: number; failed: number }

/** The Message-ID for an outbox row: a hash of its idempotency key at the sender's domain. */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}.ilo@${domain}>`;
}

const plus = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

interface OutboxRow {
  id: number; idempotency_key: string; to_address: string; subject: string; text_body: string;
  html_body: string | null; status: string; attempts: number; next_attempt_at: string;
}

/** Sends what is due at `now` (pending, or `sending` past its lease); returns the counts. */
export async function sendPending(db: Db, transport: MailTransport, now: Date, from: string): Promise<SendResult> {
  const result: SendResult = { sent: 0, retry: 0, failed: 0 };
  const at = now.toISOString();
  const due: OutboxRow[] = await db('mail_outbox').whereIn('status', ['pending', 'sending'])
    .andWhere('next_attempt_at', '<=', at).orderBy('id').limit(BATCH);
  for (const row of due) {
    const attempts = Number(row.attempts) + 1;
    // The claim: only if the row is still as read (another sender may have taken it meanwhile).
    const claimed = await db('mail_outbox')
      .where({ id: row.id, status: row.status, next_attempt_at: row.next_attempt_at, attempts: row.attempts })
      .update({ status: 'sending', attempts, next_attempt_at: plus(now, SENDING_LEASE_MS) });
    if (claimed !== 1) continue;
    const messageId = messageIdFor(row.idempotency_key, from);
    try {
      const info = await transport.send({
        from, to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body, messageId,
      });
      await db('mail_outbox').where({ id: row.id, status: 'sending' }).update({
        status: 'sent', sent_at: now.toISOString(), smtp_response: info.response.slice(0, 1000),
        message_id: info.messageId || messageId, last_error: null,
      });
      result.sent++;
    } catch (err) {
      const { permanent, message } = judgeFailure(err);
      if (permanent || attempts >= MAX_ATTEMPTS) {
        await db('mail_outbox').where({ id: row.id, status: 'sending' }).update({ status: 'failed', last_error: message });
        result.failed++;
      } else {
        const wait = BACKOFF_MINUTES[attempts - 1]! * 60_000;
        await db('mail_outbox').where({ id: row.id, status: 'sending' })
          .update({ status: 'pending', last_error: message, next_attempt_at: plus(now, wait) });
        result.retry++;
      }
    }
  }
  return result;
}

/** The server's job: every minute, deliver what is due (outside the scheduler's transaction). */
export function mailJob(transport: MailTransport, from: string): Job {
  return {
    name: 'mail.send',
    everyMs: 60_000,
    async run() { /* the tick is recorded; the sending happens after the commit */ },
    async afterCommit(db, now) {
      const r = await sendPending(db, transport, now, from);
      if (r.sent + r.retry + r.failed > 0) console.log(`mail: ${r.sent} sent, ${r.retry} to retry, ${r.failed} failed`);
    },
  };
}
