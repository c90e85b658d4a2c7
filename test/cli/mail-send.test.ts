// `npm run cli -- mail:send`: delivers what is due once; run twice, it sends nothing twice.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { enqueueMail } from '../../src/mail/outbox.ts';
import { messageIdFor } from '../../src/mail/sender.ts';
import type { Db } from '../../src/db/knex.ts';
import { tempDb } from '../support/app.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

let db: Db;
let dir: string;
let smtp: TestSmtp;
const out: string[] = [];
const FROM = 'Parque Industrial de Ilo <no-responder@ilo.test>';

beforeAll(async () => {
  let url: string;
  ({ db, dir, url } = await tempDb());
  process.env.DATABASE_URL = url; // the CLI opens its own connection to the same database
  smtp = await startSmtp();
  process.env.MAIL_FROM = FROM;
  vi.spyOn(console, 'log').mockImplementation((m: unknown) => { out.push(String(m)); });
  vi.spyOn(console, 'error').mockImplementation((m: unknown) => { out.push(String(m)); });
});
afterAll(async () => {
  vi.restoreAllMocks();
  for (const k of ['DATABASE_URL', 'SMTP_URL', 'MAIL_FROM']) delete process.env[k];
  await smtp.close();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run cli -- mail:send', () => {
  it('says that nothing is sent without SMTP_URL, and keeps the messages', async () => {
    await enqueueMail(db, { key: 'cli:1', kind: 'receipt', to: ['uno@empresa.pe'], subject: 'Uno', text: 'Primero' });
    await enqueueMail(db, { key: 'cli:2', kind: 'receipt', to: ['dos@empresa.pe', 'tres@empresa.pe'], subject: 'Dos', text: 'Segundo' });
    out.length = 0;
    expect(await runCli(['mail:send'])).toBe(1);
    expect(out.join('\n')).toBe('SMTP_URL is not set: nothing was sent (2 messages wait in the outbox).');
    expect(smtp.received).toHaveLength(0);
  });

  it('delivers the pending messages once, and a second run sends nothing again', async () => {
    process.env.SMTP_URL = smtp.url;
    out.length = 0;
    expect(await runCli(['mail:send'])).toBe(0);
    expect(out.join('\n')).toBe('Mail: 2 sent, 0 to retry later, 0 failed (0 pending).');
    expect(await runCli(['mail:send'])).toBe(0);
    expect(out.at(-1)).toBe('Mail: 0 sent, 0 to retry later, 0 failed (0 pending).');
    expect(smtp.received.map((m) => m.subject)).toEqual(['Uno', 'Dos']);
    expect(smtp.envelopes).toEqual([['uno@empresa.pe'], ['dos@empresa.pe', 'tres@empresa.pe']]);
    expect(smtp.received[1]!.messageId).toBe(messageIdFor('cli:2', FROM));
    expect(await db('mail_outbox').orderBy('id').pluck('status')).toEqual(['sent', 'sent']);
  });
});
