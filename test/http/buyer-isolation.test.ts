// Each buyer is kept to its own firm's records: buyer A asks for every record of buyer B, on every
// URL that takes one, and gets the same 404 as for a record that does not exist (nothing of B on
// the page, and an access.not_found row in the audit log); B gets its own pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, csrfFrom, textOf, type Agent, type TestApp } from '../support/app.ts';
import { buyersPark, BUYER_A, BUYER_B, FIRM_A_NAME, FIRM_B_NAME, TODAY, type BuyersPark } from './portal-fixtures.ts';

let t: TestApp;
let park: BuyersPark;
let a: Agent;
let b: Agent;

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  park = await buyersPark(t.db);
  a = await login(t.app, BUYER_A);
  b = await login(t.app, BUYER_B);
});
afterAll(async () => { await t.close(); });

/** Every buyer-readable URL that names one of B's records. */
function urlsOfB(): string[] {
  const id = park.b.active;
  return [
    `/contracts/${id}`, `/contracts/${id}/print`, `/contracts/${id}/schedule.csv`,
    `/contracts/${id}/statement`, `/contracts/${id}/statement?as_of=2026-06-30`,
    `/contracts/${id}/statement.csv`, `/contracts/${id}/statement.csv?as_of=2026-06-30`,
    `/contracts/0${id}`, `/portal/receipts?contract=${id}`,
    ...park.b.receipts.map((n) => `/receipts/${n}`),
  ];
}

/** What B's pages would give away. (The language link repeats the URL asked for, so it is left out.) */
function expectNothingOfB(html: string, where: string): void {
  const body = html.replace(/href="\/lang\/[^"]*"/g, '');
  expect(body, where).not.toContain(FIRM_B_NAME);
  expect(body, where).not.toContain(park.b.ruc);
  for (const n of park.b.receipts) expect(body, where).not.toContain(n);
}

describe('buyer A asking for buyer B’s records', () => {
  it('gets 404 on every URL, with nothing of B on the page', async () => {
    for (const url of urlsOfB()) {
      const res = await a.get(url);
      expect(res.status, url).toBe(404);
      expectNothingOfB(res.text, url);
    }
  });

  it('gets the very same answer as for a record that does not exist (B’s records are not revealed)', async () => {
    const pairs: [string, string][] = [
      [`/contracts/${park.b.active}`, '/contracts/999999'],
      [`/contracts/${park.b.active}/statement.csv`, '/contracts/999999/statement.csv'],
      [`/receipts/${park.b.receipts[0]}`, '/receipts/R001-99999999'],
    ];
    for (const [ofB, none] of pairs) {
      const [x, y] = [await a.get(ofB), await a.get(none)];
      expect(x.status).toBe(y.status);
      expect(textOf(x.text)).toBe(textOf(y.text));
    }
  });

  it('gets 403 on the staff pages and forms that name B’s records, even with a valid CSRF token', async () => {
    const id = park.b.active;
    for (const url of [`/contracts/${id}/payments/new`, `/contracts/${id}/acceleration/new`, `/contracts/${id}/rescission/new`,
      `/firms/${park.b.ruc}`, `/firms/${park.b.ruc}/access`, `/contracts?q=${park.b.ruc}`]) {
      const res = await a.get(url);
      expect(res.status, url).toBe(403);
      expectNothingOfB(res.text, url);
    }
    const token = csrfFrom((await a.get('/portal')).text);
    const before = await t.db('receipts').count<{ n: number }[]>({ n: '*' });
    for (const [url, body] of [
      [`/contracts/${id}/payments`, { date: '2026-11-25', amount: '1416.67', method: 'cash' }],
      [`/receipts/${park.b.receipts[1]}/reverse`, { reason: 'no es mío' }],
      [`/contracts/${id}/rescission`, { resolution_number: 'X', resolution_date: '2026-11-25' }],
    ] as const) {
      const res = await a.post(url).type('form').send({ _csrf: token, ...body });
      expect(res.status, url).toBe(403);
      expectNothingOfB(res.text, url);
    }
    expect(await t.db('receipts').count<{ n: number }[]>({ n: '*' })).toEqual(before);
    expect((await t.db('receipts').where({ number: park.b.receipts[1] }).first()).status).toBe('valid');
  });

  it('cannot widen its portal to another firm by adding parameters', async () => {
    for (const url of [`/portal?ruc=${park.b.ruc}`, `/portal?firm_ruc=${park.b.ruc}`, `/portal/receipts?ruc=${park.b.ruc}`]) {
      const res = await a.get(url);
      expect(res.status, url).toBe(200);
      expect(res.text, url).toContain(FIRM_A_NAME);
      expectNothingOfB(res.text, url);
    }
  });

  it('leaves an access.not_found row in the audit log for each refused record, with who asked', async () => {
    const rows = await t.db('audit_log').where({ action: 'access.not_found', username: BUYER_A }).orderBy('id');
    const asked = rows.map((r: { entity_id: string }) => r.entity_id);
    for (const url of urlsOfB()) expect(asked, url).toContain(`GET ${url.split('?')[0]}`);
    expect(asked).toContain('GET /receipts/R001-99999999');
    const user = await t.db('users').where({ username: BUYER_A }).first();
    expect(rows.every((r: { user_id: number | null }) => r.user_id === user.id)).toBe(true);
    const denied = await t.db('audit_log').where({ action: 'access.denied', username: BUYER_A }).pluck('entity_id');
    expect(denied).toContain(`POST /receipts/${park.b.receipts[1]}/reverse`);
    expect(denied).toContain(`GET /firms/${park.b.ruc}`);
  });
});

describe('buyer B on its own records', () => {
  it('gets every one of them (200), with its own firm on the page', async () => {
    for (const url of urlsOfB()) {
      const res = await b.get(url);
      expect(res.status, url).toBe(200);
      if (!url.includes('.csv')) expect(textOf(res.text), url).toContain(FIRM_B_NAME);
    }
    const csv = await b.get(`/contracts/${park.b.active}/statement.csv`);
    expect(csv.text.split('\n')[0]).toBe('n,due_date,installment,paid,late_fee,outstanding,status');
    expect(csv.text).toContain('1,2026-04-10,1416.67,1416.67,0.00,0.00,paid');
  });

  it('and gets 404 on A’s, in turn', async () => {
    for (const url of [`/contracts/${park.a.active}`, `/contracts/${park.a.paidOff}/statement.csv`,
      `/contracts/${park.a.rescinded}/print`, ...park.a.receipts.map((n) => `/receipts/${n}`)]) {
      const res = await b.get(url);
      expect(res.status, url).toBe(404);
      expect(res.text, url).not.toContain(FIRM_A_NAME);
      expect(res.text, url).not.toContain(park.a.ruc);
    }
  });
});
