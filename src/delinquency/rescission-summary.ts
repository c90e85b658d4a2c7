// The summary a manager reads before confirming a rescission: the figures rescindContract will record
// (it runs the same rules, rescissionTerms) and what they do to the books and the catalogue: the
// refund and the account that pays it (the fund 3101 for a municipal lot, the ministry's collections
// 2201 otherwise, as postRescission posts it) with that account's balance today, the receivable
// written off and the lot that becomes available again. Reads only.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { accountBalance } from '../fund/ledger.ts';
import { collectionAccount } from '../payments/postings.ts';
import { rescissionTerms, type RescissionInput } from './service.ts';

export interface RescissionSummary {
  resolution_number: string;
  resolution_date: IsoDate;
  received_cents: number;
  compensation_cents: number;
  penalty_cents: number;
  refund_cents: number;
  /** The contract's receivable (the scheduled outstanding) that leaves the books. */
  written_off_cents: number;
  lot: { code: string; area_dm2: number };
  /** The account charged with the refund, its balance on `as_of` (credit-normal: what it holds). */
  pays: {
    code: string; label_es: string; label_en: string; as_of: IsoDate; balance_cents: number;
    covers: boolean; short_cents: number; left_cents: number;
  };
}

/** The rescission's summary, or the refusal the POST would get (FormError). */
export async function rescissionSummary(db: Db, contractId: number, input: RescissionInput, today: IsoDate): Promise<RescissionSummary> {
  const { contract, check, refund } = await rescissionTerms(db, contractId, input, today);
  const code = collectionAccount(contract.lot_owner);
  const account = await db('accounts').where({ code }).first('label_es', 'label_en');
  // 3101 (equity) and 2201 (liability) hold credits: what they hold is credits − debits.
  const balance = -(await accountBalance(db, code, today));
  const refundCents = refund.returned_cents;
  const holds = Math.max(0, balance); // an account already below zero covers nothing
  return {
    resolution_number: input.resolution_number, resolution_date: input.resolution_date,
    received_cents: check.received_cents, compensation_cents: input.compensation_cents, penalty_cents: input.penalty_cents,
    refund_cents: refundCents, written_off_cents: check.scheduled_outstanding_cents,
    lot: { code: contract.lot_code, area_dm2: Number(contract.lot_area_dm2) },
    pays: {
      code, label_es: String(account?.label_es ?? code), label_en: String(account?.label_en ?? code), as_of: today,
      balance_cents: balance, covers: refundCents <= holds,
      short_cents: Math.max(0, refundCents - holds), left_cents: Math.max(0, balance - refundCents),
    },
  };
}
