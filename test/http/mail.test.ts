// E-mail against a real SMTP server started here (smtp-server), each message parsed (mailparser): the
// portal invitation, the receipt notice and the password reset, as a person receives them; then the
// sender's behaviour when the server refuses for now (4xx), for good (5xx), is down or is slow, when a
// sender died in the middle, and when two senders run at once. Clocks are fixed `now` values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, login, submit, textOf, PASSWORD, type TestApp, type Agent } from '../support/app.ts';
import { startSmtp, deadPort, type TestSmtp } from '../support/smtp.ts';
import { createUser } from '../../src/auth/service.ts';
import { sale, setRates } from '../service/sales-fixtures.ts';
import { enqueueMail } from '../../src/mail/outbox.ts';
import { BACKOFF_MINUTES, MAX_ATTEMPTS, SENDING_LEASE_MS, mailJob, messageIdFor, sendPending } from '../../src/mail/sender.ts';
import { runIfDue } from '../../src/jobs/scheduler.ts';
import { smtpTransport, type MailTransport } from '../../src/mail/transport.ts';

const FROM = 'Parque Industrial de Ilo <no-responder@ilo.test>';
/** A moment after every message the app wrote in real time (they are all due then). */
const LATER = new Date('2030-01-01T12:00:00.000Z');
const T0 = new Date('2030-02-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

let t: TestApp;
let smtp: TestSmtp;
let transport: MailTransport;
let manager: Agent;
let admin: Agent;
let c: { id: number; lot_code: string; firm_ruc: string };

const send = (now: Date, tr: MailTransport = transport) => sendPending(t.db, tr, now, FROM);
const row = (id: number) => t.db('mail_outbox').where({ id }).first();
const fast = (url: string) => smtpTransport(url, { connectionMs: 2000, greetingMs: 2000, socketMs: 500 });
const linkIn = (text: string, path: string) => new RegExp(`http://localhost:3000${path}([\\w-]+)`).exec(text)?.[1];

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  c = await sale(t.db, { date: '2026-11-25', today: t.today });
  await t.db('firms').where({ ruc: c.firm_ruc }).update({ email: 'Pagos@Empresa.pe' });
  await createUser(t.db, { username: 'comprador-x', role: 'buyer', password: PASSWORD, firm_ruc: c.firm_ruc, email: 'gerencia@empresa.pe' });
  smtp = await startSmtp();
  transport = fast(smtp.url);
  manager = await login(t.app, 'gerente');
  admin = await login(t.app, 'admin');
});
afterAll(async () => {
  transport.close();
  await smtp.close();
  await t.close();
});

describe('the portal invitation', () => {
  it('is queued with the invitation, e-mailed with its link, and its state shows on the access page', async () => {
    const res = await submit(manager, `/firms/${c.firm_ruc}/access`, `/firms/${c.firm_ruc}/invitations`, { email: 'Contacto@Empresa.pe' });
    expect(res.status).toBe(303);
    const page = await manager.get(`/firms/${c.firm_ruc}/access`);
    const shown = /\/invitations\/([\w-]+)"/.exec(page.text)?.[1];
    expect(shown).toBeTruthy(); // the link is still shown for copying
    expect(textOf(page.text)).toContain('El enlace también se envía por correo a contacto@empresa.pe');
    expect(textOf(page.text)).toMatch(/Correo: Pendiente Invitación al portal → contacto@empresa.pe/);

    expect(await send(LATER)).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(smtp.envelopes[0]).toEqual(['contacto@empresa.pe']);
    expect(mail.subject).toBe('Acceso al portal del Parque Industrial de Ilo');
    expect(mail.from?.value).toEqual([{ name: 'Parque Industrial de Ilo', address: 'no-responder@ilo.test' }]);
    expect(linkIn(mail.text!, '/invitations/')).toBe(shown);
    expect(mail.text).toContain('donde verá los contratos, pagos y deudas de su empresa:\nEmpresa de prueba');
    expect(mail.text).toMatch(/El enlace sirve una sola vez y vence el \d\d\/\d\d\/20\d\d \d\d:\d\d \(hora de Lima\)/);
    const inv = await t.db('invitations').orderBy('id', 'desc').first();
    expect(mail.messageId).toBe(messageIdFor(`invitation:${inv.id}`, FROM));
    const stored = await t.db('mail_outbox').where({ kind: 'invitation' }).first();
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, record_type: 'user', record_id: String(inv.user_id), message_id: mail.messageId });
    expect(stored.smtp_response).toMatch(/^250/);

    const after = await manager.get(`/firms/${c.firm_ruc}/access`);
    expect(textOf(after.text)).toMatch(/Correo: Enviado Invitación al portal → contacto@empresa.pe/);
    // The invitation link works.
    expect((await request(t.app).get(`/invitations/${shown}`)).status).toBe(200);
  });
});

describe('the receipt notice', () => {
  it('goes to the firm and its portal users with the amount, the date and the link to the receipt', async () => {
    const res = await submit(manager, `/contracts/${c.id}/payments/new`, `/contracts/${c.id}/payments`,
      { date: '2026-11-25', amount: '15000.00', method: 'transfer', reference: 'OP-778812' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/receipts/R001-00000001');
    expect(textOf((await manager.get('/receipts/R001-00000001')).text)).toContain('Correo: Pendiente Aviso de recibo → pagos@empresa.pe, gerencia@empresa.pe');

    expect(await send(LATER)).toEqual({ sent: 1, retry: 0, failed: 0 });
    const mail = smtp.received.at(-1)!;
    expect(smtp.envelopes.at(-1)).toEqual(['pagos@empresa.pe', 'gerencia@empresa.pe']);
    expect(mail.subject).toBe('Pago recibido: recibo R001-00000001 por S/ 15,000.00');
    expect(mail.text).toContain(`Registramos su pago del 25/11/2026 por S/ 15,000.00 (transferencia, ref. OP-778812)\nal contrato`);
    expect(mail.text).toContain(`lote ${c.lot_code}. Recibo de ingresos N.º R001-00000001.`);
    expect(mail.text).toContain('Vea e imprima el recibo: http://localhost:3000/receipts/R001-00000001');
    expect(mail.messageId).toBe(messageIdFor('receipt:R001-00000001:notice', FROM));

    const page = textOf((await manager.get('/receipts/R001-00000001')).text);
    expect(page).toContain('Correo: Enviado Aviso de recibo → pagos@empresa.pe, gerencia@empresa.pe');
    // The buyer reads the receipt without the office's mail state.
    const buyer = await login(t.app, 'comprador-x');
    expect(textOf((await buyer.get('/receipts/R001-00000001')).text)).not.toContain('Correo:');
  });
});

describe('a forgotten password', () => {
  const SAME = 'Si la dirección corresponde a una cuenta, le enviamos un enlace para restablecer la contraseña.';

  it('answers the same for a known and an unknown address, and e-mails a one-time link to the known one', async () => {
    const login = await request(t.app).get('/login');
    expect(textOf(login.text)).toContain('¿Olvidó su contraseña?');
    expect(login.text).toContain('href="/password/forgot/new"');
    const buyerSession = await loginAs('comprador-x');

    const known = await submitAnon('/password/forgot/new', '/password/forgot', { email: 'GERENCIA@empresa.pe' });
    const unknown = await submitAnon('/password/forgot/new', '/password/forgot', { email: 'nadie@ninguna.pe' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(textOf(known.text)).toContain(SAME);
    expect(textOf(unknown.text)).toBe(textOf(known.text));
    expect(await t.db('mail_outbox').where({ kind: 'password_reset' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    const stored = await t.db('password_resets').first();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/); // only the hash is stored

    expect(await send(LATER)).toEqual({ sent: 1, retry: 0, failed: 0 });
    const mail = smtp.received.at(-1)!;
    expect(smtp.envelopes.at(-1)).toEqual(['gerencia@empresa.pe']);
    expect(mail.subject).toBe('Restablecer su contraseña del Parque Industrial de Ilo');
    const token = linkIn(mail.text!, '/password/reset/')!;
    expect(token).toBeTruthy();
    expect(mail.text).toContain('Si usted no lo pidió, ignore este mensaje');

    const form = await request(t.app).get(`/password/reset/${token}`);
    expect(form.status).toBe(200);
    expect(textOf(form.text)).toContain('Elija una nueva contraseña para la cuenta gerencia@empresa.pe');
    const weak = await submitAnon(`/password/reset/${token}`, `/password/reset/${token}`, { password: 'password123', password_confirm: 'password123' });
    expect(weak.status).toBe(400);
    expect(textOf(weak.text)).toContain('Esa contraseña es demasiado común');
    const NEW = 'otra-clave-larga-del-parque-77';
    const ok = await submitAnon(`/password/reset/${token}`, `/password/reset/${token}`, { password: NEW, password_confirm: NEW });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/login?reset=1');
    expect(textOf((await request(t.app).get('/login?reset=1')).text)).toContain('Contraseña cambiada. Ingrese con la nueva contraseña.');

    // The old session ended; the new password works, the old one does not.
    const old = await buyerSession.get('/portal');
    expect(old.status).toBe(303);
    await expect(login2('comprador-x', PASSWORD)).rejects.toThrow(/failed: 400/);
    expect((await (await login2('comprador-x', NEW)).get('/portal')).status).toBe(200);

    // The link was for one use.
    const again = await request(t.app).get(`/password/reset/${token}`);
    expect(again.status).toBe(410);
    expect(textOf(again.text)).toContain('Este enlace ya fue usado.');
    expect(await t.db('audit_log').where({ action: 'user.password_reset', entity_id: 'comprador-x' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('says clearly when a link has expired or is unknown', async () => {
    await submitAnon('/password/forgot/new', '/password/forgot', { email: 'gerencia@empresa.pe' });
    expect(await send(LATER)).toMatchObject({ sent: 1 });
    const token = linkIn(smtp.received.at(-1)!.text!, '/password/reset/')!;
    await t.db('password_resets').whereNull('used_at').update({ expires_at: '2026-01-01T00:00:00.000Z' });
    const expired = await request(t.app).get(`/password/reset/${token}`);
    expect(expired.status).toBe(410);
    expect(textOf(expired.text)).toContain('Este enlace venció (vale 30 minutos).');
    expect(textOf(expired.text)).toContain('Pedir un nuevo enlace');
    const unknown = await request(t.app).get('/password/reset/no-existe');
    expect(unknown.status).toBe(404);
    expect(textOf(unknown.text)).toContain('Este enlace para restablecer la contraseña no existe.');
  });
});

async function submitAnon(pageUrl: string, postUrl: string, data: Record<string, string>) {
  return submit(request.agent(t.app), pageUrl, postUrl, data);
}
async function loginAs(username: string) { return login(t.app, username); }
async function login2(username: string, password: string) { return login(t.app, username, password); }

describe('the sender against a refusing, absent or slow server', () => {
  let n = 0;
  const queue = async (when: Date) => {
    n += 1;
    const id = await enqueueMail(t.db, { key: `test:${n}`, kind: 'receipt', to: [`destino${n}@empresa.pe`], subject: `Prueba ${n}`, text: `Texto ${n}` }, when);
    return id!;
  };
  const delivered = (subject: string) => smtp.received.filter((m) => m.subject === subject).length;

  it('retries a 4xx answer after the backoff and sends the message once', async () => {
    const id = await queue(T0);
    smtp.mode = 'temporary';
    expect(await send(T0)).toEqual({ sent: 0, retry: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: at(BACKOFF_MINUTES[0]! * MIN).toISOString() });
    expect((await row(id)).last_error).toContain('451');
    smtp.mode = 'accept';
    expect(await send(at(30_000))).toEqual({ sent: 0, retry: 0, failed: 0 }); // not yet due
    expect(await send(at(MIN))).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(await send(at(2 * MIN))).toEqual({ sent: 0, retry: 0, failed: 0 });
    expect(delivered(`Prueba ${n}`)).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, sent_at: at(MIN).toISOString() });
  });

  it('fails a message at once on a 5xx answer, and /mail shows the failure', async () => {
    const id = await queue(T0);
    smtp.mode = 'permanent';
    expect(await send(T0)).toEqual({ sent: 0, retry: 0, failed: 1 });
    smtp.mode = 'accept';
    expect(await send(at(1000 * MIN))).toEqual({ sent: 0, retry: 0, failed: 0 });
    expect(delivered(`Prueba ${n}`)).toBe(0);
    const r = await row(id);
    expect(r).toMatchObject({ status: 'failed', attempts: 1 });
    expect(r.last_error).toContain('550');

    const list = await admin.get('/mail?status=failed');
    expect(list.status).toBe(200);
    const text = textOf(list.text);
    expect(text).toContain(`Falló`);
    expect(text).toContain(`destino${n}@empresa.pe Prueba ${n}`);
    expect(text).toContain('No such user here');
    const one = await admin.get(`/mail/${id}`);
    expect(textOf(one.text)).toContain(`Texto ${n}`);
    expect(textOf(one.text)).toContain('Último error');
  });

  it('waits and retries when the server is down (connection refused)', async () => {
    const id = await queue(T0);
    const down = fast(`smtp://127.0.0.1:${await deadPort()}`);
    expect(await send(T0, down)).toEqual({ sent: 0, retry: 1, failed: 0 });
    down.close();
    expect((await row(id)).last_error).toContain('ECONNREFUSED');
    expect(await send(at(MIN))).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(delivered(`Prueba ${n}`)).toBe(1);
  });

  it('retries a server that does not answer (timeout)', async () => {
    const id = await queue(T0);
    smtp.mode = 'slow';
    expect(await send(T0)).toEqual({ sent: 0, retry: 1, failed: 0 });
    expect((await row(id)).last_error).toMatch(/ETIMEDOUT|Timeout/i);
    smtp.mode = 'accept';
    expect(await send(at(MIN))).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(delivered(`Prueba ${n}`)).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    const id = await queue(T0);
    smtp.mode = 'temporary';
    let now = T0;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await send(now);
      now = new Date((await row(id)).next_attempt_at);
    }
    smtp.mode = 'accept';
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });

  it('delivers a message a crashed sender left in `sending` after the lease, not before', async () => {
    const id = await queue(T0);
    // A sender claimed it at T0 and died: status sending, its lease until T0 + 10 min.
    await t.db('mail_outbox').where({ id }).update({ status: 'sending', attempts: 1, next_attempt_at: at(SENDING_LEASE_MS).toISOString() });
    expect(await send(at(SENDING_LEASE_MS - MIN))).toEqual({ sent: 0, retry: 0, failed: 0 });
    expect(delivered(`Prueba ${n}`)).toBe(0);
    expect(await send(at(SENDING_LEASE_MS))).toEqual({ sent: 1, retry: 0, failed: 0 });
    const got = smtp.received.filter((m) => m.subject === `Prueba ${n}`);
    expect(got).toHaveLength(1);
    expect(got[0]!.messageId).toBe(messageIdFor(`test:${n}`, FROM)); // the same Message-ID a first send carried
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('two senders at once deliver each message once', async () => {
    const ids = [await queue(T0), await queue(T0), await queue(T0)];
    const other = fast(smtp.url);
    const [a, b] = await Promise.all([send(T0), send(T0, other)]);
    other.close();
    expect(a.sent + b.sent).toBe(3);
    for (const k of [n - 2, n - 1, n]) expect(delivered(`Prueba ${k}`)).toBe(1);
    for (const id of ids) expect((await row(id)).status).toBe('sent');
  });
});

describe('the server job', () => {
  it('delivers what is due when the scheduler runs it, after its transaction', async () => {
    const id = await enqueueMail(t.db, { key: 'job:1', kind: 'receipt', to: ['job@empresa.pe'], subject: 'Del job', text: 'x' }, T0);
    const job = mailJob(transport, FROM);
    expect(await runIfDue(t.db, job, at(5 * MIN), 'test')).toBe(true);
    expect(await runIfDue(t.db, job, at(5 * MIN + 30_000), 'test')).toBe(false); // once a minute
    expect((await row(id!)).status).toBe('sent');
    expect(smtp.received.filter((m) => m.subject === 'Del job')).toHaveLength(1);
  });
});

describe('GET /mail', () => {
  it('lists the outbox newest first with state, attempts, recipient and the record it came from', async () => {
    const res = await admin.get('/mail');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain('No hay servidor de correo configurado (SMTP_URL)');
    const ids = [...res.text.matchAll(/<td data-label="N.º"><a href="\/mail\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect(res.text).toContain('href="/receipts/R001-00000001"');
    expect(text).toMatch(/Enviado \d\d\/\d\d\/\d{4}/);
    const sentOnly = await admin.get('/mail?status=sent');
    expect(textOf(sentOnly.text)).toContain('Enviado (12) Falló (2) Mostrando 1–12 de 12');
    expect(sentOnly.text).not.toContain('<tr class="mail-failed">');
    expect((await manager.get('/mail')).status).toBe(403);
  });
});

describe('throttling the forgotten-password form', () => {
  it('answers 429 after five requests from one address in the window, revealing nothing', async () => {
    // Three were made above from this address; two more are allowed, the sixth is refused.
    for (let i = 0; i < 2; i++) expect((await submitAnon('/password/forgot/new', '/password/forgot', { email: `x${i}@y.pe` })).status).toBe(200);
    const res = await submitAnon('/password/forgot/new', '/password/forgot', { email: 'gerencia@empresa.pe' });
    expect(res.status).toBe(429);
    expect(textOf(res.text)).toContain('Demasiados intentos');
  });
});
