// The SMTP side of the sender: nodemailer configured by SMTP_URL, and how an SMTP failure is judged
// (temporary: try again later; permanent: the message fails and says why on /mail).
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Config } from '../config.ts';

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** The Message-ID header, `<…@…>`: the same for every attempt of one outbox row. */
  messageId: string;
}

export interface SentInfo { response: string; messageId: string }

export interface MailTransport {
  send(message: OutgoingMessage): Promise<SentInfo>;
  close(): void;
}

export interface SmtpTimeouts {
  /** Waiting for the TCP connection. */
  connectionMs?: number;
  /** Waiting for the server's greeting once connected. */
  greetingMs?: number;
  /** Silence on an open connection (a server that stops answering mid-message). */
  socketMs?: number;
}

/** A transport over SMTP (`smtp://user:pass@host:587`, `smtps://…:465`). One connection per message. */
export function smtpTransport(url: string, timeouts: SmtpTimeouts = {}): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: timeouts.connectionMs ?? 30_000,
    greetingTimeout: timeouts.greetingMs ?? 30_000,
    socketTimeout: timeouts.socketMs ?? 60_000,
  } as SMTPTransport.Options);
  return {
    async send(m) {
      const info = await transporter.sendMail({
        from: m.from, to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}),
        messageId: m.messageId,
      });
      return { response: String(info.response ?? ''), messageId: String(info.messageId ?? m.messageId) };
    },
    close() { transporter.close(); },
  };
}

/** The configured transport, or null when SMTP_URL is not set (mail then waits in the outbox). */
export function transportFromConfig(config: Pick<Config, 'SMTP_URL'>): MailTransport | null {
  return config.SMTP_URL ? smtpTransport(config.SMTP_URL) : null;
}

/**
 * A failed attempt judged: a 5xx answer from the server is permanent (the address or the message is
 * refused and will be refused again); everything else (4xx, connection refused, DNS, timeouts, a
 * connection dropped) is temporary and is tried again later.
 */
export function judgeFailure(err: unknown): { permanent: boolean; message: string } {
  const e = err as { responseCode?: number; code?: string; response?: string; message?: string };
  const code = typeof e?.responseCode === 'number' ? e.responseCode : null;
  const message = [e?.code, e?.response ?? e?.message].filter(Boolean).join(': ').slice(0, 1000) || String(err);
  return { permanent: code !== null && code >= 500 && code < 600, message };
}
