// Issue 10, item 4: production never fills the demo park unless DEMO_DATA=on is set explicitly,
// and does not start while any user of a real install still has the demo password.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, productionStartProblem } from '../../src/db/setup.ts';
import { createUser } from '../../src/auth/service.ts';
import { DEMO_PASSWORD } from '../../seeds/demo/users.ts';
import type { Db } from '../../src/db/knex.ts';

const SECRET = 'prod-secret-prod-secret';
let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => { await cleanup?.(); cleanup = null; });

async function open(env: Record<string, string>): Promise<Db> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-prod-'));
  const config = loadConfig({ SESSION_SECRET: SECRET, DATABASE_URL: path.join(dir, 'p.sqlite'), ...env });
  const { db } = await openDatabase(config);
  cleanup = async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); };
  return db;
}

describe('demo data in production', () => {
  it('DEMO_DATA defaults to off in production (and on elsewhere)', () => {
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }).DEMO_DATA).toBe('off');
    expect(loadConfig({ NODE_ENV: 'development' }).DEMO_DATA).toBe('on');
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, DEMO_DATA: 'on' }).DEMO_DATA).toBe('on');
  });

  it('an empty production database stays empty', async () => {
    const db = await open({ NODE_ENV: 'production' });
    expect(Number((await db('users').count<{ n: number }[]>({ n: '*' }))[0]!.n)).toBe(0);
    expect(await productionStartProblem(db, loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }))).toBeNull();
  });

  it('refuses to start while users have the demo password, naming them and the fix', async () => {
    const db = await open({ NODE_ENV: 'production' });
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET });
    await createUser(db, { username: 'admin', role: 'admin', password: DEMO_PASSWORD }, undefined, { skipPasswordRules: true });
    await createUser(db, { username: 'gerente', role: 'manager', password: DEMO_PASSWORD }, undefined, { skipPasswordRules: true });
    await createUser(db, { username: 'finanzas', role: 'finance', password: 'Una-clave-larga-y-rara-77' });
    const problem = await productionStartProblem(db, config);
    expect(problem).toContain('admin, gerente');
    expect(problem).not.toContain('finanzas');
    expect(problem).toContain('npm run cli -- user:password admin --password');
    // Outside production the demo password is what the demo is for.
    expect(await productionStartProblem(db, loadConfig({ NODE_ENV: 'development' }))).toBeNull();
  });
});
