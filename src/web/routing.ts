// Every area declares its routes as a table of {method, path, access, handlers}. The app builds
// the router from these tables, so each route's access rule sits next to it, every POST gets CSRF
// protection by construction, and the access test can walk all routes from one list.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { FormError, HttpError, type FieldErrors } from './errors.ts';
import { translate, type Lang } from './i18n.ts';
import { takeFlash } from './flash.ts';

export type Role = 'admin' | 'manager' | 'finance' | 'buyer';
export const ROLES: Role[] = ['admin', 'manager', 'finance', 'buyer'];

/** 'public': anyone; 'user': any logged-in user; or the roles allowed (others get 403). */
export type Access = 'public' | 'user' | Role[];

export const STAFF: Role[] = ['admin', 'manager', 'finance'];
export const MANAGERS: Role[] = ['admin', 'manager'];
export const FINANCE: Role[] = ['admin', 'finance'];
export const ADMIN: Role[] = ['admin'];

export interface RouteDef {
  method: 'get' | 'post';
  path: string;
  access: Access;
  handlers: RequestHandler[];
  /** Middleware that must run before CSRF checking (e.g. a multipart body parser). */
  before?: RequestHandler[];
}

export interface AppContext {
  db: Db;
  clock: Clock;
  config: Config;
}

export interface CurrentUser {
  id: number;
  username: string;
  role: Role;
  firm_ruc: string | null;
}

declare global {
  namespace Express {
    interface Request {
      user?: CurrentUser;
      ctx: AppContext;
      lang: Lang;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    sessionVersion?: number;
    /** When the expiry was last pushed forward (ms since epoch): at most once a minute. */
    seenAt?: number;
  }
}

export function route(method: 'get' | 'post', path: string, access: Access, ...handlers: RequestHandler[]): RouteDef {
  return { method, path, access, handlers };
}
export const get = (path: string, access: Access, ...h: RequestHandler[]) => route('get', path, access, ...h);
export const post = (path: string, access: Access, ...h: RequestHandler[]) => route('post', path, access, ...h);

export function guard(access: Access): RequestHandler {
  return (req, res, next) => {
    if (access === 'public') return next();
    if (!req.user) {
      if (req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return res.redirect(303, '/login');
    }
    if (access === 'user' || access.includes(req.user.role)) return next();
    next(new HttpError(403, 'errors.forbidden'));
  };
}

export function buildRouter(routes: RouteDef[], csrfProtection: RequestHandler): Router {
  const router = Router();
  for (const r of routes) {
    const chain = [guard(r.access), ...(r.before ?? [])];
    if (r.method === 'post') chain.push(csrfProtection);
    else chain.push(takeFlash);
    router[r.method](r.path, ...chain, ...r.handlers);
  }
  return router;
}

export function translateErrors(lang: Lang, fields: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = translate(lang, v);
  return out;
}

/**
 * Runs a form action. On success redirects (303) to the URL it returns; when the action refuses
 * the input (FormError) the same form is rendered again with the values entered, each message
 * next to its field, and the error's status. Nothing was written: the action's transaction
 * rolled back before the error reached here.
 */
export function formAction(opts: {
  view: string;
  act: (req: Request, res: Response) => Promise<string>;
  locals?: (req: Request) => Promise<Record<string, unknown>> | Record<string, unknown>;
}): RequestHandler {
  return async (req, res) => {
    try {
      const to = await opts.act(req, res);
      res.redirect(303, to);
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      const extra = opts.locals ? await opts.locals(req) : {};
      res.status(err.status).render(opts.view, {
        ...extra,
        values: { ...((extra.values as object) ?? {}), ...(req.body ?? {}) },
        errors: translateErrors(req.lang, err.fields),
        hasErrors: true,
      });
    }
  };
}

/** Sends rows as CSV with a download name. */
export function sendCsv(res: Response, filename: string, body: string): void {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.send(body);
}
