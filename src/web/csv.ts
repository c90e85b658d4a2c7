// The one CSV writer of the app: every export goes through here (a test checks that no other
// module imports csv-stringify). UTF-8, a header row, commas, RFC 4180 quoting, "\n" line ends.
//
// Formula injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage
// return before one) as a formula, so a firm named "=HYPERLINK(…)" would become a live link in
// finance's workbook. The rule: a cell that is a plain decimal number (what the app writes for
// money, counts and ids: "-12.50", "1416.67", "7") is data and left as it is; any other cell that
// starts with one of those characters (full-width ones too) is text and gets a leading apostrophe,
// which spreadsheets read as "this is text" (OWASP's advice). Other programs see the apostrophe.
import { stringify } from 'csv-stringify/sync';

const NUMBER_RE = /^[+-]?\d+(?:\.\d+)?$/;
const TRIGGER_RE = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** A cell a spreadsheet would run as a formula: it starts with = + - @ (…) and is not a plain number.
 *  Exports neutralise it (safeCell); imports refuse it (src/golive/csv.ts). */
export function isFormulaCell(value: string): boolean {
  return TRIGGER_RE.test(value) && !NUMBER_RE.test(value);
}

/** A cell as it may safely reach a spreadsheet. */
export function safeCell(value: string): string {
  return isFormulaCell(value) ? `'${value}` : value;
}

export type CsvCell = string | number | null | undefined;

/** A CSV with `columns` as its header and one line per row (null and undefined cells are empty). */
export function toCsv(columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify(rows.map((r) => r.map((c) => safeCell(c === null || c === undefined ? '' : String(c)))), { header: true, columns: [...columns] });
}

/** A CSV whose first row is its header (for builders that return rows with their header). */
export function rowsToCsv(rows: readonly (readonly string[])[]): string {
  const [header, ...body] = rows;
  return toCsv(header ?? [], body);
}
