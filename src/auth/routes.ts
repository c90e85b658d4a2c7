// Login, logout, the home page and the language switch.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, type RouteDef } from '../web/routing.ts';
import { LANG_COOKIE, safeNext } from '../web/lang.ts';
import { t } from '../web/i18n.ts';
import { FormError, parseInput } from '../web/errors.ts';
import { startSessionToken } from '../web/csrf.ts';
import { attemptLogin } from './service.ts';
import { home } from '../home/dashboard.ts';

const loginSchema = z.object({
  username: z.string().trim().max(254, 'errors.too_long').default(''),
  password: z.string().max(200, 'errors.too_long').default(''),
  next: z.string().max(2000, 'errors.too_long').optional(),
});

const showLogin: RequestHandler = (req, res) => {
  if (req.user) return res.redirect(303, '/');
  const notice = req.query.reset === '1' ? t(req.lang, 'reset.done') : undefined;
  res.render('auth/login', { title: t(req.lang, 'auth.title'), values: { next: safeNext(req.query.next) }, notice });
};

const doLogin: RequestHandler = async (req, res) => {
  let input: z.infer<typeof loginSchema>;
  try {
    input = parseInput(loginSchema, req.body);
  } catch (err) {
    // Nothing a login form sends: say the login is not valid, as for a wrong password.
    if (!(err instanceof FormError)) throw err;
    return res.status(400).render('auth/login', { title: t(req.lang, 'auth.title'), values: { next: safeNext(req.body?.next) }, formError: t(req.lang, 'auth.login_invalid') });
  }
  const result = await attemptLogin(req.ctx.db, input.username, input.password, req.ip ?? null);
  if (!result.ok) {
    const status = result.reason === 'throttled' ? 429 : 400;
    const key = result.reason === 'throttled' ? 'errors.too_many' : 'auth.login_invalid';
    return res.status(status).render('auth/login', { title: t(req.lang, 'auth.title'), values: { username: input.username, next: input.next }, formError: t(req.lang, key) });
  }
  const user = result.user;
  // A new session id at login: an id planted before login (session fixation) is worthless after.
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.userId = user.id;
  req.session.sessionVersion = user.session_version;
  req.session.seenAt = Date.now();
  startSessionToken(req, res);
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
  res.redirect(303, safeNext(input.next));
};

const doLogout: RequestHandler = async (req, res) => {
  await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
  res.clearCookie('ilo.sid');
  res.redirect(303, '/login');
};


const switchLang: RequestHandler = (req, res) => {
  const lang = req.params.lang === 'en' ? 'en' : 'es';
  res.cookie(LANG_COOKIE, lang, { maxAge: 365 * 24 * 3600 * 1000, httpOnly: true, sameSite: 'lax' });
  res.redirect(303, safeNext(req.query.next));
};

export const routes: RouteDef[] = [
  get('/login', 'public', showLogin),
  // Throttling (per address and per account and address) is counted in the service, in the database.
  post('/login', 'public', doLogin),
  post('/logout', 'user', doLogout),
  get('/', 'user', home),
  get('/lang/:lang', 'public', switchLang),
];
