// What the lots routes call: the catalogue with its area balance, a lot's page, and the writes
// (create, edit, transfer, import). Each write is one transaction that checks the park's rules
// before anything is written and appends to the audit log.
import type { Db } from '../db/knex.ts';
import { audit, diff, history, type Actor } from '../audit/audit.ts';
import { FormError, notFound, Refusals, type FieldErrors } from '../web/errors.ts';
import { formatM2 } from '../domain/area.ts';
import { formatMetres } from '../domain/length.ts';
import { listPrice } from '../domain/schedule.ts';
import { areaBalance, parkExcessDm2 } from '../domain/area-balance.ts';
import { lotKey, type LandUse, type Owner } from '../domain/lot-code.ts';
import type { IsoDate } from '../domain/dates.ts';
import {
  blocks, commonAreas, contractsOf, findLotByCode, findLotByBlockNumber, listLots, lotAreas, lotCountsByStatus, lotKeys,
  totalCommonDm2, totalLotsDm2, transfersOf, type LotFilters, type LotRow, type LotSort, type SortDir,
} from './queries.ts';
import { PAGE_SIZE } from '../web/paging.ts';
import { lotsCsv, parseLotsCsv, type LineError } from './csv.ts';
import { assertMonthOpen } from '../closings/guard.ts';

/** What the land registry says of a lot (each optional): partida electrónica, boundaries by side, perimeter. */
export interface LotRegistry {
  registry_partida: string | null;
  boundary_north: string | null;
  boundary_south: string | null;
  boundary_east: string | null;
  boundary_west: string | null;
  perimeter_cm: number | null;
}

export interface LotInput extends Partial<LotRegistry> {
  area_dm2: number;
  land_use: LandUse;
  owner: Owner;
  price_per_m2_cents: number;
}

const REGISTRY_FIELDS = ['registry_partida', 'boundary_north', 'boundary_south', 'boundary_east', 'boundary_west', 'perimeter_cm'] as const;

export interface NewLotInput extends LotInput {
  code: string;
  block: string;
  number: number;
}

export interface TransferInput {
  resolution_number: string;
  resolution_date: IsoDate;
}

/** The columns a new lot is written with, which its first audit row also records. */
const newLotFields = (l: NewLotInput) => ({
  code: l.code, block: l.block, number: l.number, area_dm2: l.area_dm2, land_use: l.land_use, owner: l.owner,
  price_per_m2_cents: l.price_per_m2_cents,
  // The registry fields the form gave (an import has none).
  ...Object.fromEntries(REGISTRY_FIELDS.filter((k) => l[k] !== undefined && l[k] !== null).map((k) => [k, l[k]])),
});

const withPrice = (lot: LotRow) => ({ ...lot, list_price_cents: listPrice(lot.area_dm2, lot.price_per_m2_cents) });
/** The lot's page also shows its perimeter as a person reads it ("182.50 m"). */
const withRegistry = (lot: LotRow) => ({
  ...withPrice(lot), perimeter: lot.perimeter_cm === null || lot.perimeter_cm === undefined ? null : formatMetres(Number(lot.perimeter_cm)),
});

/** One page of the catalogue (`page` from 1), with the counts of every lot that matches and the area balance. */
export async function catalogue(db: Db, filters: LotFilters, sort: LotSort, dir: SortDir, page = 1, size = PAGE_SIZE) {
  const [counts, areas, common, blockList] = await Promise.all([
    lotCountsByStatus(db, filters), lotAreas(db), commonAreas(db), blocks(db),
  ]);
  const by_status: Record<string, number> = {};
  let shown_area_dm2 = 0;
  let matching = 0;
  for (const c of counts) {
    by_status[c.status] = c.n;
    shown_area_dm2 += c.area_dm2;
    matching += c.n;
  }
  const pages = Math.max(1, Math.ceil(matching / size));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await listLots(db, filters, sort, dir, { limit: size, offset: (current - 1) * size });
  return { lots: rows.map(withPrice), matching, page: current, by_status, shown_area_dm2, balance: areaBalance(areas, common), blocks: blockList };
}

/** The catalogue as CSV, with the same filters and order as the page. */
export async function lotsCsvExport(db: Db, filters: LotFilters, sort: LotSort, dir: SortDir): Promise<string> {
  return lotsCsv(await listLots(db, filters, sort, dir));
}

export async function getLot(db: Db, code: string): Promise<LotRow> {
  const lot = await findLotByCode(db, code.toUpperCase());
  if (!lot) throw notFound();
  return lot;
}

export async function lotPage(db: Db, code: string) {
  const lot = await getLot(db, code);
  const [transfers, contracts, changes] = await Promise.all([
    transfersOf(db, lot.id), contractsOf(db, lot.id), history(db, 'lot', lot.code),
  ]);
  return { lot: withRegistry(lot), transfers, contracts, history: changes };
}

/**
 * The rules on a lot form's values that look at the database, all at once: a code already used (a
 * new lot), an area or owner changed on a lot committed to a buyer, lots + common areas beyond the
 * park's 80 ha (saying by how much). Fields missing are skipped, so the form adds zod's messages.
 */
export async function lotProblems(db: Db, input: Partial<NewLotInput>, existing?: LotRow): Promise<Refusals> {
  const errors = new Refusals();
  if (!existing && input.block !== undefined && input.number !== undefined) {
    const same = await findLotByBlockNumber(db, input.block, input.number);
    if (same) errors.add('code', { key: 'lots.errors.code_taken', params: { code: same.code } }, 409);
  }
  if (existing && existing.status !== 'available') {
    if (input.area_dm2 !== undefined && input.area_dm2 !== existing.area_dm2) errors.add('area_m2', 'lots.errors.area_locked', 409);
    if (input.owner !== undefined && input.owner !== existing.owner) errors.add('owner', 'lots.errors.owner_locked', 409);
  }
  const delta = input.area_dm2 === undefined ? 0 : input.area_dm2 - (existing?.area_dm2 ?? 0);
  if (delta > 0 && !errors.fields.area_m2) {
    const excess = parkExcessDm2((await totalLotsDm2(db)) + delta, await totalCommonDm2(db));
    if (excess > 0) errors.add('area_m2', { key: 'lots.errors.park_exceeded', params: { excess: formatM2(excess) } }, 409);
  }
  return errors;
}

export async function createLot(db: Db, input: NewLotInput, actor: Actor): Promise<string> {
  return db.transaction(async (trx) => {
    (await lotProblems(trx, input)).throwIfAny();
    const now = new Date().toISOString();
    const fields = newLotFields(input);
    await trx('lots').insert({ ...fields, status: 'available', created_at: now, updated_at: now });
    await audit(trx, actor, 'lot.create', 'lot', input.code, diff({}, fields));
    return input.code;
  });
}

/**
 * Edits a lot. Its code (how contracts, the map and the audit log name it) and its status (which
 * follows its contract) are not edited here. The area and the owner of a lot committed to a buyer
 * are fixed: its contract's price and the fund's rules depend on them.
 */
export async function updateLot(db: Db, code: string, input: LotInput, actor: Actor): Promise<string> {
  return db.transaction(async (trx) => {
    const lot = await getLot(trx, code);
    (await lotProblems(trx, input, lot)).throwIfAny();
    const changes = diff(lot as unknown as Record<string, unknown>, { ...input });
    if (Object.keys(changes).length === 0) return lot.code;
    await trx('lots').where({ id: lot.id }).update({ ...input, updated_at: new Date().toISOString() });
    await audit(trx, actor, 'lot.update', 'lot', lot.code, changes);
    return lot.code;
  });
}

/** A ministry lot passes to the municipality by a resolution; from then on it can be sold. */
export async function transferLot(db: Db, code: string, input: TransferInput, actor: Actor, today: IsoDate): Promise<string> {
  if (input.resolution_date > today) throw new FormError(400, { resolution_date: 'errors.future_date' });
  return db.transaction(async (trx) => {
    const lot = await getLot(trx, code);
    if (lot.owner !== 'ministry') throw new FormError(409, { _form: 'lots.errors.already_municipal' });
    await assertMonthOpen(trx, input.resolution_date, 'resolution_date'); // the month close
    await trx('lot_transfers').insert({
      lot_id: lot.id, resolution_number: input.resolution_number, resolution_date: input.resolution_date,
      recorded_by: actor.id, recorded_at: new Date().toISOString(),
    });
    await trx('lots').where({ id: lot.id }).update({ owner: 'municipal', updated_at: new Date().toISOString() });
    await audit(trx, actor, 'lot.transfer', 'lot', lot.code, {
      owner: [lot.owner, 'municipal'], resolution_number: input.resolution_number, resolution_date: input.resolution_date,
    });
    return lot.code;
  });
}

/** Refused import: every bad line of the file, nothing written. */
export class ImportRefused extends Error {
  constructor(public readonly errors: LineError[]) {
    super(`import refused: ${errors.length} problems`);
  }
}

/**
 * Imports a CSV of new lots, all or nothing: every line is checked (format, duplicates within
 * the file and against the park, the park's 80 ha) and if any is wrong nothing is written and
 * the whole list of problems comes back.
 */
export async function importLots(db: Db, text: string, actor: Actor): Promise<number> {
  const { lots, errors } = parseLotsCsv(text);
  return db.transaction(async (trx) => {
    const existing = await lotKeys(trx);
    const inFile = new Map<string, number>();
    let total = await totalLotsDm2(trx);
    const common = await totalCommonDm2(trx);
    let firstOver: number | null = null;
    for (const lot of lots) {
      const key = lotKey(lot.block, lot.number);
      const taken = existing.get(key);
      const earlier = inFile.get(key);
      if (taken) errors.push({ line: lot.line, message: { key: 'lots.import.errors.code_taken', params: { code: taken } } });
      else if (earlier) errors.push({ line: lot.line, message: { key: 'lots.import.errors.code_repeated', params: { code: lot.code, line: earlier } } });
      else inFile.set(key, lot.line);
      total += lot.area_dm2;
      if (firstOver === null && parkExcessDm2(total, common) > 0) firstOver = lot.line;
    }
    if (firstOver !== null) {
      errors.push({ line: firstOver, message: { key: 'lots.import.errors.park_exceeded', params: { excess: formatM2(parkExcessDm2(total, common)) } } });
    }
    if (errors.length > 0) throw new ImportRefused(errors.sort((a, b) => a.line - b.line));

    const now = new Date().toISOString();
    const fields = lots.map(newLotFields);
    await trx.batchInsert('lots', fields.map((f) => ({ ...f, status: 'available', created_at: now, updated_at: now })), 200);
    for (const f of fields) await audit(trx, actor, 'lot.import', 'lot', f.code, diff({}, f));
    return fields.length;
  });
}

/**
 * The code of the lot a person meant, however it was typed ("a03", "A-3", " a 03 " → "A-03"): the
 * block letters and the number identify it. Text that names no lot comes back trimmed and in capitals.
 */
export async function resolveLotCode(db: Db, text: string): Promise<string> {
  const typed = text.trim().toUpperCase();
  const m = /^([A-Z]{1,3})[\s-]*(\d{1,3})$/.exec(typed);
  if (!m) return typed;
  const lot = await findLotByBlockNumber(db, m[1]!, Number(m[2]));
  return lot ? lot.code : typed;
}
