// The knex instance: embedded SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';

export type Db = Knex;
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function isPostgres(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function createDb(url: string): Db {
  if (isPostgres(url)) {
    return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 } });
  }
  if (url !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(url)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: url },
    useNullAsDefault: true,
    // One connection: SQLite has one writer, and one connection serialises transactions in-process.
    pool: {
      min: 1, max: 1,
      afterCreate(conn: { pragma: (s: string) => unknown }, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('journal_mode = WAL');
        // FULL: a receipt handed to a buyer must survive a power cut (NORMAL may lose the last commits).
        conn.pragma('synchronous = FULL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}

const MIGRATIONS_DIR = path.join(ROOT_DIR, 'migrations');

/**
 * Lists migrations/*.ts and imports them from here, so that the same loader works under tsx
 * (the app) and vitest (the tests); knex's own loader would import the .ts files natively.
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{14}_.+\.ts$/.test(f)).sort();
  },
  getMigrationName: (name) => name,
  async getMigration(name) {
    return import(pathToFileURL(path.join(MIGRATIONS_DIR, name)).href);
  },
};

export const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest(migrationConfig);
}
