// The municipality's identity on printed papers (issue 14): name, RUC, address, office, logo, and the
// official who signs sales (full name, DNI, designation and the resolution that designates them).
// Text fields are rows of `settings` (a row missing reads as its default); the logo is a row of
// `settings_files` (base64), so the letterhead needs no file storage. Users' full names and posts
// (users.full_name, users.post) name people on papers instead of their usernames.
import crypto from 'node:crypto';
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, Refusals, type FieldErrors } from '../web/errors.ts';
import { compactDni, dniProblem, formatDni, rucProblem } from '../domain/ruc.ts';

export const IDENTITY_KEYS = [
  'identity_name', 'identity_ruc', 'identity_address', 'identity_office',
  'signer_name', 'signer_dni', 'signer_post', 'signer_resolution',
] as const;
export type IdentityKey = (typeof IDENTITY_KEYS)[number];
export type IdentityValues = Record<IdentityKey, string>;

export const DEFAULT_IDENTITY_NAME = 'Municipalidad Provincial de Ilo';
export const IDENTITY_DEFAULTS: IdentityValues = {
  identity_name: DEFAULT_IDENTITY_NAME, identity_ruc: '', identity_address: '', identity_office: '',
  signer_name: '', signer_dni: '', signer_post: '', signer_resolution: '',
};
export const IDENTITY_MAX: Record<IdentityKey, number> = {
  identity_name: 120, identity_ruc: 11, identity_address: 200, identity_office: 120,
  signer_name: 120, signer_dni: 9, signer_post: 120, signer_resolution: 120,
};

export const LOGO_KEY = 'identity_logo';
/** The largest logo accepted: 300 KB. */
export const LOGO_MAX_BYTES = 300 * 1024;
export type LogoType = 'image/png' | 'image/jpeg';

/** The image type from the file's first bytes (never its name or the browser's word): PNG or JPEG, else null. */
export function logoType(bytes: Uint8Array): LogoType | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

export interface Logo { content_type: LogoType; size_bytes: number; sha256: string; updated_at: string }

export interface Identity extends IdentityValues {
  logo: Logo | null;
  /** `/identity/logo?v=<hash>`: a new logo gets a new address, so the old one may be cached for good. */
  logo_url: string | null;
  /** Whether the official who signs sales is set (name at least). */
  has_signer: boolean;
  /** The signer's DNI as RENIEC prints it ("10117410-2"). */
  signer_dni_display: string;
}

export async function getIdentity(db: Db): Promise<Identity> {
  const rows: { key: string; value: string }[] = await db('settings').whereIn('key', IDENTITY_KEYS as unknown as string[]);
  const values: IdentityValues = { ...IDENTITY_DEFAULTS };
  for (const r of rows) values[r.key as IdentityKey] = String(r.value);
  const logoRow = await db('settings_files').where({ key: LOGO_KEY })
    .first('content_type', 'size_bytes', 'sha256', 'updated_at');
  const logo: Logo | null = logoRow ? {
    content_type: logoRow.content_type as LogoType, size_bytes: Number(logoRow.size_bytes), sha256: String(logoRow.sha256), updated_at: String(logoRow.updated_at),
  } : null;
  return {
    ...values, logo,
    logo_url: logo ? `/identity/logo?v=${logo.sha256.slice(0, 16)}` : null,
    has_signer: values.signer_name !== '',
    signer_dni_display: formatDni(values.signer_dni),
  };
}

export async function getLogo(db: Db): Promise<{ content_type: LogoType; bytes: Buffer; sha256: string } | null> {
  const row = await db('settings_files').where({ key: LOGO_KEY }).first('content_type', 'data_base64', 'sha256');
  return row ? { content_type: row.content_type as LogoType, bytes: Buffer.from(String(row.data_base64), 'base64'), sha256: String(row.sha256) } : null;
}

export interface IdentityInput {
  values: IdentityValues;
  /** A new logo (bytes as uploaded), or null to keep the one there is (a logo is replaced, never removed). */
  logo: Uint8Array | null;
}

/** The rules on each field, all at once: name required, a valid RUC, a valid DNI when given, a PNG/JPEG logo up to 300 KB. */
export function identityProblems(input: { values: Partial<IdentityValues>; logo?: Uint8Array | null }): FieldErrors {
  const errors: FieldErrors = {};
  const v = input.values;
  if (v.identity_name !== undefined && v.identity_name === '') errors.identity_name = 'errors.required';
  if (v.identity_ruc !== undefined) {
    if (v.identity_ruc === '') errors.identity_ruc = 'errors.required';
    else {
      const p = rucProblem(v.identity_ruc);
      if (p) errors.identity_ruc = `firms.ruc_${p}`;
    }
  }
  if (v.signer_dni) {
    const p = dniProblem(v.signer_dni);
    if (p) errors.signer_dni = `firms.dni_${p}`;
  }
  // The signer is named in full or not at all: a DNI or a designation without a name, or a name without them, is half a signer.
  if (v.signer_name !== undefined && (v.signer_name || v.signer_dni || v.signer_post || v.signer_resolution)) {
    if (!v.signer_name) errors.signer_name = 'identity.signer_incomplete';
    if (!v.signer_dni && !errors.signer_dni) errors.signer_dni = 'identity.signer_incomplete';
    if (!v.signer_post) errors.signer_post = 'identity.signer_incomplete';
  }
  for (const k of IDENTITY_KEYS) {
    if ((v[k]?.length ?? 0) > IDENTITY_MAX[k] && !errors[k]) errors[k] = 'errors.too_long';
  }
  if (input.logo) {
    if (input.logo.length > LOGO_MAX_BYTES) errors.logo = 'identity.logo_too_large';
    else if (!logoType(input.logo)) errors.logo = 'identity.logo_type';
  }
  return errors;
}

/** Saves the identity in one transaction with its audit entry; every refusal at once (400), nothing written. */
export async function saveIdentity(db: Db, input: IdentityInput, actor: Actor, now = new Date()): Promise<void> {
  const errors = new Refusals();
  for (const [field, message] of Object.entries(identityProblems({ values: input.values, logo: input.logo }))) errors.add(field, message);
  errors.throwIfAny();
  const values: IdentityValues = { ...input.values, signer_dni: compactDni(input.values.signer_dni) };
  await db.transaction(async (trx) => {
    const before = await getIdentity(trx);
    const changes: Record<string, [unknown, unknown]> = {};
    for (const key of IDENTITY_KEYS) {
      if (values[key] === before[key]) continue;
      const updated = await trx('settings').where({ key }).update({ value: values[key] });
      if (updated === 0) await trx('settings').insert({ key, value: values[key] });
      changes[key] = [before[key], values[key]];
    }
    if (input.logo) {
      const type = logoType(input.logo);
      if (!type) throw new FormError(400, { logo: 'identity.logo_type' });
      const sha256 = crypto.createHash('sha256').update(input.logo).digest('hex');
      if (sha256 !== before.logo?.sha256) {
        const row = {
          content_type: type, data_base64: Buffer.from(input.logo).toString('base64'), size_bytes: input.logo.length,
          sha256, updated_by: actor.id, updated_at: now.toISOString(),
        };
        const updated = await trx('settings_files').where({ key: LOGO_KEY }).update(row);
        if (updated === 0) await trx('settings_files').insert({ key: LOGO_KEY, ...row });
        changes.logo = [before.logo?.sha256 ?? null, sha256];
      }
    }
    if (Object.keys(changes).length) await audit(trx, actor, 'settings.identity', 'settings', 'identity', changes);
  });
}

// ---- People: users' full names and posts ---------------------------------------------------------

export const PERSON_MAX = { full_name: 120, post: 120 } as const;

export interface Person { username: string; full_name: string | null; post: string | null }

/** Sets a user's full name and post ('' clears), with the audit entry. */
export async function setProfile(db: Db, userId: number, input: { full_name: string; post: string }, actor: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    const user = await trx('users').where({ id: userId }).first('id', 'username', 'full_name', 'post');
    if (!user) throw new FormError(404, { _form: 'auth.user_unknown' });
    const after = { full_name: input.full_name || null, post: input.post || null };
    const changes: Record<string, [unknown, unknown]> = {};
    if ((user.full_name ?? null) !== after.full_name) changes.full_name = [user.full_name ?? null, after.full_name];
    if ((user.post ?? null) !== after.post) changes.post = [user.post ?? null, after.post];
    if (!Object.keys(changes).length) return;
    await trx('users').where({ id: userId }).update(after);
    await audit(trx, actor, 'user.profile', 'user', String(user.username), changes);
  });
}

/** Every user with a full name, by username: what `{{who}}` prints instead of the username. */
export async function peopleByUsername(db: Db): Promise<Record<string, { full_name: string; post: string | null }>> {
  const rows: Person[] = await db('users').whereNotNull('full_name').select('username', 'full_name', 'post');
  const out: Record<string, { full_name: string; post: string | null }> = {};
  for (const r of rows) if (r.full_name) out[r.username] = { full_name: r.full_name, post: r.post || null };
  return out;
}

/** Staff users without a full name (the identity page warns: their papers would show the username). */
export async function staffWithoutName(db: Db): Promise<string[]> {
  const rows: { username: string }[] = await db('users').whereNot('role', 'buyer').where('active', true)
    .where((q) => q.whereNull('full_name').orWhere('full_name', ''))
    .orderBy('username').select('username');
  return rows.map((r) => r.username);
}
