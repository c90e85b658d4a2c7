// Environment, parsed once with zod so that a wrong value stops the start with a clear message.
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // A file path (SQLite, the default) or a postgres:// URL (PostgreSQL, when configured).
  DATABASE_URL: z.string().min(1).default('data/ilo.sqlite'),
  SESSION_SECRET: z.string().min(16, 'SESSION_SECRET must be at least 16 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // The demo park on an empty database: on by default outside production; in production only
  // when set to on explicitly (production installs start empty).
  DEMO_DATA: z.enum(['on', 'off']).optional(),
  // Which proxies may tell the client's address and scheme (X-Forwarded-For/-Proto): `loopback`
  // (a proxy on this machine, the default), `off`, a number of hops, or addresses/CIDRs, comma separated.
  TRUST_PROXY: z.string().trim().default('loopback')
    .refine(isTrustProxy, 'TRUST_PROXY must be off, a number of hops, or loopback/linklocal/uniquelocal/IP addresses/CIDRs separated by commas'),
  // Templates compiled once per process; `npm run dev` turns it off so that an edited view shows at once.
  TEMPLATE_CACHE: z.enum(['on', 'off']).default('on'),
  // Outgoing mail (src/mail/): an SMTP server as smtp[s]://user:pass@host:port. Unset: nothing is sent,
  // every message waits in the outbox (GET /mail) until it is set and `npm run cli -- mail:send` runs.
  SMTP_URL: z.string().trim().optional().transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^smtps?:\/\/[^\s]+$/.test(v), 'SMTP_URL must look like smtp://user:pass@host:587 (or smtps://…)'),
  MAIL_FROM: z.string().trim().min(3).default('Parque Industrial de Ilo <no-responder@localhost>'),
  // The address people reach the app at, for the links in e-mails (no trailing slash needed).
  BASE_URL: z.string().trim().url('BASE_URL must be a URL such as https://parque.ilo.gob.pe').default('http://localhost:3000')
    .transform((v) => v.replace(/\/+$/, '')),
  // Documents attached to records (src/attachments/): where their files live (default: `files/` beside the
  // SQLite database file; ./data/files with PostgreSQL), and the largest file accepted, in MB.
  FILES_DIR: z.string().trim().optional().transform((v) => (v ? v : undefined)),
  MAX_ATTACHMENT_MB: z.coerce.number().int('MAX_ATTACHMENT_MB must be a whole number of MB').min(1).max(100).default(10),
});

const PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'];
const IP_OR_CIDR = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i;
function isTrustProxy(v: string): boolean {
  if (v === 'off' || /^\d{1,2}$/.test(v)) return true;
  return v.split(',').map((s) => s.trim()).every((s) => PROXY_PRESETS.includes(s) || IP_OR_CIDR.test(s));
}

/** The value for Express's 'trust proxy' setting. */
export function trustProxyValue(v: string): boolean | number | string {
  if (v === 'off') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

export type Config = Omit<z.infer<typeof schema>, 'DEMO_DATA'> & { SESSION_SECRET: string; DEMO_DATA: 'on' | 'off' };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (!cfg.SESSION_SECRET && cfg.NODE_ENV === 'production') {
    throw new Error('Invalid configuration:\n  SESSION_SECRET: required in production');
  }
  // Outside production a fixed development secret keeps `npm start` a one-step affair.
  return {
    ...cfg,
    SESSION_SECRET: cfg.SESSION_SECRET ?? 'development-only-secret-change-me',
    DEMO_DATA: cfg.DEMO_DATA ?? (cfg.NODE_ENV === 'production' ? 'off' : 'on'),
  };
}

/** The base URL for links in e-mails (acts do not receive the config; the environment is read once). */
let baseUrlCache: string | undefined;
export function mailBaseUrl(): string {
  return (baseUrlCache ??= schema.shape.BASE_URL.safeParse(process.env.BASE_URL).data ?? 'http://localhost:3000');
}
