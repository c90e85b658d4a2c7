import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { runCli } from '../../src/cli.ts';
import { verifyPassword } from '../../src/auth/passwords.ts';
import type { Db } from '../../src/db/knex.ts';
import { reuseStatements } from '../../src/db/keep-alive.ts'; // Node 24: better-sqlite3 objects must not be collected
import { isPg, tempDb } from '../support/app.ts';

let dir: string;
let dbFile: string;
let pgDb: Db | undefined; // on PostgreSQL: a fresh database the CLI is pointed at, read through here
const out: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-cli-'));
  dbFile = path.join(dir, 'park.sqlite');
  if (isPg) {
    const fresh = await tempDb();
    pgDb = fresh.db;
    fs.rmSync(fresh.dir, { recursive: true, force: true });
    process.env.DATABASE_URL = fresh.url;
  } else {
    process.env.DATABASE_URL = dbFile;
  }
  vi.spyOn(console, 'log').mockImplementation((m: unknown) => { out.push(String(m)); });
  vi.spyOn(console, 'error').mockImplementation((m: unknown) => { out.push(String(m)); });
});
afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.DATABASE_URL;
  await pgDb?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

type UserRow = { username: string; role: string; password_hash: string; session_version: number };
const users = async (): Promise<UserRow[]> => {
  if (pgDb) return pgDb('users').orderBy('username').select('username', 'role', 'password_hash', 'session_version');
  const db = reuseStatements(new Database(dbFile, { readonly: true }));
  try { return db.prepare('SELECT username, role, password_hash, session_version FROM users ORDER BY username').all() as UserRow[]; } finally { db.close(); }
};

describe('npm run cli', () => {
  it('creates a user with a role and a hashed password', async () => {
    expect(await runCli(['user:create', 'tesoreria', '--role', 'finance', '--password', 'Tesoro-de-Ilo-2026'])).toBe(0);
    const [u] = await users();
    expect(u).toMatchObject({ username: 'tesoreria', role: 'finance' });
    expect(u!.password_hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('Tesoro-de-Ilo-2026', u!.password_hash)).toBe(true);
  });

  it('refuses an unknown role, a common password and a buyer without RUC, with the reason', async () => {
    out.length = 0;
    expect(await runCli(['user:create', 'usuario1', '--role', 'boss', '--password', 'Tesoro-de-Ilo-2026'])).toBe(1);
    expect(await runCli(['user:create', 'usuario2', '--role', 'manager', '--password', 'password123'])).toBe(1);
    expect(await runCli(['user:create', 'usuario3', '--role', 'buyer', '--password', 'Tesoro-de-Ilo-2026'])).toBe(1);
    expect(out.join('\n')).toContain('Rol desconocido.');
    expect(out.join('\n')).toContain('demasiado común');
    expect(out.join('\n')).toContain('RUC de su empresa');
    expect(await users()).toHaveLength(1);
  });

  it('resets a password and ends the sessions of that user', async () => {
    expect(await runCli(['user:password', 'tesoreria', '--password', 'Otra-clave-de-Ilo'])).toBe(0);
    const [u] = await users();
    expect(await verifyPassword('Otra-clave-de-Ilo', u!.password_hash)).toBe(true);
    expect(u!.session_version).toBe(1);
  });

  it.skipIf(isPg)('backs up the database and restores it, keeping the replaced one beside it (SQLite file only; PostgreSQL: pg_dump)', async () => {
    const backup = path.join(dir, 'backups', 'copy.sqlite');
    const rc = await runCli(['backup', backup]);
    expect(rc, out.join('\n')).toBe(0);
    expect(fs.existsSync(backup)).toBe(true);
    expect(await runCli(['user:create', 'despues', '--role', 'manager', '--password', 'Creado-luego-2026'])).toBe(0);
    expect((await users()).map((u) => u.username)).toEqual(['despues', 'tesoreria']);

    expect(await runCli(['restore', backup])).toBe(0);
    expect((await users()).map((u) => u.username)).toEqual(['tesoreria']);
    const kept = fs.readdirSync(dir).filter((f) => f.includes('before-restore'));
    expect(kept).toHaveLength(1);
    const old = reuseStatements(new Database(path.join(dir, kept[0]!), { readonly: true }));
    expect((old.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(2);
    old.close();
  });

  it.skipIf(isPg)('refuses to restore a file that is not a backup of this application (SQLite file only; PostgreSQL: pg_restore)', async () => {
    const bogus = path.join(dir, 'bogus.sqlite');
    const b = reuseStatements(new Database(bogus)); b.exec('CREATE TABLE t (x)'); b.close();
    out.length = 0;
    expect(await runCli(['restore', bogus])).toBe(1);
    expect(out.join('\n')).toContain('not a backup of this application');
    expect((await users()).map((u) => u.username)).toEqual(['tesoreria']);
  });

  // Only defined on PostgreSQL, so that the SQLite run lists no skipped test for it.
  if (isPg) it('on PostgreSQL, refuses backup and restore and names pg_dump and pg_restore instead', async () => {
    out.length = 0;
    expect(await runCli(['backup', path.join(dir, 'copy.sqlite')])).toBe(1);
    expect(await runCli(['restore', path.join(dir, 'copy.sqlite')])).toBe(1);
    expect(out.join('\n')).toContain('for PostgreSQL use pg_dump/pg_restore');
    expect(out.join('\n')).toContain('for PostgreSQL use pg_restore');
    expect(fs.existsSync(path.join(dir, 'copy.sqlite'))).toBe(false);
  });
});
