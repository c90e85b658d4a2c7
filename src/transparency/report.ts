// The public reinvestment report (/transparencia): what the park collected on municipal lots by year,
// what left the fund (refunds on rescission, works), the fund's balance and the works it financed.
// Built only from the finance reports of src/fund (the same figures finance sees); it carries totals,
// project and supplier data only: no buyer, firm, RUC, DNI, contract or lot of a buyer.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { cents, toSolesString, type Cents } from '../domain/money.ts';
import { fundBalance, fundStatement } from '../domain/fund-reports.ts';
import { budget } from '../fund/reports.ts';
import { listProjects, listSpendings, loadEntries } from '../fund/queries.ts';

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
  const [entries, projects, budgetReport, spendings] = await Promise.all([
    loadEntries(db, { to: today }), listProjects(db), budget(db, `${today.slice(0, 4)}-01-01`, today), listSpendings(db),
  ]);
  const first = entries.reduce((y, e) => (e.date.slice(0, 4) < y ? e.date.slice(0, 4) : y), today.slice(0, 4));
  const years: TransparencyYear[] = [];
  for (let y = Number(first); y <= Number(today.slice(0, 4)); y += 1) {
    const s = fundStatement(entries, projects, `${y}-01-01`, `${y}-12-31`);
    const collected = s.collections_cents + s.voided_cents;
    years.push({
      year: String(y), collected_cents: cents(collected), refunds_cents: s.refunds_cents, works_cents: s.spending_cents,
      other_cents: s.other_cents, net_cents: cents(collected + s.refunds_cents + s.spending_cents + s.other_cents),
    });
  }
  const sum = (f: (y: TransparencyYear) => number) => cents(years.reduce((s, y) => s + f(y), 0));
  const valid = spendings.filter((s) => s.status === 'valid' && s.date <= today);
  return {
    generated_on: today,
    years,
    collected_cents: sum((y) => y.collected_cents),
    refunds_cents: sum((y) => y.refunds_cents),
    works_cents: sum((y) => y.works_cents),
    other_cents: sum((y) => y.other_cents),
    balance_cents: fundBalance(entries, today),
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
