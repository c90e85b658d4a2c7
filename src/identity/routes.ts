// Routes of the municipality's identity (admin), its logo (public: it is on every paper), and the full
// name and post of each user (admin on /users/<id>/edit; each user on /account).
import type { RequestHandler } from 'express';
import multer from 'multer';
import { receiveUpload } from '../web/upload.ts';
import { z } from 'zod';
import { get, post, formAction, ADMIN, type RouteDef } from '../web/routing.ts';
import { FormError, notFound, parseForm, parseInput } from '../web/errors.ts';
import { actorOf } from '../web/actor.ts';
import { t } from '../web/i18n.ts';
import {
  IDENTITY_KEYS, IDENTITY_MAX, LOGO_MAX_BYTES, PERSON_MAX, getIdentity, getLogo, identityProblems, saveIdentity, setProfile, staffWithoutName,
  type IdentityValues,
} from './service.ts';
import { formatDni } from '../domain/ruc.ts';

// ---- /settings/identity --------------------------------------------------------------------------

const identitySchema = z.object(Object.fromEntries(IDENTITY_KEYS.map((k) => [k,
  z.string().trim().max(IDENTITY_MAX[k], 'errors.too_long').default('')])) as unknown as Record<keyof IdentityValues, z.ZodType<string>>);

// The logo travels in the multipart body with the CSRF token: parsed before the CSRF check. One byte over
// the limit is enough to say "too large" (the bytes are not kept).
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: LOGO_MAX_BYTES + 1, files: 1, fields: 20 } }).single('logo');
const receiveLogo = receiveUpload(upload, 'identity.logo_too_large');

async function identityLocals(req: Parameters<RequestHandler>[0]) {
  const identity = await getIdentity(req.ctx.db);
  return {
    title: t(req.lang, 'identity.title'),
    identity,
    unnamedList: (await staffWithoutName(req.ctx.db)).join(', '),
    values: { ...Object.fromEntries(IDENTITY_KEYS.map((k) => [k, identity[k]])), signer_dni: formatDni(identity.signer_dni) },
    logoMaxKb: LOGO_MAX_BYTES / 1024,
  };
}

const identityPage: RequestHandler = async (req, res) => {
  res.render('settings/identity', { ...(await identityLocals(req)), saved: req.query.saved === '1' });
};

const saveIdentityRoute = formAction({
  view: 'settings/identity',
  locals: identityLocals,
  act: async (req, res) => {
    const file = req.file && req.file.size > 0 ? new Uint8Array(req.file.buffer) : null;
    const uploadError = res.locals.uploadError as string | undefined;
    // Every message at once: zod's, the rules of the fields that parsed, and the upload's.
    const problemsOf = (v: Partial<IdentityValues>) => {
      const problems = identityProblems({ values: v, logo: file });
      return uploadError ? { ...problems, logo: uploadError } : problems;
    };
    const values = await parseForm(identitySchema, req.body, problemsOf);
    const problems = problemsOf(values);
    if (Object.keys(problems).length) throw new FormError(400, problems);
    await saveIdentity(req.ctx.db, { values, logo: file }, actorOf(req));
    return '/settings/identity?saved=1';
  },
});

/** The logo: a new one gets a new `v`, so an address with the right `v` may be cached for good. */
const logo: RequestHandler = async (req, res) => {
  const found = await getLogo(req.ctx.db);
  if (!found) throw notFound();
  const etag = `"${found.sha256.slice(0, 32)}"`;
  const versioned = req.query.v === found.sha256.slice(0, 16);
  res.set({
    'Content-Type': found.content_type,
    'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.headers['if-none-match'] === etag) return void res.status(304).end();
  res.send(found.bytes);
};

// ---- Full name and post --------------------------------------------------------------------------

const profileSchema = z.object({
  full_name: z.string().trim().max(PERSON_MAX.full_name, 'errors.too_long').default(''),
  post: z.string().trim().max(PERSON_MAX.post, 'errors.too_long').default(''),
});

async function userToEdit(req: Parameters<RequestHandler>[0]) {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const u = await req.ctx.db('users').where({ id }).first('id', 'username', 'role', 'full_name', 'post', 'email');
  if (!u) throw notFound();
  return u as { id: number; username: string; role: string; full_name: string | null; post: string | null; email: string | null };
}

const editUser: RequestHandler = async (req, res) => {
  const u = await userToEdit(req);
  res.render('users/edit', { title: t(req.lang, 'identity.user_edit_title', { username: u.username }), target: u, values: { full_name: u.full_name ?? '', post: u.post ?? '' } });
};

const saveUser = formAction({
  view: 'users/edit',
  locals: async (req) => {
    const u = await userToEdit(req);
    return { title: t(req.lang, 'identity.user_edit_title', { username: u.username }), target: u };
  },
  act: async (req) => {
    const u = await userToEdit(req);
    const input = parseInput(profileSchema, req.body);
    await setProfile(req.ctx.db, u.id, input, actorOf(req));
    return '/users?done=profile';
  },
});

async function accountLocals(req: Parameters<RequestHandler>[0]) {
  const me = await req.ctx.db('users').where({ id: req.user!.id }).first('username', 'full_name', 'post', 'role');
  return { title: t(req.lang, 'identity.account_title'), me };
}

const accountPage: RequestHandler = async (req, res) => {
  const locals = await accountLocals(req);
  res.render('account/profile', { ...locals, values: { full_name: locals.me?.full_name ?? '', post: locals.me?.post ?? '' }, saved: req.query.saved === '1' });
};

const saveAccount = formAction({
  view: 'account/profile',
  locals: accountLocals,
  act: async (req) => {
    const input = parseInput(profileSchema, req.body);
    await setProfile(req.ctx.db, req.user!.id, input, actorOf(req));
    return '/account?saved=1';
  },
});

export const routes: RouteDef[] = [
  get('/settings/identity', ADMIN, identityPage),
  { ...post('/settings/identity', ADMIN, saveIdentityRoute), before: [receiveLogo] },
  get('/identity/logo', 'public', logo),
  get('/users/:id/edit', ADMIN, editUser),
  post('/users/:id/profile', ADMIN, saveUser),
  get('/account', 'user', accountPage),
  post('/account/profile', 'user', saveAccount),
];
