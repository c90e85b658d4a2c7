// Issue 10, item 6: input that is not what a form sends (a field repeated, a field far too long)
// answers 400 with a message, never 500. Every GET route without a path parameter is asked with
// every query parameter repeated; the login form with repeated and over-long fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { allRoutes } from '../../src/routes.ts';
import { csrfFrom, login, testApp, textOf, type Agent, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Agent;
beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  admin = await login(t.app, 'admin');
});
afterAll(async () => { await t.close(); });

const PARAMS = ['q', 'status', 'as_of', 'from', 'to', 'page', 'bucket', 'owner', 'block', 'sort', 'dir', 'year',
  'membership', 'price', 'lot', 'date', 'rate', 'months', 'down', 'next', 'saved', 'version', 'action', 'user', 'month'];
const repeated = PARAMS.map((p) => `${p}=a&${p}=b`).join('&');

describe('repeated query parameters', () => {
  const gets = allRoutes.filter((r) => r.method === 'get' && !r.path.includes(':'));
  it.each(gets.map((r) => r.path))('GET %s answers without a server error', async (path) => {
    const res = await admin.get(`${path}?${repeated}`);
    expect(res.status, textOf(res.text ?? '').slice(0, 300)).toBeLessThan(500);
  });

  it('a list filter sent twice answers 400 saying so', async () => {
    for (const url of ['/firms?q=a&q=b', '/contracts?q=a&q=b']) {
      const res = await admin.get(url);
      expect(res.status, url).toBe(400);
      expect(textOf(res.text)).toContain('Este campo se envió más de una vez; envíelo una sola vez.');
    }
  });
});

describe('the login form', () => {
  async function post(body: string) {
    const agent = request.agent(t.app);
    const token = csrfFrom((await agent.get('/login')).text);
    return agent.post('/login').type('form').send(`_csrf=${encodeURIComponent(token)}&${body}`);
  }
  it('a repeated username answers 400 with the login page', async () => {
    const res = await post('username=admin&username=gerente&password=x');
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('Ingreso al sistema');
  });
  it('an over-long username or password answers 400 with the login page', async () => {
    for (const body of [`username=${'a'.repeat(5000)}&password=x`, `username=admin&password=${'p'.repeat(5000)}`]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toContain('Ingreso al sistema');
    }
  });
});
