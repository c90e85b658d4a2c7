// SQL for firms and the ACIPIAS register: reads only.
import type { Db } from '../db/knex.ts';

export const MEMBERSHIP_STATUSES = ['active', 'suspended', 'withdrawn'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export interface FirmRow {
  ruc: string;
  name: string;
  representative_name: string;
  representative_dni: string;
  sector: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  licence_number: string | null;
  licence_issued_on: string | null;
  licence_expires_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface MembershipRow {
  firm_ruc: string;
  member_number: string;
  joined_on: string;
  status: MembershipStatus;
}

export const findFirm = (db: Db, ruc: string) => db<FirmRow>('firms').where({ ruc }).first();

export const findMembership = (db: Db, ruc: string) =>
  db<MembershipRow>('memberships').where({ firm_ruc: ruc }).first();

export const membershipEvents = (db: Db, ruc: string) =>
  db('membership_events as e').leftJoin('users as u', 'u.id', 'e.recorded_by')
    .where('e.firm_ruc', ruc).orderBy([{ column: 'e.effective_on', order: 'desc' }, { column: 'e.id', order: 'desc' }])
    .select('e.*', 'u.username as recorded_by_name');

export interface FirmFilters {
  q?: string;
  /** a membership status, or 'none' for firms that never joined ACIPIAS */
  membership?: string;
}

function filteredFirms(db: Db, f: FirmFilters) {
  const q = db('firms as f').leftJoin('memberships as m', 'm.firm_ruc', 'f.ruc');
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q.where((w) => w.where('f.ruc', 'like', `${f.q!.replace(/[%_\\]/g, '')}%`).orWhereRaw("lower(f.name) like lower(?) escape '\\'", [like]));
  }
  if (f.membership === 'none') q.whereNull('m.firm_ruc');
  else if (f.membership) q.where('m.status', f.membership);
  return q;
}

/** Firms with their membership, filtered by RUC/name and membership status, by name. */
export function listFirms(db: Db, f: FirmFilters = {}) {
  return filteredFirms(db, f)
    .select('f.*', 'm.member_number', 'm.joined_on', 'm.status as membership_status')
    .orderBy([{ column: 'f.name' }, { column: 'f.ruc' }]);
}

export async function countFirms(db: Db, f: FirmFilters = {}): Promise<number> {
  const row = await filteredFirms(db, f).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** The ACIPIAS register: members with their firm's name, by member number. */
export function listMembers(db: Db, status?: string) {
  const q = db('memberships as m').join('firms as f', 'f.ruc', 'm.firm_ruc')
    .select('m.firm_ruc as ruc', 'f.name', 'm.member_number', 'm.joined_on', 'm.status', 'f.sector')
    .orderBy('m.member_number');
  if (status) q.where('m.status', status);
  return q;
}

/** Licences that expire on or before `until` (expired ones included), soonest first. */
export const licencesExpiringBy = (db: Db, until: string) =>
  db<FirmRow>('firms').whereNotNull('licence_expires_on').andWhere('licence_expires_on', '<=', until)
    .orderBy([{ column: 'licence_expires_on' }, { column: 'name' }]);

/** A firm's contracts, newest first, for its page. */
export const contractsOfFirm = (db: Db, ruc: string) =>
  db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').where('c.firm_ruc', ruc)
    .orderBy([{ column: 'c.date', order: 'desc' }, { column: 'c.id', order: 'desc' }])
    .select('c.id', 'c.number', 'c.date', 'c.price_cents', 'c.status', 'l.code as lot_code');
