// Online backup and restore of the embedded SQLite database through SQLite's backup API, which
// copies a consistent snapshot while the app keeps serving (WAL readers are not blocked).
// The documents attached to records travel with it: `backup <file>` also writes `<file>.files/`, the
// stored files that the snapshot's attachment rows name (same layout as FILES_DIR: <sha[0..2]>/<sha>),
// each checked against its SHA-256 as it is copied; `restore <file>` checks every one of them first
// (a missing or altered file stops the restore before anything changes), puts them in FILES_DIR, and
// only then replaces the database.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './knex.ts';
import { reuseStatements, type RawSqlite } from './keep-alive.ts';
import { copyVerified, hashOfFile, storedPath } from '../attachments/store.ts';

/** Where a backup's attached files go: beside it, as `<backup file>.files/`. */
export const backupFilesDir = (file: string): string => `${path.resolve(file)}.files`;

/** The distinct stored files that the attachment rows of a SQLite database file name. */
function attachedFilesIn(file: string): { sha256: string; size_bytes: number }[] {
  const src = reuseStatements(new Database(file, { readonly: true, fileMustExist: true })); // Node 24: keep-alive.ts
  try {
    const has = src.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name='attachments'").get() as { n: number };
    if (!has.n) return []; // a backup made before documents existed
    return src.prepare('SELECT DISTINCT sha256, size_bytes FROM attachments ORDER BY sha256').all() as { sha256: string; size_bytes: number }[];
  } finally {
    src.close();
  }
}

async function withRawConnection<T>(db: Db, fn: (conn: RawSqlite) => Promise<T>): Promise<T> {
  if (db.client.config.client !== 'better-sqlite3') {
    throw new Error('backup/restore here is for the embedded SQLite database; for PostgreSQL use pg_dump/pg_restore');
  }
  const conn = (await db.client.acquireConnection()) as RawSqlite;
  try {
    return await fn(conn);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/**
 * Writes a consistent copy of the live database to `file` and checks it, then copies the attached
 * files its rows name from `filesDir` (FILES_DIR) to `<file>.files/`, checking each one's SHA-256.
 * Returns the database's size in bytes and the number of files.
 */
export async function backupTo(db: Db, file: string, filesDir: string): Promise<{ bytes: number; files: number }> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await withRawConnection(db, async (conn) => { await conn.backup(target); });
  checkBackupFile(target);
  // The snapshot's rows: every file they name was in place before its row was committed.
  const files = attachedFilesIn(target);
  const into = backupFilesDir(target);
  fs.mkdirSync(into, { recursive: true });
  for (const f of files) await copyVerified(filesDir, into, f.sha256);
  return { bytes: fs.statSync(target).size, files: files.length };
}

/**
 * Checks that `<file>.files/` holds every file the backup's rows name, with the right SHA-256 and
 * size. Throws listing every missing or altered file.
 */
export async function checkBackupFiles(file: string): Promise<{ sha256: string; size_bytes: number }[]> {
  const files = attachedFilesIn(file);
  const dir = backupFilesDir(file);
  const problems: string[] = [];
  for (const f of files) {
    const stored = storedPath(dir, f.sha256);
    const hash = await hashOfFile(stored);
    if (hash === null) problems.push(`missing: ${stored}`);
    else if (hash !== f.sha256) problems.push(`SHA-256 differs: ${stored} (found ${hash})`);
    else if (fs.statSync(stored).size !== Number(f.size_bytes)) problems.push(`size differs: ${stored}`);
  }
  if (problems.length) {
    throw new Error(`The backup's attached files do not match its database (${problems.length} of ${files.length}); nothing was restored:\n  ${problems.join('\n  ')}`);
  }
  return files;
}

/** A backup must be an intact SQLite file of this application (it has our migrations table). */
export function checkBackupFile(file: string): { migrations: number } {
  if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
  const src = reuseStatements(new Database(file, { readonly: true, fileMustExist: true })); // Node 24: keep-alive.ts
  try {
    const integrity = src.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`The backup is damaged: ${String(integrity)}`);
    const hasTable = src.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name='knex_migrations'").get() as { n: number };
    if (!hasTable.n) throw new Error('That file is not a backup of this application (no knex_migrations table).');
    const row = src.prepare('SELECT count(*) AS n FROM knex_migrations').get() as { n: number };
    return { migrations: row.n };
  } finally {
    src.close();
  }
}

/**
 * Replaces the database at `target` with the backup's content through SQLite's backup API, which
 * writes under SQLite's own locks (safe even with the app running). The database as it was is kept
 * first beside it (…before-restore-<time>.sqlite): nothing is lost by a restore. Before that, the
 * backup's attached files are checked (all of them, against the backup's rows) and put in `filesDir`
 * (FILES_DIR; files already there are kept: they are named by their content). Returns the kept
 * database's path and the number of attached files.
 */
export async function restoreFrom(file: string, target: string, filesDir: string): Promise<{ safety: string | null; files: number }> {
  const source = path.resolve(file);
  checkBackupFile(source);
  const files = await checkBackupFiles(source);
  for (const f of files) await copyVerified(backupFilesDir(source), filesDir, f.sha256);
  let safety: string | null = null;
  if (fs.existsSync(target)) {
    safety = `${target.replace(/\.sqlite$/, '')}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`;
    const live = reuseStatements(new Database(target, { fileMustExist: true }));
    try { await live.backup(safety); } finally { live.close(); }
  }
  const src = reuseStatements(new Database(source, { readonly: true }));
  try { await src.backup(target); } finally { src.close(); }
  return { safety, files: files.length };
}
