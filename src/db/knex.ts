// The knex instance: embedded SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { reuseStatements, type RawSqlite } from './keep-alive.ts';

export type Db = Knex;

/** Compiled by `npm run build` (dist/src/db/knex.js, run by `npm start`) rather than run from source (tsx, vitest). */
const BUILT = import.meta.url.endsWith('.js');
/** Where the code of src/, migrations/ and seeds/ sits: the repository, or dist/ in the build. */
const CODE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The repository: views/, public/ and docs/ are read from here, by the build as well. */
export const ROOT_DIR = BUILT ? path.dirname(CODE_DIR) : CODE_DIR;

export function isPostgres(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** The DATABASE_URL as it may be printed: a PostgreSQL password is masked. */
export function displayUrl(url: string): string {
  if (!isPostgres(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

const BOOL_OID = 16;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * PostgreSQL sends bigint (money in céntimos, count(*)) and numeric (sum() of bigint) as strings;
 * SQLite gives numbers. Both become JS numbers here, refused loudly if they are not safe integers
 * (a float or a value beyond 2^53 must never pass silently for money).
 */
export function parseSafeInteger(text: string): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new Error(`The database returned ${text}, which is not a safe integer`);
  }
  return n;
}

// SQLite has no boolean type and gives 1/0: PostgreSQL's booleans come back the same way, so a row
// (and the audit log's copy of it) reads alike on both.
const parseBoolean = (text: string): number => (text === 't' ? 1 : 0);

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary' && (oid === INT8_OID || oid === NUMERIC_OID)) return parseSafeInteger;
    if (format !== 'binary' && oid === BOOL_OID) return parseBoolean;
    return pg.types.getTypeParser(oid, format);
  },
};

/** Any fixed number: the key of the advisory lock that every writing transaction holds on PostgreSQL. */
const WRITE_LOCK_KEY = 4_201_106;

/**
 * The services check, then write, in one transaction, and rely on SQLite running one transaction at
 * a time (a payment checked against the balance, a lot checked available). PostgreSQL would run them
 * side by side under READ COMMITTED, so each top-level transaction first takes one advisory lock
 * until it ends: writers queue as they do on SQLite (across processes too), readers never wait.
 */
function serialiseTransactions(db: Db): Db {
  type Container = (trx: Knex.Transaction) => unknown;
  const client = db.client as { transaction(container: unknown, config: unknown, outerTx: unknown): unknown };
  const begin = client.transaction.bind(client);
  client.transaction = (container, config, outerTx) => {
    if (typeof container !== 'function' || outerTx) return begin(container, config, outerTx); // a savepoint
    const locked = async (trx: Knex.Transaction) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [WRITE_LOCK_KEY]);
      return (container as Container)(trx);
    };
    return begin(locked, config, outerTx);
  };
  return db;
}

export function createDb(url: string): Db {
  if (isPostgres(url)) {
    return serialiseTransactions(knexFactory({
      client: 'pg',
      // Per-connection parsers, so that no other pg user in the process is affected. A writer waits for
      // the write lock at most a minute, as knex waits for SQLite's one connection, then fails (nothing written).
      connection: { connectionString: url, types: pgTypes, lock_timeout: 60_000 } as Knex.PgConnectionConfig,
      pool: { min: 0, max: 10 },
    }));
  }
  if (url !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(url)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: url },
    useNullAsDefault: true,
    // One connection: SQLite has one writer, and one connection serialises transactions in-process.
    pool: {
      min: 1, max: 1,
      afterCreate(conn: RawSqlite, done: (err: Error | null, conn: unknown) => void) {
        reuseStatements(conn); // first: statements must outlive the process on Node 24 (keep-alive.ts)
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

const MIGRATIONS_DIR = path.join(CODE_DIR, 'migrations');
const MIGRATION_EXT = BUILT ? '.js' : '.ts';

/**
 * Lists migrations/*.ts (dist/migrations/*.js in the build) and imports them from here, so that the
 * same loader works under tsx and vitest and in the build; knex's own loader would import the .ts
 * files natively. A migration keeps its .ts name in knex_migrations whichever file ran it, so that a
 * database made by one runs on the other.
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs.readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith(MIGRATION_EXT) && /^\d{14}_.+$/.test(f))
      .map((f) => `${f.slice(0, -MIGRATION_EXT.length)}.ts`)
      .sort();
  },
  getMigrationName: (name) => name,
  async getMigration(name) {
    const file = `${name.slice(0, -'.ts'.length)}${MIGRATION_EXT}`;
    return import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href);
  },
};

export const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest(migrationConfig);
}
