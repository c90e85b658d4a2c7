// How an ended contract was settled, for every page that would otherwise show its debt: a rescinded
// or withdrawn contract owes nothing, so the contract page, the statement, the portal show this instead
// of the balance, the overdue amount and the next due date (views/partials/contract-settlement.hbs).
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { withdrawalOf } from './withdrawal.ts';

/** Statuses in which a contract owes nothing more and shows its settlement instead of its debt. */
export const SETTLED_STATUSES = ['rescinded', 'withdrawn'] as const;

export const isSettled = (status: string): boolean => (SETTLED_STATUSES as readonly string[]).includes(status);

export interface RescissionSettlement {
  kind: 'rescission';
  is_rescission: true;
  resolution_number: string;
  resolution_date: IsoDate;
  received_cents: number;
  compensation_cents: number;
  penalty_cents: number;
  returned_cents: number;
  written_off_cents: number | null;
  lot_code: string;
}

export interface WithdrawalSettlement {
  kind: 'withdrawal';
  is_withdrawal: true;
  resolution_number: string;
  resolution_date: IsoDate;
  reason: string;
  received_cents: 0;
  lot_code: string;
}

export type Settlement = RescissionSettlement | WithdrawalSettlement;

/** The settlement of a rescinded or withdrawn contract; null for any other. */
export async function settlementOf(db: Db, contract: { id: number; status: string; lot_code: string }): Promise<Settlement | null> {
  if (contract.status === 'rescinded') {
    const r = await db('rescissions').where({ contract_id: contract.id }).first();
    if (!r) return null;
    const event = await db('contract_events').where({ contract_id: contract.id, kind: 'rescinded' }).orderBy('id', 'desc').first('details');
    const details = event?.details ? JSON.parse(String(event.details)) as { written_off_cents?: number } : {};
    return {
      kind: 'rescission', is_rescission: true, resolution_number: String(r.resolution_number), resolution_date: String(r.resolution_date),
      received_cents: Number(r.received_cents), compensation_cents: Number(r.compensation_cents), penalty_cents: Number(r.penalty_cents),
      returned_cents: Number(r.returned_cents),
      written_off_cents: typeof details.written_off_cents === 'number' ? details.written_off_cents : null,
      lot_code: contract.lot_code,
    };
  }
  if (contract.status === 'withdrawn') {
    const w = await withdrawalOf(db, contract.id);
    if (!w) return null;
    return {
      kind: 'withdrawal', is_withdrawal: true, resolution_number: w.resolution_number, resolution_date: w.resolution_date,
      reason: w.reason, received_cents: 0, lot_code: contract.lot_code,
    };
  }
  return null;
}
