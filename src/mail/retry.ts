// A message the SMTP server refused for good (status failed) is sent again only when an administrator
// asks: the address is usually what was wrong (a bounced 5xx), so the retry may correct it. The same
// row goes back to pending (its idempotency key and Message-ID logic unchanged), audited with the
// address before and after; the sender picks it up on its next run.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError } from '../web/errors.ts';

export async function retryMail(db: Db, id: number, toAddress: string | undefined, actor: Actor, now = new Date()): Promise<void> {
  await db.transaction(async (trx) => {
    const row = await trx('mail_outbox').where({ id }).first('id', 'status', 'to_address', 'attempts');
    if (!row) throw new FormError(404, { _form: 'errors.not_found' });
    if (row.status !== 'failed') throw new FormError(409, { _form: { key: 'mail.retry.not_failed', params: { status: String(row.status) } } });
    const to = toAddress && toAddress !== row.to_address ? toAddress : String(row.to_address);
    // Only a failed row moves, so two administrators retrying at once queue it once.
    const n = await trx('mail_outbox').where({ id, status: 'failed' })
      .update({ status: 'pending', to_address: to, attempts: 0, next_attempt_at: now.toISOString() });
    if (n !== 1) throw new FormError(409, { _form: { key: 'mail.retry.not_failed', params: { status: 'pending' } } });
    await audit(trx, actor, 'mail.retry', 'mail_outbox', id, { from_address: row.to_address, to_address: to, attempts_before: Number(row.attempts) });
  });
}
