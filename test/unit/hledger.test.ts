// The journal in hledger's format, exactly: directives, transactions in date order, amounts with
// the soles commodity on the left, texts that cannot break the syntax.
import { describe, expect, it } from 'vitest';
import { journalAmount, journalText, toHledgerJournal, type JournalInput } from '../../src/domain/hledger.ts';

const accounts: JournalInput['accounts'] = [
  { code: '1102', name: 'activo:banco', label: 'Banco', type: 'asset' },
  { code: '3101', name: 'patrimonio:fondo de reinversion', label: 'Fondo de reinversión', type: 'equity' },
];

describe('journalAmount and journalText', () => {
  it('writes soles with a dot, two decimals, sign after the commodity', () => {
    expect([journalAmount(141_667), journalAmount(-141_667), journalAmount(5), journalAmount(-5), journalAmount(0)])
      .toEqual(['S/ 1416.67', 'S/ -1416.67', 'S/ 0.05', 'S/ -0.05', 'S/ 0.00']);
  });

  it('keeps a description on one line and out of comments', () => {
    expect(journalText('Obra AGUA; factura\n  F001-1\t(2)')).toBe('Obra AGUA factura F001-1 (2)');
  });
});

describe('toHledgerJournal', () => {
  it('prints directives, then each entry with its id, source, reversal link and tagged postings', () => {
    const text = toHledgerJournal({
      title: 'Prueba',
      accounts,
      entries: [
        { id: 9, date: '2026-03-01', description: 'Anulación; gasto', source_type: 'spending_reversal', source_id: '4', reverses_entry_id: 7,
          postings: [
            { account_code: '3101', debit_cents: 0, credit_cents: 50_000, tags: { project: 'PAV-01' } },
            { account_code: '1102', debit_cents: 50_000, credit_cents: 0, tags: { project: 'PAV-01' } },
          ] },
        { id: 7, date: '2026-02-01', description: 'Gasto', source_type: 'spending', source_id: '4', reverses_entry_id: null,
          postings: [
            { account_code: '3101', debit_cents: 50_000, credit_cents: 0, tags: { project: 'PAV-01', contract: null } },
            { account_code: '1102', debit_cents: 0, credit_cents: 50_000 },
            { account_code: '1102', debit_cents: 0, credit_cents: 0 },
          ] },
      ],
    });
    expect(text).toBe([
      '; Prueba',
      '; Amounts in soles (PEN); debits positive, credits negative.',
      '',
      'commodity S/ 1000.00',
      '',
      'account activo:banco  ; type: A, code: 1102',
      '    ; Banco',
      'account patrimonio:fondo de reinversion  ; type: E, code: 3101',
      '    ; Fondo de reinversión',
      '',
      '2026-02-01 * (7) Gasto',
      '    ; source: spending 4',
      '    patrimonio:fondo de reinversion    S/ 500.00  ; project: PAV-01',
      '    activo:banco                       S/ -500.00',
      '',
      '2026-03-01 * (9) Anulación gasto',
      '    ; source: spending_reversal 4, reverses: 7',
      '    patrimonio:fondo de reinversion    S/ -500.00  ; project: PAV-01',
      '    activo:banco                       S/ 500.00  ; project: PAV-01',
      '',
      '',
    ].join('\n'));
  });

  it('opens a period with every non-zero balance of the day before, as one balanced transaction', () => {
    const text = toHledgerJournal({ title: 'P', accounts, entries: [],
      opening: { date: '2026-01-01', description: 'Saldos al 2025-12-31', balances: [
        { account_code: '1102', balance_cents: 3_875_001 }, { account_code: '3101', balance_cents: -3_875_001 },
      ] } });
    expect(text).toContain([
      '2026-01-01 * Saldos al 2025-12-31',
      '    activo:banco                       S/ 38750.01',
      '    patrimonio:fondo de reinversion    S/ -38750.01',
    ].join('\n'));
  });

  it('refuses a posting to an account it was not given (hledger would refuse it as undeclared)', () => {
    expect(() => toHledgerJournal({ title: 'x', accounts, entries: [{ id: 1, date: '2026-01-01', description: 'x',
      source_type: 'manual', source_id: '1', reverses_entry_id: null,
      postings: [{ account_code: '9999', debit_cents: 1, credit_cents: 0 }] }] })).toThrow('unknown account 9999');
  });
});
