// The month close page (finance): every month from the first dated record to this one with its status,
// the checks of one month (the next to close, or ?month=YYYY-MM), a close button on each open month that
// is over, and for the admin the reopen form of the latest closed month. The history of closes and reopens.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { ADMIN, FINANCE, formAction, get, post, type RouteDef } from '../web/routing.ts';
import { notFound, parseInput } from '../web/errors.ts';
import { requiredText } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { flash } from '../web/flash.ts';
import { t, translate, type Lang } from '../web/i18n.ts';
import { addMonth, closeOf, closingState, isMonth, isMonthClosed, monthBounds, monthOf, monthRange,
  type ClosingState, type Month } from '../domain/closings.ts';
import { formatMonth, type IsoDate } from '../domain/dates.ts';
import { closingRows, firstDatedMonth } from './queries.ts';
import { closingChecks } from './checks.ts';
import { closeMonth, reopenMonth, REOPEN_REASON_MAX } from './service.ts';

const monthField = () => z.string().trim().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'closings.error.month_format');
const closeForm = z.object({ month: monthField() });
const reopenForm = z.object({ reason: requiredText(REOPEN_REASON_MAX) });
const monthQuery = z.object({ month: monthField().optional() });

interface MonthLine {
  month: Month;
  label: string;
  closed: boolean;
  over: boolean;
  close: { name: string | null; at: string } | null;
  reopened: { name: string | null; at: string; reason: string | null } | null;
  can_close: boolean;
  can_reopen: boolean;
  selected: boolean;
}

function monthLines(state: ClosingState, rows: Awaited<ReturnType<typeof closingRows>>, first: Month, today: IsoDate,
  selected: Month | null, lang: Lang, admin: boolean): MonthLine[] {
  const current = monthOf(today);
  return monthRange(first, current).reverse().map((m) => {
    const closed = isMonthClosed(state, m);
    const close = closed ? closeOf(state, m) : null;
    const lastReopen = [...rows].reverse().find((r) => r.month === m && r.action === 'reopen') ?? null;
    return {
      month: m, label: formatMonth(`${m}-01`, lang), closed, over: m < current,
      close: close ? { name: close.actor_name, at: close.at } : null,
      reopened: !closed && lastReopen ? { name: lastReopen.actor_name, at: lastReopen.at, reason: lastReopen.reason } : null,
      can_close: !closed && m < current,
      can_reopen: admin && closed && state.closed_through === m,
      selected: m === selected,
    };
  });
}

/** Everything the page shows; `selected` is the month whose checks are computed (default: the next to close). */
async function pageLocals(req: Request, asked?: Month | null) {
  const db = req.ctx.db;
  const today = req.ctx.clock.today();
  const current = monthOf(today);
  const rows = await closingRows(db);
  const state = closingState(rows);
  const first = (await firstDatedMonth(db)) ?? current;
  const next = state.closed_through !== null && state.closed_through >= first ? addMonth(state.closed_through, 1) : first;
  const selected = asked && isMonth(asked) ? asked : next < current ? next : null;
  const checks = selected ? await closingChecks(db, selected) : [];
  const lang = req.lang;
  const months = monthLines(state, rows, first > current ? current : first, today, selected, lang, req.user?.role === 'admin');
  const kept = selected ? [...rows].reverse().find((r) => r.month === selected && r.action === 'close' && isMonthClosed(state, selected)) : undefined;
  return {
    title: t(lang, 'closings.title'), nav: 'closings', today, months,
    next: next < current ? { month: next, label: formatMonth(`${next}-01`, lang) } : null,
    closed_through: state.closed_through ? formatMonth(`${state.closed_through}-01`, lang) : null,
    selected: selected ? {
      month: selected, label: formatMonth(`${selected}-01`, lang), ...monthBounds(selected),
      closed: isMonthClosed(state, selected), can_close: !isMonthClosed(state, selected) && selected < current,
      all_ok: checks.every((c) => c.ok),
      kept: kept ? { name: kept.actor_name, at: kept.at } : null,
    } : null,
    checks: checks.map((c) => ({
      key: c.key, ok: c.ok, title: translate(lang, c.title ?? { key: `closings.check.${c.key}.title` }),
      detail: translate(lang, c.detail), items: c.items.map((i) => translate(lang, i)),
    })),
    history: [...rows].reverse(),
    reason_max: REOPEN_REASON_MAX,
  };
}

const show: RequestHandler = async (req, res) => {
  const q = parseInput(monthQuery, req.query);
  res.render('fund/closings', await pageLocals(req, q.month ?? null));
};

const close = formAction({
  view: 'fund/closings',
  locals: (req) => pageLocals(req, typeof req.body?.month === 'string' && isMonth(req.body.month.trim()) ? req.body.month.trim() : null),
  act: async (req) => {
    const { month } = parseInput(closeForm, req.body);
    await closeMonth(req.ctx.db, month, req.ctx.clock.today(), actorOf(req));
    flash(req, { key: 'closings.flash.closed', params: { month } });
    return `/finance/closings?month=${month}`;
  },
});

const monthParam = (req: Request): Month => {
  const m = String(req.params.month);
  if (!isMonth(m)) throw notFound();
  return m;
};

const reopen = formAction({
  view: 'fund/closings',
  locals: async (req) => {
    const month = monthParam(req);
    const page = await pageLocals(req, month);
    // The refusal shows next to the reason in the month's reopen form, or on top when that month has none.
    return { ...page, reopen_month: month, reopen_form_shown: page.months.some((m) => m.can_reopen && m.month === month) };
  },
  act: async (req) => {
    const month = monthParam(req);
    const { reason } = parseInput(reopenForm, req.body);
    await reopenMonth(req.ctx.db, month, reason, actorOf(req));
    flash(req, { key: 'closings.flash.reopened', params: { month } });
    return `/finance/closings?month=${month}`;
  },
});

export const routes: RouteDef[] = [
  get('/finance/closings', FINANCE, show),
  post('/finance/closings', FINANCE, close),
  post('/finance/closings/:month/reopen', ADMIN, reopen),
];
