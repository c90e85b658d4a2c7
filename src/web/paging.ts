// Lists that stay small: one page of a list at a time (?page=N, PAGE_SIZE rows), with the count a
// person reads ("Mostrando 1–50 de 363") and page links that keep the list's filters. The query
// runs LIMIT/OFFSET in SQL (`paged`); the view includes `{{> pager pager}}`.
import { z } from 'zod';

export const PAGE_SIZE = 50;

/** `page` in a query: a positive integer; anything else (absent, repeated, junk) is page 1. */
export const pageParam = () => z.preprocess(
  (v) => (Array.isArray(v) ? v[0] : v),
  z.coerce.number().int().min(1).max(1_000_000).catch(1),
).catch(1);

/** A query value that may arrive repeated (`?q=a&q=b`): the first one counts. */
export const firstOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export interface PageLink { n: number; href: string; current: boolean }
export interface Pager {
  total: number;
  page: number;
  pages: number;
  size: number;
  offset: number;
  /** 1-based positions of the first and last rows shown (0 and 0 when empty). */
  first: number;
  last: number;
  prev: string | null;
  next: string | null;
  /** Links to nearby pages, with gaps (null) where pages are skipped: 1 … 4 5 6 … 20. */
  links: (PageLink | null)[];
  /** More than one page. */
  many: boolean;
}

/** The URL of `path` with `params` (empty ones dropped) and page `n` (page 1 has no parameter). */
export function pageHref(path: string, params: Record<string, unknown>, n: number, anchor = ''): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || k === 'page') continue;
    sp.set(k, String(v));
  }
  if (n > 1) sp.set('page', String(n));
  const s = sp.toString();
  return `${path}${s ? `?${s}` : ''}${anchor}`;
}

/**
 * The pager for `total` rows when `requested` page was asked for (clamped to the last page).
 * `params` are the list's filters and sort, kept in every link.
 */
export function pager(opts: { total: number; requested: number; path: string; params?: Record<string, unknown>; size?: number; anchor?: string }): Pager {
  const size = opts.size ?? PAGE_SIZE;
  const total = Math.max(0, opts.total);
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.floor(opts.requested) || 1), pages);
  const offset = (page - 1) * size;
  const href = (n: number) => pageHref(opts.path, opts.params ?? {}, n, opts.anchor);
  const wanted = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const links: (PageLink | null)[] = [];
  sorted.forEach((n, i) => {
    if (i > 0 && n - sorted[i - 1]! > 1) links.push(null);
    links.push({ n, href: href(n), current: n === page });
  });
  return {
    total, page, pages, size, offset,
    first: total === 0 ? 0 : offset + 1,
    last: Math.min(total, offset + size),
    prev: page > 1 ? href(page - 1) : null,
    next: page < pages ? href(page + 1) : null,
    links, many: pages > 1,
  };
}

/** One page of rows already in memory (for reports computed whole by a service). */
export function slicePage<T>(rows: T[], p: Pager): T[] {
  return rows.slice(p.offset, p.offset + p.size);
}
