// What the buyer's portal shows: its firm, ACIPIAS membership, and each contract's account today.
// The figures come from the same replay as the staff's statement (accountOf + summaryOf in the
// payments area), so the portal can never disagree with the statement or the receipts.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { delinquencyOf } from '../domain/delinquency.ts';
import { findFirm, findMembership } from '../firms/queries.ts';
import { listContracts, loadContract, type ContractView } from '../contracts/queries.ts';
import { accountOf } from '../payments/account.ts';
import { receiptsOf, type ReceiptRow } from '../payments/queries.ts';
import { summaryOf } from '../payments/views.ts';
import { notFound } from '../web/errors.ts';
import { receiptsPaidBeforeAssignment } from '../contracts/assignment.ts';
import { isSettled, settlementOf } from '../contracts/settlement.ts';
import type { CurrentUser } from '../web/routing.ts';

/** The firm a buyer acts for; a buyer without one (a broken account) sees nothing at all. */
function firmOf(user: CurrentUser): string {
  if (user.role !== 'buyer' || !user.firm_ruc) throw notFound();
  return user.firm_ruc;
}

export async function portalOverview(db: Db, user: CurrentUser, today: IsoDate) {
  const ruc = firmOf(user);
  const [firm, membership, contracts] = await Promise.all([
    findFirm(db, ruc), findMembership(db, ruc), listContracts(db, {}, user),
  ]);
  if (!firm) throw notFound();
  const cards = [];
  for (const contract of contracts) cards.push(await contractCard(db, contract, today));
  return { firm, membership, contracts: cards, today };
}

async function contractCard(db: Db, contract: ContractView, today: IsoDate) {
  const { statement, receipts } = await accountOf(db, contract, today);
  const summary = summaryOf(statement);
  const delinquency = delinquencyOf(statement);
  const settled = isSettled(contract.status);
  return {
    contract, summary, delinquency,
    // A rescinded or withdrawn contract owes nothing more: its figures would mislead, the card shows
    // how it was settled instead.
    settlement: settled ? await settlementOf(db, contract) : null,
    owes: !settled && !statement.paid_off,
    overdue: !settled && summary.overdue_cents > 0,
    receipt_count: receipts.length,
    valid_receipt_count: receipts.filter((r) => r.status === 'valid').length,
  };
}

export interface ReceiptGroup {
  contract: ContractView;
  assigned_away?: boolean; // a contract the firm has assigned to another: only the receipts it paid
  receipts: (ReceiptRow & { is_void: boolean })[];
  total_valid_cents: number;
}

/** The buyer's receipts, newest first, by contract; `contractId` narrows to one (404 if not its own). */
export async function portalReceipts(db: Db, user: CurrentUser, contractId?: string) {
  const ruc = firmOf(user);
  const contracts = contractId ? [await loadContract(db, contractId, user)] : await listContracts(db, {}, user);
  const groups: ReceiptGroup[] = [];
  for (const contract of contracts) {
    if (contract.firm_ruc !== ruc) throw notFound(); // loadContract already refuses; belt and braces
    const receipts = (await receiptsOf(db, contract.id)).reverse().map((r) => ({ ...r, is_void: r.status === 'void' }));
    groups.push({
      contract, receipts,
      total_valid_cents: receipts.filter((r) => !r.is_void).reduce((s, r) => s + r.amount_cents, 0),
    });
  }
  // Contracts the firm has assigned to another: the receipts it paid there are still its documents.
  if (!contractId) groups.push(...await receiptsPaidBeforeAssignment(db, ruc));
  const firm = await findFirm(db, ruc);
  return { firm, groups, single: Boolean(contractId) };
}
