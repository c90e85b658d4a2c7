// The finance charts in the reader's language: words and amounts formatted here, drawn by the
// pure SVG functions in src/domain/svg-charts.ts.
import { barChart, groupedBarChart, lineChart } from '../domain/svg-charts.ts';
import { formatSoles } from '../domain/money.ts';
import { formatDate, formatMonth, type IsoDate } from '../domain/dates.ts';
import type { BudgetLine, CollectionsMonth } from '../domain/fund-reports.ts';
import { t, type Lang } from '../web/i18n.ts';

const axisFormat = new Intl.NumberFormat('es-PE', { style: 'currency', currency: 'PEN', maximumFractionDigits: 0 });
/** Whole soles for the axis ("S/ 12,500"); the bars' tooltips keep the céntimos. */
const axisSoles = (c: number) => axisFormat.format(Math.round(c / 100));

/** "ene" / "Jan", with the year on a second line for the first month and every January: short
 *  enough for twelve bars side by side. */
export const shortMonth = (month: string, lang: Lang, first: boolean) => {
  const name = formatMonth(`${month}-01`, lang).slice(0, 3);
  return first || month.endsWith('-01') ? `${name}\n${month.slice(0, 4)}` : name;
};

export function collectionsChart(months: CollectionsMonth[], lang: Lang): string {
  return barChart({
    id: 'chart-collections', title: t(lang, 'fund.chart.collections'), desc: t(lang, 'fund.chart.collections_desc'),
    format: axisSoles,
    bars: months.map((m, i) => ({
      label: shortMonth(m.month, lang, i === 0), value: m.total_cents,
      tooltip: `${formatMonth(`${m.month}-01`, lang)}: ${formatSoles(m.total_cents)} (${m.count})`,
    })),
  });
}

export function fundBalanceChart(series: { date: IsoDate; balance_cents: number }[], lang: Lang): string {
  return lineChart({
    id: 'chart-balance', title: t(lang, 'fund.chart.balance'), desc: t(lang, 'fund.chart.balance_desc'),
    format: axisSoles,
    points: series.map((p, i) => ({
      label: shortMonth(p.date.slice(0, 7), lang, i === 0), value: p.balance_cents,
      tooltip: `${formatDate(p.date)}: ${formatSoles(p.balance_cents)}`,
    })),
  });
}

export function budgetChart(lines: BudgetLine[], lang: Lang): string {
  const budget = t(lang, 'fund.budget');
  const spent = t(lang, 'fund.spent');
  return groupedBarChart({
    id: 'chart-budget', title: t(lang, 'fund.chart.budget'), desc: t(lang, 'fund.chart.budget_desc'),
    format: axisSoles,
    series: [{ name: budget, color: '#9fb8c8' }, { name: spent, color: '#0b5c7a' }],
    groups: lines.map((l) => ({
      label: l.code, values: [l.budget_cents, l.spent_total_cents],
      tooltips: [`${l.name}: ${budget} ${formatSoles(l.budget_cents)}`, `${l.name}: ${spent} ${formatSoles(l.spent_total_cents)}`],
    })),
  });
}
