// Closing and reopening a month, each one transaction with its row in month_closings and its audit entry.
// A close needs the month over, every earlier month closed, and clean checks (src/closings/checks.ts),
// which run inside the transaction so that what was checked is what is closed. A reopen (admin) needs a
// reason and no later month closed.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, type FieldErrors } from '../web/errors.ts';
import { closeRefusal, closingState, reopenRefusal, type Month } from '../domain/closings.ts';
import type { IsoDate } from '../domain/dates.ts';
import { closingChecks, type ClosingCheck } from './checks.ts';
import { closingRows, firstDatedMonth } from './queries.ts';

export const REOPEN_REASON_MAX = 500;

/** Takes the database's write lock before anything is read (as claimContract does): on SQLite a no-op
 *  write; on PostgreSQL every writing transaction already holds the advisory lock (src/db/knex.ts). */
async function takeWriteLock(trx: Db): Promise<void> {
  await trx('month_closings').where({ id: 0 }).update({ month: '0000-00' });
}

/** Closes a month. Refusals: 409 with the reason next to `month`, and for failing checks each one under
 *  `check_<key>` as well. Returns the checks it passed. */
export async function closeMonth(db: Db, month: Month, today: IsoDate, actor: Actor): Promise<ClosingCheck[]> {
  return db.transaction(async (trx) => {
    await takeWriteLock(trx);
    const state = closingState(await closingRows(trx));
    const first = (await firstDatedMonth(trx)) ?? month;
    const refused = closeRefusal(state, month, today, first < month ? first : month);
    if (refused) throw new FormError(refused.status, { month: refused.message });
    const checks = await closingChecks(trx, month);
    const failing = checks.filter((c) => !c.ok);
    if (failing.length) {
      const fields: FieldErrors = { month: { key: 'closings.error.checks_failed', params: { month, count: failing.length } } };
      for (const c of failing) fields[`check_${c.key}`] = c.detail as FieldErrors[string];
      throw new FormError(409, fields);
    }
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
