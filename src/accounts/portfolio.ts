// Every contract's figures on a date, as portfolio pages need them (delinquency, home, receivables,
// reconciliation, finance dashboard, expected inflows): read from the maintained accounts with a few
// queries, adding only the late fees still running. A contract whose account does not hold on that date
// (a report dated before its last event, or before a receipt's reversal) is replayed instead, so a
// report on any date stays exact.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { computeStatement, OverpaymentError, type AccountRow, type Statement } from '../domain/statement.ts';
import { delinquencyOf } from '../domain/delinquency.ts';
import { figuresOn, type AccountFigures } from '../domain/account-figures.ts';
import { getMoratoriumRates } from '../settings/service.ts';
import { openRowsDueBefore } from './queries.ts';
import { statementInput } from '../payments/account.ts';
import { receiptsOf } from '../payments/queries.ts';

export interface PortfolioLine {
  contract_id: number; number: string; firm_ruc: string; firm_name: string; lot_code: string;
  status: string; activated_on: IsoDate | null; paid_off_on: IsoDate | null; rescinded_on: IsoDate | null;
  accelerated_on: IsoDate | null;
  rescheduled_on: IsoDate | null; // the last reschedule (whenever decided)
  down_payment_paid: boolean; // on as_of
  figures: AccountFigures;
  /** Principal + interest still unpaid, by effective due date (for expected inflows), when asked for. */
  unpaid?: { due_date: IsoDate; unpaid_cents: number }[];
}

export interface PortfolioQuery {
  /** Only contracts live on as_of: activated by then, neither paid off nor rescinded by then. */
  live?: boolean;
  /** Also each contract's unpaid rows (expected inflows). */
  unpaid?: boolean;
}

const n = (v: unknown) => Number(v);
const d = (v: unknown) => (v === null || v === undefined ? null : String(v));

function figuresOfStatement(s: Statement): AccountFigures {
  return {
    as_of: s.as_of, scheduled_outstanding_cents: s.scheduled_outstanding_cents, late_fee_unpaid_cents: s.late_fee_unpaid_cents,
    outstanding_cents: s.outstanding_cents, overdue_cents: s.overdue_cents, delinquency: delinquencyOf(s),
  };
}

/** The replay on as_of of one contract with the receipts as the books knew them that day: a receipt voided
 *  after as_of still counted on it (so the subledger on a past date compares with account 1201 then). */
async function replayOn(db: Db, c: { id: number; accelerated_on: IsoDate | null }, as_of: IsoDate, voidedAfter: Set<number>): Promise<Statement> {
  const receipts = (await receiptsOf(db, c.id)).filter((r) => r.date <= as_of);
  const known = receipts.filter((r) => r.status === 'valid' || voidedAfter.has(r.id)).map((r) => ({ ...r, status: 'valid' as const }));
  try {
    return computeStatement(await statementInput(db, c, as_of, known));
  } catch (err) {
    // A receipt entered after a void may not fit beside the voided one: the valid receipts always do.
    if (!(err instanceof OverpaymentError)) throw err;
    return computeStatement(await statementInput(db, c, as_of, receipts));
  }
}

const nothingOwed = (as_of: IsoDate): AccountFigures => ({
  as_of, scheduled_outstanding_cents: 0, late_fee_unpaid_cents: 0, outstanding_cents: 0, overdue_cents: 0,
  delinquency: { oldest_due_date: null, days_late: 0, bucket: 'current', unpaid_overdue_count: 0, may_accelerate_or_rescind: false },
});

export async function portfolioOn(db: Db, as_of: IsoDate, query: PortfolioQuery = {}): Promise<PortfolioLine[]> {
  const q = db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').join('firms as f', 'f.ruc', 'c.firm_ruc')
    .leftJoin('contract_accounts as a', 'a.contract_id', 'c.id')
    .where('c.date', '<=', as_of)
    .orderBy('c.id')
    .select('c.id', 'c.number', 'c.firm_ruc', 'c.status', 'c.activated_on', 'c.paid_off_on', 'c.rescinded_on', 'c.accelerated_on', 'c.rescheduled_on',
      'l.code as lot_code', 'f.name as firm_name', 'a.valid_from', 'a.scheduled_outstanding_cents', 'a.late_fee_closed_cents',
      'a.late_fee_paid_cents', 'a.down_payment_paid');
  if (query.live) {
    q.whereNotNull('c.activated_on').andWhere('c.activated_on', '<=', as_of)
      .andWhere((w) => w.whereNull('c.paid_off_on').orWhere('c.paid_off_on', '>', as_of))
      .andWhere((w) => w.whereNull('c.rescinded_on').orWhere('c.rescinded_on', '>', as_of));
  }
  const contracts = await q;
  // Receipts whose reversal was posted after as_of: their contracts are replayed as the books stood then.
  const voidedIds = (await db('journal_entries as v').join('journal_entries as o', 'o.id', 'v.reverses_entry_id')
    .where('o.source_type', 'receipt').andWhere('v.date', '>', as_of).select('o.source_id'))
    .map((v: { source_id: string }) => n(v.source_id));
  const voids = voidedIds.length === 0 ? []
    : await db('receipts').whereIn('id', voidedIds).andWhere('date', '<=', as_of).select('id', 'contract_id');
  const voidedAfter = new Set(voids.map((v: { id: number }) => n(v.id)));
  const replayed = new Set(voids.map((v: { contract_id: number }) => n(v.contract_id)));

  const open = new Map<number, AccountRow[]>();
  for (const r of await openRowsDueBefore(db, as_of)) {
    const list = open.get(r.contract_id) ?? [];
    list.push(r);
    open.set(r.contract_id, list);
  }
  const unpaid = new Map<number, { due_date: IsoDate; unpaid_cents: number }[]>();
  if (query.unpaid) {
    const rows = await db('account_rows').where('unpaid_cents', '>', 0)
      .whereNotIn('contract_id', db('contracts').select('id').whereNotNull('rescinded_on').andWhere('rescinded_on', '<=', as_of))
      .select('contract_id', 'due_date', 'unpaid_cents');
    for (const r of rows) {
      const list = unpaid.get(n(r.contract_id)) ?? [];
      list.push({ due_date: String(r.due_date), unpaid_cents: n(r.unpaid_cents) });
      unpaid.set(n(r.contract_id), list);
    }
  }
  const rates = await getMoratoriumRates(db);

  const out: PortfolioLine[] = [];
  for (const c of contracts) {
    const id = n(c.id);
    const base = {
      contract_id: id, number: String(c.number), firm_ruc: String(c.firm_ruc), firm_name: String(c.firm_name),
      lot_code: String(c.lot_code), status: String(c.status), activated_on: d(c.activated_on), paid_off_on: d(c.paid_off_on),
      rescinded_on: d(c.rescinded_on), accelerated_on: d(c.accelerated_on), rescheduled_on: d(c.rescheduled_on),
    };
    if (base.rescinded_on !== null && base.rescinded_on <= as_of) {
      // Rescinded by then: it owes nothing more (its unpaid installments were written off), so its
      // figures are nil and its open rows are not even read.
      out.push({ ...base, down_payment_paid: n(c.down_payment_paid) === 1, figures: nothingOwed(as_of), ...(query.unpaid ? { unpaid: [] } : {}) });
      continue;
    }
    const holds = c.valid_from !== null && c.valid_from !== undefined && String(c.valid_from) <= as_of && !replayed.has(id);
    if (holds) {
      out.push({
        ...base, down_payment_paid: n(c.down_payment_paid) === 1,
        figures: figuresOn({
          valid_from: String(c.valid_from), scheduled_outstanding_cents: n(c.scheduled_outstanding_cents),
          late_fee_closed_cents: n(c.late_fee_closed_cents), late_fee_paid_cents: n(c.late_fee_paid_cents),
        }, open.get(id) ?? [], as_of, rates),
        ...(query.unpaid ? { unpaid: unpaid.get(id) ?? [] } : {}),
      });
    } else {
      const s = await replayOn(db, { id, accelerated_on: base.accelerated_on }, as_of, voidedAfter);
      out.push({
        ...base, down_payment_paid: s.down_payment_paid, figures: figuresOfStatement(s),
        ...(query.unpaid ? { unpaid: s.rows.map((r) => ({ due_date: r.due_date, unpaid_cents: r.installment_cents - r.principal_paid_cents - r.interest_paid_cents })).filter((r) => r.unpaid_cents > 0) } : {}),
      });
    }
  }
  return out;
}
