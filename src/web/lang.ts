// The language switch: a cookie that persists the choice; Spanish when there is none.
import type { RequestHandler } from 'express';
import type { Lang } from './i18n.ts';

export const LANG_COOKIE = 'ilo_lang';

export const detectLang: RequestHandler = (req, _res, next) => {
  const m = /(?:^|;\s*)ilo_lang=(es|en)(?:;|$)/.exec(req.headers.cookie ?? '');
  req.lang = (m?.[1] as Lang | undefined) ?? 'es';
  next();
};

/** A local path to go back to after switching; anything else goes home. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/';
}
