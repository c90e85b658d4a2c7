// The reconciliation on hand-made ledgers: what agrees says so, and each way of disagreeing is
// named on the document or entry behind it.
import { describe, expect, it } from 'vitest';
import { reconcile, type ReconInput, type ReconReceipt } from '../../src/domain/fund-reconciliation.ts';
import type { LedgerEntry, LedgerLine } from '../../src/domain/fund-reports.ts';

const line = (account_code: string, debit: number, credit: number, contract_id: number | null = 1, project_id: number | null = null): LedgerLine =>
  ({ account_code, debit_cents: debit, credit_cents: credit, contract_id, project_id });
let nextId = 1;
const entry = (date: string, source_type: string, source_id: number | string, lines: LedgerLine[], reverses: number | null = null): LedgerEntry =>
  ({ id: nextId++, date, description: '', source_type, source_id: String(source_id), reverses_entry_id: reverses, lines });
const receiptEntry = (id: number, date: string, amount: number, s: number, contract = 1, collect = '3101') => entry(date, 'receipt', id, [
  line('1102', amount, 0, contract), line('1201', 0, s, contract), line('2101', s, 0, contract), line(collect, 0, amount, contract)]);
const mirror = (e: LedgerEntry, date: string, type: string) =>
  entry(date, type, e.source_id, e.lines.map((l) => ({ ...l, debit_cents: l.credit_cents, credit_cents: l.debit_cents })), e.id);
const receipt = (id: number, date: string, amount: number, extra: Partial<ReconReceipt> = {}): ReconReceipt =>
  ({ id, number: `R001-0000000${id}`, date, amount_cents: amount, status: 'valid', contract_id: 1, contract_number: 'CV-2026-0001', municipal: true, ...extra });

function base(): ReconInput {
  const r1 = receiptEntry(1, '2026-01-10', 1_500_000, 1_500_000);
  const r2 = receiptEntry(2, '2026-02-10', 141_667, 141_667);
  const spend = entry('2026-02-20', 'spending', 1, [line('3101', 400_000, 0, null, 5), line('1102', 0, 400_000, null, 5)]);
  return {
    from: '2026-01-01', to: '2026-12-31',
    entries: [entry('2026-01-10', 'contract_activation', 1, [line('1201', 10_000_000, 0), line('2101', 0, 10_000_000)]), r1, r2, spend,
      // Receipt 2 voided after the period of February: its mirror is dated in March.
      mirror(r2, '2026-03-05', 'receipt_void')],
    receipts: [receipt(1, '2026-01-10', 1_500_000), receipt(2, '2026-02-10', 141_667, { status: 'void' })],
    refunds: [],
    spendings: [{ id: 1, date: '2026-02-20', amount_cents: 400_000, status: 'valid', project_code: 'AGUA-ZA' }],
    subledger: [{ contract_id: 1, contract_number: 'CV-2026-0001', scheduled_outstanding_cents: 8_500_000 }],
  };
}

const byKey = (r: ReturnType<typeof reconcile>) => Object.fromEntries(r.checks.map((c) => [c.key, c]));

describe('reconcile', () => {
  it('agrees on a consistent ledger, in any period', () => {
    for (const [from, to] of [['2026-01-01', '2026-12-31'], ['2026-02-01', '2026-02-28'], ['2026-03-01', '2026-03-31']] as const) {
      const input = { ...base(), from, to };
      if (to === '2026-02-28') input.subledger = [{ contract_id: 1, contract_number: 'CV-2026-0001', scheduled_outstanding_cents: 8_358_333 }];
      const r = reconcile(input);
      expect(r.ok, `${from}..${to}`).toBe(true);
    }
    const year = byKey(reconcile(base()));
    expect([year.collections_fund!.left_cents, year.fund_municipal!.left_cents, year.cash_bank!.left_cents, year.receivables!.right_cents])
      .toEqual([1_500_000, 1_641_667, 1_100_000, 8_500_000]);
  });

  it('names a receipt without entry, and an entry that credits the fund twice for one receipt', () => {
    const input = base();
    input.receipts.push(receipt(3, '2026-04-01', 10_000));
    input.entries.push(receiptEntry(1, '2026-01-10', 1_500_000, 0));
    const c = byKey(reconcile(input));
    expect(c.collections_fund!.items.map((i) => [i.ref, i.reason, i.expected_cents, i.actual_cents])).toEqual([
      ['R001-00000001', 'amount_differs', 1_500_000, 3_000_000], ['R001-00000003', 'not_posted', 10_000, 0],
    ]);
    expect(c.fund_municipal!.items.map((i) => [i.ref, i.reason])).toEqual([['R001-00000001', 'duplicate'], ['R001-00000003', 'not_posted']]);
  });

  it('names a fund credit from a ministry lot, from another contract, or on another date', () => {
    const input = base();
    input.receipts.push(receipt(3, '2026-04-01', 10_000, { municipal: false }), receipt(4, '2026-04-02', 20_000, { contract_id: 2 }),
      receipt(5, '2026-04-03', 30_000));
    input.entries.push(receiptEntry(3, '2026-04-01', 10_000, 0), receiptEntry(4, '2026-04-02', 20_000, 0, 1), receiptEntry(5, '2026-04-04', 30_000, 0));
    const items = byKey(reconcile(input)).fund_municipal!.items.map((i) => [i.ref, i.reason]);
    expect(items).toEqual([['R001-00000003', 'ministry_lot'], ['R001-00000004', 'contract_mismatch'], ['R001-00000005', 'date_differs']]);
  });

  it('sends a ministry lot\'s collections to the ministry\'s account without a difference', () => {
    const input = base();
    input.receipts.push(receipt(3, '2026-04-01', 10_000, { municipal: false, contract_id: 2 }));
    input.entries.push(receiptEntry(3, '2026-04-01', 10_000, 0, 2, '2201'));
    expect(reconcile(input).ok).toBe(true);
  });

  it('names a spending whose entry disagrees, a refund never posted, and money moved with no document', () => {
    const input = base();
    input.spendings[0]!.amount_cents = 400_001;
    input.refunds.push({ id: 1, contract_id: 1, contract_number: 'CV-2026-0001', date: '2026-05-01', returned_cents: 2_000 });
    const stray = entry('2026-06-01', 'manual', 'x', [line('1101', 0, 99, null), line('3101', 99, 0, null)]);
    input.entries.push(stray);
    const cash = byKey(reconcile(input)).cash_bank!;
    expect(cash.items.map((i) => [i.kind, i.ref, i.reason, i.expected_cents, i.actual_cents])).toEqual([
      ['refund', 'CV-2026-0001', 'not_posted', -2_000, 0],
      ['spending', 'AGUA-ZA #1', 'amount_differs', -400_001, -400_000],
      ['entry', `#${stray.id}`, 'no_document', 0, -99],
    ]);
    expect(cash.difference_cents).toBe(cash.left_cents - cash.right_cents);
    expect(cash.items[2]!.entries).toEqual([{ id: stray.id, date: '2026-06-01' }]);
  });

  it('lets cash deposits move money from caja to banco, and names one that moves another amount or none', () => {
    const input = base();
    const deposit = (id: number, date: string, amount: number) => entry(date, 'cash_deposit', id, [line('1102', amount, 0, null), line('1101', 0, amount, null)]);
    const d1 = deposit(1, '2026-01-31', 1_500_000);
    const d2 = deposit(2, '2026-02-28', 100_000);
    input.entries.push(d1, d2, mirror(d2, '2026-04-01', 'cash_deposit_reversal'));
    input.deposits = [
      { id: 1, date: '2026-01-31', amount_cents: 1_500_000, status: 'valid', reference: 'DEP-2026-01' },
      { id: 2, date: '2026-02-28', amount_cents: 100_000, status: 'reversed', reference: 'DEP-2026-02' },
    ];
    const ok = reconcile(input);
    expect(ok.ok).toBe(true);
    expect(byKey(ok).cash_bank!.left_cents).toBe(1_100_000); // as without the deposits
    // A deposit whose entry took 15,000 from the till but put 14,999 in the bank, one with no entry,
    // and a transfer between caja and banco that no deposit explains.
    d1.lines = [line('1102', 1_499_900, 0, null), line('2101', 100, 0, null), line('1101', 0, 1_500_000, null)];
    input.deposits.push({ id: 3, date: '2026-03-31', amount_cents: 5_000, status: 'valid', reference: 'DEP-2026-03' });
    const stray = entry('2026-05-05', 'manual', 'z', [line('1102', 700, 0, null), line('1101', 0, 700, null)]);
    input.entries.push(stray);
    const cash = byKey(reconcile(input)).cash_bank!;
    expect(cash.items.map((i) => [i.kind, i.ref, i.reason, i.expected_cents, i.actual_cents])).toEqual([
      ['deposit', 'DEP-2026-01', 'amount_differs', 1_500_000, 1_499_900],
      ['deposit', 'DEP-2026-03', 'not_posted', 5_000, 0],
      ['entry', `#${stray.id}`, 'no_document', 0, 700],
    ]);
    expect(cash.difference_cents).toBe(-100);
  });

  it('names a contract whose 1201 balance is not its scheduled outstanding, and an unbalanced entry', () => {
    const input = base();
    input.subledger[0]!.scheduled_outstanding_cents = 8_400_000;
    const broken = entry('2026-07-01', 'manual', 'y', [line('1201', 10, 0, null), line('2101', 0, 9, null)]);
    input.entries.push(broken);
    const c = byKey(reconcile(input));
    expect(c.receivables!.items.map((i) => [i.ref, i.reason, i.expected_cents, i.actual_cents])).toEqual([
      ['CV-2026-0001', 'amount_differs', 8_400_000, 8_500_000], ['—', 'no_document', 0, 10],
    ]);
    expect(c.balanced!.items.map((i) => [i.ref, i.expected_cents, i.actual_cents])).toEqual([[`#${broken.id}`, 10, 9]]);
    expect(c.balanced!.difference_cents).toBe(1);
  });
});
