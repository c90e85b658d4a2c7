// Logging in to the portal with the firm's RUC when the firm has invited more than one contact: the
// RUC names them all and the password tells which one it is; one contact's mistakes do not lock the
// other out, and a revoked contact's password no longer opens anything.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { testApp, login, csrfFrom, textOf, PASSWORD, type TestApp } from '../support/app.ts';
import { createUser } from '../../src/auth/service.ts';
import { revokeAccess } from '../../src/portal/invitations.ts';
import { ACTOR } from '../service/sales-fixtures.ts';
import { buyersPark, BUYER_A, TODAY, type BuyersPark } from './portal-fixtures.ts';

const SECOND = 'tesoreria-andina';
const SECOND_PASSWORD = 'Otra-clave-segura-9';

let t: TestApp;
let park: BuyersPark;
beforeAll(async () => {
  t = await testApp({ today: TODAY });
  park = await buyersPark(t.db);
  await createUser(t.db, { username: SECOND, role: 'buyer', password: SECOND_PASSWORD, firm_ruc: park.a.ruc });
});
afterAll(async () => { await t.close(); });

async function tryLogin(username: string, password: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  return agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username, password });
}

describe('RUC login for a firm with two portal users', () => {
  it('lets each contact in with the RUC and its own password, as itself', async () => {
    for (const [username, password] of [[BUYER_A, PASSWORD], [SECOND, SECOND_PASSWORD]] as const) {
      const agent = await login(t.app, park.a.ruc, password);
      const portal = await agent.get('/portal');
      expect(portal.status).toBe(200);
      expect(textOf(portal.text)).toContain(`${username} · Comprador`);
      const ok = await t.db('audit_log').where({ action: 'login.ok', username }).orderBy('id', 'desc').first();
      expect(ok.entity_id).toBe(username);
    }
  });

  it('refuses a wrong password for the RUC, audited under the RUC, without locking either contact out', async () => {
    for (let i = 0; i < 5; i++) expect((await tryLogin(park.a.ruc, `mal-${i}-clave-x`)).status).toBe(400);
    const failed = await t.db('audit_log').where({ action: 'login.failed', entity_id: park.a.ruc });
    expect(failed).toHaveLength(5);
    // The RUC is now throttled, even with a right password…
    const throttled = await tryLogin(park.a.ruc, SECOND_PASSWORD);
    expect(throttled.status).toBe(429);
    // …but each contact's own login still works.
    await login(t.app, BUYER_A, PASSWORD);
    await login(t.app, SECOND, SECOND_PASSWORD);
  });

  it('no longer lets a revoked contact in by the RUC (once the throttling window has passed)', async () => {
    const second = await t.db('users').where({ username: SECOND }).first();
    await revokeAccess(t.db, second.id, ACTOR);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 16 * 60_000);
      expect((await tryLogin(park.a.ruc, SECOND_PASSWORD)).status).toBe(400);
      await login(t.app, park.a.ruc, PASSWORD);
    } finally {
      vi.useRealTimers();
    }
  });
});
