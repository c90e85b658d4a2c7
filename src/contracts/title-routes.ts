// Routes from a contract to its title: one table, read top to bottom.
//   GET  /contracts/:id/assignment/new      assignment form (cesión de posición contractual)         MANAGERS
//   POST /contracts/:id/assignment          to_ruc, resolution_number, resolution_date, reason,
//                                           allow_overdue → 303 /contracts/<id>                       MANAGERS
//   GET  /contracts/:id/formalisation/new   formalisation form (the next stage)                       MANAGERS
//   POST /contracts/:id/formalisation       stage, stage_date, resolution_number, resolution_date,
//                                           notary, registry_entry, notes → 303 /contracts/<id>      MANAGERS
//   GET  /contracts/:id/constancia          the printable constancia de cancelación ?number=          user (a buyer: its own)
// The contract page (and its printed version) get the section `titling` from here: assignments, constancia,
// formalisation track and the lot's registry data (views/partials/contract-title.hbs).
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { paperLocals } from '../identity/paper.ts';
import { formAction, get, post, MANAGERS, type RouteDef } from '../web/routing.ts';
import { parseForm, parseInput } from '../web/errors.ts';
import { eventDate, optionalText, requiredText } from '../web/fields.ts';
import { flash } from '../web/flash.ts';
import { actorOf } from '../web/actor.ts';
import { t } from '../web/i18n.ts';
import { amountInWords } from '../domain/amount-words.ts';
import { delinquencyOf } from '../domain/delinquency.ts';
import { formatDni } from '../domain/ruc.ts';
import { limaDate } from '../domain/dates.ts';
import { formatMetres } from '../domain/length.ts';
import type { Db } from '../db/knex.ts';
import { accountOf } from '../payments/account.ts';
import { loadContract, type ContractView } from './queries.ts';
import { addContractPageSection } from './page-sections.ts';
import { assignContract, assignmentProblems, assignmentsOf } from './assignment.ts';
import { certificateFor, certificatesOf } from './certificate.ts';
import { formalisationProblems, nextStage, recordFormalisation, STAGES, stepsOf } from './formalisation.ts';

const checkbox = () => z.string().optional().transform((v) => v === '1' || v === 'on');

const assignmentSchema = z.object({
  to_ruc: requiredText(11),
  resolution_number: requiredText(64),
  resolution_date: eventDate(),
  reason: optionalText(500),
  allow_overdue: checkbox(),
});

const formalisationSchema = z.object({
  stage: z.enum(STAGES, { message: 'errors.choice' }),
  stage_date: eventDate(),
  resolution_number: requiredText(64),
  resolution_date: eventDate(),
  notary: optionalText(200),
  registry_entry: optionalText(64),
  notes: optionalText(1000),
});

const certificateQuery = z.object({ number: z.string().trim().max(20).optional() });

/** What the land registry says of the contract's lot (every field optional: "por inscribir" when missing). */
async function lotRegistry(db: Db, lotId: number) {
  const l = await db('lots').where({ id: lotId })
    .first('registry_partida', 'boundary_north', 'boundary_south', 'boundary_east', 'boundary_west', 'perimeter_cm');
  const perimeter = l?.perimeter_cm === null || l?.perimeter_cm === undefined ? null : Number(l.perimeter_cm);
  const boundaries = l && (l.boundary_north || l.boundary_south || l.boundary_east || l.boundary_west)
    ? { north: l.boundary_north, south: l.boundary_south, east: l.boundary_east, west: l.boundary_west } : null;
  return { partida: l?.registry_partida ?? null, boundaries, perimeter: perimeter === null ? null : formatMetres(perimeter) };
}

/** The contract page's section: assignments, constancia, formalisation track, and the lot's registry data. */
async function titleSection(db: Db, contract: ContractView, user: Request['user']) {
  const manager = user?.role === 'admin' || user?.role === 'manager';
  const [assignments, certificates, steps, registry] = [
    await assignmentsOf(db, contract.id), await certificatesOf(db, contract.id), await stepsOf(db, contract.id),
    await lotRegistry(db, contract.lot_id),
  ];
  const next = nextStage(steps);
  return {
    assignments, registry,
    certificate: certificates.find((c) => c.status === 'valid') ?? null,
    void_certificates: certificates.filter((c) => c.status === 'void'),
    steps, next_stage: next,
    track: STAGES.map((stage) => ({ stage, step: steps.find((s) => s.stage === stage) ?? null })),
    shows_card: contract.status === 'active' || contract.status === 'paid_off' || assignments.length > 0 || certificates.length > 0 || steps.length > 0,
    title_pending: contract.status === 'paid_off' && next !== null,
    can_assign: manager && contract.status === 'active',
    can_formalise: manager && next !== null && (next === 'minuta' ? ['active', 'paid_off'].includes(contract.status) : contract.status === 'paid_off'),
  };
}

addContractPageSection('titling', ({ db, contract, user }) => titleSection(db, contract, user));

// ---- assignment ------------------------------------------------------------------------------

async function assignmentLocals(req: Request) {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const today = req.ctx.clock.today();
  const { statement } = await accountOf(req.ctx.db, contract, today);
  const firms = await req.ctx.db('firms as f').join('memberships as m', 'm.firm_ruc', 'f.ruc')
    .where('m.status', 'active').whereNot('f.ruc', contract.firm_ruc).orderBy('f.name')
    .select('f.ruc', 'f.name', 'm.member_number');
  return {
    title: t(req.lang, 'assignment.title'), contract, today, firms,
    overdue: { count: delinquencyOf(statement).unpaid_overdue_count, cents: statement.overdue_cents },
    live: contract.status === 'active',
    values: { resolution_date: today },
  };
}

const showAssignment: RequestHandler = async (req, res) => {
  res.render('contracts/assignment', await assignmentLocals(req));
};

const assign = formAction({
  view: 'contracts/assignment',
  locals: assignmentLocals,
  act: async (req) => {
    const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
    const today = req.ctx.clock.today();
    const input = await parseForm(assignmentSchema, req.body,
      async (v) => (await assignmentProblems(req.ctx.db, contract, v, today)).throwIfAny());
    await assignContract(req.ctx.db, contract.id, input, today, actorOf(req));
    flash(req, 'flash.contract_assigned');
    return `/contracts/${contract.id}`;
  },
});

// ---- formalisation ---------------------------------------------------------------------------

async function formalisationLocals(req: Request) {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const today = req.ctx.clock.today();
  const steps = await stepsOf(req.ctx.db, contract.id);
  const next = nextStage(steps);
  return {
    title: t(req.lang, 'formalisation.title'), contract, today, steps, stages: STAGES, next_stage: next,
    values: { stage: next ?? '', stage_date: today, resolution_date: today },
  };
}

const showFormalisation: RequestHandler = async (req, res) => {
  res.render('contracts/formalisation', await formalisationLocals(req));
};

const formalise = formAction({
  view: 'contracts/formalisation',
  locals: formalisationLocals,
  act: async (req) => {
    const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
    const today = req.ctx.clock.today();
    const input = await parseForm(formalisationSchema, req.body,
      async (v) => (await formalisationProblems(req.ctx.db, contract, v, today)).throwIfAny());
    await recordFormalisation(req.ctx.db, contract.id, input, today, actorOf(req));
    flash(req, { key: 'flash.formalisation_recorded', params: { stage: t(req.lang, `formalisation.stage.${input.stage}`) } });
    return `/contracts/${contract.id}`;
  },
});

// ---- constancia ------------------------------------------------------------------------------

const showCertificate: RequestHandler = async (req, res) => {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const { number } = parseInput(certificateQuery, req.query);
  const certificate = await certificateFor(req.ctx.db, contract.id, number || undefined);
  const firm = await req.ctx.db('firms').where({ ruc: certificate.firm_ruc })
    .first('ruc', 'name', 'representative_name', 'representative_dni', 'address');
  res.render('contracts/constancia', {
    title: certificate.number, contract, certificate, firm: { ...firm, representative_dni: formatDni(firm.representative_dni) },
    registry: await lotRegistry(req.ctx.db, contract.lot_id),
    is_void: certificate.status === 'void',
    issued_on: limaDate(new Date(certificate.issued_at)), // the closing "Ilo, …" is the day it was issued
    total_words: amountInWords(certificate.total_paid_cents),
    price_words: amountInWords(contract.price_cents),
    ...(await paperLocals(req, `${t(req.lang, 'certificate.doc_title')} ${certificate.number}`)),
  });
};

export const routes: RouteDef[] = [
  get('/contracts/:id/assignment/new', MANAGERS, showAssignment),
  post('/contracts/:id/assignment', MANAGERS, assign),
  get('/contracts/:id/formalisation/new', MANAGERS, showFormalisation),
  post('/contracts/:id/formalisation', MANAGERS, formalise),
  get('/contracts/:id/constancia', 'user', showCertificate),
];
