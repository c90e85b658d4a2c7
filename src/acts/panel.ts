// The contract page's panel of resolutions: the acts a manager may take now, the schedule versions
// (the one in force and the earlier ones, each printable), and the resolutions recorded so far.
import type { Db } from '../db/knex.ts';
import type { CurrentUser } from '../web/routing.ts';
import type { ContractView } from '../contracts/queries.ts';
import { accountEventRows } from './queries.ts';

export interface ScheduleVersion { version: number; since: string; resolution_number: string | null; in_force: boolean }

export async function scheduleVersions(db: Db, contract: Pick<ContractView, 'id' | 'date' | 'schedule_version'>): Promise<ScheduleVersion[]> {
  const events = (await accountEventRows(db, contract.id)).filter((e) => e.kind === 'reschedule');
  const inForce = Number(contract.schedule_version ?? 1);
  return [
    { version: 1, since: contract.date, resolution_number: null, in_force: inForce === 1 },
    ...events.map((e) => ({ version: Number(e.details.version), since: e.date, resolution_number: e.resolution_number, in_force: Number(e.details.version) === inForce })),
  ];
}

export async function contractActsPanel(db: Db, contract: ContractView, user: CurrentUser | undefined) {
  const manager = user?.role === 'admin' || user?.role === 'manager';
  const active = contract.status === 'active';
  const versions = await scheduleVersions(db, contract);
  return {
    versions, rescheduled: versions.length > 1,
    in_force: versions.find((v) => v.in_force) ?? versions[0],
    may_waive: manager && active,
    may_reschedule: manager && active,
    may_undo: manager && active && Boolean(contract.accelerated_on),
  };
}
