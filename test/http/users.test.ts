import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type TestApp, type Agent } from '../support/app.ts';
import { verifyPassword } from '../../src/auth/passwords.ts';

let t: TestApp;
let admin: Agent;
beforeAll(async () => {
  t = await testApp();
  admin = await login(t.app, 'admin');
});
afterAll(async () => { await t.close(); });

const user = (username: string) => t.db('users').where({ username }).first();

describe('user accounts (admin)', () => {
  it('lists users with their role and creates a staff user', async () => {
    const page = await admin.get('/users');
    expect(textOf(page.text)).toContain('gerente Gerente del parque');
    const res = await submit(admin, '/users', '/users', { username: 'cajera', role: 'manager', password: 'pulpo verde baila en Pacocha', email: 'caja@ilo.gob.pe', firm_ruc: '' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/users?done=created');
    const u = await user('cajera');
    expect(u).toMatchObject({ role: 'manager', email: 'caja@ilo.gob.pe' });
    expect(await verifyPassword('pulpo verde baila en Pacocha', u.password_hash)).toBe(true);
    await login(t.app, 'cajera', 'pulpo verde baila en Pacocha');
  });

  it('refuses a duplicate username (409) and a weak password (400), writing nothing', async () => {
    const before = (await t.db('users')).length;
    const dup = await submit(admin, '/users', '/users', { username: 'gerente', role: 'manager', password: 'pulpo verde baila en Pacocha' });
    expect(dup.status).toBe(409);
    expect(dup.text).toMatch(/Ya existe un usuario con ese nombre\./);
    const weak = await submit(admin, '/users', '/users', { username: 'nuevo', role: 'finance', password: 'password123' });
    expect(weak.status).toBe(400);
    expect(textOf(weak.text)).toContain('demasiado común');
    expect((await t.db('users')).length).toBe(before);
  });

  it('resets a password: the user is logged out everywhere and the new one works', async () => {
    const finance = await login(t.app, 'finanzas');
    const id = (await user('finanzas')).id;
    const res = await submit(admin, '/users', `/users/${id}/password`, { new_password: 'Llave-nueva-de-Ilo-9' });
    expect(res.status).toBe(303);
    expect((await finance.get('/')).status).toBe(303);
    await login(t.app, 'finanzas', 'Llave-nueva-de-Ilo-9');
    const weak = await submit(admin, '/users', `/users/${id}/password`, { new_password: 'short' });
    expect(weak.status).toBe(400);
    expect(textOf(weak.text)).toContain('al menos 10 caracteres');
  });

  it('deactivates and reactivates a user, never itself', async () => {
    const manager = await login(t.app, 'gerente');
    const id = (await user('gerente')).id;
    // Not without its ticked confirmation: 400, the message next to that row, nothing changed.
    const unconfirmed = await submit(admin, '/users', `/users/${id}/active`, { active: '0' });
    expect(unconfirmed.status).toBe(400);
    expect(textOf(unconfirmed.text)).toContain('Marque la casilla para confirmar la desactivación.');
    expect((await user('gerente')).active).toBeTruthy();
    expect((await submit(admin, '/users', `/users/${id}/active`, { active: '0', confirm: '1' })).status).toBe(303);
    expect((await manager.get('/')).status).toBe(303);
    await expect(login(t.app, 'gerente')).rejects.toThrow(/failed: 400/);
    expect((await submit(admin, '/users', `/users/${id}/active`, { active: '1' })).status).toBe(303);
    await login(t.app, 'gerente');
    const self = (await user('admin')).id;
    const res = await submit(admin, '/users', `/users/${self}/active`, { active: '0', confirm: '1' });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('No puede desactivar su propio usuario.');
    expect((await user('admin')).active).toBeTruthy();
    const actions = (await t.db('audit_log').whereIn('action', ['user.deactivate', 'user.activate']).orderBy('id')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['user.deactivate', 'user.activate']);
  });
});
