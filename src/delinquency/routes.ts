// Routes of delinquency, acceleration and rescission: one table, read top to bottom.
//   GET  /delinquency[.csv]?as_of=&bucket=      contracts by age of the oldest unpaid installment  STAFF
//   GET  /contracts/:id/acceleration/new        form + where the contract stands              MANAGERS
//   POST /contracts/:id/acceleration            resolution_number, date → 303 statement      MANAGERS
//   GET  /contracts/:id/rescission/new          what was received, paid share vs threshold    MANAGERS
//        …?resolution_number=&resolution_date=&compensation=&penalty=&preview=1
//                                               the summary to confirm (refund, fund, lot, write-off)
//   POST /contracts/:id/rescission              resolution_number, resolution_date, compensation, penalty
//                                               (409 + the new summary when its previewed_* differ)
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { rowsToCsv } from '../web/csv.ts';
import { formAction, get, post, sendCsv, translateErrors, MANAGERS, STAFF, type RouteDef } from '../web/routing.ts';
import { FormError, parseInput } from '../web/errors.ts';
import { changedSincePreview, confirmable, isConfirmation, StalePreview } from '../web/previewed.ts';
import { eventDate, isoDate, optionalIsoDate, requiredText, soles } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { t } from '../web/i18n.ts';
import { BUCKETS, type Bucket } from '../domain/delinquency.ts';
import { loadContract } from '../contracts/queries.ts';
import { delinquencyCsv, delinquencyReport } from './report.ts';
import { accelerateContract, rescindContract, rescissionCheck, type RescissionInput } from './service.ts';
import { rescissionSummary } from './rescission-summary.ts';
import { firstOf } from '../web/paging.ts';
import { lastLetterOf } from '../collections/service.ts';

const reportSchema = z.object({
  as_of: optionalIsoDate(),
  bucket: z.string().optional().transform((v) => (v && (BUCKETS as readonly string[]).includes(v) ? v as Bucket : null)),
});

const accelerationSchema = z.object({ resolution_number: requiredText(64), date: eventDate() });
const rescissionSchema = z.object({
  resolution_number: requiredText(64), resolution_date: eventDate(), compensation: soles(), penalty: soles(),
});

async function report(req: Request) {
  const q = parseInput(reportSchema, req.query);
  return delinquencyReport(req.ctx.db, q.as_of ?? req.ctx.clock.today(), q.bucket);
}

/**
 * The page shows the late contracts by default (every bucket but "current"); ?bucket=all shows every
 * live contract, ?bucket=<bucket> one bucket. The CSV keeps its contract: every live contract unless
 * ?bucket= names one.
 */
const pageSchema = z.object({
  as_of: optionalIsoDate(),
  bucket: z.preprocess(firstOf, z.string().optional()).catch(undefined)
    .transform((v) => (v === 'all' || (v && (BUCKETS as readonly string[]).includes(v)) ? v : 'late') as Bucket | 'all' | 'late'),
});

const showReport: RequestHandler = async (req, res) => {
  const q = parseInput(pageSchema, req.query);
  const show = q.bucket;
  const r = await delinquencyReport(req.ctx.db, q.as_of ?? req.ctx.clock.today(), show === 'all' || show === 'late' ? null : show);
  // "Late" also keeps the rescheduled contracts under watch, current or not.
  const lines = show === 'late' ? r.lines.filter((l) => l.bucket !== 'current' || l.watch) : r.lines;
  const sum = (f: (l: (typeof lines)[number]) => number) => lines.reduce((s, l) => s + f(l), 0);
  const total = { count: lines.length, overdue_cents: sum((l) => l.overdue_cents), late_fee_cents: sum((l) => l.late_fee_cents), outstanding_cents: sum((l) => l.outstanding_cents) };
  res.render('delinquency/index', {
    title: t(req.lang, 'delinquency.title'), ...r, lines, total, show, bucket: BUCKETS.includes(show as Bucket) ? show : null,
    buckets: BUCKETS, csvBucket: BUCKETS.includes(show as Bucket) ? show : null,
    mayPay: req.user!.role === 'admin' || req.user!.role === 'manager',
  });
};

const reportCsv: RequestHandler = async (req, res) => {
  const r = await report(req);
  sendCsv(res, `morosidad-${r.as_of}.csv`, rowsToCsv(delinquencyCsv(r.lines)));
};

async function actionLocals(req: Request) {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const today = req.ctx.clock.today();
  const check = await rescissionCheck(req.ctx.db, contract, today);
  return { contract, today, check, live: contract.status === 'active', values: { date: today, resolution_date: today }, lastLetter: await lastLetterOf(req.ctx.db, contract.id) };
}

const showAcceleration: RequestHandler = async (req, res) => {
  res.render('delinquency/acceleration', { title: t(req.lang, 'acceleration.title'), ...await actionLocals(req) });
};

const accelerate = formAction({
  view: 'delinquency/acceleration',
  locals: actionLocals,
  act: async (req) => {
    const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
    const input = parseInput(accelerationSchema, req.body);
    await accelerateContract(req.ctx.db, contract.id, input, req.ctx.clock.today(), actorOf(req));
    return `/contracts/${contract.id}/statement`;
  },
});

const rescissionInput = (v: z.infer<typeof rescissionSchema>): RescissionInput => ({
  resolution_number: v.resolution_number, resolution_date: v.resolution_date,
  compensation_cents: v.compensation, penalty_cents: v.penalty,
});

/**
 * The rescission form; with entered values and preview=1 (a GET from its own form) the summary to
 * confirm, or the refusal the POST would get, next to its field.
 */
const showRescission: RequestHandler = async (req, res) => {
  const locals = { title: t(req.lang, 'rescission.title'), ...await actionLocals(req) };
  const q = req.query as Record<string, unknown>;
  if (!q.preview) return res.render('delinquency/rescission', locals);
  const values = { ...q };
  try {
    const input = rescissionInput(parseInput(rescissionSchema, q));
    const summary = await rescissionSummary(req.ctx.db, locals.contract.id, input, req.ctx.clock.today());
    res.render('delinquency/rescission', { ...locals, values, summary });
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    res.status(err.status).render('delinquency/rescission', { ...locals, values, errors: translateErrors(req.lang, err.fields), hasErrors: true });
  }
};

/**
 * Rescinds the sale. From the summary's confirm button the form comes with its previewed_* copy (and
 * the refund shown, previewed_refund): if the form was changed after the summary, or the refund would
 * now be another, nothing is written (409) and the page shows the new summary.
 */
const rescind = confirmable(formAction({
  view: 'delinquency/rescission',
  locals: async (req) => ({ title: t(req.lang, 'rescission.title'), ...await actionLocals(req) }),
  act: async (req) => {
    const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
    const v = parseInput(rescissionSchema, req.body);
    const input = rescissionInput(v);
    if (isConfirmation(req.body)) {
      const changed = await changedSincePreview(rescissionSchema, req.body, v);
      const summary = await rescissionSummary(req.ctx.db, contract.id, input, req.ctx.clock.today());
      const shown = req.body.previewed_refund === undefined ? null : soles().safeParse(req.body.previewed_refund);
      if (changed.length || (shown && (!shown.success || shown.data !== summary.refund_cents))) {
        throw new StalePreview('delinquency/rescission', {
          title: t(req.lang, 'rescission.title'), ...await actionLocals(req), values: req.body, summary,
        });
      }
    }
    await rescindContract(req.ctx.db, contract.id, input, req.ctx.clock.today(), actorOf(req));
    return `/contracts/${contract.id}`;
  },
}));

export const routes: RouteDef[] = [
  get('/delinquency', STAFF, showReport),
  get('/delinquency.csv', STAFF, reportCsv),
  get('/contracts/:id/acceleration/new', MANAGERS, showAcceleration),
  post('/contracts/:id/acceleration', MANAGERS, accelerate),
  get('/contracts/:id/rescission/new', MANAGERS, showRescission),
  post('/contracts/:id/rescission', MANAGERS, rescind),
];
