// Builds the Express app from its parts; used by the server and by the tests.
import path from 'node:path';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { engine } from 'express-handlebars';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import { csrfProtection } from './web/csrf.ts';
import { trustProxyValue } from './config.ts';
import { ROOT_DIR } from './db/knex.ts';
import { allRoutes } from './routes.ts';
import { buildRouter, type AppContext, type CurrentUser } from './web/routing.ts';
import { helpers } from './web/helpers.ts';
import { detectLang } from './web/lang.ts';
import { ZodError } from 'zod';
import { FormError, HttpError } from './web/errors.ts';
import { t, translate } from './web/i18n.ts';
import { findUserById } from './auth/queries.ts';
import { audit } from './audit/audit.ts';
import { isDemo } from './demo.ts';
import { peopleForViews } from './identity/paper.ts';

/**
 * What a body parser (express.urlencoded, i.e. body-parser) refuses: its errors carry a `type` and a
 * 4xx status. Too large → 413; an encoding or charset it does not take → 415; anything else it could
 * not read (a broken gzip, an aborted upload) → 400.
 */
function bodyError(err: unknown): { status: 400 | 413 | 415; key: string } | null {
  const e = err as { type?: unknown; status?: unknown; code?: unknown } | null;
  // A body that claims gzip or deflate and is not: zlib's own error, passed on as it is.
  if (e && typeof e.code === 'string' && /^Z_[A-Z_]+_ERROR$/.test(e.code)) return { status: 400, key: 'errors.body_invalid' };
  if (!e || typeof e.type !== 'string' || typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return null;
  if (e.status === 413) return { status: 413, key: 'errors.body_too_large' };
  if (e.status === 415) return { status: 415, key: 'errors.body_encoding' };
  return { status: 400, key: 'errors.body_invalid' };
}

/** A logged-in session's expiry is pushed forward (a write) at most this often. */
const KEEP_ALIVE_MS = 60 * 1000;

export async function createApp(ctx: AppContext): Promise<express.Express> {
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS proxy (TRUST_PROXY names it) req.secure and req.ip come from its X-Forwarded-* headers.
  app.set('trust proxy', trustProxyValue(ctx.config.TRUST_PROXY));

  app.engine('hbs', engine({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(ROOT_DIR, 'views/layouts'),
    partialsDir: path.join(ROOT_DIR, 'views/partials'),
    helpers,
  }));
  app.set('view engine', 'hbs');
  // Express turns this on only when NODE_ENV=production; every other start compiled each template
  // (views, layout, partials) again on every request.
  app.set('view cache', ctx.config.TEMPLATE_CACHE === 'on');
  app.set('views', path.join(ROOT_DIR, 'views'));

  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // Inline SVG charts and maps carry presentation attributes; no inline scripts anywhere.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
  }));
  app.use('/static', express.static(path.join(ROOT_DIR, 'public'), { maxAge: '1h' }));
  // The language first: a body the parser refuses is answered in the visitor's language.
  app.use(detectLang);
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));

  // Sessions: a row only for a logged-in user (saveUninitialized: false, and the visitor's CSRF token
  // lives in a cookie, see web/csrf.ts). Idle expiry without a write per request: the store's touch
  // does nothing, and `keepAlive` below marks the session once a minute at most, which saves it with
  // a new expiry (and sends the cookie again). So a session ends between IDLE and IDLE + 1 minute idle.
  const idleMs = ctx.config.SESSION_IDLE_MINUTES * 60 * 1000;
  const secureCookie = ctx.config.NODE_ENV === 'production';
  const store = new ConnectSessionKnexStore({
    knex: ctx.db, tableName: 'sessions', createTable: true,
    // Expired sessions are swept by one process at a time (src/jobs/scheduler.ts), not by each store.
    cleanupInterval: 0,
  });
  store.touch = async (_sid: string, _session: unknown, callback?: (err?: unknown) => void) => { callback?.(); };
  app.use(session({
    name: 'ilo.sid',
    secret: ctx.config.SESSION_SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    // Production: Secure always (over plain HTTP no session cookie is sent at all). Behind a TLS
    // proxy, TRUST_PROXY lets Express see that the request came in over HTTPS.
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: idleMs, secure: secureCookie },
  }));
  const keepAlive: RequestHandler = (req, _res, next) => {
    const s = req.session;
    if (s?.userId && Date.now() - (s.seenAt ?? 0) >= KEEP_ALIVE_MS) s.seenAt = Date.now();
    next();
  };

  const csrf = csrfProtection({ secret: ctx.config.SESSION_SECRET, secureCookie });

  const demo = await isDemo(ctx.db);
  const loadUser: RequestHandler = async (req, res, next) => {
    req.ctx = ctx;
    const id = req.session.userId;
    if (id) {
      const user = await findUserById(ctx.db, id);
      // A password change bumps session_version and so ends every older session.
      if (user && user.active && user.session_version === req.session.sessionVersion) {
        const current: CurrentUser = { id: user.id, username: user.username, role: user.role, firm_ruc: user.firm_ruc };
        req.user = current;
      } else {
        await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
      }
    }
    res.locals.lang = req.lang;
    res.locals.user = req.user;
    res.locals.isDemo = demo;
    res.locals.currentPath = req.originalUrl;
    res.locals.role = req.user ? { [req.user.role]: true } : {};
    // Also on POST: a refused form is rendered again and must carry the (unchanged) token.
    res.locals.csrfToken = csrf.tokenFor(req, res);
    next();
  };
  app.use(loadUser);
  app.use(keepAlive);
  // Pages name people by their full names ({{who}}): loaded just before a logged-in page renders.
  app.use(peopleForViews);

  app.use(buildRouter(allRoutes, csrf.protect));

  app.use((req, _res, next) => next(new HttpError(404, 'errors.not_found')));

  const onError: ErrorRequestHandler = async (err, req, res, _next) => {
    req.lang ??= 'es';
    res.locals.lang ??= req.lang;
    let status = 500;
    let message = t(req.lang, 'errors.server');
    const body = bodyError(err);
    if (body) {
      status = body.status;
      message = t(req.lang, body.key);
    } else if (err instanceof HttpError) {
      status = err.status;
      message = t(req.lang, err.messageKey);
    } else if (err instanceof FormError) {
      status = err.status;
      message = Object.values(err.fields).map((m) => translate(req.lang, m)).join(' ');
    } else if (err instanceof ZodError) {
      // A schema parsed outside parseInput: still the client's input, never a server error.
      status = 400;
      message = t(req.lang, 'errors.invalid');
    } else if (err?.code === 'EBADCSRFTOKEN') {
      status = 403;
      message = t(req.lang, 'errors.csrf');
    } else {
      console.error(err);
    }
    // Refusals are security events: a 403, and a 404 answered to a buyer (which is how another
    // firm's record is refused without saying that it exists).
    if (status === 403 || (status === 404 && req.user?.role === 'buyer')) {
      await audit(ctx.db, { id: req.user?.id ?? null, username: req.user?.username ?? null, ip: req.ip ?? null },
        status === 403 ? 'access.denied' : 'access.not_found', 'route', `${req.method} ${req.path}`.slice(0, 64)).catch(() => undefined);
    }
    if (res.headersSent) return;
    res.status(status);
    if (req.path.endsWith('.csv') || req.path.endsWith('.journal')) {
      res.type('text/plain; charset=utf-8').send(`${message}\n`);
      return;
    }
    // The error page must not fail in turn (that would hand the error to Express's own page).
    res.render('errors/error', { status, title: t(req.lang, `errors.title.${status}`), message }, (renderErr, html) => {
      if (renderErr) {
        console.error(renderErr);
        res.type('text/plain; charset=utf-8').send(`${message}\n`);
      } else res.send(html);
    });
  };
  app.use(onError);
  return app;
}
