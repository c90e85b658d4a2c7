// The public reinvestment report (/transparencia): what the park collected on municipal lots by year,
// what left the fund (refunds on rescission, works), the fund's balance and the works it financed.
// Built only from the finance reports of src/fund (the same figures finance sees); it carries totals,
// project and supplier data only: no buyer, firm, RUC, DNI, contract or lot of a buyer.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { cents, toSolesString, type Cents } from '../domain/money.ts';
import { SOURCE } from '../domain/fund-reports.ts';
import { budget } from '../fund/reports.ts';
import { listSpendings } from '../fund/queries.ts';
import { firstEntryYear, fundMovementsByYear, type FundYearKind } from './queries.ts';

export interface TransparencyYear {
  year: string;
  /** Receipts on municipal lots credited to the fund that year, less those reversed that year. */
  collected_cents: Cents;
  /** Returned to buyers on rescission (negative). */
  refunds_cents: Cents;
  /** Paid for works (negative; reversed spendings net). */
  works_cents: Cents;
  /** Anything else that moved the fund (expected 0). */
  other_cents: Cents;
  /** The fund's movement of the year: the sum of the above. */
  net_cents: Cents;
}
export interface TransparencySpending { date: IsoDate; supplier: string; document: string; description: string; amount_cents: Cents }
export interface TransparencyProject {
  code: string; name: string; status: string;
  budget_cents: Cents; spent_cents: Cents; remaining_cents: Cents;
  spendings: TransparencySpending[];
}
export interface TransparencyReport {
  generated_on: IsoDate;
  years: TransparencyYear[];
  collected_cents: Cents;
  refunds_cents: Cents;
  works_cents: Cents;
  /** Other movements of the fund (none today; shown only when not zero). */
  other_cents: Cents;
  balance_cents: Cents;
  projects: TransparencyProject[];
  budget_cents: Cents; spent_cents: Cents; remaining_cents: Cents;
}

export async function transparencyReport(db: Db, today: IsoDate): Promise<TransparencyReport> {
  const [movements, firstYear, budgetReport, spendings] = await Promise.all([
    fundMovementsByYear(db, today), firstEntryYear(db, today), budget(db, `${today.slice(0, 4)}-01-01`, today), listSpendings(db),
  ]);
  const years = fundYears(movements, firstYear ?? today.slice(0, 4), today.slice(0, 4));
  const sum = (f: (y: TransparencyYear) => number) => cents(years.reduce((s, y) => s + f(y), 0));
  const valid = spendings.filter((s) => s.status === 'valid' && s.date <= today);
  return {
    generated_on: today,
    years,
    collected_cents: sum((y) => y.collected_cents),
    refunds_cents: sum((y) => y.refunds_cents),
    works_cents: sum((y) => y.works_cents),
    other_cents: sum((y) => y.other_cents),
    balance_cents: cents(movements.reduce((b, m) => b + m.effect_cents, 0)),
    projects: budgetReport.lines.map((l) => ({
      code: l.code, name: l.name, status: l.status,
      budget_cents: l.budget_cents, spent_cents: l.spent_total_cents, remaining_cents: l.remaining_cents,
      spendings: valid.filter((s) => s.project_id === l.id).map((s) => ({
        date: s.date, supplier: s.supplier_name, document: s.document_number, description: s.description, amount_cents: cents(s.amount_cents),
      })),
    })),
    budget_cents: budgetReport.budget_cents, spent_cents: budgetReport.spent_total_cents, remaining_cents: budgetReport.remaining_cents,
  };
}

/** The fund's movement per year from its sums per kind of source, classified as the fund statement does
 *  (src/domain/fund-reports.ts fundStatement): receipts and their voids are what was collected, rescissions
 *  are refunds, spendings and their reversals are works, anything else is other. Every year from the first
 *  entry to this one is listed, also a year without movement. */
export function fundYears(movements: readonly FundYearKind[], firstYear: string, lastYear: string): TransparencyYear[] {
  const years: TransparencyYear[] = [];
  for (let y = Number(firstYear); y <= Number(lastYear); y += 1) {
    let collected = 0, refunds = 0, works = 0, other = 0;
    for (const m of movements) {
      if (m.year !== String(y)) continue;
      if (m.root_source_type === SOURCE.receipt) collected += m.effect_cents;
      else if (m.root_source_type === SOURCE.rescission) refunds += m.effect_cents;
      else if (m.root_source_type === SOURCE.spending) works += m.effect_cents;
      else other += m.effect_cents;
    }
    years.push({
      year: String(y), collected_cents: cents(collected), refunds_cents: cents(refunds), works_cents: cents(works),
      other_cents: cents(other), net_cents: cents(collected + refunds + works + other),
    });
  }
  return years;
}

export const TRANSPARENCY_CSV_COLUMNS = ['section', 'year', 'project_code', 'project_name', 'date', 'supplier', 'document', 'budget', 'amount'] as const;

/** One line per row, its kind in `section`: per year collected (net of reversals), refunds, works (and other
 *  when not zero); balance;
 *  project (budget and spent to date), spending. Soles with a dot and two decimals; dates YYYY-MM-DD. */
export function transparencyRows(r: TransparencyReport): (string | null)[][] {
  const s = (c: number) => toSolesString(c);
  const rows: (string | null)[][] = [];
  for (const y of r.years) {
    rows.push(['collected', y.year, null, null, null, null, null, null, s(y.collected_cents)]);
    rows.push(['refunds', y.year, null, null, null, null, null, null, s(y.refunds_cents)]);
    rows.push(['works', y.year, null, null, null, null, null, null, s(y.works_cents)]);
    if (y.other_cents !== 0) rows.push(['other', y.year, null, null, null, null, null, null, s(y.other_cents)]);
  }
  rows.push(['balance', null, null, null, r.generated_on, null, null, null, s(r.balance_cents)]);
  for (const p of r.projects) {
    rows.push(['project', null, p.code, p.name, null, null, null, s(p.budget_cents), s(p.spent_cents)]);
    for (const sp of p.spendings) rows.push(['spending', sp.date.slice(0, 4), p.code, p.name, sp.date, sp.supplier, sp.document, null, s(sp.amount_cents)]);
  }
  return rows;
}
