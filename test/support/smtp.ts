// A real SMTP server for the mail tests (smtp-server on a random port), whose answer the test sets:
// accept, refuse for now (451), refuse for good (550), or never answer the message (slow). Every
// message it accepts is parsed with mailparser.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export type SmtpMode = 'accept' | 'temporary' | 'permanent' | 'slow';

export interface TestSmtp {
  url: string;
  port: number;
  received: ParsedMail[];
  /** The envelope recipients of each accepted message. */
  envelopes: string[][];
  mode: SmtpMode;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const state: TestSmtp = { url: '', port: 0, received, envelopes, mode: 'accept', close: async () => {} };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authOptional: true, logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'ilo' && auth.password === 'secreto') cb(null, { user: 'ilo' });
      else cb(new Error('535 bad credentials'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.mode === 'slow') return; // never answers: the client's socket timeout ends it
        if (state.mode === 'temporary') return cb(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
        if (state.mode === 'permanent') return cb(Object.assign(new Error('No such user here'), { responseCode: 550 }));
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push(mail);
          envelopes.push(session.envelope.rcptTo.map((r) => r.address));
          cb();
        }, cb);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  state.port = port;
  state.url = `smtp://ilo:secreto@127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** A port on which nothing listens (connection refused). */
export async function deadPort(): Promise<number> {
  const s = await startSmtp();
  await s.close();
  return s.port;
}
