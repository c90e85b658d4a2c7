// Spanish (es-PE) by default, English by a switch that persists in a cookie. Each area keeps its
// words in src/web/locales/<area>.ts; a missing key shows the key itself, which tests catch.
import type { Message } from './errors.ts';
import common from './locales/common.ts';
import auth from './locales/auth.ts';
import lots from './locales/lots.ts';
import firms from './locales/firms.ts';
import contracts from './locales/contracts.ts';
import payments from './locales/payments.ts';
import fund from './locales/fund.ts';
import portal from './locales/portal.ts';
import settings from './locales/settings.ts';
import screens from './locales/screens.ts';
import input from './locales/input.ts';
import acts from './locales/acts.ts';
import withdrawal from './locales/withdrawal.ts';
import collections from './locales/collections.ts';
import mail from './locales/mail.ts';
import bankMatching from './locales/bank-matching.ts';
import bank from './locales/bank.ts';
import attachments from './locales/attachments.ts';
import closings from './locales/closings.ts';
import identity from './locales/identity.ts';
import golive from './locales/golive.ts';

export type Lang = 'es' | 'en';
export const LANGS: Lang[] = ['es', 'en'];
export type Dictionary = { es: Record<string, string>; en: Record<string, string> };

const all: Dictionary[] = [common, auth, lots, firms, contracts, payments, fund, portal, settings, screens, input, acts, withdrawal, collections,
  mail, bankMatching, bank, attachments, closings, identity, golive];
const dict: Record<Lang, Record<string, string>> = { es: {}, en: {} };
for (const d of all) {
  Object.assign(dict.es, d.es);
  Object.assign(dict.en, d.en);
}

export function t(lang: Lang, key: string, params?: Record<string, string | number>): string {
  const text = dict[lang][key] ?? dict.es[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function translate(lang: Lang, message: Message): string {
  return typeof message === 'string' ? t(lang, message) : t(lang, message.key, message.params);
}

export function hasKey(key: string): boolean {
  return key in dict.es;
}

/** Every key (for tests that look for untranslated keys on pages). */
export function allKeys(): string[] {
  return Object.keys(dict.es);
}

export function keysMissingIn(lang: Lang): string[] {
  return Object.keys(dict.es).filter((k) => !(k in dict[lang]));
}
