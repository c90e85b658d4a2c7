// Online backup and restore of the embedded SQLite database through SQLite's backup API, which
// copies a consistent snapshot while the app keeps serving (WAL readers are not blocked).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './knex.ts';
import { reuseStatements, type RawSqlite } from './keep-alive.ts';

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

/** Writes a consistent copy of the live database to `file` and checks it. Returns its size in bytes. */
export async function backupTo(db: Db, file: string): Promise<number> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await withRawConnection(db, async (conn) => { await conn.backup(target); });
  checkBackupFile(target);
  return fs.statSync(target).size;
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
 * first beside it (…before-restore-<time>.sqlite): nothing is lost by a restore. Returns that path.
 */
export async function restoreFrom(file: string, target: string): Promise<string | null> {
  const source = path.resolve(file);
  checkBackupFile(source);
  let safety: string | null = null;
  if (fs.existsSync(target)) {
    safety = `${target.replace(/\.sqlite$/, '')}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`;
    const live = reuseStatements(new Database(target, { fileMustExist: true }));
    try { await live.backup(safety); } finally { live.close(); }
  }
  const src = reuseStatements(new Database(source, { readonly: true }));
  try { await src.backup(target); } finally { src.close(); }
  return safety;
}
