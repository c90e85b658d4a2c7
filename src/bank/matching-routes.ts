// Routes of bank matching and the bank reconciliation of a statement (finance and admin). The matching
// page of a statement lists the proposals, the matched groups, the unmatched lines on both sides and the
// forms; every POST answers 303 back to it, or the page again with the message (400/409).
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, FINANCE, type RouteDef } from '../web/routing.ts';
import { notFound, parseInput } from '../web/errors.ts';
import { choice, optionalText, requiredText } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { flash } from '../web/flash.ts';
import { t } from '../web/i18n.ts';
import { EXPLANATIONS, MATCH_WINDOW, type Proposal } from '../domain/bank-matching.ts';
import { findStatement, savedReconciliations, type StatementRow } from './matching-queries.ts';
import { computeReconciliation, proposalsFor } from './matching-view.ts';
import { acceptSafeProposals, changeMatch, createMatch, explainLine, undoMatch } from './matching.ts';
import { reconciliationItems, saveReconciliation } from './reconciliation.ts';

const idParam = (req: Request) => {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  return id;
};

/** A list of ids from checkboxes: `statement_lines` or `statement_lines[]`, one value or several. */
const idList = (field: string) => z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().regex(/^\d{1,12}$/, 'errors.invalid').transform(Number)).max(200, 'errors.invalid'))
  .describe(field);
const idsFrom = (body: Record<string, unknown>, field: string) => body[field] ?? body[`${field}[]`];

const matchForm = z.object({ statement_lines: idList('statement_lines'), book_lines: idList('book_lines'), rule: optionalText(32) });
const undoForm = z.object({ reason: requiredText(500), statement: z.string().regex(/^\d{1,12}$/).optional() });
const changeForm = z.object({ reason: requiredText(500), statement_lines: idList('statement_lines'), book_lines: idList('book_lines') });
const explainForm = z.object({ explanation: choice(EXPLANATIONS), note: optionalText(500), statement: z.string().regex(/^\d{1,12}$/).optional() });

async function statementOf(req: Request, id = idParam(req)): Promise<StatementRow> {
  const s = await findStatement(req.ctx.db, id);
  if (!s) throw notFound();
  return s;
}

/** Everything the matching page shows. */
async function matchingLocals(req: Request, statementId?: number) {
  const statement = await statementOf(req, statementId);
  const { state, proposals, notes } = await proposalsFor(req.ctx.db, statement);
  const lineById = new Map(state.lines.map((l) => [l.id, l]));
  const bookById = new Map(state.book.map((b) => [b.id, b]));
  const sum = (xs: { amount_cents: number }[]) => xs.reduce((s, x) => s + x.amount_cents, 0);
  const show = (p: Proposal) => {
    const lines = p.statement_line_ids.map((id) => lineById.get(id)!);
    const books = p.book_line_ids.map((id) => bookById.get(id)!);
    return { ...p, lines, books, amount_cents: sum(lines), split: lines.length > 1 || books.length > 1 };
  };
  const notesByLine = new Map(notes.map((n) => [n.statement_line_id, { ...n, book: bookById.get(n.book_line_id) }]));
  const proposedLines = new Set(proposals.flatMap((p) => p.statement_line_ids));
  const unmatched = state.lines.filter((l) => l.match_id === null).map((l) => ({
    ...l, note: notesByLine.get(l.id) ?? null, proposed: proposedLines.has(l.id),
  }));
  const matched = state.matches.map((m) => ({ ...m, amount_cents: sum(m.lines) }));
  return {
    title: t(req.lang, 'bank.matching.title', { id: statement.id }), nav: 'bank-statements', statement,
    window: MATCH_WINDOW, explanations: EXPLANATIONS,
    proposals: proposals.map(show), safe_count: proposals.filter((p) => p.safe).length,
    matched, unmatched, unmatched_total_cents: sum(unmatched),
    in_transit: state.inTransit, in_transit_total_cents: sum(state.inTransit), voided: state.voided,
    start: state.start, counts: { lines: state.lines.length, matched: state.lines.length - unmatched.length, unmatched: unmatched.length },
  };
}

const showMatching: RequestHandler = async (req, res) => {
  res.render('bank/matching', { ...(await matchingLocals(req)), values: {} });
};

/** The page again with the refusal; the statement is the one the form came from. */
const onMatching = (statementOfReq: (req: Request) => Promise<number>) => async (req: Request) => matchingLocals(req, await statementOfReq(req));

const backTo = (id: number) => `/finance/bank-statements/${id}/matching`;

const doMatch = formAction({
  view: 'bank/matching', locals: onMatching(async (req) => idParam(req)),
  act: async (req) => {
    const id = idParam(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = parseInput(matchForm, { statement_lines: idsFrom(body, 'statement_lines'), book_lines: idsFrom(body, 'book_lines'), rule: body.rule });
    await createMatch(req.ctx.db, actorOf(req), id, {
      statement_line_ids: input.statement_lines, book_line_ids: input.book_lines, via: input.rule ? 'proposal' : 'manual', rule: input.rule,
    });
    flash(req, 'bank.flash.matched');
    return backTo(id);
  },
});

const doAcceptSafe = formAction({
  view: 'bank/matching', locals: onMatching(async (req) => idParam(req)),
  act: async (req) => {
    const id = idParam(req);
    const count = await acceptSafeProposals(req.ctx.db, actorOf(req), id);
    flash(req, { key: 'bank.flash.accepted_safe', params: { count } });
    return backTo(id);
  },
});

/** The statement a match or a line form came back to: the hidden `statement`, else the line's own. */
async function returnStatement(req: Request, lineIds: () => Promise<number | null>): Promise<number> {
  const given = typeof req.body?.statement === 'string' && /^\d{1,12}$/.test(req.body.statement) ? Number(req.body.statement) : null;
  if (given && await findStatement(req.ctx.db, given)) return given;
  const own = await lineIds();
  if (own === null) throw notFound();
  return own;
}
const statementOfMatch = (req: Request) => returnStatement(req, async () => {
  const r = await req.ctx.db('bank_match_statement_lines as ms').join('bank_statement_lines as l', 'l.id', 'ms.statement_line_id')
    .where('ms.match_id', idParam(req)).orderBy('l.id').first('l.statement_id');
  return r ? Number(r.statement_id) : null;
});
const statementOfLine = (req: Request) => returnStatement(req, async () => {
  const r = await req.ctx.db('bank_statement_lines').where({ id: idParam(req) }).first('statement_id');
  return r ? Number(r.statement_id) : null;
});

const doUndo = formAction({
  view: 'bank/matching', locals: onMatching(statementOfMatch),
  act: async (req) => {
    const back = await statementOfMatch(req);
    const input = parseInput(undoForm, req.body);
    await undoMatch(req.ctx.db, req.ctx.clock, actorOf(req), idParam(req), input.reason);
    flash(req, 'bank.flash.undone');
    return backTo(back);
  },
});

const doChange = formAction({
  view: 'bank/matching', locals: onMatching(statementOfMatch),
  act: async (req) => {
    const back = await statementOfMatch(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = parseInput(changeForm, { reason: body.reason, statement_lines: idsFrom(body, 'statement_lines'), book_lines: idsFrom(body, 'book_lines') });
    await changeMatch(req.ctx.db, req.ctx.clock, actorOf(req), idParam(req), input.reason,
      { statement_line_ids: input.statement_lines, book_line_ids: input.book_lines });
    flash(req, 'bank.flash.matched');
    return backTo(back);
  },
});

const doExplain = formAction({
  view: 'bank/matching', locals: onMatching(statementOfLine),
  act: async (req) => {
    const back = await statementOfLine(req);
    const input = parseInput(explainForm, req.body);
    await explainLine(req.ctx.db, actorOf(req), idParam(req), input.explanation, input.note);
    flash(req, 'bank.flash.explained');
    return backTo(back);
  },
});

// ---- the bank reconciliation ----------------------------------------------------------------

async function reconciliationLocals(req: Request) {
  const statement = await statementOf(req);
  const r = await computeReconciliation(req.ctx.db, statement);
  const items = reconciliationItems(r, r.labels);
  const history = await savedReconciliations(req.ctx.db, statement.id);
  const last = history[0];
  return {
    title: t(req.lang, 'bank.recon.title', { id: statement.id }), nav: 'bank-statements', statement, r, items,
    in_transit_in: items.in_transit.filter((i) => i.amount_cents > 0), in_transit_out: items.in_transit.filter((i) => i.amount_cents < 0),
    not_recorded_in: items.not_recorded.filter((i) => i.amount_cents > 0), not_recorded_out: items.not_recorded.filter((i) => i.amount_cents < 0),
    voided: r.voided.map(([a, b]) => ({ original: r.labels.get(a.id), reversal: r.labels.get(b.id) })),
    minus_not_recorded_in_cents: -r.not_recorded_in_cents, minus_not_recorded_out_cents: -r.not_recorded_out_cents,
    last: last ?? null, history,
    last_holds: last ? last.statement_balance_cents === r.statement_balance_cents && last.book_balance_cents === r.book_balance_cents
      && last.in_transit_cents === r.in_transit_cents && last.not_recorded_cents === r.not_recorded_cents
      && last.difference_cents === r.difference_cents : false,
  };
}

const showReconciliation: RequestHandler = async (req, res) => {
  res.render('bank/reconciliation', await reconciliationLocals(req));
};

const doSaveReconciliation = formAction({
  view: 'bank/reconciliation', locals: reconciliationLocals,
  act: async (req) => {
    const id = idParam(req);
    await saveReconciliation(req.ctx.db, actorOf(req), id);
    flash(req, 'bank.flash.reconciliation_saved');
    return `/finance/bank-statements/${id}/reconciliation`;
  },
});

export const routes: RouteDef[] = [
  get('/finance/bank-statements/:id/matching', FINANCE, showMatching),
  post('/finance/bank-statements/:id/matches', FINANCE, doMatch),
  post('/finance/bank-statements/:id/matches/safe', FINANCE, doAcceptSafe),
  post('/finance/bank-matches/:id/undo', FINANCE, doUndo),
  post('/finance/bank-matches/:id/change', FINANCE, doChange),
  post('/finance/bank-statement-lines/:id/explain', FINANCE, doExplain),
  get('/finance/bank-statements/:id/reconciliation', FINANCE, showReconciliation),
  post('/finance/bank-statements/:id/reconciliation', FINANCE, doSaveReconciliation),
];
