// Routes of the resolutions on a contract's account: one table, read top to bottom (managers and admin).
//   GET  /contracts/:id/waiver/new[?preview=1&…]        unpaid late fees by installment; preview of the waiver
//   POST /contracts/:id/waiver                           resolution_number, resolution_date, installments (n, one or
//                                                        more; repeated or comma-separated), amount (blank: all accrued)
//   GET  /contracts/:id/reschedule/new[?preview=1&…]     balance today; preview of the new schedule
//   POST /contracts/:id/reschedule                       resolution_number, resolution_date, start_date, installment_count,
//                                                        annual_rate_pct, late_fees (keep | capitalise | waive)
//   GET  /contracts/:id/acceleration-undo/new            the acceleration in force
//   POST /contracts/:id/acceleration-undo                resolution_number, resolution_date
// Each POST answers 303 to the contract; a refusal re-renders its form with the reason next to the field.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { formAction, get, post, translateErrors, MANAGERS, type RouteDef } from '../web/routing.ts';
import { FormError, parseChecked } from '../web/errors.ts';
import { choice, eventDate, integer, optionalSoles, percent, requiredText } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { flash } from '../web/flash.ts';
import { t } from '../web/i18n.ts';
import { MAX_INSTALLMENTS, MAX_RATE_PPM } from '../domain/schedule.ts';
import { loadContract, type ContractView } from '../contracts/queries.ts';
import { accountOf } from '../payments/account.ts';
import { addContractPageSection } from '../contracts/page-sections.ts';
import { scheduleTotals } from '../contracts/csv.ts';
import {
  rescheduleContract, rescheduleRefusals, undoAcceleration, undoRefusals, waiveLateFees, waiverRefusals,
  type RescheduleInput, type WaiverInput,
} from './service.ts';
import { contractActsPanel } from './panel.ts';

/** `date` is taken for `resolution_date` (the acceleration's form names its date so). */
const withResolutionDate = (body: unknown) => {
  const b = { ...((body ?? {}) as Record<string, unknown>) };
  if ((b.resolution_date === undefined || b.resolution_date === '') && typeof b.date === 'string') b.resolution_date = b.date;
  return b;
};

const resolution = { resolution_number: requiredText(64), resolution_date: eventDate() };

/** Installment numbers: one or more values (repeated field, or "3, 4"). */
const installments = () => z.preprocess(
  (v) => (v === undefined || v === '' ? [] : (Array.isArray(v) ? v : String(v).split(/[\s,;]+/)).filter((x) => String(x).trim() !== '')),
  z.array(z.string().regex(/^\d{1,4}$/, 'acts.waiver.installment_number').transform(Number)).min(1, 'acts.waiver.choose'),
);

const waiverSchema = z.object({ ...resolution, installments: installments(), amount: optionalSoles() });
/** Blank or absent: undefined, so that the default applies (a script may send only what it decides). */
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const rescheduleSchema = z.object({
  ...resolution, installment_count: integer(1, MAX_INSTALLMENTS),
  // Defaults: the schedule starts on the resolution's date, at the contract's rate, late fees left owed.
  start_date: z.preprocess(blankToUndefined, eventDate().optional()),
  annual_rate_pct: z.preprocess(blankToUndefined, percent(MAX_RATE_PPM).optional()),
  late_fees: z.preprocess(blankToUndefined, choice(['keep', 'capitalise', 'waive'] as const).default('keep')),
});
const undoSchema = z.object(resolution);

const contractOf = (req: Request) => loadContract(req.ctx.db, String(req.params.id), req.user);

async function waiverInput(req: Request, contract: ContractView, body: unknown): Promise<WaiverInput> {
  const today = req.ctx.clock.today();
  const toInput = (v: Partial<z.infer<typeof waiverSchema>>): Partial<WaiverInput> => ({
    resolution_number: v.resolution_number, resolution_date: v.resolution_date, installments: v.installments,
    amount_cents: v.amount === undefined ? undefined : v.amount,
  });
  const v = await parseChecked(waiverSchema, withResolutionDate(body), async (p) => (await waiverRefusals(req.ctx.db, contract, toInput(p), today)).errors);
  return toInput(v) as WaiverInput;
}

async function rescheduleInput(req: Request, contract: ContractView, body: unknown): Promise<RescheduleInput> {
  const today = req.ctx.clock.today();
  const toInput = (v: Partial<z.infer<typeof rescheduleSchema>>): Partial<RescheduleInput> => ({
    resolution_number: v.resolution_number, resolution_date: v.resolution_date, start_date: v.start_date ?? v.resolution_date,
    installment_count: v.installment_count, annual_rate_ppm: v.annual_rate_pct ?? contract.annual_rate_ppm, late_fees: v.late_fees ?? 'keep',
  });
  const v = await parseChecked(rescheduleSchema, withResolutionDate(body), async (p) => (await rescheduleRefusals(req.ctx.db, contract, toInput(p), today)).errors);
  return toInput(v) as RescheduleInput;
}

/** What every act's page shows about the contract: its account today. */
async function actLocals(req: Request, view: string) {
  const contract = await contractOf(req);
  const today = req.ctx.clock.today();
  const { statement } = await accountOf(req.ctx.db, contract, today);
  const given = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
  const chosen = given.installments === undefined ? [] : (Array.isArray(given.installments) ? given.installments : String(given.installments).split(/[\s,;]+/)).map(String);
  const open = statement.rows.filter((r) => r.late_fee_cents > r.late_fee_paid_cents)
    .map((r) => ({ ...r, unpaid_cents: r.late_fee_cents - r.late_fee_paid_cents }));
  return {
    title: t(req.lang, `acts.${view}.title`), contract, today, statement, live: contract.status === 'active', open, chosen,
    values: { resolution_date: today, start_date: today, installment_count: '24', annual_rate_pct: String(contract.annual_rate_ppm / 10_000), late_fees: 'keep' },
  };
}

/** A form page; with ?preview=1 and the entered values, it also shows what the act would do. */
function formPage(view: 'waiver' | 'reschedule', preview: (req: Request, contract: ContractView) => Promise<Record<string, unknown>>): RequestHandler {
  return async (req, res) => {
    const locals = await actLocals(req, view);
    const q = req.query as Record<string, unknown>;
    const values = { ...locals.values, ...q };
    if (!q.preview) return res.render(`acts/${view}`, { ...locals, values });
    try {
      res.render(`acts/${view}`, { ...locals, values, ...await preview(req, locals.contract) });
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      res.status(err.status).render(`acts/${view}`, { ...locals, values, errors: translateErrors(req.lang, err.fields), hasErrors: true });
    }
  };
}

const waiverPage = formPage('waiver', async (req, contract) => {
  const input = await waiverInput(req, contract, req.query);
  const { plan } = await waiverRefusals(req.ctx.db, contract, input, req.ctx.clock.today());
  return { preview: plan };
});

const reschedulePage = formPage('reschedule', async (req, contract) => {
  const input = await rescheduleInput(req, contract, req.query);
  const { plan } = await rescheduleRefusals(req.ctx.db, contract, input, req.ctx.clock.today());
  return { preview: plan && { ...plan, totals: scheduleTotals(plan.lines) } };
});

const undoPage: RequestHandler = async (req, res) => {
  res.render('acts/acceleration-undo', await actLocals(req, 'undo'));
};

const waive = formAction({
  view: 'acts/waiver', locals: (req) => actLocals(req, 'waiver'),
  act: async (req) => {
    const contract = await contractOf(req);
    await waiveLateFees(req.ctx.db, contract.id, await waiverInput(req, contract, req.body), req.ctx.clock.today(), actorOf(req));
    flash(req, 'acts.waiver.done');
    return `/contracts/${contract.id}`;
  },
});

const reschedule = formAction({
  view: 'acts/reschedule', locals: (req) => actLocals(req, 'reschedule'),
  act: async (req) => {
    const contract = await contractOf(req);
    await rescheduleContract(req.ctx.db, contract.id, await rescheduleInput(req, contract, req.body), req.ctx.clock.today(), actorOf(req));
    flash(req, 'acts.reschedule.done');
    return `/contracts/${contract.id}`;
  },
});

const undo = formAction({
  view: 'acts/acceleration-undo', locals: (req) => actLocals(req, 'undo'),
  act: async (req) => {
    const contract = await contractOf(req);
    const today = req.ctx.clock.today();
    const v = await parseChecked(undoSchema, withResolutionDate(req.body), (p) => undoRefusals(req.ctx.db, contract, p, today));
    await undoAcceleration(req.ctx.db, contract.id, v, today, actorOf(req));
    flash(req, 'acts.undo.done');
    return `/contracts/${contract.id}`;
  },
});

addContractPageSection('acts', ({ db, contract, user }) => contractActsPanel(db, contract, user));

export const routes: RouteDef[] = [
  get('/contracts/:id/waiver/new', MANAGERS, waiverPage),
  post('/contracts/:id/waiver', MANAGERS, waive),
  get('/contracts/:id/reschedule/new', MANAGERS, reschedulePage),
  post('/contracts/:id/reschedule', MANAGERS, reschedule),
  get('/contracts/:id/acceleration-undo/new', MANAGERS, undoPage),
  post('/contracts/:id/acceleration-undo', MANAGERS, undo),
];
