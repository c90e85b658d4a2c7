import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('configuration from the environment', () => {
  it('has working defaults for a first start', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATABASE_URL: 'data/ilo.sqlite', SESSION_IDLE_MINUTES: 30, NODE_ENV: 'development', DEMO_DATA: 'on', TEMPLATE_CACHE: 'on' });
    expect(c.SESSION_SECRET.length).toBeGreaterThanOrEqual(16);
  });

  it('refuses a wrong value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET: SESSION_SECRET must be at least 16 characters/);
    expect(() => loadConfig({ DEMO_DATA: 'maybe' })).toThrow(/DEMO_DATA/);
  });

  it('requires a session secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required in production/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'a'.repeat(32) }).SESSION_SECRET).toBe('a'.repeat(32));
  });

  it('reads the mail settings: SMTP_URL optional, MAIL_FROM and BASE_URL with defaults', () => {
    const c = loadConfig({});
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.MAIL_FROM).toBe('Parque Industrial de Ilo <no-responder@localhost>');
    expect(c.BASE_URL).toBe('http://localhost:3000');
    expect(loadConfig({ SMTP_URL: '' }).SMTP_URL).toBeUndefined();
    expect(loadConfig({ SMTP_URL: 'smtp://ilo:secreto@mail.ilo.gob.pe:587', BASE_URL: 'https://parque.ilo.gob.pe/' }))
      .toMatchObject({ SMTP_URL: 'smtp://ilo:secreto@mail.ilo.gob.pe:587', BASE_URL: 'https://parque.ilo.gob.pe' });
    expect(() => loadConfig({ SMTP_URL: 'mail.ilo.gob.pe' })).toThrow(/SMTP_URL: SMTP_URL must look like smtp:\/\/user:pass@host:587/);
    expect(() => loadConfig({ BASE_URL: '/' })).toThrow(/BASE_URL/);
  });
});
