// Routes of the firms area (firms, their provisional licences, the ACIPIAS register): one table,
// read top to bottom. Staff read; managers write.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { toCsv } from '../web/csv.ts';
import { get, post, formAction, sendCsv, MANAGERS, STAFF, type RouteDef } from '../web/routing.ts';
import { HttpError, parseChecked, parseInput, Refusals } from '../web/errors.ts';
import { choice, eventDate, isoDate, optionalIsoDate, optionalText, requiredText } from '../web/fields.ts';
import { flash } from '../web/flash.ts';
import { actorOf } from '../web/actor.ts';
import { addDays, daysBetween } from '../domain/dates.ts';
import { dniProblem, formatDni, rucProblem } from '../domain/ruc.ts';
import { history } from '../audit/audit.ts';
import { t } from '../web/i18n.ts';
import { historyView } from '../audit/history-view.ts';
import { documentsSection } from '../attachments/panel.ts';
import {
  contractsOfFirm, countFirms, findFirm, findMembership, licencesExpiringBy, listFirms, listMembers, membershipEvents,
  MEMBERSHIP_STATUSES,
} from './queries.ts';
import { createFirm, firmProblems, saveMembership, SECTORS, updateFirm, type FirmInput } from './service.ts';
import { pageParam, pager } from '../web/paging.ts';

/** Days ahead that the licence list looks for expiries. */
const LICENCE_WINDOW_DAYS = 30;

const ruc = () => z.string().trim().min(1, 'errors.required').superRefine((v, ctx) => {
  const p = rucProblem(v);
  if (p) ctx.addIssue({ code: 'custom', message: `firms.ruc_${p}` });
});
const dni = () => z.string().trim().min(1, 'errors.required').superRefine((v, ctx) => {
  const p = dniProblem(v);
  if (p) ctx.addIssue({ code: 'custom', message: `firms.dni_${p}` });
});
const email = () => z.string().trim().max(254, 'errors.too_long').optional()
  .refine((v) => !v || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'firms.email_invalid')
  .transform((v) => (v ? v : null));

const firmFields = {
  name: requiredText(200),
  representative_name: requiredText(200),
  representative_dni: dni(),
  sector: choice(SECTORS),
  // Digits, spaces, +, - and parentheses: "053 481234", "+51 (53) 48-1234"; not "abc".
  phone: optionalText(32).refine((v) => v === null || /^[\d\s+\-()]*\d[\d\s+\-()]*$/.test(v), 'firms.phone_invalid'),
  email: email(),
  address: optionalText(255),
  licence_number: optionalText(64),
  licence_issued_on: optionalIsoDate(),
  licence_expires_on: optionalIsoDate(),
};
const newFirmSchema = z.object({ ruc: ruc(), ...firmFields });
const editFirmSchema = z.object(firmFields);

const membershipSchema = z.object({
  member_number: requiredText(32),
  joined_on: eventDate(),
  status: choice(MEMBERSHIP_STATUSES),
  effective_on: optionalIsoDate(),
  note: optionalText(255),
});

const firmListQuery = z.object({
  // Sent twice or too long: 400 with the message (parseInput), as every input.
  q: z.string().trim().max(200).optional().transform((v) => v || undefined),
  membership: z.enum([...MEMBERSHIP_STATUSES, 'none']).optional().catch(undefined),
  page: pageParam(),
});
const memberListQuery = z.object({ status: z.enum(MEMBERSHIP_STATUSES).optional().catch(undefined) });

/**
 * Every rule on a firm form's values at once (with zod's messages): the service's own rules, a
 * licence issued after today, and (a new firm) a RUC already registered.
 */
async function firmChecks(req: Parameters<RequestHandler>[0], v: Partial<FirmInput>, ruc?: string): Promise<Refusals> {
  const errors = new Refusals();
  for (const [field, message] of Object.entries(firmProblems(ruc ? { ...v, ruc } : v))) errors.add(field, message);
  if (v.licence_issued_on && v.licence_issued_on > req.ctx.clock.today()) errors.add('licence_issued_on', 'firms.licence_issued_future');
  if (!ruc && v.ruc && !errors.fields.ruc && await findFirm(req.ctx.db, v.ruc)) errors.add('ruc', 'firms.ruc_taken', 409);
  return errors;
}

const sectorOptions = () => ({ sectors: SECTORS, statuses: MEMBERSHIP_STATUSES });

async function firmOr404(req: Parameters<RequestHandler>[0]) {
  const firm = await findFirm(req.ctx.db, String(req.params.ruc));
  if (!firm) throw new HttpError(404, 'errors.not_found');
  return firm;
}

const listPage: RequestHandler = async (req, res) => {
  const { page, ...filters } = parseInput(firmListQuery, req.query);
  const count = await countFirms(req.ctx.db, filters);
  const p = pager({ total: count, requested: page, path: '/firms', params: filters });
  const firms = await listFirms(req.ctx.db, filters).limit(p.size).offset(p.offset);
  res.render('firms/list', { title: t(req.lang, 'firms.title'), firms, filters, statuses: MEMBERSHIP_STATUSES, count, pager: p });
};

const newPage: RequestHandler = (_req, res) => {
  res.render('firms/form', { title: t(_req.lang, 'firms.new'), ...sectorOptions(), isNew: true, values: {} });
};

const create = formAction({
  view: 'firms/form',
  locals: (req) => ({ title: t(req.lang, 'firms.new'), ...sectorOptions(), isNew: true }),
  act: async (req) => {
    const input = await parseChecked(newFirmSchema, req.body, (v) => firmChecks(req, v));
    const ruc = await createFirm(req.ctx.db, input, actorOf(req));
    flash(req, { key: 'flash.firm_created', params: { name: input.name } });
    return `/firms/${ruc}`;
  },
});

const licencesPage: RequestHandler = async (req, res) => {
  const today = req.ctx.clock.today();
  const rows = await licencesExpiringBy(req.ctx.db, addDays(today, LICENCE_WINDOW_DAYS));
  const licences = rows.map((f) => ({ ...f, days_left: daysBetween(today, f.licence_expires_on!), expired: f.licence_expires_on! < today }));
  res.render('firms/licences', { title: t(req.lang, 'firms.licences_title'), licences, today, windowDays: LICENCE_WINDOW_DAYS });
};

export const showPage: RequestHandler = async (req, res) => {
  const firm = await firmOr404(req);
  const db = req.ctx.db;
  const today = req.ctx.clock.today();
  const [membership, events, contracts, changes] = await Promise.all([
    findMembership(db, firm.ruc), membershipEvents(db, firm.ruc), contractsOfFirm(db, firm.ruc), history(db, 'firm', firm.ruc),
  ]);
  const licence = firm.licence_expires_on ? {
    expired: firm.licence_expires_on < today,
    soon: firm.licence_expires_on >= today && firm.licence_expires_on <= addDays(today, LICENCE_WINDOW_DAYS),
  } : null;
  res.render('firms/show', {
    title: firm.name, firm: { ...firm, representative_dni: formatDni(firm.representative_dni) },
    membership, events, contracts, licence, history: historyView(changes, req.lang),
    attachments: await documentsSection(req, 'firm', firm.ruc),
  });
};

const editPage: RequestHandler = async (req, res) => {
  const firm = await firmOr404(req);
  res.render('firms/form', { title: t(req.lang, 'firms.edit_title'), ...sectorOptions(), firm, values: { ...firm, representative_dni: formatDni(firm.representative_dni) } });
};

const update = formAction({
  view: 'firms/form',
  locals: async (req) => {
    const firm = await firmOr404(req);
    return { title: t(req.lang, 'firms.edit_title'), ...sectorOptions(), firm };
  },
  act: async (req) => {
    const firm = await firmOr404(req);
    const input = await parseChecked(editFirmSchema, req.body, (v) => firmChecks(req, v, firm.ruc));
    await updateFirm(req.ctx.db, firm.ruc, input, actorOf(req));
    flash(req, 'flash.saved');
    return `/firms/${firm.ruc}`;
  },
});

const membershipPage: RequestHandler = async (req, res) => {
  const firm = await firmOr404(req);
  const membership = await findMembership(req.ctx.db, firm.ruc);
  res.render('firms/membership', {
    title: t(req.lang, 'firms.acipias'), firm, membership, statuses: MEMBERSHIP_STATUSES,
    values: membership ?? { status: 'active', joined_on: req.ctx.clock.today() },
  });
};

const saveMembershipAction = formAction({
  view: 'firms/membership',
  locals: async (req) => {
    const firm = await firmOr404(req);
    return { title: t(req.lang, 'firms.acipias'), firm, membership: await findMembership(req.ctx.db, firm.ruc), statuses: MEMBERSHIP_STATUSES };
  },
  act: async (req) => {
    const firm = await firmOr404(req);
    const input = parseInput(membershipSchema, req.body);
    await saveMembership(req.ctx.db, firm.ruc, input, actorOf(req), req.ctx.clock.today());
    return `/firms/${firm.ruc}`;
  },
});

const membersPage: RequestHandler = async (req, res) => {
  const filters = parseInput(memberListQuery, req.query);
  const members = await listMembers(req.ctx.db, filters.status);
  res.render('firms/members', { title: t(req.lang, 'members.title'), members, filters, statuses: MEMBERSHIP_STATUSES });
};

const membersCsv: RequestHandler = async (req, res) => {
  const filters = parseInput(memberListQuery, req.query);
  const members = await listMembers(req.ctx.db, filters.status);
  const body = toCsv(['ruc', 'name', 'member_number', 'joined_on', 'status'],
    members.map((m: Record<string, string>) => [m.ruc, m.name, m.member_number, m.joined_on, m.status]));
  sendCsv(res, 'socias-acipias.csv', body);
};

export const routes: RouteDef[] = [
  get('/firms', STAFF, listPage),
  get('/firms/new', MANAGERS, newPage),
  post('/firms', MANAGERS, create),
  get('/firms/licences', STAFF, licencesPage),
  get('/firms/:ruc', STAFF, showPage),
  get('/firms/:ruc/edit', MANAGERS, editPage),
  post('/firms/:ruc', MANAGERS, update),
  get('/firms/:ruc/membership/new', MANAGERS, membershipPage),
  post('/firms/:ruc/membership', MANAGERS, saveMembershipAction),
  get('/members', STAFF, membersPage),
  get('/members.csv', STAFF, membersCsv),
];
