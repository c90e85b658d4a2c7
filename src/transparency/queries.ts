// What the public report reads from the ledger: the fund's (3101) net movement per year and per kind
// of source document, summed by the database (one indexed aggregate, not the whole journal), and the
// first year with any entry. An entry that reverses another counts under the kind of the one it reverses.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { ACCOUNTS } from '../domain/accounts.ts';

export interface FundYearKind { year: string; root_source_type: string; reversal: boolean; effect_cents: number }

export async function fundMovementsByYear(db: Db, to: IsoDate): Promise<FundYearKind[]> {
  const rows = await db('journal_lines as l')
    .join('journal_entries as e', 'e.id', 'l.entry_id')
    .leftJoin('journal_entries as r', 'r.id', 'e.reverses_entry_id')
    .where('l.account_code', ACCOUNTS.fund)
    .andWhere('e.date', '<=', to)
    .groupByRaw('substr(e.date, 1, 4), coalesce(r.source_type, e.source_type), CASE WHEN r.id IS NULL THEN 0 ELSE 1 END')
    .select(db.raw('substr(e.date, 1, 4) AS year'))
    .select(db.raw('coalesce(r.source_type, e.source_type) AS root_source_type'))
    .select(db.raw('CASE WHEN r.id IS NULL THEN 0 ELSE 1 END AS reversal'))
    .select(db.raw('sum(l.credit_cents) - sum(l.debit_cents) AS effect_cents'));
  return (rows as Record<string, unknown>[]).map((r) => ({
    year: String(r.year), root_source_type: String(r.root_source_type), reversal: Number(r.reversal) === 1, effect_cents: Number(r.effect_cents),
  }));
}

/** The year of the first journal entry up to `to`, or null on an empty ledger. */
export async function firstEntryYear(db: Db, to: IsoDate): Promise<string | null> {
  const row = await db('journal_entries').where('date', '<=', to).min({ first: 'date' }).first();
  return row?.first ? String(row.first).slice(0, 4) : null;
}
