// Forgotten password: ask for a link by e-mail, then set a new password with it. Public pages.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, type RouteDef } from '../web/routing.ts';
import { FormError, parseInput } from '../web/errors.ts';
import { t, translate } from '../web/i18n.ts';
import { findUsableReset, requestPasswordReset, resetPassword } from './reset.ts';

const title = (req: Request) => t(req.lang, 'reset.title');

const showForgot: RequestHandler = (req, res) => {
  res.render('auth/forgot', { title: title(req), values: {} });
};

const forgot: RequestHandler = async (req, res) => {
  let email: string;
  try {
    ({ email } = parseInput(z.object({ email: z.string().trim().min(1, 'reset.email_required').max(254, 'errors.too_long') }), req.body));
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, translate(req.lang, v)]));
    return res.status(400).render('auth/forgot', { title: title(req), values: {}, errors, hasErrors: true });
  }
  const outcome = await requestPasswordReset(req.ctx.db, email, req.ip ?? null);
  if (outcome === 'throttled') {
    return res.status(429).render('auth/forgot', { title: title(req), values: { email }, formError: t(req.lang, 'errors.too_many') });
  }
  res.render('auth/forgot-sent', { title: title(req) });
};

const deadPage = (req: Request, res: Parameters<RequestHandler>[1], err: FormError) =>
  res.status(err.status).render('auth/reset', { title: title(req), dead: true, message: translate(req.lang, err.fields._form ?? 'errors.invalid') });

const showReset: RequestHandler = async (req, res) => {
  try {
    const r = await findUsableReset(req.ctx.db, String(req.params.token));
    res.render('auth/reset', { title: title(req), email: r.email, token: req.params.token, values: {} });
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    deadPage(req, res, err);
  }
};

const doReset: RequestHandler = async (req, res) => {
  try {
    const body = parseInput(z.object({
      password: z.string().max(200, 'errors.too_long').default(''), password_confirm: z.string().max(200, 'errors.too_long').default(''),
    }), req.body);
    await resetPassword(req.ctx.db, String(req.params.token), body.password, body.password_confirm, req.ip ?? null);
    res.redirect(303, '/login?reset=1');
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    if (err.fields._form) return deadPage(req, res, err);
    const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, translate(req.lang, v)]));
    res.status(err.status).render('auth/reset', { title: title(req), token: req.params.token, errors, hasErrors: true, values: {} });
  }
};

export const routes: RouteDef[] = [
  get('/password/forgot/new', 'public', showForgot),
  // Throttled per address (and quiet per account) in the service, counted in the audit log.
  post('/password/forgot', 'public', forgot),
  get('/password/reset/:token', 'public', showReset),
  post('/password/reset/:token', 'public', doReset),
];
