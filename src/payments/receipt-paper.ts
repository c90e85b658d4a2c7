// What a printed receipt adds to its page (issue 14): the letterhead and issue (src/identity/paper.ts), the
// person who recorded it (full name and post: the receipt is signed by them), and the contract's balance
// after the payment, replayed from the history as it stands: the valid receipts up to and including this
// one (by date, then as recorded) and the resolutions dated before its day, as of the receipt's date.
import type { Request } from 'express';
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { computeStatement } from '../domain/statement.ts';
import { t } from '../web/i18n.ts';
import { paperLocals, personOf } from '../identity/paper.ts';
import type { ContractRow } from '../contracts/queries.ts';
import { statementInput } from './account.ts';
import type { ReceiptRow } from './queries.ts';

export interface BalanceAfter {
  as_of: IsoDate;
  /** Principal not yet paid (Σ principal − principal paid over the schedule in force). */
  principal_cents: number;
  /** Principal and interest of the schedule not yet paid. */
  scheduled_cents: number;
  /** Late fees accrued to the receipt's date and not paid. */
  late_fee_cents: number;
  /** scheduled + late fees: everything the contract owed once this receipt was applied. */
  total_cents: number;
  paid_off: boolean;
}

/** The contract's balance right after `receipt` (null for a voided receipt: it paid nothing). */
export async function balanceAfterReceipt(db: Db, contract: Pick<ContractRow, 'id' | 'accelerated_on'>, receipt: ReceiptRow): Promise<BalanceAfter | null> {
  if (receipt.status !== 'valid') return null;
  const input = await statementInput(db, contract, receipt.date);
  const payments = input.payments.filter((p) => p.date < receipt.date || (p.date === receipt.date && p.id <= receipt.id));
  // A resolution of the receipt's own day applies after the day's payments: not yet, right after this one.
  const events = (input.events ?? []).filter((e) => e.date < receipt.date);
  const accelerated_on = input.accelerated_on && input.accelerated_on < receipt.date ? input.accelerated_on : null;
  const s = computeStatement({ ...input, payments, events, accelerated_on });
  return {
    as_of: receipt.date,
    principal_cents: s.rows.reduce((sum, r) => sum + r.principal_cents - r.principal_paid_cents, 0),
    scheduled_cents: s.scheduled_outstanding_cents,
    late_fee_cents: s.late_fee_unpaid_cents,
    total_cents: s.outstanding_cents,
    paid_off: s.paid_off,
  };
}

export async function receiptPaperLocals(req: Request, page: { receipt: ReceiptRow; contract: Pick<ContractRow, 'id' | 'accelerated_on'> }) {
  return {
    ...(await paperLocals(req, `${t(req.lang, 'receipts.kind')} ${page.receipt.number}`)),
    recorder: await recorderOf(req, page.receipt),
    balance_after: await balanceAfterReceipt(req.ctx.db, page.contract, page.receipt),
  };
}

/** Who recorded the receipt, as it is signed: full name and post; the username without a full name; the
 *  system's words for the seed, the import or the command line. */
async function recorderOf(req: Request, receipt: ReceiptRow): Promise<{ name: string; post: string | null }> {
  const p = await personOf(req.ctx.db, receipt.recorded_by, receipt.recorded_by_name);
  return p.name && p.name !== 'system' ? { name: p.name, post: p.post } : { name: t(req.lang, 'audit.system_user'), post: null };
}
