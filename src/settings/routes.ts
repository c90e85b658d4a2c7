// Routes of the settings area (admin only): the terms for new contracts and the moratorium rate.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, ADMIN, type RouteDef } from '../web/routing.ts';
import { parseInput } from '../web/errors.ts';
import { integer, optionalIsoDate, optionalText, percent } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { formatPercent } from '../domain/percent.ts';
import { t } from '../web/i18n.ts';
import { getMoratoriumRates, getSettings, moratoriumHistory, rateInForce, updateSettings } from './service.ts';

const optionalPercent = () => z.string().trim().optional().transform((v) => v || undefined).pipe(percent().optional());

const settingsSchema = z.object({
  down_payment_pct: percent(),
  installment_count: integer(1, 600),
  annual_rate_pct: percent(),
  rescission_threshold_pct: percent(),
  moratorium_monthly_pct: optionalPercent(),
  moratorium_effective_from: optionalIsoDate(),
  moratorium_ordinance: optionalText(128),
}).superRefine((v, ctx) => {
  // The rate and its date go together: one without the other is half an ordinance.
  if (v.moratorium_monthly_pct !== undefined && !v.moratorium_effective_from) {
    ctx.addIssue({ code: 'custom', path: ['moratorium_effective_from'], message: 'errors.required' });
  }
  if (v.moratorium_monthly_pct === undefined && v.moratorium_effective_from) {
    ctx.addIssue({ code: 'custom', path: ['moratorium_monthly_pct'], message: 'errors.required' });
  }
});

async function pageLocals(req: Parameters<RequestHandler>[0]) {
  const db = req.ctx.db;
  const [settings, rates, rateHistory] = await Promise.all([getSettings(db), getMoratoriumRates(db), moratoriumHistory(db)]);
  const current = rateInForce(rates, req.ctx.clock.today());
  return {
    title: t(req.lang, 'settings.title'),
    settings, current, rateHistory,
    values: {
      down_payment_pct: formatPercent(settings.down_payment_ppm),
      installment_count: String(settings.installment_count),
      annual_rate_pct: formatPercent(settings.annual_rate_ppm),
      rescission_threshold_pct: formatPercent(settings.rescission_threshold_ppm),
      moratorium_monthly_pct: current ? formatPercent(current.monthly_rate_ppm) : '',
      moratorium_effective_from: current?.effective_from ?? '',
    },
  };
}

const page: RequestHandler = async (req, res) => {
  res.render('settings/edit', { ...(await pageLocals(req)), saved: req.query.saved === '1' });
};

const save = formAction({
  view: 'settings/edit',
  locals: pageLocals,
  act: async (req) => {
    const input = parseInput(settingsSchema, req.body);
    await updateSettings(req.ctx.db, {
      down_payment_ppm: input.down_payment_pct,
      installment_count: input.installment_count,
      annual_rate_ppm: input.annual_rate_pct,
      rescission_threshold_ppm: input.rescission_threshold_pct,
      moratorium: input.moratorium_monthly_pct !== undefined && input.moratorium_effective_from
        ? { monthly_rate_ppm: input.moratorium_monthly_pct, effective_from: input.moratorium_effective_from, ordinance: input.moratorium_ordinance }
        : null,
    }, actorOf(req));
    return '/settings?saved=1';
  },
});

export const routes: RouteDef[] = [
  get('/settings', ADMIN, page),
  post('/settings', ADMIN, save),
];
