// Handlebars helpers: the one place where money, dates, areas and words are formatted for screens.
import type { HelperOptions } from 'handlebars';
import { formatSoles, toSolesString } from '../domain/money.ts';
import { formatDate, formatLongDate, formatMonth, isIsoDate } from '../domain/dates.ts';
import { formatM2, toM2String } from '../domain/area.ts';
import { formatPercent } from '../domain/percent.ts';
import { t, type Lang } from './i18n.ts';

function langOf(options: HelperOptions | undefined): Lang {
  const root = options?.data?.root as { lang?: Lang } | undefined;
  return root?.lang === 'en' ? 'en' : 'es';
}

/** Handlebars passes its options object last; this drops it from the argument list. */
function args(list: unknown[]): { values: unknown[]; options: HelperOptions } {
  return { values: list.slice(0, -1), options: list[list.length - 1] as HelperOptions };
}

export const helpers = {
  /** {{t "key"}} or {{t "key" name=value}} */
  t(...list: unknown[]) {
    const { values, options } = args(list);
    return t(langOf(options), String(values[0]), options.hash as Record<string, string>);
  },
  /** {{money cents}} → "S/ 1,234.56" */
  money: (c: unknown) => (c === null || c === undefined || c === '' ? '' : formatSoles(Number(c))),
  /** {{soles cents}} → "1234.56" (form values) */
  soles: (c: unknown) => (c === null || c === undefined || c === '' ? '' : toSolesString(Number(c))),
  date: (d: unknown) => (typeof d === 'string' && isIsoDate(d) ? formatDate(d) : ''),
  longDate(...list: unknown[]) {
    const { values, options } = args(list);
    const d = values[0];
    return typeof d === 'string' && isIsoDate(d) ? formatLongDate(d, langOf(options)) : '';
  },
  month(...list: unknown[]) {
    const { values, options } = args(list);
    const d = values[0];
    return typeof d === 'string' && isIsoDate(d.length === 7 ? `${d}-01` : d)
      ? formatMonth(d.length === 7 ? `${d}-01` : d, langOf(options)) : '';
  },
  /** Timestamps (ISO instants) in Lima time: "25/11/2026 14:03". */
  datetime: (iso: unknown) => {
    if (typeof iso !== 'string') return '';
    const d = new Date(Date.parse(iso) - 5 * 3600 * 1000).toISOString();
    return `${formatDate(d.slice(0, 10))} ${d.slice(11, 16)}`;
  },
  m2: (dm2: unknown) => (dm2 === null || dm2 === undefined ? '' : formatM2(Number(dm2))),
  m2value: (dm2: unknown) => (dm2 === null || dm2 === undefined || dm2 === '' ? '' : toM2String(Number(dm2))),
  pct: (ppm: unknown) => (ppm === null || ppm === undefined ? '' : `${formatPercent(Number(ppm))}%`),
  /** A computed share ("paid 88.6666%") to two decimals, rounded down so it never claims a threshold not reached. */
  pctshare: (ppm: unknown) => (ppm === null || ppm === undefined ? ''
    : `${formatPercent(Math.floor(Number(ppm) / 100) * 100)}%`),
  pctvalue: (ppm: unknown) => (ppm === null || ppm === undefined ? '' : formatPercent(Number(ppm))),
  eq: (a: unknown, b: unknown) => String(a) === String(b),
  ne: (a: unknown, b: unknown) => String(a) !== String(b),
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  and: (...list: unknown[]) => args(list).values.every(Boolean),
  or: (...list: unknown[]) => args(list).values.some(Boolean),
  not: (a: unknown) => !a,
  includes: (list: unknown, v: unknown) => Array.isArray(list) && list.map(String).includes(String(v)),
  json: (v: unknown) => JSON.stringify(v),
  /** {{concat "a" b "c"}} for building keys: {{t (concat "status." lot.status)}} */
  concat: (...list: unknown[]) => args(list).values.map(String).join(''),
  add: (a: unknown, b: unknown) => Number(a) + Number(b),
  /** {{who recorded_by_name}}: a user's full name (issue 14: papers name people, not usernames; the page's
   *  `people` map, src/identity/paper.ts), the username when none is set, or "Sistema (carga de datos)" for the
   *  seed/import/CLI user. {{who name post=true}} adds the user's post: "María Quispe (Cajera)". */
  who(...list: unknown[]) {
    const { values, options } = args(list);
    const name = values[0];
    if (!(typeof name === 'string' && name && name !== 'system')) return t(langOf(options), 'audit.system_user');
    const people = (options?.data?.root as { people?: Record<string, { full_name: string; post: string | null }> } | undefined)?.people;
    const person = people && Object.hasOwn(people, name) ? people[name] : undefined;
    if (!person) return name;
    return options.hash?.post && person.post ? `${person.full_name} (${person.post})` : person.full_name;
  },
  /** {{#each (array "a" "b")}} for fixed lists in views. */
  array: (...list: unknown[]) => args(list).values,
};
