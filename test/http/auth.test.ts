import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { testApp, login, csrfFrom, textOf, PASSWORD, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

describe('login and sessions', () => {
  it('sends a visitor who is not logged in to /login', async () => {
    const res = await request(t.app).get('/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2F');
  });

  it('logs in with the right password and shows the home page in Spanish', async () => {
    const agent = await login(t.app, 'gerente');
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(textOf(home.text)).toContain('Bienvenido, gerente');
    expect(textOf(home.text)).toContain('Gerente del parque');
  });

  it('refuses a wrong password with a message and records the failure', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username: 'finanzas', password: 'wrong-password' });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('Usuario o contraseña incorrectos.');
    const rows = await t.db('audit_log').where({ action: 'login.failed', entity_id: 'finanzas' });
    expect(rows).toHaveLength(1);
  });

  it('refuses a login form with a missing or tampered CSRF token (403)', async () => {
    const agent = request.agent(t.app);
    await agent.get('/login');
    const missing = await agent.post('/login').type('form').send({ username: 'admin', password: PASSWORD });
    expect(missing.status).toBe(403);
    const tampered = await agent.post('/login').type('form').send({ _csrf: 'x'.repeat(40), username: 'admin', password: PASSWORD });
    expect(tampered.status).toBe(403);
    expect(textOf(tampered.text)).toContain('El formulario caducó');
  });

  it('gives a new session id at login (no session fixation)', async () => {
    // The login page hands out no session id at all; a session that exists (here one logged in as
    // finanzas) gets a new id when someone logs in with it.
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    expect(String(page.headers['set-cookie'])).not.toContain('ilo.sid=');
    const first = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username: 'finanzas', password: PASSWORD });
    const before = /ilo\.sid=([^;]+)/.exec(String(first.headers['set-cookie']))?.[1];
    const home = await agent.get('/');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(home.text), username: 'admin', password: PASSWORD });
    expect(res.status).toBe(303);
    const after = /ilo\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    expect(before).toBeTruthy();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
  });

  it('throttles an account after five failures, even with the right password', async () => {
    const agent = request.agent(t.app);
    for (let i = 0; i < 5; i++) {
      const page = await agent.get('/login');
      await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username: 'admin', password: `bad-${i}` });
    }
    const page = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username: 'admin', password: PASSWORD });
    expect(res.status).toBe(429);
    expect(textOf(res.text)).toContain('Demasiados intentos');
  });

  it('switches to English and keeps it', async () => {
    const agent = request.agent(t.app);
    const sw = await agent.get('/lang/en?next=/login');
    expect(sw.status).toBe(303);
    const page = await agent.get('/login');
    expect(textOf(page.text)).toContain('Username, e-mail or RUC');
  });

  it('logs out', async () => {
    const agent = await login(t.app, 'finanzas');
    const home = await agent.get('/');
    const out = await agent.post('/logout').type('form').send({ _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(303);
    expect((await agent.get('/')).status).toBe(303);
  });

  it('ends a session left idle for more than 30 minutes, and keeps an active one alive', async () => {
    const agent = await login(t.app, 'gerente');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 20 * 60_000);
      expect((await agent.get('/')).status).toBe(200); // activity pushes the expiry forward
      vi.setSystemTime(Date.now() + 20 * 60_000);
      expect((await agent.get('/')).status).toBe(200);
      vi.setSystemTime(Date.now() + 31 * 60_000);
      const res = await agent.get('/');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/login/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('audits a refused access (403) with who and what', async () => {
    const agent = await login(t.app, 'finanzas');
    const res = await agent.get('/firms/20512333797/access');
    expect(res.status).toBe(403);
    const row = await t.db('audit_log').where({ action: 'access.denied', username: 'finanzas' }).first();
    expect(row.entity_id).toBe('GET /firms/20512333797/access');
  });
});
