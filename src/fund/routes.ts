// Routes of the fund area (finance and admin only): one table, read top to bottom. Reports take
// ?from=&to= (default: this year up to today), point-in-time ones ?as_of=; every report has a
// .csv twin with the same query. Fixed paths come before the `:id` routes they share a prefix with.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, sendCsv, translateErrors, FINANCE, type RouteDef } from '../web/routing.ts';
import { pageParam, pager, slicePage } from '../web/paging.ts';
import { FormError, notFound, parseForm, parseInput } from '../web/errors.ts';
import { choice, eventDate, isoDate, optionalIsoDate, optionalText, positiveSoles, requiredText } from '../web/fields.ts';
import { flash } from '../web/flash.ts';
import { actorOf } from '../web/actor.ts';
import { t } from '../web/i18n.ts';
import { toSolesString } from '../domain/money.ts';
import type { IsoDate } from '../domain/dates.ts';
import { findProject, findSpending, listSpendings } from './queries.ts';
import {
  PROJECT_STATUSES, createProject, projectProblems, recordSpending, reverseSpending, spendingLimits, spendingProblems, updateProject,
} from './service.ts';
import {
  accountsReport, budget, collections, dashboard, fundStatementReport, inflows, journalCount, journalReport, ledgerJournal,
  receivables, reconciliation,
} from './reports.ts';
import {
  accountsCsv, budgetCsv, collectionsCsv, fundStatementCsv, inflowsCsv, receivablesCsv, reconciliationCsv,
} from './csv.ts';
import { budgetChart, collectionsChart, fundBalanceChart } from './charts.ts';
import { cashDepositRoutes } from './cash-deposit-routes.ts';
import { documentsSection } from '../attachments/panel.ts';

// ---- input ---------------------------------------------------------------------------------

const periodQuery = z.object({ from: optionalIsoDate(), to: optionalIsoDate() });
const asOfQuery = z.object({ as_of: optionalIsoDate() });

/** The period of a report: ?from=&to=, by default from 1 January of this year to today. */
function periodOf(req: Request): { from: IsoDate; to: IsoDate; query: string } {
  const q = parseInput(periodQuery, req.query);
  const today = req.ctx.clock.today();
  const to = q.to ?? today;
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw new FormError(400, { from: 'fund.errors.period' });
  return { from, to, query: `?from=${from}&to=${to}` };
}

/**
 * A report page whose filter is refused (a reversed period, a date that is not one) answers 400 with
 * the filter and the message next to its field, under the report's own title and menu: not an error page.
 */
function onBadFilter(titleKey: string, nav: string, handler: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      await handler(req, res, next);
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      const q = req.query as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === 'string' ? v : '');
      const asOf = 'as_of' in err.fields ? { as_of: str(q.as_of) } : undefined;
      res.status(err.status).render('fund/filter-refused', {
        title: t(req.lang, titleKey), nav, action: req.path, asOf,
        period: { from: str(q.from), to: str(q.to) },
        errors: translateErrors(req.lang, err.fields), hasErrors: true,
      });
    }
  };
}

function asOfOf(req: Request): { as_of: IsoDate; query: string } {
  const as_of = parseInput(asOfQuery, req.query).as_of ?? req.ctx.clock.today();
  return { as_of, query: `?as_of=${as_of}` };
}

const projectCode = () => z.string().trim().min(1, 'errors.required')
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,31}$/, 'fund.errors.code_format');
const projectFields = {
  name: requiredText(200),
  budget: positiveSoles(),
  status: choice(PROJECT_STATUSES),
  description: optionalText(2000),
};
const newProjectForm = z.object({ code: projectCode(), ...projectFields });
const editProjectForm = z.object(projectFields);

const spendingForm = z.object({
  date: eventDate(),
  supplier_ruc: z.string().trim().min(1, 'errors.required').max(20, 'errors.too_long'),
  supplier_name: requiredText(200),
  document_number: requiredText(64),
  description: requiredText(500),
  amount: positiveSoles(),
  confirm_over: z.string().optional().transform((v) => v === '1'),
});
const reverseForm = z.object({ reason: requiredText(500) });

const idParam = (req: Request) => {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  return id;
};

// ---- pages ---------------------------------------------------------------------------------

const showDashboard: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  const d = await dashboard(req.ctx.db, req.ctx.clock.today(), p.from, p.to);
  res.render('fund/dashboard', {
    title: t(req.lang, 'fund.title'), nav: 'dashboard', period: p, d,
    charts: {
      collections: collectionsChart(d.collections.months, req.lang),
      balance: fundBalanceChart(d.series, req.lang),
      budget: budgetChart(d.budget.lines, req.lang),
    },
  });
};

const showAccounts: RequestHandler = async (req, res) => {
  const a = asOfOf(req);
  res.render('fund/accounts', { title: t(req.lang, 'fund.accounts.title'), nav: 'accounts', asOf: a, report: await accountsReport(req.ctx.db, a.as_of) });
};
const accountsCsvRoute: RequestHandler = async (req, res) => {
  const a = asOfOf(req);
  sendCsv(res, `cuentas-${a.as_of}.csv`, accountsCsv((await accountsReport(req.ctx.db, a.as_of)).rows));
};

const showJournal: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  // A page at a time, in date order, read as such from the database; the hledger export stays whole.
  const pg = pager({ total: await journalCount(req.ctx.db, p.from, p.to), requested: pageParam().parse(req.query.page),
    path: '/finance/journal', params: { from: p.from, to: p.to } });
  const report = await journalReport(req.ctx.db, p.from, p.to, { offset: pg.offset, limit: pg.size });
  res.render('fund/journal', { title: t(req.lang, 'fund.journal.title'), nav: 'journal', period: p, report, pager: pg });
};

/** The hledger journal: the whole ledger, or the entries of ?from=&to= opened by the balances before. */
const exportJournal: RequestHandler = async (req, res) => {
  const q = parseInput(periodQuery, req.query);
  if (q.from && q.to && q.from > q.to) throw new FormError(400, { from: 'fund.errors.period' });
  const text = await ledgerJournal(req.ctx.db, { from: q.from, to: q.to });
  res.type('text/plain; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="ilo-fondo${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}.journal"`);
  res.send(text);
};

const showCollections: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  const report = await collections(req.ctx.db, p.from, p.to);
  res.render('fund/collections', { title: t(req.lang, 'fund.collections.title'), nav: 'collections', period: p, report, chart: collectionsChart(report.months, req.lang) });
};
const collectionsCsvRoute: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  sendCsv(res, `cobranzas-${p.from}-${p.to}.csv`, collectionsCsv(await collections(req.ctx.db, p.from, p.to)));
};

const showFundStatement: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  res.render('fund/fund-statement', { title: t(req.lang, 'fund.statement.title'), nav: 'fund-statement', period: p, report: await fundStatementReport(req.ctx.db, p.from, p.to) });
};
const fundStatementCsvRoute: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  sendCsv(res, `estado-del-fondo-${p.from}-${p.to}.csv`, fundStatementCsv(await fundStatementReport(req.ctx.db, p.from, p.to)));
};

const showBudget: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  const report = await budget(req.ctx.db, p.from, p.to);
  res.render('fund/budget', { title: t(req.lang, 'fund.budget.title'), nav: 'budget', period: p, report, chart: budgetChart(report.lines, req.lang) });
};
const budgetCsvRoute: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  sendCsv(res, `presupuesto-${p.from}-${p.to}.csv`, budgetCsv((await budget(req.ctx.db, p.from, p.to)).lines));
};

const showReceivables: RequestHandler = async (req, res) => {
  const a = asOfOf(req);
  res.render('fund/receivables', { title: t(req.lang, 'fund.receivables.title'), nav: 'receivables', asOf: a, report: await receivables(req.ctx.db, a.as_of) });
};
const receivablesCsvRoute: RequestHandler = async (req, res) => {
  const a = asOfOf(req);
  sendCsv(res, `cuentas-por-cobrar-${a.as_of}.csv`, receivablesCsv((await receivables(req.ctx.db, a.as_of)).lines));
};

const showInflows: RequestHandler = async (req, res) => {
  const a = asOfOf(req);
  res.render('fund/inflows', { title: t(req.lang, 'fund.inflows.title'), nav: 'inflows', asOf: a, report: await inflows(req.ctx.db, a.as_of) });
};
const inflowsCsvRoute: RequestHandler = async (req, res) => {
  const a = asOfOf(req);
  sendCsv(res, `ingresos-esperados-${a.as_of}.csv`, inflowsCsv((await inflows(req.ctx.db, a.as_of)).months));
};

const showReconciliation: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  res.render('fund/reconciliation', { title: t(req.lang, 'fund.recon.title'), nav: 'reconciliation', period: p, report: await reconciliation(req.ctx.db, p.from, p.to) });
};
const reconciliationCsvRoute: RequestHandler = async (req, res) => {
  const p = periodOf(req);
  sendCsv(res, `conciliacion-${p.from}-${p.to}.csv`, reconciliationCsv(await reconciliation(req.ctx.db, p.from, p.to)));
};

// ---- projects and spending -----------------------------------------------------------------

const showProjects: RequestHandler = async (req, res) => {
  const today = req.ctx.clock.today();
  res.render('fund/projects', { title: t(req.lang, 'fund.projects.title'), nav: 'projects', report: await budget(req.ctx.db, `${today.slice(0, 4)}-01-01`, today) });
};

const projectFormLocals = (req: Request) => ({ title: t(req.lang, 'fund.nav.projects'), nav: 'projects', statuses: PROJECT_STATUSES });

const newProject: RequestHandler = (req, res) => {
  res.render('fund/project-form', { ...projectFormLocals(req), title: t(req.lang, 'fund.projects.new'), isNew: true, values: { status: 'planned' } });
};

const doCreateProject = formAction({
  view: 'fund/project-form',
  locals: (req) => ({ ...projectFormLocals(req), title: t(req.lang, 'fund.projects.new'), isNew: true }),
  act: async (req) => {
    const input = await parseForm(newProjectForm, req.body,
      async (v) => (await projectProblems(req.ctx.db, { code: v.code })).fields);
    const id = await createProject(req.ctx.db, actorOf(req), {
      code: input.code, name: input.name, budget_cents: input.budget, status: input.status, description: input.description,
    });
    return `/finance/projects/${id}`;
  },
});

async function loadProject(req: Request) {
  const project = await findProject(req.ctx.db, idParam(req));
  if (!project) throw notFound();
  return project;
}

const showProject: RequestHandler = async (req, res) => {
  const project = await loadProject(req);
  const today = req.ctx.clock.today();
  const [spendings, report] = await Promise.all([
    listSpendings(req.ctx.db, { project_id: project.id }), budget(req.ctx.db, `${today.slice(0, 4)}-01-01`, today),
  ]);
  const line = report.lines.find((l) => l.id === project.id)!;
  res.render('fund/project', { nav: 'projects', title: project.name, project, line, spendings });
};

const editProject: RequestHandler = async (req, res) => {
  const project = await loadProject(req);
  res.render('fund/project-form', {
    ...projectFormLocals(req), title: `${t(req.lang, 'fund.projects.edit')} ${project.code}`, project,
    values: { ...project, budget: toSolesString(project.budget_cents), description: project.description ?? '' },
  });
};

const doUpdateProject = formAction({
  view: 'fund/project-form',
  locals: async (req) => {
    const project = await loadProject(req);
    return { ...projectFormLocals(req), title: `${t(req.lang, 'fund.projects.edit')} ${project.code}`, project };
  },
  act: async (req) => {
    const id = idParam(req);
    const input = await parseForm(editProjectForm, req.body,
      async (v) => (await projectProblems(req.ctx.db, { budget_cents: v.budget }, id)).fields);
    await updateProject(req.ctx.db, actorOf(req), id, {
      name: input.name, budget_cents: input.budget, status: input.status, description: input.description,
    });
    return `/finance/projects/${id}`;
  },
});

async function spendingFormLocals(req: Request, date?: string) {
  const project = await loadProject(req);
  const today = req.ctx.clock.today();
  const on = date && /^\d{4}-\d{2}-\d{2}$/.test(date) && date <= today ? date : today;
  const limits = await spendingLimits(req.ctx.db, project.id, project.budget_cents, on);
  return { title: t(req.lang, 'fund.spending.new'), nav: 'projects', project, limits, limitsDate: on };
}

/** The form; ?date= shows what the fund has available on that date before anything is entered. */
const newSpending: RequestHandler = async (req, res) => {
  const asked = typeof req.query.date === 'string' ? req.query.date : undefined;
  const locals = await spendingFormLocals(req, asked);
  res.render('fund/spending-form', { ...locals, values: { date: locals.limitsDate } });
};

const doRecordSpending = formAction({
  view: 'fund/spending-form',
  locals: (req) => spendingFormLocals(req, typeof req.body?.date === 'string' ? req.body.date : undefined),
  act: async (req) => {
    const id = idParam(req);
    const input = await parseForm(spendingForm, req.body, (v) => spendingProblems(v, req.ctx.clock.today()));
    const spendingId = await recordSpending(req.ctx.db, req.ctx.clock, actorOf(req), id, {
      date: input.date, supplier_ruc: input.supplier_ruc, supplier_name: input.supplier_name,
      document_number: input.document_number, description: input.description, amount_cents: input.amount,
      confirm_over: input.confirm_over,
    });
    flash(req, 'flash.saved');
    return `/finance/spending/${spendingId}`;
  },
});

async function loadSpending(req: Request) {
  const s = await findSpending(req.ctx.db, idParam(req));
  if (!s) throw notFound();
  return s;
}

export const showSpending: RequestHandler = async (req, res) => {
  const spending = await loadSpending(req);
  res.render('fund/spending', { title: t(req.lang, 'fund.spending.title', { id: spending.id }), nav: 'projects', spending, values: {},
    attachments: await documentsSection(req, 'spending', String(spending.id)) });
};

const doReverseSpending = formAction({
  view: 'fund/spending',
  locals: async (req) => {
    const spending = await loadSpending(req);
    return { title: t(req.lang, 'fund.spending.title', { id: spending.id }), nav: 'projects', spending };
  },
  act: async (req) => {
    const id = idParam(req);
    const input = parseInput(reverseForm, req.body);
    await reverseSpending(req.ctx.db, req.ctx.clock, actorOf(req), id, input.reason);
    return `/finance/spending/${id}`;
  },
});

export const routes: RouteDef[] = [
  get('/finance', FINANCE, onBadFilter('fund.title', 'dashboard', showDashboard)),
  get('/finance/accounts', FINANCE, onBadFilter('fund.accounts.title', 'accounts', showAccounts)),
  get('/finance/accounts.csv', FINANCE, accountsCsvRoute),
  get('/finance/journal', FINANCE, onBadFilter('fund.journal.title', 'journal', showJournal)),
  get('/finance/ledger.journal', FINANCE, exportJournal),
  get('/finance/collections', FINANCE, onBadFilter('fund.collections.title', 'collections', showCollections)),
  get('/finance/collections.csv', FINANCE, collectionsCsvRoute),
  get('/finance/fund-statement', FINANCE, onBadFilter('fund.statement.title', 'fund-statement', showFundStatement)),
  get('/finance/fund-statement.csv', FINANCE, fundStatementCsvRoute),
  get('/finance/budget', FINANCE, onBadFilter('fund.budget.title', 'budget', showBudget)),
  get('/finance/budget.csv', FINANCE, budgetCsvRoute),
  get('/finance/receivables', FINANCE, onBadFilter('fund.receivables.title', 'receivables', showReceivables)),
  get('/finance/receivables.csv', FINANCE, receivablesCsvRoute),
  get('/finance/expected-inflows', FINANCE, onBadFilter('fund.inflows.title', 'inflows', showInflows)),
  get('/finance/expected-inflows.csv', FINANCE, inflowsCsvRoute),
  get('/finance/reconciliation', FINANCE, onBadFilter('fund.recon.title', 'reconciliation', showReconciliation)),
  get('/finance/reconciliation.csv', FINANCE, reconciliationCsvRoute),
  get('/finance/projects', FINANCE, showProjects),
  get('/finance/projects/new', FINANCE, newProject),
  post('/finance/projects', FINANCE, doCreateProject),
  get('/finance/projects/:id', FINANCE, showProject),
  get('/finance/projects/:id/edit', FINANCE, editProject),
  post('/finance/projects/:id', FINANCE, doUpdateProject),
  get('/finance/projects/:id/spending/new', FINANCE, newSpending),
  post('/finance/projects/:id/spending', FINANCE, doRecordSpending),
  get('/finance/spending/:id', FINANCE, showSpending),
  post('/finance/spending/:id/reverse', FINANCE, doReverseSpending),
  ...cashDepositRoutes,
];
