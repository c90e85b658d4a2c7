// Buyers' access (invitations, revocation) and the buyer's own pages.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, MANAGERS, type RouteDef } from '../web/routing.ts';
import { parseInput, HttpError, FormError } from '../web/errors.ts';
import { requiredText } from '../web/fields.ts';
import { translate } from '../web/i18n.ts';
import { actorOf } from '../web/actor.ts';
import { acceptInvitation, findUsableInvitation, firmAccess, inviteContact, revokeAccess } from './invitations.ts';
import { portalHome, portalReceiptsPage } from './home.ts';
import { mailOf } from '../mail/outbox.ts';

declare module 'express-session' {
  interface SessionData {
    invitationLink?: { email: string; url: string };
  }
}

const accessLocals = async (req: Parameters<RequestHandler>[0]) => {
  const ruc = String(req.params.ruc);
  const firm = await req.ctx.db('firms').where({ ruc }).first();
  if (!firm) throw new HttpError(404, 'errors.not_found');
  const users = [];
  // Each contact's invitation e-mail and its state (sent, pending, failed).
  for (const u of await firmAccess(req.ctx.db, ruc)) users.push({ ...u, mail: (await mailOf(req.ctx.db, 'user', u.id)).filter((m) => m.kind === 'invitation').slice(0, 1) });
  return { firm, users };
};

const showAccess: RequestHandler = async (req, res) => {
  const locals = await accessLocals(req);
  const invitationLink = req.session.invitationLink;
  delete req.session.invitationLink; // the link is shown once
  res.render('portal/access', { ...locals, invitationLink, values: {} });
};

const invite = formAction({
  view: 'portal/access',
  locals: accessLocals,
  async act(req) {
    const { email } = parseInput(z.object({ email: requiredText(254) }), req.body);
    const ruc = String(req.params.ruc);
    const { token, email: clean } = await inviteContact(req.ctx.db, ruc, email, actorOf(req));
    req.session.invitationLink = { email: clean, url: `${req.protocol}://${req.get('host')}/invitations/${token}` };
    return `/firms/${ruc}/access`;
  },
});

const revoke: RequestHandler = async (req, res) => {
  const ruc = await revokeAccess(req.ctx.db, Number(req.params.id), actorOf(req));
  res.redirect(303, `/firms/${ruc}/access`);
};

const showInvitation: RequestHandler = async (req, res) => {
  try {
    const inv = await findUsableInvitation(req.ctx.db, String(req.params.token));
    res.render('portal/accept', { email: inv.email, token: req.params.token, values: {} });
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    res.status(err.status).render('portal/accept', { dead: true, message: translate(req.lang, err.fields._form ?? 'errors.invalid') });
  }
};

const accept: RequestHandler = async (req, res) => {
  try {
    const body = parseInput(z.object({
      password: z.string().max(200, 'errors.too_long').default(''), password_confirm: z.string().max(200, 'errors.too_long').default(''),
    }), req.body);
    await acceptInvitation(req.ctx.db, String(req.params.token), body.password, body.password_confirm, req.ip ?? null);
    res.redirect(303, '/login?welcome=1');
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    const fields = err.fields;
    if (fields._form) {
      return res.status(err.status).render('portal/accept', { dead: true, message: translate(req.lang, fields._form) });
    }
    const errors = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, translate(req.lang, v)]));
    res.status(err.status).render('portal/accept', { token: req.params.token, errors, hasErrors: true, values: {} });
  }
};

export const routes: RouteDef[] = [
  get('/portal', ['buyer'], portalHome),
  get('/portal/receipts', ['buyer'], portalReceiptsPage),
  get('/firms/:ruc/access', MANAGERS, showAccess),
  post('/firms/:ruc/invitations', MANAGERS, invite),
  post('/users/:id/revoke', MANAGERS, revoke),
  get('/invitations/:token', 'public', showInvitation),
  post('/invitations/:token', 'public', accept),
];
