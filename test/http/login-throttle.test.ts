// Issue 10, items 7 and 11. Throttling must not let anyone lock another person out: wrong passwords
// are counted per (account, address) pair and per address, in the database (the audit log), so a
// correct password from an address that has not been guessing always gets in. And an unknown user
// costs the same password check as a known one (no telling usernames apart by timing).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { csrfFrom, PASSWORD, testApp, textOf, type TestApp } from '../support/app.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/clock.ts';
import { createUser } from '../../src/auth/service.ts';

const verifyCalls: string[] = [];
vi.mock('../../src/auth/passwords.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/auth/passwords.ts')>();
  return {
    ...real,
    verifyPassword: async (password: string, stored: string | null) => {
      verifyCalls.push(stored ?? 'null');
      return real.verifyPassword(password, stored);
    },
  };
});

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await createUser(t.db, { username: 'invitada', role: 'admin', password: null });
  await createUser(t.db, { username: 'inactiva', role: 'admin', password: PASSWORD });
  await t.db('users').where({ username: 'inactiva' }).update({ active: false });
});
afterAll(async () => { await t.close(); });

const ATTACKER = '203.0.113.9';
const OWNER = '198.51.100.7';

async function tryLogin(username: string, password: string, ip: string, app = t.app) {
  const agent = request.agent(app);
  const page = await agent.get('/login').set('X-Forwarded-For', ip);
  return agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrfFrom(page.text), username, password });
}

describe('login throttling cannot be used to lock someone out', () => {
  it('five wrong passwords from one address do not stop the owner from another address', async () => {
    for (let i = 0; i < 5; i++) expect((await tryLogin('gerente', `mal-${i}`, ATTACKER)).status).toBe(400);
    // The guessing address is stopped for that account, even with the right password…
    const stopped = await tryLogin('gerente', PASSWORD, ATTACKER);
    expect(stopped.status).toBe(429);
    expect(textOf(stopped.text)).toContain('Demasiados intentos');
    // …the owner is not.
    expect((await tryLogin('gerente', PASSWORD, OWNER)).status).toBe(303);
  });

  it('the counts are in the database: another app process on the same database sees them', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: t.url });
    const other = await createApp({ db: t.db, clock: fixedClock(t.today), config });
    expect((await tryLogin('gerente', PASSWORD, ATTACKER, other)).status).toBe(429);
  });

  it('one address guessing across many accounts is stopped as a whole, and nobody else is', async () => {
    const ip = '203.0.113.50';
    const accounts = ['admin', 'finanzas', 'nadie-1', 'nadie-2', 'nadie-3'];
    for (const username of accounts) {
      for (let i = 0; i < 4; i++) expect((await tryLogin(username, `mal-${i}`, ip)).status).toBe(400);
    }
    // 20 failures from this address: it is stopped for every account, a right password included.
    expect((await tryLogin('admin', PASSWORD, ip)).status).toBe(429);
    expect((await tryLogin('finanzas', PASSWORD, OWNER)).status).toBe(303);
    expect((await tryLogin('admin', PASSWORD, OWNER)).status).toBe(303);
  });
});

describe('unknown and known users cost the same password check', () => {
  it('verifies a password (against a dummy hash) for an unknown user, an invited one and an inactive one', async () => {
    for (const username of ['no-existe', 'invitada', 'inactiva', 'admin']) {
      verifyCalls.length = 0;
      const res = await tryLogin(username, 'una-clave-cualquiera', '192.0.2.1');
      expect(res.status, username).toBe(400);
      expect(textOf(res.text)).toContain('Usuario o contraseña incorrectos');
      expect(verifyCalls, username).toHaveLength(1);
      expect(verifyCalls[0], username).toMatch(/^scrypt\$16384\$8\$1\$/);
    }
  });
});

describe('the per-account slowdown', () => {
  it('waits nothing below ten failures, then 250 ms more per failure, at most 3 s', async () => {
    const { slowdownMs } = await import('../../src/auth/service.ts');
    expect([0, 9, 10, 11, 21, 100].map(slowdownMs)).toEqual([0, 0, 250, 500, 3000, 3000]);
  });
});
