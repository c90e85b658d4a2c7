// What every printed paper carries (issue 14): the letterhead (logo, name, RUC, address, office), the
// date and time it was issued, "Página X de Y" on each sheet (CSS paged media in public/app.css; the
// issued line and the document's number in the sheet's bottom-left margin box, set here), and people
// named by their full names rather than their usernames.
import type { Request, RequestHandler } from 'express';
import type { Db } from '../db/knex.ts';
import { nowOf } from '../clock.ts';
import { t, type Lang } from '../web/i18n.ts';
import { getIdentity, peopleByUsername, type Identity } from './service.ts';

/** "25/11/2026 14:03" in Lima time (UTC−5, no daylight saving). */
export function limaDateTime(at: Date): string {
  const d = new Date(at.getTime() - 5 * 3600 * 1000).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)} ${d.slice(11, 16)}`;
}

/** Text safe inside a CSS string (no quote, backslash, brace or angle bracket, one line). */
const cssText = (s: string) => s.replace(/["\\{}<>\n\r]/g, ' ');

export interface Paper {
  identity: Identity;
  /** "Emitido el 27/11/2026 15:04" */
  issued_line: string;
  issued_at: string;
  /** The @page rules that put the document and its issue in each sheet's margin (inside a <style>). */
  page_css: string;
}

/** The locals of a printed paper: `{{> paper-head}}`, `{{> paper-issued}}` and `{{> paper-signer}}` read them. */
export async function paperOf(db: Db, lang: Lang, at: Date, document: string): Promise<Paper> {
  const identity = await getIdentity(db);
  const issued = limaDateTime(at);
  const issued_line = t(lang, 'paper.issued_on', { when: issued });
  const pageWords = t(lang, 'paper.page_of').split(/\{page\}|\{pages\}/);
  const pageContent = pageWords.length === 3
    ? `"${cssText(pageWords[0]!)}" counter(page) "${cssText(pageWords[1]!)}" counter(pages) "${cssText(pageWords[2]!)}"`
    : 'counter(page) " / " counter(pages)';
  const page_css = `@media print { @page { @bottom-left { content: "${cssText(`${document} · ${issued_line}`)}"; } `
    + `@bottom-right { content: ${pageContent}; } } }`;
  return { identity, issued_line, issued_at: at.toISOString(), page_css };
}

export const paperLocals = async (req: Request, document: string) => ({
  paper: await paperOf(req.ctx.db, req.lang, nowOf(req.ctx.clock), document),
});

/** A user as printed papers name them: full name and post (username when no full name is set). */
export async function personOf(db: Db, userId: number | null, fallback: string | null): Promise<{ name: string | null; post: string | null }> {
  const u = userId === null ? undefined : await db('users').where({ id: userId }).first('username', 'full_name', 'post');
  if (u?.full_name) return { name: String(u.full_name), post: u.post ? String(u.post) : null };
  return { name: u?.username ? String(u.username) : fallback, post: null };
}

/**
 * Before a logged-in page is rendered, the full names of the users, by username: `{{who name}}` prints
 * a person's full name wherever a page names who recorded, issued or signed something.
 */
export const peopleForViews: RequestHandler = (req, res, next) => {
  if (!req.user) return next();
  const render = res.render.bind(res);
  res.render = ((view: string, options?: object | ((err: Error, html: string) => void), callback?: (err: Error, html: string) => void) => {
    peopleByUsername(req.ctx.db).then((people) => {
      res.locals.people = people;
      if (typeof options === 'function') render(view, options);
      else render(view, options, callback);
    }, next);
  }) as typeof res.render;
  next();
};
