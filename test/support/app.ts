// A fresh app on a fresh temporary SQLite database, with a frozen clock and one user per staff
// role. Each test file builds its own, so files never see each other's rows.
// With TEST_DATABASE_URL=postgres://… (a maintenance database such as …/postgres) each one is a
// fresh PostgreSQL database instead, created here and dropped when its knex is destroyed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import crypto from 'node:crypto';
import pg from 'pg';
import { createDb, isPostgres, migrate, type Db } from '../../src/db/knex.ts';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createUser } from '../../src/auth/service.ts';
import { verifyAccounts } from '../../src/accounts/maintain.ts';

export const PASSWORD = 'correct-horse-battery';
export const STAFF_USERS = { admin: 'admin', manager: 'gerente', finance: 'finanzas' } as const;

export interface TestApp {
  app: Express;
  db: Db;
  dir: string;
  /** The DATABASE_URL of this test's database (a SQLite file path or a postgres:// URL). */
  url: string;
  today: string;
  /** Destroys the database after checking (unless verify: false) that every maintained account equals its replay. */
  close(opts?: { verify?: boolean }): Promise<void>;
}

const PG_MAINTENANCE_URL = process.env.TEST_DATABASE_URL && isPostgres(process.env.TEST_DATABASE_URL)
  ? process.env.TEST_DATABASE_URL : undefined;
/** The tests run on PostgreSQL (TEST_DATABASE_URL) rather than on SQLite files. */
export const isPg = PG_MAINTENANCE_URL !== undefined;

async function onMaintenance(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_MAINTENANCE_URL });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

/** A new, empty PostgreSQL database on the test cluster; its knex drops it when destroyed. */
async function tempPgDb(): Promise<{ db: Db; url: string }> {
  const name = `ilo_test_${crypto.randomBytes(6).toString('hex')}`;
  // Sorted by code point and UTF-8, as SQLite compares text (whatever the cluster's default locale).
  await onMaintenance(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  const u = new URL(PG_MAINTENANCE_URL!);
  u.pathname = `/${name}`;
  const db = createDb(u.toString());
  // db.destroy() (what every test calls when done) ends in client.destroy: the database goes with it.
  const client = db.client as { destroy(cb?: (err?: unknown) => void): Promise<void> };
  const destroy = client.destroy.bind(client);
  client.destroy = async (cb) => {
    await destroy();
    await onMaintenance(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    cb?.();
  };
  return { db, url: u.toString() };
}

/** A fresh, migrated database and a temporary directory for the test's files. */
export async function tempDb(): Promise<{ db: Db; dir: string; url: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-test-'));
  let db: Db;
  let url: string;
  if (isPg) {
    ({ db, url } = await tempPgDb());
  } else {
    url = path.join(dir, 'test.sqlite');
    db = createDb(url);
  }
  await migrate(db);
  return { db, dir, url };
}

export async function testApp(opts: { today?: string } = {}): Promise<TestApp> {
  const today = opts.today ?? '2026-11-25';
  const { db, dir, url } = await tempDb();
  for (const [role, username] of Object.entries(STAFF_USERS)) {
    await createUser(db, { username, role: role as 'admin', password: PASSWORD });
  }
  // Attached documents in the test's own directory (on PostgreSQL too, whose default is ./data/files).
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: url, FILES_DIR: path.join(dir, 'files') });
  const app = await createApp({ db, clock: fixedClock(today), config });
  return {
    app, db, dir, url, today,
    async close(opts: { verify?: boolean } = {}) {
      // Whatever history the test wrote through the app, every maintained account must equal its replay.
      const verified = opts.verify === false ? null : await verifyAccounts(db);
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
      if (verified && verified.differences.length) {
        throw new Error(`accounts:verify after the test: ${JSON.stringify(verified.differences)}`);
      }
    },
  };
}

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token that a page's forms carry. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
}

/** A logged-in agent: reads the login page for its token, then posts the credentials. */
export async function login(app: Express, username: string, password = PASSWORD): Promise<Agent> {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username, password });
  if (res.status !== 303) throw new Error(`login of ${username} failed: ${res.status}`);
  return agent;
}

/**
 * Reads `pageUrl` for the token as a browser would, then posts `data` to `postUrl`. A one-time
 * `form_token` the page carries (the payment form) goes along too, unless `data` sets its own.
 */
export async function submit(agent: Agent, pageUrl: string, postUrl: string, data: Record<string, string>) {
  const page = await agent.get(pageUrl);
  if (page.status !== 200) throw new Error(`GET ${pageUrl} answered ${page.status}`);
  const formToken = /name="form_token" value="([^"]+)"/.exec(page.text)?.[1];
  return agent.post(postUrl).type('form').send({ _csrf: csrfFrom(page.text), ...(formToken ? { form_token: formToken } : {}), ...data });
}

/** The visible text of an HTML page, whitespace folded, for assertions on what a person reads. */
export function textOf(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/\s+/g, ' ').trim();
}
