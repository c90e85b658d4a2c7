// Password hashing with scrypt (memory-hard, in node's crypto): "scrypt$N$r$p$salt$hash".
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

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

// The commonest passwords, refused outright (plus anything shorter than 10 characters).
const COMMON = new Set(['password', 'password1', 'password123', '123456789', '1234567890',
  '12345678910', 'qwertyuiop', 'contraseña', 'contrasena', 'contrasena123', 'administrador',
  'iloilo1234', 'peru123456', 'qwerty1234', '1q2w3e4r5t', 'abcdefghij', '0123456789',
  'aaaaaaaaaa', 'demo-ilo', 'municipalidad', 'parqueindustrial', 'iloparque2026']);

/** Returns an i18n key when the password is refused, null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < 10) return 'auth.password_too_short';
  if (password.length > 200) return 'errors.too_long';
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return 'auth.password_common';
  if (username && lower.includes(username.toLowerCase())) return 'auth.password_has_username';
  return null;
}
