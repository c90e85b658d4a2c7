// Environment, parsed once with zod so that a wrong value stops the start with a clear message.
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // A file path (SQLite, the default) or a postgres:// URL (PostgreSQL, when configured).
  DATABASE_URL: z.string().min(1).default('data/ilo.sqlite'),
  SESSION_SECRET: z.string().min(16, 'SESSION_SECRET must be at least 16 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Skip the demo park on an empty database (production installs start empty).
  DEMO_DATA: z.enum(['on', 'off']).default('on'),
  // Templates compiled once per process; `npm run dev` turns it off so that an edited view shows at once.
  TEMPLATE_CACHE: z.enum(['on', 'off']).default('on'),
});

export type Config = z.infer<typeof schema> & { SESSION_SECRET: string };

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
  return { ...cfg, SESSION_SECRET: cfg.SESSION_SECRET ?? 'development-only-secret-change-me' };
}
