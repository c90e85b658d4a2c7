// Every contract's account replayed as of a date (computeStatement), as finance needs it: the
// receivables subledger, the installments still to be collected, what is overdue. A receipt voided
// after that date still counted on it, as the ledger recorded it then; so the subledger on any
// past date is comparable with account 1201 on that date.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { computeStatement, OverpaymentError, type Statement } from '../domain/statement.ts';
import { getMoratoriumRates } from '../settings/service.ts';
import { loadContractsForReplay } from './queries.ts';

export interface ContractAccount {
  contract_id: number;
  contract_number: string;
  firm_name: string;
  lot_code: string;
  /** The down payment was paid by `as_of` and the contract not rescinded: its schedule is a receivable. */
  recognized: boolean;
  statement: Statement;
}

export async function contractAccounts(db: Db, as_of: IsoDate): Promise<ContractAccount[]> {
  const [data, rates] = await Promise.all([loadContractsForReplay(db), getMoratoriumRates(db)]);
  const scheduleOf = new Map<number, typeof data.schedule>();
  for (const r of data.schedule) scheduleOf.set(r.contract_id, [...(scheduleOf.get(r.contract_id) ?? []), r]);
  const receiptsOf = new Map<number, typeof data.receipts>();
  for (const r of data.receipts) receiptsOf.set(r.contract_id, [...(receiptsOf.get(r.contract_id) ?? []), r]);

  const out: ContractAccount[] = [];
  for (const c of data.contracts) {
    const schedule = scheduleOf.get(c.id) ?? [];
    if (schedule.length === 0) continue;
    const receipts = (receiptsOf.get(c.id) ?? []).filter((r) => r.date <= as_of);
    const asKnown = receipts.filter((r) => r.status === 'valid' || (data.voidedOn.get(r.id) ?? '0000-00-00') > as_of);
    const valid = receipts.filter((r) => r.status === 'valid');
    const replay = (list: typeof receipts) => computeStatement({
      schedule, rates, as_of, accelerated_on: c.accelerated_on,
      payments: list.map((r) => ({ id: r.id, date: r.date, amount_cents: r.amount_cents })),
    });
    let statement: Statement;
    try {
      statement = replay(asKnown);
    } catch (err) {
      // A receipt entered after a void may not fit beside the voided one: the valid receipts always do.
      if (!(err instanceof OverpaymentError)) throw err;
      statement = replay(valid);
    }
    const rescinded = c.rescinded_on !== null && c.rescinded_on <= as_of;
    out.push({
      contract_id: c.id, contract_number: c.number, firm_name: c.firm_name, lot_code: c.lot_code,
      recognized: statement.down_payment_paid && !rescinded, statement,
    });
  }
  return out;
}
