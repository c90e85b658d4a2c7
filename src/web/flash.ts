// A one-shot message after a form saved something ("Empresa registrada", "Pago registrado"): the POST
// puts it in the session just before its 303, the next page shows it once. Only logged-in users post
// the forms that use it, so it never creates a session of its own.
import type { Request, RequestHandler } from 'express';
import type { Message } from './errors.ts';
import { translate } from './i18n.ts';

declare module 'express-session' {
  interface SessionData {
    flash?: Message;
  }
}

/** Leaves `message` (an i18n key, with parameters) for the next page this user opens. */
export function flash(req: Request, message: Message): void {
  if (req.session && req.user) req.session.flash = message;
}

/** Takes the waiting message, if any, into the page's locals (`flash`), and forgets it. */
export const takeFlash: RequestHandler = (req, res, next) => {
  const message = req.session?.flash;
  if (message) {
    res.locals.flash = translate(req.lang, message);
    delete req.session.flash;
  }
  next();
};
