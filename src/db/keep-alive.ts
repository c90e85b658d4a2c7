// better-sqlite3 12 on Node 24: its objects must never be freed by the garbage collector.
//
// Node 24.19 changed `node::ObjectWrap`, a header that native addons compile in: its destructor now
// removes an environment clean-up hook and asserts that a JavaScript context is entered
// (nodejs/node#65446). better-sqlite3 12 builds Database and Statement on it, and V8 often collects
// garbage from a platform task with no context entered (a scavenge, the end of incremental marking).
// The first statement collected there aborts the process:
//   Assertion failed: (env) != nullptr   node::RemoveEnvironmentCleanupHook ← Statement::~Statement()
// It does not depend on tsx (a plain `node` script that prepares statements in a loop aborts the same
// way); tsx only allocated enough to hit it at start-up. better-sqlite3 13 leaves ObjectWrap but needs
// Node 22, and Node 20 is still supported. So: keep every such object reachable until the process ends
// (Node's exit clean-up then deletes them with the environment in place; checked on 24.21). knex
// prepares a statement per query: each connection keeps one statement per SQL text and reuses it
// (knex writes placeholders, not values, so the texts are few), which also saves the prepare.
import type Database from 'better-sqlite3';

export type RawSqlite = InstanceType<typeof Database>;

const kept = new Set<object>();

/** Keeps a better-sqlite3 object (a Database, a Statement) reachable for the life of the process. */
export function keepAlive<T extends object>(o: T): T {
  kept.add(o);
  return o;
}

/** Beyond this many distinct SQL texts on one connection, new ones are no longer reused (a runaway guard). */
const MAX_STATEMENTS = 10_000;

/**
 * Makes `conn.prepare` reuse one statement per SQL text, all kept alive, and keeps `conn` alive.
 * `conn.pragma` goes through it too (better-sqlite3's own prepares a statement behind the cache).
 */
export function reuseStatements(conn: RawSqlite): RawSqlite {
  const statements = new Map<string, ReturnType<RawSqlite['prepare']>>();
  const prepare = conn.prepare.bind(conn);
  conn.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      // Beyond the cap a statement is not reused, but still kept alive: a leak is better than an abort.
      statement = keepAlive(prepare(sql));
      if (statements.size < MAX_STATEMENTS) statements.set(sql, statement);
    }
    return statement;
  }) as RawSqlite['prepare'];
  // As better-sqlite3's pragma(): the rows, or with {simple: true} the first column of the first row.
  conn.pragma = ((source: string, options: { simple?: boolean } = {}) => {
    const statement = conn.prepare(`PRAGMA ${source}`);
    if (!statement.reader) {
      statement.run();
      return options.simple ? undefined : [];
    }
    if (!options.simple) return statement.all();
    const row = statement.get() as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }) as RawSqlite['pragma'];
  return keepAlive(conn);
}
