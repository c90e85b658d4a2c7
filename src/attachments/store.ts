// Where the attached documents' bytes live: FILES_DIR, one file per distinct content, named by its
// SHA-256 (FILES_DIR/<first two hex digits>/<sha256>). The same content uploaded twice is stored
// once. A file is written whole to FILES_DIR/.tmp/ first, flushed to disk, then renamed into place:
// a crash never leaves a partial file under a hash name, and a file under a hash name always has that hash.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isPostgres } from '../db/knex.ts';
import type { Config } from '../config.ts';

/** FILES_DIR, or `files/` beside the SQLite database file, or ./data/files with PostgreSQL. */
export function filesDirOf(config: Pick<Config, 'FILES_DIR' | 'DATABASE_URL'>): string {
  if (config.FILES_DIR) return path.resolve(config.FILES_DIR);
  const url = config.DATABASE_URL;
  if (isPostgres(url) || url === ':memory:') return path.resolve('data/files');
  return path.join(path.dirname(path.resolve(url)), 'files');
}

export const sha256Of = (content: Uint8Array): string => crypto.createHash('sha256').update(content).digest('hex');

const SHA_RE = /^[0-9a-f]{64}$/;

/** The path of the content with this hash under `dir`. */
export function storedPath(dir: string, sha256: string): string {
  if (!SHA_RE.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
  return path.join(dir, sha256.slice(0, 2), sha256);
}

/** The SHA-256 of a file on disk (streamed), or null when there is no such file. */
export async function hashOfFile(file: string): Promise<string | null> {
  try {
    const hash = crypto.createHash('sha256');
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Writes `content` to `target` through a flushed temporary file in `tmpDir` and a rename. */
async function writeWhole(tmpDir: string, target: string, content: Uint8Array): Promise<void> {
  await fs.promises.mkdir(tmpDir, { recursive: true });
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const tmp = path.join(tmpDir, `${crypto.randomBytes(12).toString('hex')}.part`);
  const fh = await fs.promises.open(tmp, 'wx', 0o640);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Puts `content` in `dir` under its hash, unless the same content is already there (checked by
 * hashing what is there: a damaged copy is replaced). Returns the hash and whether it was written.
 */
export async function storeContent(dir: string, content: Uint8Array): Promise<{ sha256: string; written: boolean }> {
  const sha256 = sha256Of(content);
  const target = storedPath(dir, sha256);
  if (await hashOfFile(target) === sha256) return { sha256, written: false };
  await writeWhole(path.join(dir, '.tmp'), target, content);
  return { sha256, written: true };
}

/** The stored content with this hash (throws when the file is missing: the row says it is there). */
export async function readContent(dir: string, sha256: string): Promise<Buffer> {
  return fs.promises.readFile(storedPath(dir, sha256));
}

/**
 * Copies the file with hash `sha256` from one store (FILES_DIR, or a backup's `.files/` directory) to
 * another, checking the bytes on the way: a source that is missing or does not hash to `sha256`
 * throws and writes nothing. A target that already holds the right bytes is left as it is.
 */
export async function copyVerified(fromDir: string, toDir: string, sha256: string): Promise<'copied' | 'present'> {
  const target = storedPath(toDir, sha256);
  if (await hashOfFile(target) === sha256) return 'present';
  const source = storedPath(fromDir, sha256);
  let content: Buffer;
  try {
    content = await fs.promises.readFile(source);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`Missing file ${source}`);
    throw err;
  }
  const got = sha256Of(content);
  if (got !== sha256) throw new Error(`File ${source} does not match its SHA-256 (expected ${sha256}, found ${got})`);
  await writeWhole(path.join(toDir, '.tmp'), target, content);
  return 'copied';
}
