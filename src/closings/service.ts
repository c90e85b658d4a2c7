// Closing and reopening a month, each one transaction with its row in month_closings and its audit entry.
// A close needs the month over and clean checks (src/closings/checks.ts); it closes with it every open month
// before it, each with its own checks and row. A reopen (admin) needs a reason and no later month closed.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, type FieldErrors } from '../web/errors.ts';
import { closeRefusal, closingState, monthsToClose, reopenRefusal, type Month } from '../domain/closings.ts';
import type { IsoDate } from '../domain/dates.ts';
import { closingChecks, monthFingerprint, type ClosingCheck } from './checks.ts';
import { closingRows, firstDatedMonth } from './queries.ts';

export const REOPEN_REASON_MAX = 500;

/** Takes the database's write lock before anything is read (as claimContract does): on SQLite a no-op
 *  write; on PostgreSQL every writing transaction already holds the advisory lock (src/db/knex.ts). */
async function takeWriteLock(trx: Db): Promise<void> {
  await trx('month_closings').where({ id: 0 }).update({ month: '0000-00' });
}

/** Why the month cannot be closed now (timing, already closed) as the FormError to throw, else the months
 *  its close closes (the open ones before it, and itself). */
async function closePlan(db: Db, month: Month, today: IsoDate): Promise<{ refused: FormError } | { months: Month[] }> {
  const state = closingState(await closingRows(db));
  const refused = closeRefusal(state, month, today);
  if (refused) return { refused: new FormError(refused.status, { month: refused.message }) };
  return { months: monthsToClose(state, month, (await firstDatedMonth(db)) ?? month) };
}

/**
 * Closes a month, and with it every open month before it (oldest first, one row and one audit entry each).
 * Refusals: 409 with the reason next to `month`; for failing checks, the month that fails and each check
 * under `check_<key>` as well, nothing closed. The checks take seconds on a large park, so they run before
 * the write lock is taken; under the lock the plan is made again and each month's fingerprint compared, so
 * that a write dated in a month while the checks ran is not closed unchecked (409: check again). Returns
 * the checks of `month`.
 */
export async function closeMonth(db: Db, month: Month, today: IsoDate, actor: Actor): Promise<ClosingCheck[]> {
  const plan = await closePlan(db, month, today);
  if ('refused' in plan) throw plan.refused;
  const checked: { month: Month; fingerprint: string; checks: ClosingCheck[] }[] = [];
  for (const m of plan.months) {
    const fingerprint = await monthFingerprint(db, m);
    const checks = await closingChecks(db, m);
    const failing = checks.filter((c) => !c.ok);
    if (failing.length) {
      const fields: FieldErrors = { month: m === month
        ? { key: 'closings.error.checks_failed', params: { month, count: failing.length } }
        : { key: 'closings.error.earlier_checks_failed', params: { month, earlier: m, count: failing.length } } };
      for (const c of failing) fields[`check_${c.key}`] = c.detail as FieldErrors[string];
      throw new FormError(409, fields);
    }
    checked.push({ month: m, fingerprint, checks });
  }
  return db.transaction(async (trx) => {
    await takeWriteLock(trx);
    const again = await closePlan(trx, month, today);
    if ('refused' in again) throw again.refused;
    if (again.months.join() !== plan.months.join()) throw new FormError(409, { month: { key: 'closings.error.changed', params: { month } } });
    const at = new Date().toISOString();
    for (const c of checked) {
      if (await monthFingerprint(trx, c.month) !== c.fingerprint) throw new FormError(409, { month: { key: 'closings.error.changed', params: { month: c.month } } });
      const kept = c.checks.map((x) => ({ key: x.key, ok: x.ok, detail: x.detail }));
      await trx('month_closings').insert({
        month: c.month, action: 'close', reason: null, checks: JSON.stringify(kept), actor_id: actor.id, actor_name: actor.username, at,
      });
      await audit(trx, actor, 'month.close', 'month', c.month, { checks: kept, ...(c.month !== month ? { closed_with: month } : {}) });
    }
    return checked[checked.length - 1]!.checks;
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
