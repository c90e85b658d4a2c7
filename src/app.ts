// Builds the Express app from its parts; used by the server and by the tests.
import path from 'node:path';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { engine } from 'express-handlebars';
import { csrfSync } from 'csrf-sync';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import { ROOT_DIR } from './db/knex.ts';
import { allRoutes } from './routes.ts';
import { buildRouter, type AppContext, type CurrentUser } from './web/routing.ts';
import { helpers } from './web/helpers.ts';
import { detectLang } from './web/lang.ts';
import { FormError, HttpError } from './web/errors.ts';
import { t, translate } from './web/i18n.ts';
import { findUserById } from './auth/queries.ts';
import { audit } from './audit/audit.ts';
import { isDemo } from './demo.ts';

export async function createApp(ctx: AppContext): Promise<express.Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

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
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  app.use(detectLang);

  const idleMs = ctx.config.SESSION_IDLE_MINUTES * 60 * 1000;
  app.use(session({
    name: 'ilo.sid',
    secret: ctx.config.SESSION_SECRET,
    store: new ConnectSessionKnexStore({
      knex: ctx.db, tableName: 'sessions', createTable: true,
      cleanupInterval: ctx.config.NODE_ENV === 'test' ? 0 : 10 * 60 * 1000,
    }),
    resave: false,
    saveUninitialized: false,
    rolling: true, // idle expiry: every request pushes the expiry forward
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: idleMs, secure: ctx.config.NODE_ENV === 'production' ? 'auto' : false },
  }));

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined),
  });

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
    if (req.session) res.locals.csrfToken = generateToken(req);
    next();
  };
  app.use(loadUser);

  app.use(buildRouter(allRoutes, csrfSynchronisedProtection));

  app.use((req, _res, next) => next(new HttpError(404, 'errors.not_found')));

  const onError: ErrorRequestHandler = async (err, req, res, _next) => {
    let status = 500;
    let message = t(req.lang ?? 'es', 'errors.server');
    if (err instanceof HttpError) {
      status = err.status;
      message = t(req.lang, err.messageKey);
    } else if (err instanceof FormError) {
      status = err.status;
      message = Object.values(err.fields).map((m) => translate(req.lang, m)).join(' ');
    } else if (err?.code === 'EBADCSRFTOKEN') {
      status = 403;
      message = t(req.lang, 'errors.csrf');
    } else if (err?.type === 'entity.too.large' || err?.status === 400) {
      status = 400;
      message = t(req.lang, 'errors.invalid');
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
    res.render('errors/error', { status, title: t(req.lang ?? 'es', `errors.title.${status}`), message });
  };
  app.use(onError);
  return app;
}
