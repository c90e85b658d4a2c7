// SQL for sale contracts: reads only (the contract joined with its lot and firm, its schedule,
// its events, the list) and loadContract, which also applies the buyer's visibility rule.
import type { Db } from '../db/knex.ts';
import type { CurrentUser } from '../web/routing.ts';
import { notFound } from '../web/errors.ts';
import { currentBatch } from '../db/batch-scope.ts';

export const CONTRACT_STATUSES = ['awaiting_down_payment', 'active', 'paid_off', 'rescinded', 'withdrawn'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export interface ContractRow {
  id: number;
  number: string;
  year: number;
  seq: number;
  lot_id: number;
  firm_ruc: string;
  date: string;
  list_price_cents: number;
  price_cents: number;
  price_reason: string | null;
  down_payment_ppm: number;
  down_payment_cents: number;
  financed_cents: number;
  installment_count: number;
  annual_rate_ppm: number;
  rescission_threshold_ppm: number;
  status: ContractStatus;
  activated_on: string | null;
  paid_off_on: string | null;
  accelerated_on: string | null;
  acceleration_resolution: string | null;
  rescinded_on: string | null;
  rescission_resolution: string | null;
  schedule_version: number;
  rescheduled_on: string | null;
  balance_fixed_on: string | null; // the last waiver or reschedule: receipts dated on or before it are fixed
  balance_fixed_by: string | null;
  withdrawn_on: string | null; // withdrawal (desistimiento): the resolution's date and number
  withdrawal_resolution: string | null;
  paper_number?: string | null; // imported from paper (go-live): the paper contract's number
  import_id?: number | null;
  created_by: number | null;
  created_at: string;
}

/** A contract with what its pages print about the lot and the buyer. */
export interface ContractView extends ContractRow {
  lot_code: string;
  lot_block: string;
  lot_area_dm2: number;
  lot_land_use: string;
  lot_owner: 'municipal' | 'ministry';
  lot_status: string;
  lot_price_per_m2_cents: number;
  firm_name: string;
  firm_representative_name: string;
  firm_representative_dni: string;
  firm_address: string | null;
  created_by_name: string | null;
}

const MONEY_COLUMNS = ['list_price_cents', 'price_cents', 'down_payment_cents', 'financed_cents',
  'lot_area_dm2', 'lot_price_per_m2_cents'] as const;

function viewQuery(db: Db) {
  return db('contracts as c')
    .join('lots as l', 'l.id', 'c.lot_id')
    .join('firms as f', 'f.ruc', 'c.firm_ruc')
    .leftJoin('users as u', 'u.id', 'c.created_by')
    .select('c.*', 'l.code as lot_code', 'l.block as lot_block', 'l.area_dm2 as lot_area_dm2',
      'l.land_use as lot_land_use', 'l.owner as lot_owner', 'l.status as lot_status',
      'l.price_per_m2_cents as lot_price_per_m2_cents', 'f.name as firm_name',
      'f.representative_name as firm_representative_name', 'f.representative_dni as firm_representative_dni',
      'f.address as firm_address', 'u.username as created_by_name');
}

/** bigint columns may come back as strings (PostgreSQL): the domain works with numbers. */
function normalise<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const k of MONEY_COLUMNS) if (out[k] !== undefined && out[k] !== null) out[k] = Number(out[k]);
  return out as T;
}

export async function findContractView(db: Db, id: number): Promise<ContractView | undefined> {
  const batch = currentBatch(); // a go-live import: kept until the contract changes (see batch-scope.ts)
  const kept = batch?.views.get(id);
  if (kept) return { ...kept };
  const row = await viewQuery(db).where('c.id', id).first();
  const view = row ? normalise(row) as ContractView : undefined;
  if (batch && view) batch.views.set(id, { ...view });
  return view;
}

/**
 * The contract that `user` may see: staff see every contract; a buyer only its own firm's, and
 * gets the same 404 for another firm's contract as for one that does not exist.
 */
export async function loadContract(db: Db, id: number | string, user: CurrentUser | undefined): Promise<ContractView> {
  const n = typeof id === 'number' ? id : /^\d{1,9}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n) || !user) throw notFound();
  const contract = await findContractView(db, n);
  if (!contract) throw notFound();
  if (user.role === 'buyer' && contract.firm_ruc !== user.firm_ruc) throw notFound();
  return contract;
}

export interface ScheduleRowDb {
  contract_id: number;
  n: number;
  version: number;
  due_date: string;
  principal_cents: number;
  interest_cents: number;
  installment_cents: number;
  balance_cents: number;
}

/** The schedule in force (the contract's schedule_version), or the version asked for; 'all' for every version's rows. */
export async function scheduleOf(db: Db, contractId: number, version?: number | 'all'): Promise<ScheduleRowDb[]> {
  const q = db('schedule_rows').where({ contract_id: contractId }).orderBy('n');
  if (version === undefined) q.where('version', db('contracts').where({ id: contractId }).select('schedule_version'));
  else if (version !== 'all') q.where({ version });
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({
    contract_id: Number(r.contract_id), n: Number(r.n), due_date: String(r.due_date), version: Number(r.version ?? 1),
    principal_cents: Number(r.principal_cents), interest_cents: Number(r.interest_cents),
    installment_cents: Number(r.installment_cents), balance_cents: Number(r.balance_cents),
  }));
}

export const eventsOf = (db: Db, contractId: number) =>
  db('contract_events as e').leftJoin('users as u', 'u.id', 'e.recorded_by')
    .where('e.contract_id', contractId).orderBy('e.id')
    .select('e.*', 'u.username as recorded_by_name');

export interface ContractFilters {
  q?: string; // contract number, firm name or RUC, lot code
  status?: string;
  year?: number;
  firm_ruc?: string;
  title?: 'pending'; // the title is not registered yet (no formalisation step `inscrita`)
}

function filteredContracts(db: Db, f: ContractFilters, user: CurrentUser) {
  const q = db('contracts as c')
    .join('lots as l', 'l.id', 'c.lot_id')
    .join('firms as f', 'f.ruc', 'c.firm_ruc');
  if (user.role === 'buyer') q.where('c.firm_ruc', user.firm_ruc ?? '');
  if (f.status) q.where('c.status', f.status);
  if (f.year) q.where('c.year', f.year);
  if (f.firm_ruc) q.where('c.firm_ruc', f.firm_ruc);
  if (f.title === 'pending') q.whereNotExists((s) => s.select(db.raw('1')).from('formalisation_steps as fs').whereRaw('fs.contract_id = c.id').andWhere('fs.stage', 'inscrita'));
  const text = f.q;
  if (text) {
    const like = `%${text.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
    // A lot code however written ("a03", "A-3"): block and number.
    const code = /^([A-Za-z]{1,3})[\s-]*0*(\d{1,4})$/.exec(text);
    q.where((w) => {
      w.whereRaw("lower(c.number) like ? escape '\\'", [like]).orWhereRaw("lower(f.name) like ? escape '\\'", [like])
        .orWhere('c.firm_ruc', 'like', `${text.replace(/[%_\\]/g, '')}%`).orWhereRaw('lower(l.code) = ?', [text.toLowerCase()]);
      if (code) w.orWhere((c) => c.where('l.block', code[1]!.toUpperCase()).where('l.number', Number(code[2])));
    });
  }
  return q;
}

/** The contract list, newest first; a buyer sees only its firm's. With `page`, only that slice. */
export async function listContracts(db: Db, f: ContractFilters, user: CurrentUser,
  page?: { limit: number; offset: number }): Promise<ContractView[]> {
  const ids = filteredContracts(db, f, user).select('c.id');
  const q = viewQuery(db).whereIn('c.id', ids)
    .orderBy([{ column: 'c.date', order: 'desc' }, { column: 'c.id', order: 'desc' }]);
  if (page) q.limit(page.limit).offset(page.offset);
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => normalise(r) as unknown as ContractView);
}

/** How many contracts match, and their total price (the list's summary line, over every page). */
export async function contractTotals(db: Db, f: ContractFilters, user: CurrentUser): Promise<{ n: number; price_cents: number }> {
  const row = await filteredContracts(db, f, user).count({ n: '*' }).sum({ s: 'c.price_cents' }).first();
  return { n: Number(row?.n ?? 0), price_cents: Number(row?.s ?? 0) };
}

/** Municipal lots that can be sold now, by code, for the sale form's select. */
export const availableMunicipalLots = (db: Db) =>
  db('lots').where({ owner: 'municipal', status: 'available' }).orderBy('code')
    .select('code', 'area_dm2', 'price_per_m2_cents', 'land_use');

/** Every firm with its membership status, by name, for the sale form's select. */
export const firmsForSale = (db: Db) =>
  db('firms as f').leftJoin('memberships as m', 'm.firm_ruc', 'f.ruc').orderBy('f.name')
    .select('f.ruc', 'f.name', 'm.status as membership_status', 'm.member_number');
