// Reading a bank's CSV statement through a column mapping: formats, balances, every bad line, fingerprints.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAPPING, decodeStatementFile, detectDelimiter, fingerprints, parseBankAmount, parseBankDate, readStatement, type BankMapping,
} from '../../src/domain/bank-csv.ts';
import { formatSoles } from '../../src/domain/money.ts';

const S = (soles: number) => formatSoles(Math.round(soles * 100));

const BN: BankMapping = {
  date: 'Fecha', description: 'Descripción', reference: 'Nro. Operación', debit: 'Cargo', credit: 'Abono', amount: null,
  balance: 'Saldo', date_format: 'DD/MM/YYYY', decimal: 'dot', delimiter: 'auto', skip_rows: 2,
};
const SIGNED: BankMapping = {
  date: 1, description: 3, reference: 2, debit: null, credit: null, amount: 'Importe', balance: null,
  date_format: 'YYYY-MM-DD', decimal: 'comma', delimiter: ';', skip_rows: 0,
};
const pick = (r: ReturnType<typeof readStatement>) => r.lines.map((l) => [l.file_line, l.n, l.date, l.description, l.reference, l.amount_cents, l.balance_cents]);
const listed = (r: ReturnType<typeof readStatement>) => r.errors.map((e) => [e.line, e.column, e.message]);

describe('parseBankAmount', () => {
  it.each([
    ['1,234.56', 'dot', 123456], ['1234.56', 'dot', 123456], ['1234.5', 'dot', 123450], ['1234', 'dot', 123400],
    ['-1,234.56', 'dot', -123456], ['1,234.56-', 'dot', -123456], ['(1,234.56)', 'dot', -123456], ['S/ 1,416.67', 'dot', 141667],
    ['S/ -15.00', 'dot', -1500], ['+2.50', 'dot', 250], ['0.00', 'dot', 0], ['1 234.56', 'dot', 123456],
    ['1.234,56', 'comma', 123456], ['1234,56', 'comma', 123456], ['-1.234,56', 'comma', -123456], ['1.234', 'comma', 123400],
    ['12.345.678,90', 'comma', 1234567890],
  ] as const)('%s (%s) = %d céntimos', (text, decimal, cents) => {
    expect(parseBankAmount(text, decimal)).toEqual({ ok: true, cents });
  });
  it.each([
    ['1.234', 'dot'], ['1,234,56', 'dot'], ['12.345', 'dot'], ['1,23.45', 'dot'], ['abc', 'dot'], ['', 'dot'], ['--5', 'dot'],
    ['1,234.56', 'comma'], ['1.23,45', 'comma'], ['1,234', 'comma'],
  ] as const)('refuses %j (%s)', (text, decimal) => {
    expect(parseBankAmount(text, decimal)).toEqual({ ok: false, error: 'format' });
  });
  it('refuses more than S/ 10,000,000,000.00', () => {
    expect(parseBankAmount('10,000,000,000.01', 'dot')).toEqual({ ok: false, error: 'too_large' });
    expect(parseBankAmount('10,000,000,000.00', 'dot')).toEqual({ ok: true, cents: 1_000_000_000_000 });
  });
});

describe('parseBankDate', () => {
  it.each([
    ['05/11/2026', 'DD/MM/YYYY', '2026-11-05'], ['5/1/2026', 'D/M/YYYY', '2026-01-05'], ['05/01/2026', 'D/M/YYYY', '2026-01-05'],
    ['2026-11-05', 'YYYY-MM-DD', '2026-11-05'], ['05-11-2026', 'DD-MM-YYYY', '2026-11-05'], ['29/02/2028', 'DD/MM/YYYY', '2028-02-29'],
  ] as const)('%s (%s) = %s', (text, format, iso) => {
    expect(parseBankDate(text, format)).toBe(iso);
  });
  it.each([
    ['5/11/2026', 'DD/MM/YYYY'], ['31/02/2026', 'DD/MM/YYYY'], ['2026-11-05', 'DD/MM/YYYY'], ['05/11/26', 'D/M/YYYY'],
    ['11/13/2026', 'DD/MM/YYYY'], ['05/11/2026', 'DD-MM-YYYY'], ['29/02/2026', 'DD/MM/YYYY'],
  ] as const)('refuses %s as %s', (text, format) => {
    expect(parseBankDate(text, format)).toBeNull();
  });
});

describe('decodeStatementFile and detectDelimiter', () => {
  it('reads UTF-8 (with its BOM) and falls back to Windows-1252 for bytes that are not UTF-8', () => {
    expect(decodeStatementFile(Buffer.from('\uFEFFDescripción', 'utf8'))).toEqual({ text: 'Descripción', encoding: 'utf-8' });
    // "Descripción – €5" as Excel saves it in Windows-1252: ó = F3, en dash = 96, euro = 80.
    const bytes = Buffer.from([...Buffer.from('Descripci', 'latin1'), 0xf3, 0x6e, 0x20, 0x96, 0x20, 0x80, 0x35]);
    expect(decodeStatementFile(bytes)).toEqual({ text: 'Descripción – €5', encoding: 'windows-1252' });
  });
  it('takes the delimiter the header line uses most, outside quotes', () => {
    expect(detectDelimiter('Fecha;Descripción;"Importe, S/";Saldo')).toBe(';');
    expect(detectDelimiter('Fecha,Descripción,Importe')).toBe(',');
    expect(detectDelimiter('Fecha\tDescripción\tImporte')).toBe('\t');
    expect(detectDelimiter('Fecha')).toBe(',');
  });
});

describe('readStatement', () => {
  const BN_FILE = [
    'Banco de la Nación',
    'Cuenta corriente 00-068-123456;Moneda: soles',
    'FECHA,Descripcion,Nro. operación,Cargo,Abono,Saldo',
    '02/11/2026,ABONO TRANSFERENCIA,OP-1,,"1,416.67","11,416.67"',
    '03/11/2026,"COMISION, MANTENIMIENTO",,15.00,,"11,401.67"',
    '05/11/2026,DEPOSITO EFECTIVO,DEP-1,0.00,500.00,"11,901.67"',
    '05/11/2026,DEPOSITO EFECTIVO,DEP-1,,500.00,"12,401.67"',
    ',,,,,',
    '10/11/2026,"=HYPERLINK(""http://x"")",,-2.50,,"12,399.17"',
    '',
  ].join('\r\n');

  it('reads a debit/credit file with title lines, a quoted comma, 0.00 in the unused column and a formula-looking text', () => {
    const r = readStatement(`\uFEFF${BN_FILE}`, BN);
    expect(r.errors).toEqual([]);
    expect(r.fields).toEqual({});
    expect(pick(r)).toEqual([
      [4, 1, '2026-11-02', 'ABONO TRANSFERENCIA', 'OP-1', 141667, 1141667],
      [5, 2, '2026-11-03', 'COMISION, MANTENIMIENTO', null, -1500, 1140167],
      [6, 3, '2026-11-05', 'DEPOSITO EFECTIVO', 'DEP-1', 50000, 1190167],
      [7, 4, '2026-11-05', 'DEPOSITO EFECTIVO', 'DEP-1', 50000, 1240167],
      [9, 5, '2026-11-10', '=HYPERLINK("http://x")', null, -250, 1239917],
    ]);
    expect([r.opening_cents, r.closing_cents, r.period_from, r.period_to, r.has_balances, r.newest_first])
      .toEqual([1000000, 1239917, '2026-11-02', '2026-11-10', true, false]);
  });

  it('reads a signed column by position and header with semicolons, decimal commas and no balances; the opening is typed', () => {
    const text = 'Fecha;Operación;Concepto;Importe\n2026-11-02;A1;Abono;1.416,67\n2026-11-03;;Comisión;-15,00\n';
    expect(readStatement(text, SIGNED).fields).toEqual({ opening_balance: 'bank.csv.opening_required' });
    const r = readStatement(text, SIGNED, { opening_cents: 100_00 as never, closing_cents: 1501_67 as never });
    expect(r.errors).toEqual([]);
    expect(r.fields).toEqual({});
    expect(pick(r)).toEqual([[2, 1, '2026-11-02', 'Abono', 'A1', 141667, null], [3, 2, '2026-11-03', 'Comisión', null, -1500, null]]);
    expect([r.opening_cents, r.closing_cents, r.has_balances]).toEqual([10000, 150167, false]);
    const wrong = readStatement(text, SIGNED, { opening_cents: 100_00 as never, closing_cents: 1500_00 as never });
    expect(wrong.fields).toEqual({ closing_balance: { key: 'bank.csv.closing_sum', params: {
      typed: S(1500.00), opening: S(100.00), total: S(1401.67), expected: S(1501.67) } } });
  });

  it('reads a file listed newest first from its end; typed balances must agree with the file', () => {
    const text = 'Fecha,Descripción,Referencia,Cargo,Abono,Saldo\n03/11/2026,B,,10.00,,90.00\n02/11/2026,A,,,50.00,100.00\n';
    const r = readStatement(text, DEFAULT_MAPPING, { opening_cents: 50_00 as never, closing_cents: 91_00 as never });
    expect(r.newest_first).toBe(true);
    expect(pick(r)).toEqual([[3, 2, '2026-11-02', 'A', null, 5000, 10000], [2, 1, '2026-11-03', 'B', null, -1000, 9000]]);
    expect([r.opening_cents, r.closing_cents]).toEqual([5000, 9000]);
    expect(r.fields).toEqual({ closing_balance: { key: 'bank.csv.closing_differs', params: { typed: S(91.00), file: S(90.00) } } });
  });

  it('lists every bad line at once, with its column', () => {
    const text = [
      'Fecha,Descripción,Referencia,Cargo,Abono,Saldo', // 1
      '01/11/2026,Bien,,,100.00,100.00', // 2
      '31/02/2026,Fecha imposible,,,1.00,101.00', // 3
      '2026-11-03,Otro formato,,,1.00,102.00', // 4
      '04/11/2026,Importe raro,,1.234,,', // 5
      '05/11/2026,Los dos,,5.00,5.00,', // 6
      '06/11/2026,Ninguno,,,,', // 7
      '07/11/2026,Saldo que no sigue,,,10.00,999.00', // 8
      '08/11/2026,Abono negativo,,,-3.00,', // 9
      ',Sin fecha,,,1.00,', // 10
      `09/11/2026,Ref larga,${'X'.repeat(65)},,1.00,`, // 11
      '30/11/2026,Futuro,,,1.00,', // 12
      '01/01/1999,Antiguo,,,1.00,', // 13
      '10/11/2026,Saldo malo,,,1.00,abc', // 14
    ].join('\n');
    const r = readStatement(text, DEFAULT_MAPPING, { today: '2026-11-25', period_to: '2026-11-28' });
    expect(listed(r)).toEqual([
      [3, 'Fecha', { key: 'bank.csv.date', params: { value: '31/02/2026', format: 'DD/MM/YYYY' } }],
      [4, 'Fecha', { key: 'bank.csv.date', params: { value: '2026-11-03', format: 'DD/MM/YYYY' } }],
      [5, 'Cargo', { key: 'bank.csv.amount', params: { value: '1.234', example: '1,234.56' } }],
      [6, null, { key: 'bank.csv.both', params: { debit: 'Cargo', credit: 'Abono' } }],
      [7, null, { key: 'bank.csv.neither', params: { debit: 'Cargo', credit: 'Abono' } }],
      [9, 'Abono', { key: 'bank.csv.credit_negative', params: { value: '-3.00' } }],
      [10, 'Fecha', 'bank.csv.date_missing'],
      [11, 'Referencia', { key: 'bank.csv.too_long', params: { max: 64 } }],
      [12, 'Fecha', { key: 'bank.csv.date_future', params: { value: '30/11/2026' } }],
      [13, 'Fecha', { key: 'bank.csv.date_early', params: { value: '01/01/1999' } }],
      [14, 'Saldo', { key: 'bank.csv.amount', params: { value: 'abc', example: '1,234.56' } }],
    ]);
  });

  it('names the line whose running balance does not follow, and lines outside the period given', () => {
    const text = 'Fecha,Descripción,Referencia,Cargo,Abono,Saldo\n01/11/2026,A,,,100.00,100.00\n02/11/2026,B,,,10.00,\n03/11/2026,C,,5.00,,104.00\n04/11/2026,D,,,1.00,105.00\n';
    expect(listed(readStatement(text, DEFAULT_MAPPING))).toEqual([
      [4, 'Saldo', { key: 'bank.csv.balance_chain', params: { value: S(104.00), expected: S(105.00), previous: S(110.00), amount: S(-5.00) } }],
    ]);
    expect(listed(readStatement(text, DEFAULT_MAPPING, { period_from: '2026-11-02', period_to: '2026-11-03' }))).toEqual([
      [2, 'Fecha', { key: 'bank.csv.outside_period', params: { value: '01/11/2026' } }],
      [5, 'Fecha', { key: 'bank.csv.outside_period', params: { value: '04/11/2026' } }],
    ]);
  });

  it('refuses an empty file, a header alone, a column not found or twice, a position beyond the header', () => {
    expect(listed(readStatement('', DEFAULT_MAPPING))).toEqual([[0, null, 'bank.csv.empty']]);
    expect(listed(readStatement('\uFEFF\n\n', DEFAULT_MAPPING))).toEqual([[0, null, 'bank.csv.empty']]);
    expect(listed(readStatement('Fecha,Descripción,Referencia,Cargo,Abono,Saldo\n', DEFAULT_MAPPING))).toEqual([[1, null, 'bank.csv.no_lines']]);
    expect(listed(readStatement('Fecha,Detalle,Cargo,Abono,Abono\n01/11/2026,x,,1.00,\n', { ...DEFAULT_MAPPING, reference: 9, balance: null }))).toEqual([
      [1, null, { key: 'bank.csv.no_header', params: { field: 'description', header: 'Descripción', headers: 'Fecha | Detalle | Cargo | Abono | Abono' } }],
      [1, null, { key: 'bank.csv.no_position', params: { field: 'reference', position: 9, count: 5 } }],
      [1, null, { key: 'bank.csv.header_twice', params: { field: 'credit', header: 'Abono', count: 2 } }],
    ]);
    expect(listed(readStatement('Fecha,Descripción\n01/11/2026,"sin cerrar\n', { ...SIGNED, date: 'Fecha', description: 'Descripción', delimiter: 'auto' }))).toEqual([[2, null, 'bank.csv.malformed']]);
  });
});

describe('fingerprints', () => {
  const line = (date: string, amount: number, reference: string | null, description: string) => ({ date, amount_cents: amount as never, reference, description });
  it('are the same for the same line (reference and description normalised) and number identical lines within the file', () => {
    const a = fingerprints(1, [line('2026-11-05', 50000, 'DEP-1', 'DEPOSITO EFECTIVO'), line('2026-11-05', 50000, 'DEP-1', 'DEPOSITO EFECTIVO')]);
    expect(a[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(a[0]).not.toBe(a[1]); // k = 1 and k = 2: both kept
    const b = fingerprints(1, [line('2026-11-05', 50000, ' dep-1 ', 'Deposito   efectivo')]);
    expect(b[0]).toBe(a[0]);
    const c = fingerprints(1, [line('2026-11-01', 1, null, 'x'), line('2026-11-05', 50000, 'DEP-1', 'DEPOSITO EFECTIVO'), line('2026-11-05', 50000, 'DEP-1', 'DEPOSITO EFECTIVO')]);
    expect(c.slice(1)).toEqual(a);
    expect(fingerprints(2, [line('2026-11-05', 50000, 'DEP-1', 'DEPOSITO EFECTIVO')])[0]).not.toBe(a[0]); // another account
    expect(fingerprints(1, [line('2026-11-05', -50000, 'DEP-1', 'DEPOSITO EFECTIVO')])[0]).not.toBe(a[0]);
    expect(fingerprints(1, [line('2026-11-05', 50000, null, 'DEPOSITO EFECTIVO')])[0]).not.toBe(a[0]);
  });
});

describe('the example file of the README (docs/examples/extracto-banco-ejemplo.csv)', () => {
  it('reads with the demo mapping: 8 lines, two identical transfers kept apart, balances that follow', async () => {
    const fs = await import('node:fs');
    const { DEMO_BANK_MAPPING } = await import('../../seeds/demo/bank.ts');
    const { text } = decodeStatementFile(fs.readFileSync(new URL('../../docs/examples/extracto-banco-ejemplo.csv', import.meta.url)));
    const r = readStatement(text, DEMO_BANK_MAPPING);
    expect(r.errors).toEqual([]);
    expect(r.lines.map((l) => l.amount_cents)).toEqual([141667, 215000, -1850000, 320840, 320840, 573000, -1250, -35]);
    expect([r.opening_cents, r.closing_cents, r.period_from, r.period_to]).toEqual([4730000, 4450062, '2026-10-01', '2026-10-31']);
    expect(new Set(fingerprints(1, r.lines)).size).toBe(8);
  });
});
