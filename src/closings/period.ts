// The line a finance report shows under its period: "Periodo cerrado el dd/mm/yyyy por <name>" when the
// period's last month is closed, else "Incluye meses abiertos: …". Set by the fund's report pages
// (onBadFilter in src/fund/routes.ts) as res.locals.closure; views/partials/fund-period.hbs shows it.
import type { Request } from 'express';
import { t, type Lang } from '../web/i18n.ts';
import { periodClosure, type Month, type PeriodClosure } from '../domain/closings.ts';
import { formatDate, formatMonth, limaDate, type IsoDate } from '../domain/dates.ts';
import { loadClosingState } from './queries.ts';

const dayOf = (iso: string): IsoDate => limaDate(new Date(iso));

/** The line a finance report shows under its period: closed (when, by whom) or the open months it includes. */
export function closureLine(c: PeriodClosure, lang: Lang): { closed: boolean; text: string } {
  if (c.closed) {
    return { closed: true, text: c.close
      ? t(lang, 'closings.period.closed', { date: formatDate(dayOf(c.close.at)), name: c.close.actor_name ?? t(lang, 'audit.system_user') })
      : t(lang, 'closings.period.closed_anon') };
  }
  const name = (m: Month) => formatMonth(`${m}-01`, lang);
  const months = c.open_from === null ? t(lang, 'closings.period.up_to', { month: name(c.open_to) })
    : c.open_from === c.open_to ? name(c.open_to)
      : t(lang, 'closings.period.range', { from: name(c.open_from), to: name(c.open_to) });
  const through = c.closed_through === null ? t(lang, 'closings.period.none_closed')
    : t(lang, 'closings.period.closed_through', { month: name(c.closed_through) });
  return { closed: false, text: `${t(lang, 'closings.period.open', { months })} ${through}` };
}

/** For a finance report: the closure line of ?from=&to= (or ?as_of=), defaults as the reports take them. */
export async function reportClosure(req: Request, kind: 'period' | 'as_of'): Promise<{ closed: boolean; text: string } | null> {
  const q = req.query as Record<string, unknown>;
  const iso = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  const today = req.ctx.clock.today();
  const state = await loadClosingState(req.ctx.db);
  if (kind === 'as_of') {
    return closureLine(periodClosure(state, null, iso(q.as_of) ?? today), req.lang);
  }
  const to = iso(q.to) ?? today;
  const from = iso(q.from) ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) return null;
  return closureLine(periodClosure(state, from, to), req.lang);
}

