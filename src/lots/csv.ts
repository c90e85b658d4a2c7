// The lots CSV (export and import share its columns, a public contract in INTERFACES.md):
// code,block,area_m2,owner,land_use,status,price_per_m2. Areas and prices with a dot and two
// decimals; owner, land use and status as their ascii codes.
import { toCsv } from '../web/csv.ts';
import { parse } from 'csv-parse/sync';
import { MAX_AREA_DM2, parseAreaM2, toM2String } from '../domain/area.ts';
import { parseSoles, toSolesString } from '../domain/money.ts';
import { MAX_PRICE_PER_M2_CENTS } from '../domain/schedule.ts';
import { isLandUse, isOwner, parseLotCode, type LandUse, type Owner } from '../domain/lot-code.ts';
import type { Message } from '../web/errors.ts';
import type { LotRow } from './queries.ts';

export const CSV_COLUMNS = ['code', 'block', 'area_m2', 'owner', 'land_use', 'status', 'price_per_m2'] as const;
/** On import the status column may be left out: new lots are always available. */
const REQUIRED_ON_IMPORT = CSV_COLUMNS.filter((c) => c !== 'status');
export const MAX_IMPORT_ROWS = 5000;

export function lotsCsv(lots: readonly LotRow[]): string {
  return toCsv(CSV_COLUMNS,
    lots.map((l) => [l.code, l.block, toM2String(l.area_dm2), l.owner, l.land_use, l.status, toSolesString(l.price_per_m2_cents)]));
}

/** A lot read from a file, checked on its own (the park-wide checks come in the service). */
export interface ImportedLot {
  line: number;
  code: string;
  block: string;
  number: number;
  area_dm2: number;
  owner: Owner;
  land_use: LandUse;
  price_per_m2_cents: number;
}

export interface LineError {
  line: number; // 0 when it concerns the whole file
  message: Message;
}

/**
 * Reads an uploaded file into lots, collecting every problem with its line number instead of
 * stopping at the first: the person fixing the file sees them all at once.
 */
export function parseLotsCsv(text: string): { lots: ImportedLot[]; errors: LineError[] } {
  const lots: ImportedLot[] = [];
  const errors: LineError[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (err) {
    const line = Number((err as { lines?: number }).lines ?? 0);
    return { lots, errors: [{ line, message: 'lots.import.errors.malformed' }] };
  }
  const [head, ...rows] = records;
  if (!head) return { lots, errors: [{ line: 0, message: 'lots.import.errors.empty' }] };
  const header = head.record.map((h) => h.toLowerCase());
  // Spreadsheets set to Spanish save "CSV" with semicolons; say so rather than list every column.
  if (header.length === 1 && header[0]!.includes(';')) {
    return { lots, errors: [{ line: head.info.lines, message: { key: 'lots.import.errors.semicolons', params: { expected: CSV_COLUMNS.join(',') } } }] };
  }
  const missing = REQUIRED_ON_IMPORT.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return { lots, errors: [{ line: head.info.lines, message: { key: 'lots.import.errors.columns', params: { missing: missing.join(', '), expected: CSV_COLUMNS.join(',') } } }] };
  }
  if (rows.length === 0) return { lots, errors: [{ line: 0, message: 'lots.import.errors.empty' }] };
  if (rows.length > MAX_IMPORT_ROWS) {
    return { lots, errors: [{ line: 0, message: { key: 'lots.import.errors.too_many', params: { max: MAX_IMPORT_ROWS } } }] };
  }
  const at = (record: string[], col: string) => record[header.indexOf(col)] ?? '';

  for (const { record, info } of rows) {
    const line = info.lines;
    const fail = (message: Message) => errors.push({ line, message });
    if (record.length !== header.length) {
      fail({ key: 'lots.import.errors.column_count', params: { expected: header.length, got: record.length } });
      continue;
    }
    const before = errors.length;
    const parsed = parseLotCode(at(record, 'code'));
    if (!parsed) fail({ key: 'lots.import.errors.code', params: { value: at(record, 'code') } });
    const block = at(record, 'block').toUpperCase();
    if (parsed && block && block !== parsed.block) fail({ key: 'lots.import.errors.block', params: { block, code: parsed.code } });
    const area = parseAreaM2(at(record, 'area_m2'));
    if (area === null || area <= 0 || area > MAX_AREA_DM2) fail({ key: 'lots.import.errors.area', params: { value: at(record, 'area_m2') } });
    const owner = at(record, 'owner').toLowerCase();
    if (!isOwner(owner)) fail({ key: 'lots.import.errors.owner', params: { value: at(record, 'owner') } });
    const landUse = at(record, 'land_use').toLowerCase();
    if (!isLandUse(landUse)) fail({ key: 'lots.import.errors.land_use', params: { value: at(record, 'land_use') } });
    const price = parseSoles(at(record, 'price_per_m2'));
    if (price === null || price <= 0 || price > MAX_PRICE_PER_M2_CENTS) fail({ key: 'lots.import.errors.price', params: { value: at(record, 'price_per_m2') } });
    if (errors.length > before || !parsed || area === null || price === null || !isOwner(owner) || !isLandUse(landUse)) continue;
    lots.push({ line, code: parsed.code, block: parsed.block, number: parsed.number, area_dm2: area, owner, land_use: landUse, price_per_m2_cents: price });
  }
  return { lots, errors };
}
