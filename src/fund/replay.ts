// Every contract's account as of a date, as finance needs it: the receivables subledger, what is overdue.
// Read from the maintained accounts (src/accounts/portfolio.ts); a receipt voided after that date still
// counted on it, as the ledger recorded it then, so the subledger on any past date compares with
// account 1201 on that date.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { portfolioOn } from '../accounts/portfolio.ts';

export interface ContractAccount {
  contract_id: number;
  contract_number: string;
  firm_name: string;
  lot_code: string;
  /** The down payment was paid by `as_of` and the contract not rescinded: its schedule is a receivable. */
  recognized: boolean;
  scheduled_outstanding_cents: number;
  overdue_cents: number;
  /** Principal + interest unpaid by due date (only when asked for: expected inflows). */
  unpaid: { due_date: IsoDate; unpaid_cents: number }[];
}

export async function contractAccounts(db: Db, as_of: IsoDate, opts: { unpaid?: boolean } = {}): Promise<ContractAccount[]> {
  return (await portfolioOn(db, as_of, { unpaid: opts.unpaid })).map((c) => ({
    contract_id: c.contract_id, contract_number: c.number, firm_name: c.firm_name, lot_code: c.lot_code,
    recognized: c.down_payment_paid && !(c.rescinded_on !== null && c.rescinded_on <= as_of),
    scheduled_outstanding_cents: c.figures.scheduled_outstanding_cents,
    overdue_cents: c.figures.overdue_cents,
    unpaid: c.unpaid ?? [],
  }));
}
