import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { testApp, login, submit, csrfFrom, textOf, type TestApp } from '../support/app.ts';

const RUC = '20512333797';
let t: TestApp;

beforeAll(async () => {
  t = await testApp();
  const now = new Date().toISOString();
  await t.db('firms').insert({ ruc: RUC, name: 'Metalmecánica Demo SAC', representative_name: 'Ana Quispe', representative_dni: '12345678', sector: 'metalmecanica', created_at: now, updated_at: now });
});
afterAll(async () => { await t.close(); });

async function invite(email: string): Promise<string> {
  const manager = await login(t.app, 'gerente');
  const res = await submit(manager, `/firms/${RUC}/access`, `/firms/${RUC}/invitations`, { email });
  expect(res.status).toBe(303);
  const page = await manager.get(`/firms/${RUC}/access`);
  const m = /\/invitations\/([A-Za-z0-9_-]{20,})/.exec(page.text);
  expect(m, 'the link is shown once after inviting').toBeTruthy();
  // Shown once: a reload no longer carries it.
  expect(/\/invitations\/[A-Za-z0-9_-]{20,}/.test((await manager.get(`/firms/${RUC}/access`)).text)).toBe(false);
  return m![1]!;
}

async function accept(token: string, password: string, confirm = password) {
  const agent = request.agent(t.app);
  const page = await agent.get(`/invitations/${token}`);
  // A dead link's page has no form: take the session's token from the login page, as a script would.
  const token_csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? csrfFrom((await agent.get('/login')).text);
  const res = await agent.post(`/invitations/${token}`).type('form').send({ _csrf: token_csrf, password, password_confirm: confirm });
  return { page, res };
}

describe('buyer invitations', () => {
  it('lets an invited contact set a password once and then log in with e-mail or RUC', async () => {
    const token = await invite('contabilidad@metaldemo.pe');
    const user = await t.db('users').where({ email: 'contabilidad@metaldemo.pe' }).first();
    expect(user).toMatchObject({ role: 'buyer', firm_ruc: RUC, password_hash: null });
    const inv = await t.db('invitations').where({ user_id: user.id }).first();
    expect(inv.token_hash).not.toContain(token); // only the hash is stored
    const hours = (Date.parse(inv.expires_at) - Date.parse(inv.created_at)) / 3600_000;
    expect(hours).toBe(72);

    const { page, res } = await accept(token, 'Ilo-metal-2026!');
    expect(textOf(page.text)).toContain('Cree la contraseña de su cuenta contabilidad@metaldemo.pe');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?welcome=1');
    await login(t.app, 'contabilidad@metaldemo.pe', 'Ilo-metal-2026!');
    const byRuc = await login(t.app, RUC, 'Ilo-metal-2026!');
    expect((await byRuc.get('/')).headers.location).toBe('/portal');

    // The same link a second time is refused.
    const again = await accept(token, 'Another-pass-2026');
    expect(again.page.status).toBe(410);
    expect(textOf(again.page.text)).toContain('ya fue usado');
    expect(again.res.status).toBe(410);
  });

  it('refuses an expired invitation (after 72 hours)', async () => {
    const token = await invite('gerencia@metaldemo.pe');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 73 * 3600_000);
    try {
      const { page, res } = await accept(token, 'Ilo-metal-2026!');
      expect(page.status).toBe(410);
      expect(textOf(page.text)).toContain('venció');
      expect(res.status).toBe(410);
    } finally {
      vi.useRealTimers();
    }
    const user = await t.db('users').where({ email: 'gerencia@metaldemo.pe' }).first();
    expect(user.password_hash).toBeNull();
  });

  it('voids the earlier link when the invitation is resent', async () => {
    const first = await invite('ventas@metaldemo.pe');
    const second = await invite('ventas@metaldemo.pe');
    expect((await accept(first, 'Ilo-metal-2026!')).res.status).toBe(410);
    expect((await accept(second, 'Ilo-metal-2026!')).res.status).toBe(303);
  });

  it('refuses a common password and a mismatch, writing nothing', async () => {
    const token = await invite('caja@metaldemo.pe');
    const common = await accept(token, 'password123');
    expect(common.res.status).toBe(400);
    expect(textOf(common.res.text)).toContain('demasiado común');
    const mismatch = await accept(token, 'Ilo-metal-2026!', 'Ilo-metal-2027!');
    expect(mismatch.res.status).toBe(400);
    expect(textOf(mismatch.res.text)).toContain('no coinciden');
    const user = await t.db('users').where({ email: 'caja@metaldemo.pe' }).first();
    expect(user.password_hash).toBeNull();
  });

  it('revokes access: the buyer is logged out at once and cannot log in', async () => {
    const token = await invite('socio@metaldemo.pe');
    await accept(token, 'Ilo-metal-2026!');
    const buyer = await login(t.app, 'socio@metaldemo.pe', 'Ilo-metal-2026!');
    expect((await buyer.get('/portal')).status).toBe(200);
    const user = await t.db('users').where({ email: 'socio@metaldemo.pe' }).first();
    const manager = await login(t.app, 'gerente');
    const res = await submit(manager, `/firms/${RUC}/access`, `/users/${user.id}/revoke`, {});
    expect(res.status).toBe(303);
    expect((await buyer.get('/portal')).status).toBe(303);
    await expect(login(t.app, 'socio@metaldemo.pe', 'Ilo-metal-2026!')).rejects.toThrow(/failed: 400/);
    expect(await t.db('audit_log').where({ action: 'user.revoke' })).toHaveLength(1);
  });

  it('does not let a buyer or finance invite anyone (403)', async () => {
    const fin = await login(t.app, 'finanzas');
    const page = await fin.get('/');
    const res = await fin.post(`/firms/${RUC}/invitations`).type('form').send({ _csrf: csrfFrom(page.text), email: 'x@y.pe' });
    expect(res.status).toBe(403);
  });
});

describe('password change', () => {
  it('ends the other sessions of the user, keeps this one, and audits it', async () => {
    const other = await login(t.app, 'finanzas');
    const me = await login(t.app, 'finanzas');
    const res = await submit(me, '/account/password', '/account/password', {
      current_password: 'correct-horse-battery', password: 'Nueva-clave-segura-1', password_confirm: 'Nueva-clave-segura-1',
    });
    expect(res.status).toBe(303);
    expect((await me.get('/account/password')).status).toBe(200);
    expect((await other.get('/')).status).toBe(303);
    await login(t.app, 'finanzas', 'Nueva-clave-segura-1');
  });

  it('refuses a wrong current password with the message next to the field', async () => {
    const me = await login(t.app, 'admin');
    const res = await submit(me, '/account/password', '/account/password', {
      current_password: 'nope', password: 'Nueva-clave-segura-1', password_confirm: 'Nueva-clave-segura-1',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="e-current_password">La contraseña actual no es correcta\./);
  });
});
