import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { runCli } from '../../src/cli.ts';
import { verifyPassword } from '../../src/auth/passwords.ts';

let dir: string;
let dbFile: string;
const out: string[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-cli-'));
  dbFile = path.join(dir, 'park.sqlite');
  process.env.DATABASE_URL = dbFile;
  vi.spyOn(console, 'log').mockImplementation((m: unknown) => { out.push(String(m)); });
  vi.spyOn(console, 'error').mockImplementation((m: unknown) => { out.push(String(m)); });
});
afterAll(() => {
  vi.restoreAllMocks();
  delete process.env.DATABASE_URL;
  fs.rmSync(dir, { recursive: true, force: true });
});

const users = () => {
  const db = new Database(dbFile, { readonly: true });
  try { return db.prepare('SELECT username, role, password_hash, session_version FROM users ORDER BY username').all() as { username: string; role: string; password_hash: string; session_version: number }[]; } finally { db.close(); }
};

describe('npm run cli', () => {
  it('creates a user with a role and a hashed password', async () => {
    expect(await runCli(['user:create', 'tesoreria', '--role', 'finance', '--password', 'Tesoro-de-Ilo-2026'])).toBe(0);
    const [u] = users();
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
    expect(users()).toHaveLength(1);
  });

  it('resets a password and ends the sessions of that user', async () => {
    expect(await runCli(['user:password', 'tesoreria', '--password', 'Otra-clave-de-Ilo'])).toBe(0);
    const [u] = users();
    expect(await verifyPassword('Otra-clave-de-Ilo', u!.password_hash)).toBe(true);
    expect(u!.session_version).toBe(1);
  });

  it('backs up the database and restores it, keeping the replaced one beside it', async () => {
    const backup = path.join(dir, 'backups', 'copy.sqlite');
    const rc = await runCli(['backup', backup]);
    expect(rc, out.join('\n')).toBe(0);
    expect(fs.existsSync(backup)).toBe(true);
    expect(await runCli(['user:create', 'despues', '--role', 'manager', '--password', 'Creado-luego-2026'])).toBe(0);
    expect(users().map((u) => u.username)).toEqual(['despues', 'tesoreria']);

    expect(await runCli(['restore', backup])).toBe(0);
    expect(users().map((u) => u.username)).toEqual(['tesoreria']);
    const kept = fs.readdirSync(dir).filter((f) => f.includes('before-restore'));
    expect(kept).toHaveLength(1);
    const old = new Database(path.join(dir, kept[0]!), { readonly: true });
    expect((old.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(2);
    old.close();
  });

  it('refuses to restore a file that is not a backup of this application', async () => {
    const bogus = path.join(dir, 'bogus.sqlite');
    const b = new Database(bogus); b.exec('CREATE TABLE t (x)'); b.close();
    out.length = 0;
    expect(await runCli(['restore', bogus])).toBe(1);
    expect(out.join('\n')).toContain('not a backup of this application');
    expect(users().map((u) => u.username)).toEqual(['tesoreria']);
  });
});
