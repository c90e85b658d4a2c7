// A failed message is queued again by an administrator, with the address corrected if it bounced:
// POST /mail/<id>/retry (`to_address`). Only a failed message moves; a bad address is refused next to
// the field and nothing changes; the retry is audited with the address before and after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type Agent, type TestApp } from '../support/app.ts';
import { enqueueMail } from '../../src/mail/outbox.ts';

let t: TestApp;
let admin: Agent;
let failed: number;
let sent: number;

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  failed = (await enqueueMail(t.db, { key: 'test:bounce', kind: 'receipt', to: ['gerencia@empresa-mal.pe'], subject: 'Recibo R001', text: 'Texto' }))!;
  await t.db('mail_outbox').where({ id: failed }).update({ status: 'failed', attempts: 1, last_error: '550 5.1.1 mailbox unavailable' });
  sent = (await enqueueMail(t.db, { key: 'test:sent', kind: 'receipt', to: ['ok@empresa.pe'], subject: 'Recibo R002', text: 'Texto' }))!;
  await t.db('mail_outbox').where({ id: sent }).update({ status: 'sent', attempts: 1, sent_at: '2026-11-25T10:00:00.000Z' });
  admin = await login(t.app, 'admin');
});
afterAll(async () => { await t.close(); });

const row = async (id: number) => t.db('mail_outbox').where({ id }).first('status', 'to_address', 'attempts', 'last_error');

describe('sending a failed message again', () => {
  it('shows the form only on a failed message', async () => {
    expect((await admin.get(`/mail/${failed}`)).text).toContain(`action="/mail/${failed}/retry"`);
    expect((await admin.get(`/mail/${sent}`)).text).not.toContain('/retry"');
  });

  it('refuses a bad address next to the field and changes nothing', async () => {
    const res = await submit(admin, `/mail/${failed}`, `/mail/${failed}/retry`, { to_address: 'gerencia-at-empresa.pe' });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('Escriba una o más direcciones de correo válidas, separadas por comas.');
    expect(await row(failed)).toEqual({ status: 'failed', to_address: 'gerencia@empresa-mal.pe', attempts: 1, last_error: '550 5.1.1 mailbox unavailable' });
  });

  it('queues it again to the corrected address, audited', async () => {
    const res = await submit(admin, `/mail/${failed}`, `/mail/${failed}/retry`, { to_address: ' gerencia@empresa.pe ,  pagos@empresa.pe' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/mail/${failed}`);
    expect(await row(failed)).toEqual({ status: 'pending', to_address: 'gerencia@empresa.pe, pagos@empresa.pe', attempts: 0, last_error: '550 5.1.1 mailbox unavailable' });
    const a = await t.db('audit_log').where({ action: 'mail.retry' }).first('entity_id', 'details', 'username');
    expect(a.username).toBe('admin');
    expect(JSON.parse(a.details)).toEqual({ from_address: 'gerencia@empresa-mal.pe', to_address: 'gerencia@empresa.pe, pagos@empresa.pe', attempts_before: 1 });
    expect(textOf((await admin.get(`/mail/${failed}`)).text)).toContain('El mensaje volvió a la cola de envío.');
  });

  it('answers 409 for a message that is not failed (now pending, or sent) and changes nothing', async () => {
    for (const id of [failed, sent]) {
      const before = await row(id);
      const res = await submit(admin, `/mail/${id}`, `/mail/${id}/retry`, {});
      expect(res.status).toBe(409);
      expect(textOf(res.text)).toContain('Solo se reenvía un mensaje fallido');
      expect(await row(id)).toEqual(before);
    }
  });

  it('is for administrators only', async () => {
    const finance = await login(t.app, 'finanzas');
    expect((await finance.post(`/mail/${failed}/retry`).type('form').send({})).status).toBe(403);
  });
});
