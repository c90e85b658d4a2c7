// Issue 10, item 5: a body the server cannot read answers its own status with a page in the
// visitor's language (413 too large, 415 an encoding or charset it does not take, 400 otherwise),
// never a 500 or a stack trace. Any visitor can send one to POST /login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, textOf, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

const noStack = (text: string) => {
  expect(text).not.toMatch(/\bat \S+ \(|node_modules|\/src\//);
};

describe('unreadable bodies', () => {
  it('a body over the limit: 413 in Spanish', async () => {
    const res = await request(t.app).post('/login').type('form').send(`username=${'a'.repeat(3 * 1024 * 1024)}`);
    expect(res.status).toBe(413);
    expect(textOf(res.text)).toContain('Lo enviado es demasiado grande. Nada se guardó.');
    noStack(res.text);
  });

  it('an unknown Content-Encoding: 415 in English for an English visitor', async () => {
    const res = await request(t.app).post('/login').set('Cookie', 'ilo_lang=en')
      .set('Content-Type', 'application/x-www-form-urlencoded').set('Content-Encoding', 'bogus').send('username=a');
    expect(res.status).toBe(415);
    expect(textOf(res.text)).toContain('What was sent uses an encoding the system does not accept. Nothing was saved.');
    noStack(res.text);
  });

  it('an unknown charset: 415', async () => {
    const res = await request(t.app).post('/login')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=klingon').send('username=a');
    expect(res.status).toBe(415);
    expect(textOf(res.text)).toContain('codificación que el sistema no admite');
    noStack(res.text);
  });

  it('a gzip body that is not gzip: 400', async () => {
    const res = await request(t.app).post('/login')
      .set('Content-Type', 'application/x-www-form-urlencoded').set('Content-Encoding', 'gzip').send('username=a');
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('No se pudo leer lo enviado.');
    noStack(res.text);
  });
});
