// A fresh app on a fresh temporary SQLite database, with a frozen clock and one user per staff
// role. Each test file builds its own, so files never see each other's rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createDb, migrate, type Db } from '../../src/db/knex.ts';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createUser } from '../../src/auth/service.ts';

export const PASSWORD = 'correct-horse-battery';
export const STAFF_USERS = { admin: 'admin', manager: 'gerente', finance: 'finanzas' } as const;

export interface TestApp {
  app: Express;
  db: Db;
  dir: string;
  today: string;
  close(): Promise<void>;
}

export async function tempDb(): Promise<{ db: Db; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-test-'));
  const db = createDb(path.join(dir, 'test.sqlite'));
  await migrate(db);
  return { db, dir };
}

export async function testApp(opts: { today?: string } = {}): Promise<TestApp> {
  const today = opts.today ?? '2026-11-25';
  const { db, dir } = await tempDb();
  for (const [role, username] of Object.entries(STAFF_USERS)) {
    await createUser(db, { username, role: role as 'admin', password: PASSWORD });
  }
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: path.join(dir, 'test.sqlite') });
  const app = await createApp({ db, clock: fixedClock(today), config });
  return {
    app, db, dir, today,
    async close() {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
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

/** Reads `pageUrl` for the token as a browser would, then posts `data` to `postUrl`. */
export async function submit(agent: Agent, pageUrl: string, postUrl: string, data: Record<string, string>) {
  const page = await agent.get(pageUrl);
  if (page.status !== 200) throw new Error(`GET ${pageUrl} answered ${page.status}`);
  return agent.post(postUrl).type('form').send({ _csrf: csrfFrom(page.text), ...data });
}

/** The visible text of an HTML page, whitespace folded, for assertions on what a person reads. */
export function textOf(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/\s+/g, ' ').trim();
}
