// CSRF protection for every POST (routing.ts puts it in front of each one).
//  - A logged-in user: a synchroniser token kept in the session (csrf-sync).
//  - A visitor (the login form, an invitation): no session row is made just to hold a token (every
//    anonymous page would write one). The token is a random value in an httpOnly, signed cookie
//    (`ilo.csrf`), and the form must carry the same value: a page on another site can neither read
//    that cookie nor forge its signature. The cookie is dropped at login, so a token handed out
//    before the login is no good after it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';

export const ANON_CSRF_COOKIE = 'ilo.csrf';

export function csrfProtection(opts: { secret: string; secureCookie: boolean }) {
  const tokenFromRequest = (req: Request) =>
    (typeof req.body?._csrf === 'string' ? req.body._csrf as string : undefined)
    ?? (typeof req.headers['x-csrf-token'] === 'string' ? req.headers['x-csrf-token'] : undefined);
  const sync = csrfSync({ getTokenFromRequest: tokenFromRequest });

  const sign = (value: string) => createHmac('sha256', opts.secret).update(`csrf:${value}`).digest('base64url');
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  /** The visitor's token, when its cookie is there and its signature holds. */
  function anonToken(req: Request): string | undefined {
    const m = new RegExp(`(?:^|;\\s*)${ANON_CSRF_COOKIE.replace('.', '\\.')}=([A-Za-z0-9_-]{20,64})\\.([A-Za-z0-9_-]{43})(?:;|$)`).exec(req.headers.cookie ?? '');
    return m && same(sign(m[1]!), m[2]!) ? m[1] : undefined;
  }

  const loggedIn = (req: Request) => Boolean(req.session?.userId);

  /** The token for the forms of this page: the session's, or the visitor's cookie (set when new). */
  function tokenFor(req: Request, res: Response): string {
    if (loggedIn(req)) return sync.generateToken(req);
    const existing = anonToken(req);
    if (existing) return existing;
    const value = randomBytes(24).toString('base64url');
    res.cookie(ANON_CSRF_COOKIE, `${value}.${sign(value)}`, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookie, path: '/' });
    return value;
  }

  const protect: RequestHandler = (req, res, next) => {
    if (loggedIn(req)) return sync.csrfSynchronisedProtection(req, res, next);
    const expected = anonToken(req);
    const got = tokenFromRequest(req);
    if (expected && got && same(expected, got)) return next();
    next(sync.invalidCsrfTokenError);
  };

  return { protect, tokenFor };
}

/** At login: the new session gets its own token (saved with the login), and the visitor's cookie goes. */
export function startSessionToken(req: Request, res: Response): void {
  req.session.csrfToken = randomBytes(128).toString('hex');
  res.clearCookie(ANON_CSRF_COOKIE, { path: '/' });
}
