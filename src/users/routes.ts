// User accounts (admin): the same operations as `npm run cli -- user:*`, in the browser.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, ADMIN, ROLES, type RouteDef, type Role } from '../web/routing.ts';
import { FormError, parseInput } from '../web/errors.ts';
import { optionalText, requiredText, choice } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { t } from '../web/i18n.ts';
import { createUser } from '../auth/service.ts';
import { listAccounts, resetPassword, setActive } from './service.ts';

// Most accounts an administrator creates are the park's staff: the manager first in the list.
const ROLE_CHOICES: Role[] = ['manager', 'finance', 'admin', 'buyer'];
const listLocals = async (req: Parameters<RequestHandler>[0]) => ({
  title: t(req.lang, 'users.title'), users: await listAccounts(req.ctx.db), roles: ROLE_CHOICES,
});

const list: RequestHandler = async (req, res) => {
  res.render('users/index', { ...(await listLocals(req)), values: {}, done: req.query.done });
};

const newSchema = z.object({
  username: requiredText(64),
  role: choice(ROLES as [Role, ...Role[]]),
  password: z.string().default(''),
  email: optionalText(254),
  firm_ruc: optionalText(11),
  full_name: optionalText(120),
  post: optionalText(120),
});

const create = formAction({
  view: 'users/index',
  locals: listLocals,
  async act(req) {
    const input = parseInput(newSchema, req.body);
    await createUser(req.ctx.db, { ...input, password: input.password }, actorOf(req));
    return '/users?done=created';
  },
});

const reset = formAction({
  view: 'users/index',
  // The row whose password form was refused, so its message shows next to that row's field.
  locals: async (req) => ({ ...(await listLocals(req)), values: { reset_id: String(req.params.id) } }),
  async act(req) {
    const { new_password } = parseInput(z.object({ new_password: z.string().default('') }), req.body);
    try {
      await resetPassword(req.ctx.db, Number(req.params.id), new_password, actorOf(req));
    } catch (err) {
      // The password form sits on a row of the list: its message goes next to that row's field.
      if (err instanceof FormError) throw new FormError(err.status, { new_password: err.fields.password ?? err.fields._form ?? 'errors.invalid' });
      throw err;
    }
    return '/users?done=password';
  },
});

const toggle = formAction({
  view: 'users/index',
  // The row whose deactivation was not confirmed, so its message shows next to that row's box.
  locals: async (req) => ({ ...(await listLocals(req)), values: { toggle_id: String(req.params.id) } }),
  async act(req) {
    const { active, confirm } = parseInput(z.object({ active: z.enum(['0', '1']), confirm: z.string().optional() }), req.body);
    // Deactivating ends that person's sessions at once: it takes a ticked "I confirm", checked here.
    if (active === '0' && confirm !== '1') throw new FormError(400, { confirm: 'users.confirm_required' });
    await setActive(req.ctx.db, Number(req.params.id), active === '1', actorOf(req));
    return `/users?done=${active === '1' ? 'activated' : 'deactivated'}`;
  },
});

export const routes: RouteDef[] = [
  get('/users', ADMIN, list),
  post('/users', ADMIN, create),
  post('/users/:id/password', ADMIN, reset),
  post('/users/:id/active', ADMIN, toggle),
];
