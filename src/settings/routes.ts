// Routes of the settings area (admin only): the terms for new contracts and the moratorium rate.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, translateErrors, ADMIN, type RouteDef } from '../web/routing.ts';
import { FormError, notFound, parseForm, parseInput, type FieldErrors } from '../web/errors.ts';
import { integer, optionalIsoDate, optionalText, percent, requiredText } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { formatPercent } from '../domain/percent.ts';
import { t } from '../web/i18n.ts';
import { flash } from '../web/flash.ts';
import {
  FOLLOW_UP_RANGES, getFollowUpSettings, getMoratoriumRates, getSettings, moratoriumHistory, rateInForce, settingsProblems, updateSettings, withdrawMoratoriumRate,
} from './service.ts';
import { staffWithoutName } from '../identity/service.ts';
import { COLLECTION_KEYS, COLLECTION_RANGES, HOW_TO_PAY_KEYS, getCollectionSettings, getHowToPay, maxOf, type CollectionSettingsInput } from './collections.ts';

// Collections settings (all optional, like the follow-up ones): letter days, hour, how to pay.
const collectionFields = {
  ...Object.fromEntries(COLLECTION_KEYS.map((k) => [k, integer(COLLECTION_RANGES[k].min, COLLECTION_RANGES[k].max).optional()])),
  ...Object.fromEntries(HOW_TO_PAY_KEYS.map((k) => [k, z.string().trim().max(maxOf(k), 'errors.too_long').optional()])),
} as Record<string, z.ZodType<number | string | undefined>>;

function collectionInput(v: Record<string, unknown>): CollectionSettingsInput {
  const collections: Record<string, number> = {};
  for (const k of COLLECTION_KEYS) if (typeof v[k] === 'number') collections[k] = v[k];
  const how_to_pay: Record<string, string> = {};
  for (const k of HOW_TO_PAY_KEYS) if (typeof v[k] === 'string') how_to_pay[k] = v[k];
  return { collections, how_to_pay };
}

const optionalPercent = () => z.string().trim().optional().transform((v) => v || undefined).pipe(percent().optional());

const settingsSchema = z.object({
  down_payment_pct: percent(),
  installment_count: integer(1, 600),
  annual_rate_pct: percent(),
  rescission_threshold_pct: percent(),
  moratorium_monthly_pct: optionalPercent(),
  moratorium_effective_from: optionalIsoDate(),
  moratorium_ordinance: optionalText(128),
  // Optional: absent, each is left as it is (a script that posts only the fields above keeps working).
  down_payment_deadline_days: integer(FOLLOW_UP_RANGES.down_payment_deadline_days.min, FOLLOW_UP_RANGES.down_payment_deadline_days.max).optional(),
  reschedule_watch_months: integer(FOLLOW_UP_RANGES.reschedule_watch_months.min, FOLLOW_UP_RANGES.reschedule_watch_months.max).optional(),
  ...collectionFields,
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
  const [settings, rates, rateHistory, followUp, collections, howToPay] = await Promise.all([
    getSettings(db), getMoratoriumRates(db), moratoriumHistory(db), getFollowUpSettings(db), getCollectionSettings(db), getHowToPay(db)]);
  const today = req.ctx.clock.today();
  const current = rateInForce(rates, today);
  return {
    title: t(req.lang, 'settings.title'),
    // Papers name people by their full names: who has none yet (issue 14).
    unnamedList: (await staffWithoutName(db)).join(', '),
    settings, current, followUp,
    // A rate not yet in force can be withdrawn (from its row).
    rateHistory: rateHistory.map((r: { effective_from: string; withdrawn_at: string | null }) => ({
      ...r, withdrawable: !r.withdrawn_at && r.effective_from > today,
    })),
    values: {
      down_payment_pct: formatPercent(settings.down_payment_ppm),
      installment_count: String(settings.installment_count),
      annual_rate_pct: formatPercent(settings.annual_rate_ppm),
      rescission_threshold_pct: formatPercent(settings.rescission_threshold_ppm),
      moratorium_monthly_pct: current ? formatPercent(current.monthly_rate_ppm) : '',
      moratorium_effective_from: current?.effective_from ?? '',
      down_payment_deadline_days: String(followUp.down_payment_deadline_days),
      reschedule_watch_months: String(followUp.reschedule_watch_months),
      ...Object.fromEntries(COLLECTION_KEYS.map((k) => [k, String(collections[k])])),
      ...howToPay.values,
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
    // Every message at once: zod's, and the ranges of the fields that did parse.
    const input = await parseForm(settingsSchema, req.body, (v) => settingsProblems({
      down_payment_ppm: v.down_payment_pct, annual_rate_ppm: v.annual_rate_pct, rescission_threshold_ppm: v.rescission_threshold_pct,
      moratorium: v.moratorium_monthly_pct !== undefined ? { monthly_rate_ppm: v.moratorium_monthly_pct, effective_from: '', ordinance: null } : null,
      collections: collectionInput(v),
    }));
    await updateSettings(req.ctx.db, {
      down_payment_ppm: input.down_payment_pct,
      installment_count: input.installment_count,
      annual_rate_ppm: input.annual_rate_pct,
      rescission_threshold_ppm: input.rescission_threshold_pct,
      follow_up: {
        down_payment_deadline_days: input.down_payment_deadline_days,
        reschedule_watch_months: input.reschedule_watch_months,
      },
      collections: collectionInput(input),
      moratorium: input.moratorium_monthly_pct !== undefined && input.moratorium_effective_from
        ? { monthly_rate_ppm: input.moratorium_monthly_pct, effective_from: input.moratorium_effective_from, ordinance: input.moratorium_ordinance }
        : null,
    }, actorOf(req));
    return '/settings?saved=1';
  },
});

const withdrawForm = z.object({
  reason: requiredText(500),
  confirm: z.string().optional().transform((v) => v === '1'),
});

/** Withdraws a rate not yet in force; a refusal shows the settings page with the message on that rate's row. */
const withdraw: RequestHandler = async (req, res) => {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  try {
    const input = await parseForm(withdrawForm, req.body, (v): FieldErrors => (v.confirm ? {} : { confirm: 'settings.withdraw_confirm_needed' }));
    await withdrawMoratoriumRate(req.ctx.db, id, { reason: input.reason, confirmed: input.confirm }, actorOf(req), req.ctx.clock.today());
    flash(req, 'settings.withdrawn');
    res.redirect(303, '/settings');
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    const locals = await pageLocals(req);
    res.status(err.status).render('settings/edit', {
      ...locals, withdrawId: id, withdrawValues: req.body ?? {}, withdrawErrors: translateErrors(req.lang, err.fields),
    });
  }
};

export const routes: RouteDef[] = [
  get('/settings', ADMIN, page),
  post('/settings', ADMIN, save),
  post('/settings/moratorium/:id/withdraw', ADMIN, withdraw),
];
