// Routes of collections, one table:
//   GET  /collections[.csv]?show=all            late contracts (default) or every live one      MANAGERS
//   POST /collections/:id/send                  issues the contract's next letter now → 303      MANAGERS
//   POST /collections/:id/notes                 note (required, max 1000) → 303                  MANAGERS
//   GET  /collections/letters/:number           the printable letter (A4)                  staff, buyer (own)
import type { Request, RequestHandler } from 'express';
import { mailOf } from '../mail/outbox.ts';
import { z } from 'zod';
import { paperLocals } from '../identity/paper.ts';
import { get, post, sendCsv, translateErrors, MANAGERS, type RouteDef } from '../web/routing.ts';
import { FormError, notFound, parseInput } from '../web/errors.ts';
import { requiredText } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { t, translate } from '../web/i18n.ts';
import { flash } from '../web/flash.ts';
import { rowsToCsv } from '../web/csv.ts';
import { firstOf } from '../web/paging.ts';
import { getCollectionSettings, getHowToPay } from '../settings/collections.ts';
import { collectionsCsv, collectionsReport } from './report.ts';
import { addCollectionNote, lastLetterOf, letterFor, sendLetterNow } from './service.ts';
import { addContractPageSection } from '../contracts/page-sections.ts';

// The contract page says the contract's last letter (views/partials/contract-letters.hbs).
addContractPageSection('lastLetter', ({ db, contract }) => lastLetterOf(db, contract.id));

const showSchema = z.object({
  show: z.preprocess(firstOf, z.string().optional()).catch(undefined).transform((v) => (v === 'all' ? 'all' : 'late') as 'all' | 'late'),
});

const contractId = (req: Request) => {
  const id = Number(req.params.id);
  if (!/^\d{1,9}$/.test(String(req.params.id)) || !Number.isSafeInteger(id)) throw notFound();
  return id;
};

async function pageLocals(req: Request, extra: Record<string, unknown> = {}, keep?: number) {
  let { show } = parseInput(showSchema, req.query);
  const today = req.ctx.clock.today();
  let lines = await collectionsReport(req.ctx.db, today, show);
  // A refusal for a contract the late list does not show: the whole list, so that its row (and message) is there.
  if (keep !== undefined && show === 'late' && !lines.some((l) => l.contract_id === keep)) {
    show = 'all';
    lines = await collectionsReport(req.ctx.db, today, show);
  }
  const settings = await getCollectionSettings(req.ctx.db);
  return { title: t(req.lang, 'collections.title'), today, show, lines, hour: settings.collections_hour, ...extra };
}

const page: RequestHandler = async (req, res) => {
  res.render('collections/index', await pageLocals(req));
};

const csv: RequestHandler = async (req, res) => {
  const { show } = parseInput(showSchema, req.query);
  const today = req.ctx.clock.today();
  sendCsv(res, `cobranza-${today}.csv`, rowsToCsv(collectionsCsv(await collectionsReport(req.ctx.db, today, show))));
};

/** A refusal shows the cobranza page again with the message on that contract's row. */
async function refused(req: Request, res: Parameters<RequestHandler>[1], id: number, err: FormError, values: Record<string, unknown> = {}) {
  const errors = translateErrors(req.lang, err.fields);
  res.status(err.status).render('collections/index', await pageLocals(req, {
    rowErrors: { id, errors, form: errors._form ?? null }, rowValues: values,
  }, id));
}

const sendNow: RequestHandler = async (req, res) => {
  const id = contractId(req);
  try {
    const letter = await sendLetterNow(req.ctx.db, id, req.ctx.clock.today(), actorOf(req));
    flash(req, { key: 'collections.sent', params: { number: letter.number, email: letter.email ? translate(req.lang, { key: 'collections.sent_to', params: { email: letter.email } }) : '' } });
    res.redirect(303, '/collections');
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    await refused(req, res, id, err);
  }
};

const noteSchema = z.object({ note: requiredText(1000) });

const addNote: RequestHandler = async (req, res) => {
  const id = contractId(req);
  try {
    const { note } = parseInput(noteSchema, req.body);
    await addCollectionNote(req.ctx.db, id, note, req.ctx.clock.today(), actorOf(req));
    flash(req, 'collections.note_saved');
    res.redirect(303, '/collections');
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    await refused(req, res, id, err, req.body ?? {});
  }
};

const showLetter: RequestHandler = async (req, res) => {
  const number = String(req.params.number);
  if (!/^CC-\d{4}-\d{4,}$/.test(number)) throw notFound();
  const { letter, contract } = await letterFor(req.ctx.db, number, req.user);
  const howToPay = await getHowToPay(req.ctx.db);
  const staff = req.user!.role !== 'buyer';
  res.render('collections/letter', {
    title: t(req.lang, 'letter.title', { number }), letter, contract, howToPay, staff,
    // Staff see whether the letter's e-mail went out, or why not (views/partials/mail-state.hbs).
    mail: staff ? await mailOf(req.ctx.db, 'collection_letter', number) : [],
    ...(await paperLocals(req, `${t(req.lang, 'letter.kind')} ${number}`)),
  });
};

export const routes: RouteDef[] = [
  get('/collections', MANAGERS, page),
  get('/collections.csv', MANAGERS, csv),
  post('/collections/:id/send', MANAGERS, sendNow),
  post('/collections/:id/notes', MANAGERS, addNote),
  get('/collections/letters/:number', 'user', showLetter),
];
