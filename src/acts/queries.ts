// SQL of the resolutions that change a contract's account (account_events): read by the replay's input
// and by the contract's pages; written only by src/acts/service.ts and the acceleration in src/delinquency.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { AccountEvent, LateFeeOption, ScheduleLine } from '../domain/statement.ts';

export type ActKind = 'acceleration' | 'acceleration_undo' | 'waiver' | 'reschedule';

export interface AccountEventRow {
  id: number; contract_id: number; kind: ActKind; date: IsoDate; resolution_number: string;
  details: Record<string, unknown>; recorded_by: number | null; recorded_at: string;
}

export async function accountEventRows(db: Db, contractId: number): Promise<AccountEventRow[]> {
  const rows = await db('account_events').where({ contract_id: contractId }).orderBy('id');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id), contract_id: Number(r.contract_id), kind: r.kind as ActKind, date: String(r.date) as IsoDate,
    resolution_number: String(r.resolution_number), details: JSON.parse(String(r.details || '{}')),
    recorded_by: r.recorded_by === null ? null : Number(r.recorded_by), recorded_at: String(r.recorded_at),
  }));
}

/** The events as the replay takes them; a reschedule's lines are its version's schedule rows. */
export function toAccountEvents(rows: readonly AccountEventRow[], scheduleByVersion: Map<number, ScheduleLine[]>): AccountEvent[] {
  return rows.map((r): AccountEvent => {
    switch (r.kind) {
      case 'waiver':
        return { kind: 'waiver', date: r.date, parts: (r.details.parts as { n: number; amount_cents: number | null }[]) ?? [] };
      case 'reschedule': {
        const version = Number(r.details.version);
        return { kind: 'reschedule', date: r.date, version, late_fees: r.details.late_fees as LateFeeOption, lines: scheduleByVersion.get(version) ?? [] };
      }
      default:
        return { kind: r.kind, date: r.date };
    }
  });
}

export async function insertAccountEvent(trx: Db, row: Omit<AccountEventRow, 'id'>): Promise<number> {
  const [r] = await trx('account_events').insert({ ...row, details: JSON.stringify(row.details) }).returning('id');
  return Number(typeof r === 'object' ? r.id : r);
}

/** The date of the contract's latest resolution that fixed its balance (waiver, reschedule): receipts dated
 *  before it can no longer be added or voided without changing what the resolution decided. */
export async function lastBalanceActOn(db: Db, contractId: number): Promise<{ date: IsoDate; kind: ActKind; resolution_number: string } | null> {
  const r = await db('account_events').where({ contract_id: contractId }).whereIn('kind', ['waiver', 'reschedule'])
    .orderBy('date', 'desc').orderBy('id', 'desc').first('date', 'kind', 'resolution_number');
  return r ? { date: String(r.date) as IsoDate, kind: r.kind as ActKind, resolution_number: String(r.resolution_number) } : null;
}

export interface ResolutionLine { kind: ActKind; date: IsoDate; resolution_number: string; amount_cents: number | null }

/** The resolutions recorded on a contract up to `as_of`, oldest first, with the amount each took off or moved. */
export async function resolutionsOn(db: Db, contractId: number, as_of: IsoDate): Promise<ResolutionLine[]> {
  return (await accountEventRows(db, contractId)).filter((e) => e.date <= as_of)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))
    .map((e) => ({
      kind: e.kind, date: e.date, resolution_number: e.resolution_number,
      amount_cents: e.kind === 'waiver' ? Number(e.details.total_cents ?? 0)
        : e.kind === 'reschedule' ? Number(e.details.principal_cents ?? 0) : null,
    }));
}
