// Templates are compiled once per process: the second request for a page compiles nothing. With
// TEMPLATE_CACHE=off (`npm run dev`) every request reads and compiles them again.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import Handlebars from 'handlebars';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { vi.restoreAllMocks(); await t.close(); });

describe('template compilation', () => {
  it('compiles the view, layout and partials of a page once, not on each request', async () => {
    const compile = vi.spyOn(Handlebars, 'compile');
    expect((await request(t.app).get('/quote?price=100000')).status).toBe(200);
    const first = compile.mock.calls.length;
    expect(first).toBeGreaterThanOrEqual(2); // the view and the layout at least
    for (let i = 0; i < 3; i++) expect((await request(t.app).get('/quote?price=100000')).status).toBe(200);
    expect(compile.mock.calls.length).toBe(first);
    compile.mockRestore();
  });

  it('compiles them again on every request when TEMPLATE_CACHE=off', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: t.url, TEMPLATE_CACHE: 'off' });
    const app = await createApp({ db: t.db, clock: fixedClock(t.today), config });
    const compile = vi.spyOn(Handlebars, 'compile');
    await request(app).get('/quote?price=100000');
    const first = compile.mock.calls.length;
    await request(app).get('/quote?price=100000');
    expect(compile.mock.calls.length).toBe(2 * first);
    compile.mockRestore();
  });
});
