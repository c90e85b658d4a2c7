// Password hashing with scrypt (memory-hard, in node's crypto): "scrypt$N$r$p$salt$hash".
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as es from '@zxcvbn-ts/language-es-es';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))));

const N = 16384; const R = 8; const P = 1; const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length,
    { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

// Strength by zxcvbn: tens of thousands of common passwords, names and words (Spanish too), keyboard
// runs, dates and l33t speak. A score below 3 ("safely unguessable: moderate protection") is refused.
// Built on first use, not at import: ranking the dictionaries takes about half a second of CPU, which
// every start paid (measured by `npm run bench`) though only setting a password needs it.
let zxcvbnInstance: ZxcvbnFactory | null = null;
const zxcvbn = (): ZxcvbnFactory => (zxcvbnInstance ??= new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...es.dictionary },
  graphs: common.adjacencyGraphs,
  translations: es.translations,
}));
const PARK_WORDS = ['ilo', 'parque', 'industrial', 'municipalidad', 'acipias', 'demo-ilo', 'moquegua'];

/** Returns an i18n key when the password is refused, null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < 10) return 'auth.password_too_short';
  if (password.length > 200) return 'errors.too_long';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'auth.password_has_username';
  const { score } = zxcvbn().check(password, [...PARK_WORDS, ...(username ? [username] : [])]);
  return score < 3 ? 'auth.password_common' : null;
}
