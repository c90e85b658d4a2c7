// A bank's statement as its CSV export says it, read through the column mapping saved for the bank
// account: every line's date, description, reference, signed amount (+ into the account, − out) and
// running balance, with every problem of the file listed by line at once (all or nothing), the
// opening and closing balances checked against the lines, and each line's fingerprint, which stays
// the same when the line comes again in an overlapping statement. Pure: text in, values out.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { isIsoDate, MIN_PLAUSIBLE_DATE, type IsoDate } from './dates.ts';
import { MAX_AMOUNT_CENTS, formatSoles, type Cents } from './money.ts';

export const DATE_FORMATS = ['DD/MM/YYYY', 'D/M/YYYY', 'YYYY-MM-DD', 'DD-MM-YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
/** `dot`: 1,234.56 (decimal point, optional comma thousands); `comma`: 1.234,56. */
export const DECIMAL_FORMATS = ['dot', 'comma'] as const;
export type DecimalFormat = (typeof DECIMAL_FORMATS)[number];
export const DELIMITERS = ['auto', ',', ';', 'tab'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** A column: its header as the file prints it (case, accents and spaces ignored) or its 1-based position. */
export type ColumnRef = string | number;

/**
 * Where a bank's export keeps each thing (saved per bank account, JSON). Either `amount` (one signed
 * column: negative = money out) or both `debit` (cargos, money out) and `credit` (abonos, money in).
 * `skip_rows`: lines above the header row (the bank's title, the account's name…); the header row
 * comes right after them.
 */
export interface BankMapping {
  date: ColumnRef;
  description: ColumnRef;
  reference: ColumnRef | null;
  debit: ColumnRef | null;
  credit: ColumnRef | null;
  amount: ColumnRef | null;
  balance: ColumnRef | null;
  date_format: DateFormat;
  decimal: DecimalFormat;
  delimiter: Delimiter;
  skip_rows: number;
}

export const MAPPED_COLUMNS = ['date', 'description', 'reference', 'debit', 'credit', 'amount', 'balance'] as const;
export type MappedColumn = (typeof MAPPED_COLUMNS)[number];

/** A bank account with no mapping saved yet reads files with these headers. */
export const DEFAULT_MAPPING: BankMapping = {
  date: 'Fecha', description: 'Descripción', reference: 'Referencia', debit: 'Cargo', credit: 'Abono', amount: null,
  balance: 'Saldo', date_format: 'DD/MM/YYYY', decimal: 'dot', delimiter: 'auto', skip_rows: 0,
};

export const MAX_STATEMENT_LINES = 20_000;
export const MAX_SKIP_ROWS = 50;
export const MAX_DESCRIPTION = 255;
export const MAX_REFERENCE = 64;

/** A message for the person who fixes the file: an i18n key and its parameters (as src/web/errors.ts). */
export type Msg = string | { key: string; params?: Record<string, string | number> };

/** A problem of the file: its line (the line number a text editor or spreadsheet shows; 0 = the whole file) and column. */
export interface StatementError {
  line: number;
  column: string | null;
  message: Msg;
}

export interface StatementLine {
  /** The line in the file (as the editor numbers them, the header's included). */
  file_line: number;
  /** 1 = the first data line after the header, in the file's order. */
  n: number;
  date: IsoDate;
  description: string;
  reference: string | null;
  amount_cents: Cents;
  balance_cents: Cents | null;
}

// ---- the file's bytes --------------------------------------------------------------------------

/** The bytes 0x80–0x9F of Windows-1252 (the rest is Latin-1); undefined bytes stay as the C1 control. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/**
 * The file's text: UTF-8 (with or without its BOM) when its bytes are valid UTF-8, else Windows-1252,
 * what Excel and the banks' own exports in Peru write ("Descripción" saved as the byte 0xF3). A
 * Windows-1252 file whose accented letters happen to form valid UTF-8 is vanishingly rare in practice.
 */
export function decodeStatementFile(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
    return { text, encoding: 'windows-1252' };
  }
}

// ---- cells ---------------------------------------------------------------------------------

/** Upper case, no accents, spaces folded: how headers are compared. */
export function normaliseHeader(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\s\u00a0]+/g, ' ').trim().toUpperCase();
}

/** References and descriptions as the fingerprint reads them: trimmed, upper case, spaces folded. */
export function normaliseText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim().toUpperCase();
}

const DATE_RES: Record<DateFormat, RegExp> = {
  'DD/MM/YYYY': /^(?<d>\d{2})\/(?<m>\d{2})\/(?<y>\d{4})$/,
  'D/M/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})$/,
  'DD-MM-YYYY': /^(?<d>\d{2})-(?<m>\d{2})-(?<y>\d{4})$/,
};

/** A date written in `format` → YYYY-MM-DD, or null when it is not one (31/02/2026 included). */
export function parseBankDate(text: string, format: DateFormat): IsoDate | null {
  const g = DATE_RES[format].exec(text.trim())?.groups;
  if (!g) return null;
  const iso = `${g.y}-${g.m!.padStart(2, '0')}-${g.d!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

const AMOUNT_RES: Record<DecimalFormat, RegExp> = {
  dot: /^(?<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?<dec>\d{1,2}))?$/,
  comma: /^(?<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?<dec>\d{1,2}))?$/,
};

export type AmountReading = { ok: true; cents: Cents } | { ok: false; error: 'format' | 'too_large' };

/**
 * An amount as the bank prints it, in the mapping's decimal format: `1,234.56` or `1.234,56`, at most
 * two decimals, thousands in groups of three or not at all; an optional `S/`; negative with a leading
 * or trailing minus or in parentheses (`-50.00`, `50.00-`, `(50.00)`). Anything else is refused, not guessed.
 */
export function parseBankAmount(text: string, decimal: DecimalFormat): AmountReading {
  let s = text.replace(/[\s\u00a0\u202f]+/g, '').replace(/\u2212/g, '-');
  let minus = 0;
  if (/^\(.*\)$/.test(s)) { minus += 1; s = s.slice(1, -1); }
  if (s.startsWith('-')) { minus += 1; s = s.slice(1); } else if (s.startsWith('+')) s = s.slice(1);
  s = s.replace(/^s\/\.?/i, '');
  if (s.startsWith('-')) { minus += 1; s = s.slice(1); }
  if (s.endsWith('-')) { minus += 1; s = s.slice(0, -1); }
  if (minus > 1) return { ok: false, error: 'format' };
  const negative = minus === 1;
  const g = AMOUNT_RES[decimal].exec(s)?.groups;
  if (!g) return { ok: false, error: 'format' };
  const whole = g.int!.replace(/[.,]/g, '').replace(/^0+(?=\d)/, '');
  if (whole.length > 11) return { ok: false, error: 'too_large' };
  const value = Number(whole) * 100 + Number((g.dec ?? '').padEnd(2, '0'));
  if (value > MAX_AMOUNT_CENTS) return { ok: false, error: 'too_large' };
  return { ok: true, cents: (negative && value !== 0 ? -value : value) as Cents };
}

/** The delimiter of a header line: the most frequent of `;`, `,` and tab outside quotes (`,` when none). */
export function detectDelimiter(line: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

// ---- the file ------------------------------------------------------------------------------

export interface ReadOptions {
  /** Balances typed by the person (in céntimos), when given. */
  opening_cents?: Cents | null;
  closing_cents?: Cents | null;
  /** The statement's period, when given: every line must fall within it. */
  period_from?: IsoDate | null;
  period_to?: IsoDate | null;
  /** No line can be dated after today. */
  today?: IsoDate;
}

export interface ReadStatement {
  /** In date order (a file listed newest first is read from its end). */
  lines: StatementLine[];
  errors: StatementError[];
  /** Refusals of the typed fields: opening_balance, closing_balance, period_from, period_to. */
  fields: Record<string, Msg>;
  opening_cents: Cents | null;
  closing_cents: Cents | null;
  period_from: IsoDate | null;
  period_to: IsoDate | null;
  /** The file printed running balances (they were checked line by line). */
  has_balances: boolean;
  /** The file listed its lines newest first. */
  newest_first: boolean;
}

const soles = (c: number) => formatSoles(c);

/**
 * Reads a statement file with a mapping. Every bad line is reported (a bad date, a bad amount, debit
 * and credit both filled or neither, a running balance that does not follow from the line before, a
 * line outside the period given, after today or too long), then the balances: with running balances
 * in the file, opening = first balance − its amount and closing = the last balance, and typed balances
 * must agree; without, the opening must be typed and a typed closing must equal opening + the lines.
 */
export function readStatement(text: string, mapping: BankMapping, opts: ReadOptions = {}): ReadStatement {
  const out: ReadStatement = {
    lines: [], errors: [], fields: {}, opening_cents: null, closing_cents: null,
    period_from: null, period_to: null, has_balances: false, newest_first: false,
  };
  const fileError = (message: Msg, line = 0) => { out.errors.push({ line, column: null, message }); return out; };

  // The lines above the header are dropped before parsing (a bank's title lines need not be CSV).
  const body = text.replace(/^\uFEFF/, '');
  const physical = body.split(/\r\n|\n|\r/);
  const skip = Math.min(Math.max(0, Math.trunc(mapping.skip_rows)), physical.length);
  const rest = physical.slice(skip).join('\n');
  const headerLine = physical.slice(skip).find((l) => l.trim() !== '') ?? '';
  if (headerLine === '') return fileError('bank.csv.empty');
  const delimiter = mapping.delimiter === 'auto' ? detectDelimiter(headerLine) : mapping.delimiter === 'tab' ? '\t' : mapping.delimiter;

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(rest, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (err) {
    const line = Number((err as { lines?: number }).lines ?? 0);
    return fileError('bank.csv.malformed', line ? line + skip : 0);
  }
  const rows = records
    .map((r) => ({ cells: r.record, line: r.info.lines + skip }))
    .filter((r) => r.cells.some((c) => c.trim() !== '')); // ";;;;" rows a spreadsheet leaves
  const head = rows.shift();
  if (!head) return fileError('bank.csv.empty');
  if (rows.length === 0) return fileError('bank.csv.no_lines', head.line);
  if (rows.length > MAX_STATEMENT_LINES) return fileError({ key: 'bank.csv.too_many', params: { max: MAX_STATEMENT_LINES } });

  // Each mapped column's index in the header.
  const header = head.cells.map((h) => h.trim());
  const normalised = header.map(normaliseHeader);
  const index: Partial<Record<MappedColumn, number>> = {};
  for (const col of MAPPED_COLUMNS) {
    const ref = mapping[col];
    if (ref === null || ref === '') continue;
    if (typeof ref === 'number') {
      if (ref < 1 || ref > header.length) {
        fileError({ key: 'bank.csv.no_position', params: { field: col, position: ref, count: header.length } }, head.line);
      } else index[col] = ref - 1;
      continue;
    }
    const wanted = normaliseHeader(ref);
    const found = normalised.flatMap((h, i) => (h === wanted ? [i] : []));
    if (found.length === 1) index[col] = found[0]!;
    else if (found.length > 1) fileError({ key: 'bank.csv.header_twice', params: { field: col, header: ref, count: found.length } }, head.line);
    else fileError({ key: 'bank.csv.no_header', params: { field: col, header: ref, headers: header.filter(Boolean).join(' | ') } }, head.line);
  }
  if (out.errors.length > 0) return out;
  const signed = index.amount !== undefined;
  const label = (col: MappedColumn) => header[index[col]!] || `#${index[col]! + 1}`;
  const cell = (cells: string[], col: MappedColumn) => (index[col] === undefined ? '' : (cells[index[col]!] ?? '').trim());

  const parsed: StatementLine[] = [];
  rows.forEach(({ cells, line }, i) => {
    const fail = (col: MappedColumn | null, message: Msg) =>
      out.errors.push({ line, column: col === null ? null : label(col), message });
    const before = out.errors.length;

    const rawDate = cell(cells, 'date');
    const date = parseBankDate(rawDate, mapping.date_format);
    if (rawDate === '') fail('date', 'bank.csv.date_missing');
    else if (date === null) fail('date', { key: 'bank.csv.date', params: { value: rawDate, format: mapping.date_format } });
    else if (date < MIN_PLAUSIBLE_DATE) fail('date', { key: 'bank.csv.date_early', params: { value: rawDate } });
    else if (opts.today && date > opts.today) fail('date', { key: 'bank.csv.date_future', params: { value: rawDate } });
    else if ((opts.period_from && date < opts.period_from) || (opts.period_to && date > opts.period_to)) {
      fail('date', { key: 'bank.csv.outside_period', params: { value: rawDate } });
    }

    const description = cell(cells, 'description').replace(/[\s\u00a0]+/g, ' ');
    if (description.length > MAX_DESCRIPTION) fail('description', { key: 'bank.csv.too_long', params: { max: MAX_DESCRIPTION } });
    const reference = cell(cells, 'reference').replace(/[\s\u00a0]+/g, ' ');
    if (reference.length > MAX_REFERENCE) fail('reference', { key: 'bank.csv.too_long', params: { max: MAX_REFERENCE } });

    const money = (col: MappedColumn): Cents | null | undefined => {
      const raw = cell(cells, col);
      if (raw === '') return null;
      const r = parseBankAmount(raw, mapping.decimal);
      if (r.ok) return r.cents;
      fail(col, { key: r.error === 'too_large' ? 'bank.csv.amount_max' : 'bank.csv.amount', params: { value: raw, example: mapping.decimal === 'dot' ? '1,234.56' : '1.234,56' } });
      return undefined;
    };
    let amount: Cents | null = null;
    if (signed) {
      const a = money('amount');
      if (a === null) fail('amount', 'bank.csv.amount_missing');
      else if (a === 0) fail('amount', 'bank.csv.amount_zero');
      else if (a !== undefined) amount = a;
    } else {
      const debit = money('debit');
      const credit = money('credit');
      // A bank that prints 0.00 in the column not used means it is empty.
      const d = debit === 0 ? null : debit;
      const c = credit === 0 ? null : credit;
      if (c !== undefined && c !== null && c < 0) fail('credit', { key: 'bank.csv.credit_negative', params: { value: cell(cells, 'credit') } });
      else if (d !== undefined && c !== undefined) {
        if (d !== null && c !== null) fail(null, { key: 'bank.csv.both', params: { debit: label('debit'), credit: label('credit') } });
        else if (d === null && c === null) fail(null, { key: 'bank.csv.neither', params: { debit: label('debit'), credit: label('credit') } });
        // A debit is money out, whether the bank prints it with a minus or not.
        else amount = (d !== null ? -Math.abs(d) : c) as Cents;
      }
    }
    const balance = index.balance === undefined ? null : money('balance');

    if (out.errors.length > before || date === null || amount === null || balance === undefined) return;
    parsed.push({ file_line: line, n: i + 1, date, description, reference: reference || null, amount_cents: amount, balance_cents: balance });
  });

  if (out.errors.length > 0) return out;

  // Newest first (the first line's date after the last's): read from the end.
  out.newest_first = parsed.length > 1 && parsed[0]!.date > parsed[parsed.length - 1]!.date;
  const lines = out.newest_first ? [...parsed].reverse() : parsed;

  // Running balances: each printed balance must be the one before (or the opening) plus the lines since.
  let running: number | null = null;
  let total = 0;
  let opening: number | null = null;
  for (const l of lines) {
    total += l.amount_cents;
    if (l.balance_cents === null) { if (running !== null) running += l.amount_cents; continue; }
    if (running === null) opening = l.balance_cents - total;
    else if (running + l.amount_cents !== l.balance_cents) {
      out.errors.push({ line: l.file_line, column: label('balance'), message: { key: 'bank.csv.balance_chain', params: {
        value: soles(l.balance_cents), expected: soles(running + l.amount_cents), previous: soles(running), amount: soles(l.amount_cents) } } });
    }
    running = l.balance_cents;
  }
  out.has_balances = opening !== null;
  out.lines = lines;
  out.period_from = opts.period_from ?? lines.reduce((m, l) => (l.date < m ? l.date : m), lines[0]!.date);
  out.period_to = opts.period_to ?? lines.reduce((m, l) => (l.date > m ? l.date : m), lines[0]!.date);
  if (out.errors.length > 0) return out;

  if (opening !== null) {
    const closing = opening + total;
    if (opts.opening_cents != null && opts.opening_cents !== opening) {
      out.fields.opening_balance = { key: 'bank.csv.opening_differs', params: { typed: soles(opts.opening_cents), file: soles(opening) } };
    }
    if (opts.closing_cents != null && opts.closing_cents !== closing) {
      out.fields.closing_balance = { key: 'bank.csv.closing_differs', params: { typed: soles(opts.closing_cents), file: soles(closing) } };
    }
    out.opening_cents = opening as Cents;
    out.closing_cents = closing as Cents;
  } else if (opts.opening_cents == null) {
    out.fields.opening_balance = 'bank.csv.opening_required';
  } else {
    const closing = opts.opening_cents + total;
    if (opts.closing_cents != null && opts.closing_cents !== closing) {
      out.fields.closing_balance = { key: 'bank.csv.closing_sum', params: {
        typed: soles(opts.closing_cents), opening: soles(opts.opening_cents), total: soles(total), expected: soles(closing) } };
    }
    out.opening_cents = opts.opening_cents;
    out.closing_cents = closing as Cents;
  }
  return out;
}

// ---- fingerprints --------------------------------------------------------------------------

/**
 * Each line's fingerprint: sha256 of the bank account, the date, the amount, the normalised reference
 * and description, and the occurrence number k of lines identical in all of these within the file
 * (1, 2, …). The same line in an overlapping statement has the same fingerprint, so it is kept once;
 * two genuinely identical lines of one day in one file are both kept (k = 1 and k = 2).
 */
export function fingerprints(bankAccountId: number, lines: readonly Pick<StatementLine, 'date' | 'amount_cents' | 'reference' | 'description'>[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    const key = JSON.stringify([l.date, l.amount_cents, normaliseText(l.reference ?? ''), normaliseText(l.description)]);
    const k = (seen.get(key) ?? 0) + 1;
    seen.set(key, k);
    return createHash('sha256').update(JSON.stringify([bankAccountId, ...JSON.parse(key), k])).digest('hex');
  });
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A column reference as a form field shows it: "3" for a position, the header otherwise. */
export function columnText(ref: ColumnRef | null): string {
  return ref === null ? '' : String(ref);
}

/** A form field's text → a column reference: digits are a 1-based position, anything else a header; blank → null. */
export function columnRef(text: string | null | undefined): ColumnRef | null {
  const s = (text ?? '').trim();
  if (s === '') return null;
  return /^\d{1,3}$/.test(s) ? Number(s) : s;
}

/** A mapping read back from the database's JSON, the defaults filling what is missing. */
export function mappingFromJson(json: string | null | undefined): BankMapping {
  if (!json) return { ...DEFAULT_MAPPING };
  const v = JSON.parse(json) as Partial<BankMapping>;
  return { ...DEFAULT_MAPPING, ...v };
}
