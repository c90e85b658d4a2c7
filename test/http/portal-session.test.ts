// Session fixation and cookie handling, from a buyer's side: a session id planted in the buyer's
// browser before login is dropped at login (a fresh id is issued, the planted one stays anonymous),
// and neither a forged cookie, a cookie from before logout, nor a CSRF token from before login works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, csrfFrom, PASSWORD, type TestApp } from '../support/app.ts';
import { buyersPark, BUYER_A, TODAY, type BuyersPark } from './portal-fixtures.ts';

let t: TestApp;
let park: BuyersPark;

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  park = await buyersPark(t.db);
});
afterAll(async () => { await t.close(); });

/** The `ilo.sid=…` pair a response sets, if any. */
function sidCookie(res: request.Response): string | undefined {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return set.find((c) => c.startsWith('ilo.sid='))?.split(';')[0];
}
/** The session id inside a signed cookie value (s:<id>.<signature>). */
const sidOf = (cookie: string) => /^ilo\.sid=s%3A([^.]+)\./.exec(cookie)?.[1];
const sessionRow = (sid: string) => t.db('sessions').where({ sid }).first();

describe('session fixation', () => {
  it('drops a session id planted before login: a new id afterwards, the planted one not logged in', async () => {
    // The login page hands out no session id (nothing to plant), so the attacker logs in as
    // itself and keeps the session id it is given…
    const attackerPage = await request(t.app).get('/login');
    expect(sidCookie(attackerPage)).toBeUndefined();
    const anon = ([] as string[]).concat(attackerPage.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const attackerLogin = await request(t.app).post('/login').set('Cookie', anon).type('form')
      .send({ _csrf: csrfFrom(attackerPage.text), username: 'gerente', password: PASSWORD });
    const planted = sidCookie(attackerLogin)!;
    expect(planted).toMatch(/^ilo\.sid=s%3A/);
    const plantedId = sidOf(planted)!;
    expect(await sessionRow(plantedId)).toBeTruthy();

    // …and plants it in the buyer's browser, who logs in with the firm's RUC.
    const page = await request(t.app).get('/firms').set('Cookie', planted);
    expect(sidOf(sidCookie(page) ?? planted)).toBe(plantedId); // the planted session is used as is…
    const res = await request(t.app).post('/login').set('Cookie', planted).type('form')
      .send({ _csrf: csrfFrom(page.text), username: park.a.ruc, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const fresh = sidCookie(res)!;
    expect(fresh).toBeTruthy(); // …until the login, which issues another
    expect(sidOf(fresh)).not.toBe(plantedId);

    // The buyer is in with the new id; the planted one is gone from the store and gets /login.
    const mine = await request(t.app).get('/portal').set('Cookie', fresh);
    expect(mine.status).toBe(200);
    expect(await sessionRow(plantedId)).toBeUndefined();
    const theirs = await request(t.app).get('/portal').set('Cookie', planted);
    expect(theirs.status).toBe(303);
    expect(theirs.headers.location).toBe('/login?next=%2Fportal');
    const { sess } = await sessionRow(sidOf(fresh)!);
    const stored = typeof sess === 'string' ? JSON.parse(sess) : sess; // a json column on PostgreSQL
    const user = await t.db('users').where({ username: BUYER_A }).first();
    expect(stored.userId).toBe(user.id);
  });

  it('refuses, after login, a CSRF token handed out before it', async () => {
    const agent = request.agent(t.app);
    const before = csrfFrom((await agent.get('/login')).text);
    await agent.post('/login').type('form').send({ _csrf: before, username: BUYER_A, password: PASSWORD });
    expect((await agent.get('/portal')).status).toBe(200);
    const stale = await agent.post('/logout').type('form').send({ _csrf: before });
    expect(stale.status).toBe(403);
    expect((await agent.get('/portal')).status).toBe(200); // still logged in: the stale form did nothing
  });

  it('ignores a forged or unsigned session cookie', async () => {
    for (const forged of ['ilo.sid=s%3Aforged-session-id.bm90LWEtc2lnbmF0dXJl', 'ilo.sid=forged-session-id']) {
      const res = await request(t.app).get('/portal').set('Cookie', forged);
      expect(res.status, forged).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    }
  });

  it('ends the session at logout: the same cookie replayed is not logged in', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const login = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username: BUYER_A, password: PASSWORD });
    const cookie = sidCookie(login)!;
    const portal = await agent.get('/portal');
    const out = await agent.post('/logout').type('form').send({ _csrf: csrfFrom(portal.text) });
    expect(out.status).toBe(303);
    expect(await sessionRow(sidOf(cookie)!)).toBeUndefined();
    const replay = await request(t.app).get('/portal').set('Cookie', cookie);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
  });

  it('returns to the page asked for after login, but never to another site', async () => {
    const cases: [string, string][] = [['/portal/receipts', '/portal/receipts'], ['//evil.example/x', '/'],
      ['https://evil.example/', '/'], ['/\\evil.example', '/'], ['javascript:alert(1)', '/']];
    for (const [next, to] of cases) {
      const agent = request.agent(t.app);
      const page = await agent.get(`/login?next=${encodeURIComponent(next)}`);
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username: BUYER_A, password: PASSWORD, next });
      expect(res.status, next).toBe(303);
      expect(res.headers.location, next).toBe(to);
    }
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, with the idle lifetime', async () => {
    const agent = request.agent(t.app);
    const loginPage = await agent.get('/login');
    const page = await agent.post('/login').type('form').send({ _csrf: csrfFrom(loginPage.text), username: BUYER_A, password: PASSWORD });
    const header = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith('ilo.sid='))!;
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Lax/i);
    expect(header).toMatch(/; Path=\//);
    const expires = Date.parse(/Expires=([^;]+)/.exec(header)![1]!);
    expect(Math.round((expires - Date.now()) / 60_000)).toBe(30);
  });
});
