// Closing and reopening a month, each one transaction with its row in month_closings and its audit entry.
// A close needs the month over, every earlier month closed, and clean checks (src/closings/checks.ts); a
// reopen (admin) needs a reason and no later month closed.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, type FieldErrors } from '../web/errors.ts';
import { closeRefusal, closingState, reopenRefusal, type Month } from '../domain/closings.ts';
import type { IsoDate } from '../domain/dates.ts';
import { closingChecks, monthFingerprint, type ClosingCheck } from './checks.ts';
import { closingRows, firstDatedMonth } from './queries.ts';

export const REOPEN_REASON_MAX = 500;

/** Takes the database's write lock before anything is read (as claimContract does): on SQLite a no-op
 *  write; on PostgreSQL every writing transaction already holds the advisory lock (src/db/knex.ts). */
async function takeWriteLock(trx: Db): Promise<void> {
  await trx('month_closings').where({ id: 0 }).update({ month: '0000-00' });
}

/** Why the month cannot be closed now (order, timing, already closed), as the FormError to throw, or null. */
async function orderRefusal(db: Db, month: Month, today: IsoDate): Promise<FormError | null> {
  const state = closingState(await closingRows(db));
  const first = (await firstDatedMonth(db)) ?? month;
  const refused = closeRefusal(state, month, today, first < month ? first : month);
  return refused ? new FormError(refused.status, { month: refused.message }) : null;
}

/**
 * Closes a month. Refusals: 409 with the reason next to `month`, and for failing checks each one under
 * `check_<key>` as well. The checks take seconds on a large park, so they run before the write lock is
 * taken; under the lock the rules are read again and the month's fingerprint compared, so that a write
 * dated in the month while the checks ran is not closed unchecked (409: check again). Returns the checks.
 */
export async function closeMonth(db: Db, month: Month, today: IsoDate, actor: Actor): Promise<ClosingCheck[]> {
  const early = await orderRefusal(db, month, today);
  if (early) throw early;
  const fingerprint = await monthFingerprint(db, month);
  const checks = await closingChecks(db, month);
  const failing = checks.filter((c) => !c.ok);
  if (failing.length) {
    const fields: FieldErrors = { month: { key: 'closings.error.checks_failed', params: { month, count: failing.length } } };
    for (const c of failing) fields[`check_${c.key}`] = c.detail as FieldErrors[string];
    throw new FormError(409, fields);
  }
  return db.transaction(async (trx) => {
    await takeWriteLock(trx);
    const refused = await orderRefusal(trx, month, today);
    if (refused) throw refused;
    if (await monthFingerprint(trx, month) !== fingerprint) throw new FormError(409, { month: { key: 'closings.error.changed', params: { month } } });
    const at = new Date().toISOString();
    const kept = checks.map((c) => ({ key: c.key, ok: c.ok, detail: c.detail }));
    await trx('month_closings').insert({
      month, action: 'close', reason: null, checks: JSON.stringify(kept), actor_id: actor.id, actor_name: actor.username, at,
    });
    await audit(trx, actor, 'month.close', 'month', month, { checks: kept });
    return checks;
  });
}

/** Reopens a closed month (admin), with the reason. */
export async function reopenMonth(db: Db, month: Month, reason: string, actor: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    await takeWriteLock(trx);
    const refused = reopenRefusal(closingState(await closingRows(trx)), month);
    if (refused) throw new FormError(refused.status, { reason: refused.message });
    await trx('month_closings').insert({
      month, action: 'reopen', reason, checks: null, actor_id: actor.id, actor_name: actor.username, at: new Date().toISOString(),
    });
    await audit(trx, actor, 'month.reopen', 'month', month, { reason });
  });
}
