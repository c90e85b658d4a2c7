// Other areas add panels to the contract page without editing its route: an area registers a
// loader here (at import time of its routes module) and ships the partial that shows it.
// The payments area, for instance: addContractPageSection('payments', …) and a partial
// views/partials/contract-payments.hbs, which views/contracts/show.hbs includes when it exists.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { CurrentUser } from '../web/routing.ts';
import type { ContractView } from './queries.ts';

export interface ContractPageContext {
  db: Db;
  contract: ContractView;
  today: IsoDate;
  user: CurrentUser | undefined;
}
export type ContractPageSection = (ctx: ContractPageContext) => Promise<unknown>;

const sections = new Map<string, ContractPageSection>();

/** Registers the loader whose result the contract page gets as the local `name`. */
export function addContractPageSection(name: string, load: ContractPageSection): void {
  sections.set(name, load);
}

/** Every registered section's locals, for the contract page. */
export async function contractPageSections(ctx: ContractPageContext): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, load] of sections) out[name] = await load(ctx);
  return out;
}
