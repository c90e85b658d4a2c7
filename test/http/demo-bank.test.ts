// The demo park comes with last month's bank statement (seeds/demo/bank.ts), built from the books' own
// movements on 1102 in October 2026 but for the month's last receipt (still in transit), plus the bank's
// S/ 12.50 fee. Accepting the safe proposals matches every other line; the reconciliation then names the
// receipt in transit and the fee, with no difference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDb, type DemoDb } from '../support/demo.ts';
import { SYSTEM } from '../../src/audit/audit.ts';
import { acceptSafeProposals } from '../../src/bank/matching.ts';
import { computeReconciliation } from '../../src/bank/matching-view.ts';
import { findStatement } from '../../src/bank/matching-queries.ts';

let demo: DemoDb;

beforeAll(async () => { demo = await demoDb('2026-11-25'); }, 120_000);
afterAll(async () => { await demo.close(); });

describe("the demo's bank statement", () => {
  it('is October 2026, every movement of 1102 that month but the last receipt, and the fee', async () => {
    const db = demo.db;
    const s = await db('bank_statements').first('id', 'period_from', 'period_to', 'file_name', 'new_line_count', 'imported_by');
    expect(s).toMatchObject({ period_from: '2026-10-01', period_to: '2026-10-31', file_name: 'extracto-2026-10-demo.csv', imported_by: null });
    const movements = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
      .where('l.account_code', '1102').whereBetween('e.date', ['2026-10-01', '2026-10-31']).count({ n: '*' });
    expect(s.new_line_count).toBe(Number(movements[0]!.n) - 1 + 1);
    const fee = await db('bank_statement_lines').orderBy('id', 'desc').first('date', 'description', 'amount_cents');
    expect(fee).toEqual({ date: '2026-10-31', description: 'COMISION MANTENIMIENTO DE CUENTA', amount_cents: -1250 });
  });

  it('matches every other line by its reference, and reconciles with the receipt in transit and the fee named', async () => {
    const db = demo.db;
    const s = (await db('bank_statements').first('id'))!;
    const accepted = await acceptSafeProposals(db, SYSTEM, s.id);
    const lines = await db('bank_statement_lines').where({ statement_id: s.id }).select('status', 'amount_cents');
    expect(accepted).toBe(lines.length - 1);
    expect(lines.filter((l) => l.status === 'unmatched')).toEqual([{ status: 'unmatched', amount_cents: -1250 }]);
    const rec = await computeReconciliation(db, (await findStatement(db, s.id))!);
    const last = await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
      .where('l.account_code', '1102').andWhere('e.source_type', 'receipt').whereBetween('e.date', ['2026-10-01', '2026-10-31'])
      .orderBy([{ column: 'e.date', order: 'desc' }, { column: 'e.id', order: 'desc' }]).first('l.debit_cents');
    expect(rec.in_transit.map((i) => i.amount_cents)).toEqual([Number(last.debit_cents)]);
    expect(rec.not_recorded.map((i) => i.amount_cents)).toEqual([-1250]);
    expect(rec.statement_balance_cents - rec.not_recorded_cents + rec.in_transit_cents).toBe(rec.book_balance_cents);
    expect(rec.difference_cents).toBe(0);
  });
});
