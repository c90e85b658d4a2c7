// The finance reports on hand-made ledgers: exact céntimos, reversals classified by what they
// reverse, periods inclusive, and every kind of posting balanced.
import { describe, expect, it } from 'vitest';
import {
  accountBalances, budgetReport, collectionsReport, expectedInflows, fundAvailableOn, fundBalance, fundBalanceSeries,
  fundStatement, monthsBetween, receivablesReport, type LedgerEntry, type LedgerLine, type ReceiptRow,
} from '../../src/domain/fund-reports.ts';
import { assertBalanced } from '../../src/fund/ledger.ts';

const line = (account_code: string, debit: number, credit: number, extra: Partial<LedgerLine> = {}): LedgerLine =>
  ({ account_code, debit_cents: debit, credit_cents: credit, contract_id: null, project_id: null, ...extra });
let nextId = 1;
const entry = (date: string, source_type: string, source_id: string | number, lines: LedgerLine[], reverses: number | null = null): LedgerEntry =>
  ({ id: nextId++, date, description: `${source_type} ${source_id}`, source_type, source_id: String(source_id), reverses_entry_id: reverses, lines });
const mirror = (e: LedgerEntry, date: string, source_type: string): LedgerEntry =>
  entry(date, source_type, e.source_id, e.lines.map((l) => ({ ...l, debit_cents: l.credit_cents, credit_cents: l.debit_cents })), e.id);

// The postings as the payments area and the fund service write them (see src/payments/postings.ts).
const activation = entry('2026-01-10', 'contract_activation', 1, [line('1201', 10_000_000, 0, { contract_id: 1 }), line('2101', 0, 10_000_000, { contract_id: 1 })]);
const receipt1 = entry('2026-01-10', 'receipt', 1, [line('1102', 1_500_000, 0, { contract_id: 1 }), line('1201', 0, 1_500_000, { contract_id: 1 }),
  line('2101', 1_500_000, 0, { contract_id: 1 }), line('3101', 0, 1_500_000, { contract_id: 1 })]);
const receipt2 = entry('2026-02-10', 'receipt', 2, [line('1101', 141_667, 0, { contract_id: 1 }), line('1201', 0, 141_667, { contract_id: 1 }),
  line('2101', 141_667, 0, { contract_id: 1 }), line('3101', 0, 141_667, { contract_id: 1 })]);
const void2 = mirror(receipt2, '2026-03-05', 'receipt_void');
const spending = entry('2026-02-20', 'spending', 1, [line('3101', 400_000, 0, { project_id: 5 }), line('1102', 0, 400_000, { project_id: 5 })]);
const spending2 = entry('2026-03-01', 'spending', 2, [line('3101', 100_000, 0, { project_id: 6 }), line('1102', 0, 100_000, { project_id: 6 })]);
const spendingBack = mirror(spending2, '2026-03-20', 'spending_reversal');
const rescission = entry('2026-04-01', 'rescission', 1, [line('2101', 8_500_000, 0, { contract_id: 1 }), line('1201', 0, 8_500_000, { contract_id: 1 }),
  line('3101', 300_000, 0, { contract_id: 1 }), line('1102', 0, 300_000, { contract_id: 1 })]);
const ledger = [activation, receipt1, receipt2, spending, spending2, void2, spendingBack, rescission];
const projects = [{ id: 5, code: 'AGUA-ZA', name: 'Agua' }, { id: 6, code: 'PAV-01', name: 'Pistas' }];

describe('postings', () => {
  it('every kind balances', () => {
    for (const e of ledger) expect(() => assertBalanced(e.lines)).not.toThrow();
  });
  it('an unbalanced or two-sided line is refused', () => {
    expect(() => assertBalanced([line('3101', 100, 0), line('1102', 0, 99)])).toThrow('unbalanced entry: debits 100 ≠ credits 99');
    expect(() => assertBalanced([line('3101', 100, 100)])).toThrow('has both debit and credit');
    expect(() => assertBalanced([line('3101', 0.5, 0), line('1102', 0, 0.5)])).toThrow('bad amounts');
  });
});

describe('balances', () => {
  it('gives each account in its natural direction, as of a date', () => {
    const accounts = [
      { code: '1102', name: 'activo:banco', label_es: 'Banco', label_en: 'Bank', type: 'asset' },
      { code: '3101', name: 'patrimonio:fondo', label_es: 'Fondo', label_en: 'Fund', type: 'equity' },
    ];
    expect(accountBalances(accounts, ledger, '2026-02-28').map((a) => [a.code, a.debit_cents, a.credit_cents, a.balance_cents]))
      .toEqual([['1102', 1_500_000, 400_000, 1_100_000], ['3101', 400_000, 1_641_667, 1_241_667]]);
  });

  it('fund balance = collections − voids − spending + reversed spending − refunds', () => {
    expect(fundBalance(ledger, '2026-12-31')).toBe(1_500_000 + 141_667 - 141_667 - 400_000 - 100_000 + 100_000 - 300_000);
    expect(fundBalance(ledger, '2026-01-09')).toBe(0);
  });

  it('can spend on a date only what stays in the fund on every later day', () => {
    // On 2026-02-15 the fund holds 1,641,667 but falls to 800,000 after the refund of 2026-04-01.
    expect(fundAvailableOn(ledger, '2026-02-15')).toBe(800_000);
    expect(fundAvailableOn(ledger, '2026-01-10')).toBe(800_000);
    expect(fundAvailableOn(ledger, '2026-01-09')).toBe(0);
  });
});

describe('fundStatement', () => {
  it('splits the period\'s movements by what they are, reversals with what they reverse', () => {
    const s = fundStatement(ledger, projects, '2026-02-01', '2026-03-31');
    expect(s).toMatchObject({
      opening_cents: 1_500_000, collections_cents: 141_667, voided_cents: -141_667, refunds_cents: 0,
      spending_cents: -400_000, other_cents: 0, closing_cents: 1_100_000,
    });
    expect(s.spending).toEqual([
      { project_id: 5, code: 'AGUA-ZA', name: 'Agua', amount_cents: -400_000 },
      { project_id: 6, code: 'PAV-01', name: 'Pistas', amount_cents: 0 },
    ]);
    const april = fundStatement(ledger, projects, '2026-04-01', '2026-04-30');
    expect([april.opening_cents, april.refunds_cents, april.closing_cents]).toEqual([1_100_000, -300_000, 800_000]);
  });

  it('shows anything else that touched the fund as "other"', () => {
    const odd = entry('2026-02-02', 'manual', 'x', [line('1101', 500, 0), line('3101', 0, 500)]);
    expect(fundStatement([...ledger, odd], projects, '2026-02-01', '2026-02-28').other_cents).toBe(500);
  });

  it('gives the balance at each month end, the last point on the end of the period', () => {
    expect(fundBalanceSeries(ledger, '2026-01-01', '2026-04-15')).toEqual([
      { date: '2026-01-31', balance_cents: 1_500_000 }, { date: '2026-02-28', balance_cents: 1_241_667 },
      { date: '2026-03-31', balance_cents: 1_100_000 }, { date: '2026-04-15', balance_cents: 800_000 },
    ]);
    expect(monthsBetween('2025-11-30', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

describe('collectionsReport', () => {
  const r = (id: number, date: string, amount_cents: number, method: string, status = 'valid'): ReceiptRow =>
    ({ id, number: `R001-${String(id).padStart(8, '0')}`, date, amount_cents, method, status, void_reason: status === 'void' ? 'error' : null,
      contract_number: 'CV-2026-0001', firm_name: 'Firma' });
  const receipts = [r(1, '2026-01-10', 1_500_000, 'transfer'), r(2, '2026-01-31', 141_667, 'cash'), r(3, '2026-02-10', 141_667, 'deposit', 'void'),
    r(4, '2026-03-01', 141_667, 'deposit'), r(5, '2025-12-31', 99, 'cash')];

  it('adds valid receipts by month and method; void ones listed apart, not added', () => {
    const c = collectionsReport(receipts, '2026-01-01', '2026-03-31');
    expect(c.months.map((m) => [m.month, m.by_method.cash, m.by_method.deposit, m.by_method.transfer, m.count, m.total_cents])).toEqual([
      ['2026-01', 141_667, 0, 1_500_000, 2, 1_641_667], ['2026-02', 0, 0, 0, 0, 0], ['2026-03', 0, 141_667, 0, 1, 141_667],
    ]);
    expect([c.total_cents, c.count, c.by_method]).toEqual([1_783_334, 3, { cash: 141_667, deposit: 141_667, transfer: 1_500_000 }]);
    expect(c.voids.map((v) => v.number)).toEqual(['R001-00000003']);
    expect(c.void_total_cents).toBe(141_667);
  });
});

describe('budgetReport', () => {
  it('spent = net charges to the fund per project, in the period and to its end', () => {
    const b = budgetReport([
      { id: 5, code: 'AGUA-ZA', name: 'Agua', status: 'in_progress', budget_cents: 300_000, flagged: 1 },
      { id: 6, code: 'PAV-01', name: 'Pistas', status: 'planned', budget_cents: 1_000_000, flagged: 0 },
    ], ledger, '2026-03-01', '2026-03-31');
    expect(b.lines.map((l) => [l.code, l.spent_period_cents, l.spent_total_cents, l.remaining_cents, l.over_budget, l.spent_ppm, l.bar_pct])).toEqual([
      ['AGUA-ZA', 0, 400_000, -100_000, true, 1_333_000, 100],
      ['PAV-01', 0, 0, 1_000_000, false, 0, 0],
    ]);
    expect([b.budget_cents, b.spent_total_cents, b.remaining_cents]).toEqual([1_300_000, 400_000, 900_000]);
  });
});

describe('receivablesReport', () => {
  it('compares each contract\'s scheduled outstanding with its lines on 1201, as of a date', () => {
    const sub = [{ contract_id: 1, contract_number: 'CV-2026-0001', firm_name: 'F', lot_code: 'A-01', scheduled_outstanding_cents: 8_500_000 }];
    const r = receivablesReport(sub, ledger, '2026-03-31');
    expect(r.lines).toEqual([{ contract_id: 1, contract_number: 'CV-2026-0001', firm_name: 'F', lot_code: 'A-01',
      subledger_cents: 8_500_000, control_cents: 8_500_000, difference_cents: 0 }]);
    // After the rescission the contract is not live: nothing on either side.
    expect(receivablesReport([], ledger, '2026-04-30').lines).toEqual([]);
    // A stray line without contract shows as its own row.
    const stray = entry('2026-03-02', 'manual', 'x', [line('1201', 700, 0), line('2101', 0, 700)]);
    const withStray = receivablesReport(sub, [...ledger, stray], '2026-03-31');
    expect(withStray.difference_cents).toBe(-700);
    expect(withStray.lines[1]).toMatchObject({ contract_id: null, control_cents: 700, difference_cents: -700 });
  });
});

describe('expectedInflows', () => {
  it('adds unpaid scheduled amounts by due month, marking months already overdue', () => {
    const e = expectedInflows([
      { due_date: '2026-10-10', unpaid_cents: 100 }, { due_date: '2026-11-10', unpaid_cents: 141_667 },
      { due_date: '2026-11-30', unpaid_cents: 141_667 }, { due_date: '2026-12-10', unpaid_cents: 0 }, { due_date: '2027-01-10', unpaid_cents: 50 },
    ], '2026-11-25');
    expect(e.months).toEqual([
      { month: '2026-10', installments: 1, amount_cents: 100, overdue: true },
      { month: '2026-11', installments: 2, amount_cents: 283_334, overdue: true },
      { month: '2027-01', installments: 1, amount_cents: 50, overdue: false },
    ]);
    expect([e.total_cents, e.overdue_cents]).toEqual([283_484, 141_767]);
  });
});
