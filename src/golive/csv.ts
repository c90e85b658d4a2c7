// The two files of the go-live import (docs/interfaces.md, README "Go-live import"): the park's paper
// contracts and their paper receipts. Reading only: each line checked on its own, every problem kept
// with its file, line and column (nothing stops at the first); the checks against the park (lots,
// firms, paper numbers already imported) and the replay through the services are in service.ts.
//
// A file: UTF-8 (a BOM is fine; a line that is not UTF-8 is named), a header row, comma or semicolon
// separated (the header's own separator decides), RFC 4180 quotes. A cell that starts with = + - @
// and is not a plain number is refused: a spreadsheet would run it (src/web/csv.ts).
import { parse } from 'csv-parse/sync';
import type { Message } from '../web/errors.ts';
import { isFormulaCell } from '../web/csv.ts';
import { readSoles, MAX_AMOUNT_CENTS, formatSoles, type Cents } from '../domain/money.ts';
import { parsePercent, formatPercent } from '../domain/percent.ts';
import { formatDate, isIsoDate, MIN_PLAUSIBLE_DATE, type IsoDate } from '../domain/dates.ts';
import { parseLotCode } from '../domain/lot-code.ts';
import { rucProblem, dniProblem, compactDni } from '../domain/ruc.ts';
import { MAX_INSTALLMENTS, MAX_RATE_PPM } from '../domain/schedule.ts';
import { SECTORS } from '../firms/service.ts';
import type { Method } from '../payments/postings.ts';

export type ImportFile = 'contracts' | 'receipts';

/** A problem of an import: where (file, line, column) and why. Line 0: the file as a whole. */
export interface LineProblem {
  file: ImportFile;
  line: number;
  column: string | null;
  message: Message;
}

export const CONTRACT_COLUMNS = ['paper_number', 'lot_code', 'firm_ruc', 'firm_name', 'date', 'price', 'price_reason',
  'down_payment_pct', 'installments', 'annual_rate_pct', 'member_number', 'member_joined_on', 'representative_name',
  'representative_dni', 'sector', 'paper_balance'] as const;
export const CONTRACT_REQUIRED = ['paper_number', 'lot_code', 'firm_ruc', 'firm_name', 'date'] as const;
export const RECEIPT_COLUMNS = ['paper_contract_number', 'paper_number', 'date', 'amount', 'method', 'reference'] as const;
export const RECEIPT_REQUIRED = ['paper_contract_number', 'paper_number', 'date', 'amount', 'method'] as const;

/** Limits, as the lots import has them: a file of at most 2 MB, and lines enough for a park's history. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_CONTRACT_LINES = 2000;
export const MAX_RECEIPT_LINES = 20000;
const MAX_TEXT = 200;
const MAX_PAPER_NUMBER = 64;

export interface ContractLine {
  line: number;
  paper_number: string;
  lot_code: string; // as the park writes it (C-07)
  lot_key: string; // block-number, whatever zeros it was written with
  firm_ruc: string;
  firm_name: string;
  date: IsoDate;
  price_cents: Cents | null; // null: the lot's list price
  price_reason: string | null;
  down_payment_ppm: number | null; // null: the park's setting
  installment_count: number | null;
  annual_rate_ppm: number | null;
  member_number: string | null;
  member_joined_on: IsoDate | null;
  representative_name: string | null;
  representative_dni: string | null;
  sector: string | null;
  paper_balance_cents: Cents | null;
}

export interface ReceiptLine {
  line: number;
  paper_contract_number: string;
  paper_number: string;
  date: IsoDate;
  amount_cents: Cents;
  method: Method;
  reference: string | null;
}

const METHODS: Record<string, Method> = {
  cash: 'cash', deposit: 'deposit', transfer: 'transfer',
  efectivo: 'cash', 'depósito': 'deposit', deposito: 'deposit', transferencia: 'transfer',
};

/** A date as a file writes it: 2019-03-15 or 15/03/2019 (a Spanish spreadsheet's). Null when neither. */
export function parseImportDate(text: string): IsoDate | null {
  const t = text.trim();
  if (isIsoDate(t)) return t;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** The lines of `bytes` (1-based, split at \n) that are not valid UTF-8. */
export function badUtf8Lines(bytes: Uint8Array): number[] {
  const bad: number[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try { decoder.decode(bytes.subarray(start, i)); } catch { bad.push(line); }
      start = i + 1;
      line += 1;
    }
  }
  return bad;
}

/** The separator of a header line: the one of `,` and `;` it has more of outside quotes (`,` on a tie). */
export function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas += 1;
    else if (!quoted && ch === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

interface Row { line: number; cell: (column: string) => string }

/**
 * A file's rows with their cells by column name, after the checks every file gets: encoding, separator,
 * header (required columns, no unknown one), size, column count, formula cells.
 */
export function readRows(file: ImportFile, bytes: Uint8Array, columns: readonly string[], required: readonly string[],
  maxLines: number, allowEmpty: boolean): { rows: Row[]; problems: LineProblem[]; fatal: boolean } {
  const problems: LineProblem[] = [];
  const fail = (line: number, column: string | null, message: Message) => problems.push({ file, line, column, message });
  const done = () => ({ rows: [] as Row[], problems, fatal: true });

  // A spreadsheet's "Unicode text" is UTF-16: every line would be named, when the file is what is wrong.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    fail(0, null, 'golive.errors.utf16');
    return done();
  }
  const bad = new Set(badUtf8Lines(bytes));
  for (const line of bad) fail(line, null, 'golive.errors.encoding');
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const delimiter = detectDelimiter(firstLine);

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter, trim: true, skip_empty_lines: true, relax_column_count: true, info: true,
    }) as unknown as typeof records;
  } catch (err) {
    fail(Number((err as { lines?: number }).lines ?? 0), null, 'golive.errors.malformed');
    return done();
  }
  const [head, ...body] = records;
  if (!head) { fail(0, null, 'golive.errors.empty'); return done(); }
  const header = head.record.map((h) => h.trim().toLowerCase());
  const headLine = head.info.lines;
  const expected = columns.join(',');
  let headerBad = false;
  for (const [i, h] of header.entries()) {
    if (!columns.includes(h)) { fail(headLine, h || `#${i + 1}`, { key: 'golive.errors.unknown_column', params: { column: h, expected } }); headerBad = true; }
    else if (header.indexOf(h) !== i) { fail(headLine, h, { key: 'golive.errors.repeated_column', params: { column: h } }); headerBad = true; }
  }
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) { fail(headLine, null, { key: 'golive.errors.columns', params: { missing: missing.join(', '), expected } }); headerBad = true; }
  if (headerBad) return done();
  if (body.length === 0) {
    if (allowEmpty) return { rows: [], problems, fatal: false };
    fail(0, null, 'golive.errors.empty');
    return done();
  }
  if (body.length > maxLines) { fail(0, null, { key: 'golive.errors.too_many', params: { max: maxLines } }); return done(); }

  const rows: Row[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    if (bad.has(line)) continue; // already named: its cells cannot be trusted
    if (record.length !== header.length) {
      fail(line, null, { key: 'golive.errors.column_count', params: { expected: header.length, got: record.length } });
      continue;
    }
    let formula = false;
    for (const [i, value] of record.entries()) {
      if (isFormulaCell(value)) { fail(line, header[i]!, { key: 'golive.errors.formula', params: { value: value.slice(0, 40) } }); formula = true; }
    }
    if (formula) continue;
    rows.push({ line, cell: (c) => { const i = header.indexOf(c); return i < 0 ? '' : record[i] ?? ''; } });
  }
  return { rows, problems, fatal: false };
}

/** A bounded amount of soles (readSoles), positive unless `zero` is allowed; a message otherwise. */
function amountOf(text: string, zero: boolean): { cents: Cents } | { error: Message } {
  const r = readSoles(text);
  if (!r.ok) {
    if (r.error === 'negative') return { error: 'errors.amount_positive' };
    if (r.error === 'ambiguous') return { error: 'errors.amount_ambiguous' };
    if (r.error === 'too_large') return { error: { key: 'errors.amount_max', params: { max: formatSoles(MAX_AMOUNT_CENTS) } } };
    return { error: { key: 'golive.errors.amount', params: { value: text } } };
  }
  if (!zero && r.cents <= 0) return { error: 'errors.amount_positive' };
  return { cents: r.cents };
}

/** Reads a date cell: required or not, not before 2000, not after today. */
function dateOf(text: string, today: IsoDate): { date: IsoDate } | { error: Message } {
  const d = parseImportDate(text);
  if (!d) return { error: { key: 'golive.errors.date', params: { value: text } } };
  if (d < MIN_PLAUSIBLE_DATE) return { error: { key: 'errors.date_too_early', params: { min: formatDate(MIN_PLAUSIBLE_DATE) } } };
  if (d > today) return { error: 'errors.future_date' };
  return { date: d };
}

/** The contracts file: its good lines, its problems, and the paper number of every line read (good or not),
 *  so that a receipt of a refused contract is told apart from a receipt of a contract not in the file. */
export function parseContractsCsv(bytes: Uint8Array, today: IsoDate): { lines: ContractLine[]; problems: LineProblem[]; fatal: boolean;
  paper_numbers: Set<string> } {
  const { rows, problems, fatal } = readRows('contracts', bytes, CONTRACT_COLUMNS, CONTRACT_REQUIRED, MAX_CONTRACT_LINES, false);
  const lines: ContractLine[] = [];
  const paper_numbers = new Set<string>();
  for (const { line, cell } of rows) {
    if (cell('paper_number').trim()) paper_numbers.add(cell('paper_number').trim());
    const before = problems.length;
    const fail = (column: string, message: Message) => problems.push({ file: 'contracts', line, column, message });
    const text = (column: string, required: boolean, max = MAX_TEXT): string | null => {
      const v = cell(column).trim();
      if (!v) { if (required) fail(column, 'errors.required'); return null; }
      if (v.length > max) { fail(column, 'errors.too_long'); return null; }
      return v;
    };
    const paper_number = text('paper_number', true, MAX_PAPER_NUMBER);
    const lotText = text('lot_code', true);
    const lot = lotText ? parseLotCode(lotText) : null;
    if (lotText && !lot) fail('lot_code', { key: 'golive.errors.lot_code', params: { value: lotText } });
    const firm_ruc = text('firm_ruc', true, 20);
    const rp = firm_ruc ? rucProblem(firm_ruc) : null;
    if (rp) fail('firm_ruc', `firms.ruc_${rp}`);
    const firm_name = text('firm_name', true);
    const dateText = text('date', true);
    const date = dateText ? dateOf(dateText, today) : null;
    if (date && 'error' in date) fail('date', date.error);

    let price_cents: Cents | null = null;
    const priceText = text('price', false);
    if (priceText) {
      const a = amountOf(priceText, false);
      if ('error' in a) fail('price', a.error); else price_cents = a.cents;
    }
    const price_reason = text('price_reason', false, 500);

    const pct = (column: string, min: number, max: number, minInclusive: boolean): number | null => {
      const v = text(column, false);
      if (!v) return null;
      const ppm = parsePercent(v.replace(/%$/, ''));
      if (ppm === null || ppm > max || (minInclusive ? ppm < min : ppm <= min)) {
        fail(column, { key: 'golive.errors.percent', params: { value: v, min: formatPercent(min), max: formatPercent(max) } });
        return null;
      }
      return ppm;
    };
    const down_payment_ppm = pct('down_payment_pct', 0, 999_999, false);
    const annual_rate_ppm = pct('annual_rate_pct', 0, MAX_RATE_PPM, true);
    let installment_count: number | null = null;
    const inst = text('installments', false);
    if (inst) {
      if (!/^\d{1,4}$/.test(inst) || Number(inst) < 1 || Number(inst) > MAX_INSTALLMENTS) {
        fail('installments', { key: 'errors.integer_range', params: { min: 1, max: MAX_INSTALLMENTS } });
      } else installment_count = Number(inst);
    }

    const member_number = text('member_number', false, 32);
    let member_joined_on: IsoDate | null = null;
    const joined = text('member_joined_on', false);
    if (joined) {
      const d = dateOf(joined, today);
      if ('error' in d) fail('member_joined_on', d.error); else member_joined_on = d.date;
    }
    const representative_name = text('representative_name', false);
    const dniText = text('representative_dni', false, 12);
    const dp = dniText ? dniProblem(dniText) : null;
    if (dp) fail('representative_dni', `firms.dni_${dp}`);
    const sectorText = text('sector', false, 64)?.toLowerCase() ?? null;
    if (sectorText && !(SECTORS as readonly string[]).includes(sectorText)) {
      fail('sector', { key: 'golive.errors.sector', params: { value: sectorText, codes: SECTORS.join(', ') } });
    }
    let paper_balance_cents: Cents | null = null;
    const bal = text('paper_balance', false);
    if (bal) {
      const a = amountOf(bal, true);
      if ('error' in a) fail('paper_balance', a.error); else paper_balance_cents = a.cents;
    }

    if (problems.length > before || !paper_number || !lot || !firm_ruc || !firm_name || !date || 'error' in date) continue;
    lines.push({
      line, paper_number, lot_code: lot.code, lot_key: `${lot.block}-${lot.number}`, firm_ruc, firm_name, date: date.date,
      price_cents, price_reason, down_payment_ppm, installment_count, annual_rate_ppm, member_number, member_joined_on,
      representative_name, representative_dni: dniText ? compactDni(dniText) : null, sector: sectorText, paper_balance_cents,
    });
  }
  return { lines, problems, fatal, paper_numbers };
}

export function parseReceiptsCsv(bytes: Uint8Array, today: IsoDate): { lines: ReceiptLine[]; problems: LineProblem[]; fatal: boolean } {
  const { rows, problems, fatal } = readRows('receipts', bytes, RECEIPT_COLUMNS, RECEIPT_REQUIRED, MAX_RECEIPT_LINES, true);
  const lines: ReceiptLine[] = [];
  for (const { line, cell } of rows) {
    const before = problems.length;
    const fail = (column: string, message: Message) => problems.push({ file: 'receipts', line, column, message });
    const text = (column: string, required: boolean, max = MAX_PAPER_NUMBER): string | null => {
      const v = cell(column).trim();
      if (!v) { if (required) fail(column, 'errors.required'); return null; }
      if (v.length > max) { fail(column, 'errors.too_long'); return null; }
      return v;
    };
    const paper_contract_number = text('paper_contract_number', true);
    const paper_number = text('paper_number', true);
    const dateText = text('date', true);
    const date = dateText ? dateOf(dateText, today) : null;
    if (date && 'error' in date) fail('date', date.error);
    const amountText = text('amount', true);
    const amount = amountText ? amountOf(amountText, false) : null;
    if (amount && 'error' in amount) fail('amount', amount.error);
    const methodText = text('method', true);
    const method = methodText ? METHODS[methodText.toLowerCase()] : undefined;
    if (methodText && !method) fail('method', { key: 'golive.errors.method', params: { value: methodText } });
    const reference = text('reference', false);
    if (method && method !== 'cash' && !reference) fail('reference', 'payments.error.reference_required');
    if (problems.length > before || !paper_contract_number || !paper_number || !date || 'error' in date
      || !amount || 'error' in amount || !method) continue;
    lines.push({ line, paper_contract_number, paper_number, date: date.date, amount_cents: amount.cents, method, reference });
  }
  return { lines, problems, fatal };
}
