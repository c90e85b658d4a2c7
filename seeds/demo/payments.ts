// Demo data: the payment histories of the demo sales, recorded through the payments service with
// their real past dates (so receipts, allocations, late fees, postings and statuses are all what the
// software itself would have produced). Most buyers pay on time, some late (with their late fees),
// some partly, some in advance every quarter; two stopped paying months ago (three or more
// installments unpaid), two paid off early, one payment was recorded twice and reversed, and the
// newest sale still awaits its down payment. Deterministic: the same day gives the same park.
import type { Knex } from 'knex';
import { SYSTEM, type Actor } from '../../src/audit/audit.ts';
import { systemClock } from '../../src/clock.ts';
import { addDays, type IsoDate } from '../../src/domain/dates.ts';
import { cents } from '../../src/domain/money.ts';
import { computeStatement } from '../../src/domain/statement.ts';
import { findContractView, type ContractView } from '../../src/contracts/queries.ts';
import { statementInput } from '../../src/payments/account.ts';
import { recordPayment, reverseReceipt } from '../../src/payments/service.ts';
import type { Method } from '../../src/payments/postings.ts';

type Profile = 'on_time' | 'late' | 'partial' | 'quarterly' | 'stopped' | 'paid_off';

/** One profile per sale, in the order they were signed (twenty, repeated). */
const PROFILES: Profile[] = [
  'on_time', 'on_time', 'late', 'on_time', 'partial', 'on_time', 'quarterly', 'stopped', 'paid_off', 'late',
  'on_time', 'on_time', 'late', 'on_time', 'quarterly', 'on_time', 'partial', 'on_time', 'on_time', 'late',
];
const METHODS: Method[] = ['cash', 'deposit', 'transfer'];

/** The sales the demo signed (ids, oldest first); all awaiting their down payment unless given. */
export async function seedPayments(knex: Knex, contractIds?: number[]): Promise<void> {
  const today = systemClock.today();
  const ids = contractIds ?? (await knex('contracts').where({ status: 'awaiting_down_payment' })
    .orderBy([{ column: 'date' }, { column: 'id' }]).pluck('id')).map(Number);
  const manager = await knex('users').where({ username: 'gerente' }).first('id', 'username');
  const actor: Actor = manager ? { id: manager.id, username: manager.username, ip: null } : SYSTEM;
  let stopped = 0;
  let paidOff = 0;
  let receipts = 0;
  let reversed = false;

  for (const [k, id] of ids.entries()) {
    if (k === ids.length - 1 && ids.length > 1) break; // the newest sale awaits its down payment
    let profile = PROFILES[k % PROFILES.length]!;
    if (profile === 'stopped' && stopped++ >= 2) profile = 'on_time';
    if (profile === 'paid_off' && paidOff++ >= 2) profile = 'on_time';
    const contract = (await findContractView(knex, id))!;

    /** Pays what rows 0..n owe on `date` (late fees included), or `part` of it. */
    const payThrough = async (n: number, date: IsoDate, part = 1): Promise<string | null> => {
      if (date > today) return null;
      const owed = await owedThrough(knex, contract, n, date);
      const amount = part === 1 ? owed : Math.round(owed * part);
      if (amount <= 0) return null;
      const method = METHODS[(k + receipts) % METHODS.length]!;
      receipts += 1;
      return recordPayment(knex, id, {
        date, amount_cents: cents(amount), method,
        reference: method === 'cash' ? null : `OP-${date.replaceAll('-', '')}-${String(receipts).padStart(4, '0')}`,
        form_token: null,
      }, today, actor);
    };

    const rows: { n: number; due_date: IsoDate }[] = await knex('schedule_rows').where({ contract_id: id }).orderBy('n').select('n', 'due_date');
    const last = rows.length - 1;
    await payThrough(0, contract.date);
    for (const row of rows.slice(1)) {
      if (row.due_date > today) break;
      const { n, due_date } = row;
      if (profile === 'on_time') await payThrough(n, due_date);
      else if (profile === 'late') await payThrough(n, addDays(due_date, 4 + ((n * 7) % 17)));
      else if (profile === 'partial') await payThrough(n, due_date, addDays(due_date, 31) > today ? 0.5 : 1);
      else if (profile === 'quarterly') { if (n % 3 === 1) await payThrough(Math.min(n + 2, last), due_date); }
      else if (profile === 'stopped') { if (due_date <= addDays(today, -150)) await payThrough(n, due_date); }
      else if (profile === 'paid_off') {
        // A year of installments, then the whole balance on the thirteenth due date.
        if (n < 13) await payThrough(n, due_date);
        else { await payThrough(last, due_date); break; }
      }
    }

    // One payment recorded twice by mistake, and the duplicate reversed (the receipt stays, void).
    if (!reversed && k >= 3) {
      const paid = await knex('receipts').where({ contract_id: id, status: 'valid' }).orderBy('id', 'desc').first();
      const owed = paid ? await owedThrough(knex, contract, last, paid.date) : 0;
      if (paid && owed >= Number(paid.amount_cents)) {
        reversed = true;
        const duplicate = await recordPayment(knex, id, {
          date: paid.date, amount_cents: cents(Number(paid.amount_cents)), method: paid.method, reference: paid.reference, form_token: null,
        }, today, actor);
        await reverseReceipt(knex, duplicate, 'Demo: pago registrado dos veces por error', today, actor);
      }
    }
  }
}

/** What rows 0..n owe on `date`: their outstanding scheduled parts plus late fees to that day. */
async function owedThrough(knex: Knex, contract: ContractView, n: number, date: IsoDate): Promise<number> {
  const input = await statementInput(knex, contract, date);
  const s = computeStatement(input);
  return s.rows.filter((r) => r.n <= n).reduce((t, r) => t + r.outstanding_cents, 0);
}
