// The user's own account: changing the password (which ends the user's other sessions).
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, type RouteDef } from '../web/routing.ts';
import { FormError, parseInput } from '../web/errors.ts';
import { actorOf } from '../web/actor.ts';
import { t } from '../web/i18n.ts';
import { setPassword } from '../auth/service.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { findUserById } from '../auth/queries.ts';

const showForm: RequestHandler = (req, res) => {
  res.render('account/password', { title: t(req.lang, 'account.password_title'), values: {}, changed: req.query.changed === '1' });
};

const change = formAction({
  view: 'account/password',
  locals: (req) => ({ title: t(req.lang, 'account.password_title') }),
  async act(req) {
    const body = parseInput(z.object({
      current_password: z.string().max(200, 'errors.too_long').default(''),
      password: z.string().max(200, 'errors.too_long').default(''),
      password_confirm: z.string().max(200, 'errors.too_long').default(''),
    }), req.body);
    const user = await findUserById(req.ctx.db, req.user!.id);
    if (!user || !(await verifyPassword(body.current_password, user.password_hash))) {
      throw new FormError(400, { current_password: 'account.current_wrong' });
    }
    if (body.password !== body.password_confirm) throw new FormError(400, { password_confirm: 'portal.password_mismatch' });
    await setPassword(req.ctx.db, user.username, body.password, actorOf(req));
    // Every other session is now stale; this one carries on with the new version.
    req.session.sessionVersion = user.session_version + 1;
    return '/account/password?changed=1';
  },
});

export const routes: RouteDef[] = [
  get('/account/password', 'user', showForm),
  post('/account/password', 'user', change),
];
