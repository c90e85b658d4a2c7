// Issue 10, items 9 and 10. A session row is written only when there is something to keep (a
// login), not for every visitor; a logged-in session's expiry is pushed at most once a minute; and
// in production the session cookie is Secure, also behind a TLS proxy named by TRUST_PROXY.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/clock.ts';
import { csrfFrom, login, PASSWORD, testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const sessions = async () => (await t.db('sessions').select('sid', 'expired', 'sess').orderBy('sid'))
  .map((r: { sid: string; expired: unknown; sess: unknown }) => ({ ...r, expired: String(r.expired), sess: JSON.stringify(r.sess) }));
const cookies = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

describe('sessions are written only when needed', () => {
  it('GET /login, GET /quote and a failed login write no session row, and the login form still works', async () => {
    const before = await sessions();
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    expect(page.status).toBe(200);
    expect((await agent.get('/quote')).status).toBe(200);
    expect((await agent.get('/quote?price=1000')).status).toBe(200);
    const wrong = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username: 'admin', password: 'mal' });
    expect(wrong.status).toBe(400);
    expect(await sessions()).toEqual(before);
    expect(cookies(page).some((c) => c.startsWith('ilo.sid='))).toBe(false);
    // The token the page gave works without a session row behind it…
    const ok = await agent.post('/login').type('form').send({ _csrf: csrfFrom(wrong.text), username: 'admin', password: PASSWORD });
    expect(ok.status).toBe(303);
    expect((await sessions()).length).toBe(before.length + 1);
  });

  it('the login form refuses a missing or forged token (403)', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    expect((await agent.post('/login').type('form').send({ username: 'admin', password: PASSWORD })).status).toBe(403);
    expect((await agent.post('/login').type('form').send({ _csrf: `${csrfFrom(page.text)}x`, username: 'admin', password: PASSWORD })).status).toBe(403);
    // A token from another visitor's page is no good without that visitor's cookie.
    const other = await request(t.app).get('/login');
    expect((await agent.post('/login').type('form').send({ _csrf: csrfFrom(other.text), username: 'admin', password: PASSWORD })).status).toBe(403);
  });

  it('a logged-in GET within a minute writes nothing; after a minute it pushes the expiry once', async () => {
    const agent = await login(t.app, 'gerente');
    expect((await agent.get('/')).status).toBe(200);
    const after1 = await sessions();
    expect((await agent.get('/lots')).status).toBe(200);
    expect((await agent.get('/')).status).toBe(200);
    expect(await sessions()).toEqual(after1);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect((await agent.get('/')).status).toBe(200);
      const pushed = await sessions();
      expect(pushed).not.toEqual(after1);
      expect((await agent.get('/lots')).status).toBe(200);
      expect(await sessions()).toEqual(pushed);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the session cookie in production', () => {
  async function prodApp(env: Record<string, string> = {}) {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'prod-secret-prod-secret', DATABASE_URL: t.url, ...env });
    return createApp({ db: t.db, clock: fixedClock(t.today), config });
  }
  async function loginOn(app: Awaited<ReturnType<typeof prodApp>>, headers: Record<string, string>) {
    // By hand, as a browser on https:// would (a cookie jar keeps Secure cookies from http:// URLs).
    const page = await request(app).get('/login').set(headers);
    const jar = cookies(page).map((c) => c.split(';')[0]).join('; ');
    return request(app).post('/login').set(headers).set('Cookie', jar).type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'finanzas', password: PASSWORD });
  }

  it('is Secure behind a TLS proxy that TRUST_PROXY names', async () => {
    const app = await prodApp({ TRUST_PROXY: 'loopback' });
    const res = await loginOn(app, { 'X-Forwarded-Proto': 'https' });
    expect(res.status).toBe(303);
    const sid = cookies(res).find((c) => c.startsWith('ilo.sid='));
    expect(sid).toMatch(/; Secure/);
  });

  it('is never sent without Secure over plain HTTP', async () => {
    for (const [env, headers] of [[{}, {}], [{ TRUST_PROXY: 'off' }, { 'X-Forwarded-Proto': 'https' }]] as const) {
      const app = await prodApp(env);
      const res = await loginOn(app, headers); // plain HTTP (a forwarded header from no trusted proxy is ignored)
      expect(res.status).toBe(303);
      expect(cookies(res).filter((x) => x.startsWith('ilo.sid=') && !/; Secure/.test(x))).toEqual([]);
    }
  });

  it('refuses a TRUST_PROXY it cannot read', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'prod-secret-prod-secret', TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });
});
