// Calendar dates are 'YYYY-MM-DD' strings in the domain and the database. This is the one
// module that wraps dayjs; nothing else imports it.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';

dayjs.extend(utc);
dayjs.extend(customParseFormat);

export type IsoDate = string;

/**
 * The earliest date a contract, a payment or a spending can carry: the park's sales began after it,
 * so an earlier date is a typing slip (1990 for 2019), refused with a message rather than kept.
 */
export const MIN_PLAUSIBLE_DATE: IsoDate = '2000-01-01';

const ISO_RE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function isIsoDate(text: string): boolean {
  if (typeof text !== 'string' || !ISO_RE.test(text)) return false;
  // Plain arithmetic, not dayjs: this check runs on every date of every statement replay.
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

export function assertIsoDate(text: string): IsoDate {
  if (!isIsoDate(text)) throw new TypeError(`Not a YYYY-MM-DD date: ${text}`);
  return text;
}

/**
 * Adds calendar months keeping the day of month, moving to the month's last day when the
 * month is shorter: addMonths('2026-01-31', 1) = '2026-02-28'; ( …, 2) = '2026-03-31'.
 * Always computed from the original date, so 31 Jan never drifts to the 28th.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  return dayjs.utc(assertIsoDate(date)).add(months, 'month').format('YYYY-MM-DD');
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return dayjs.utc(assertIsoDate(date)).add(days, 'day').format('YYYY-MM-DD');
}

/** Whole days from a to b (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayjs.utc(assertIsoDate(b)).diff(dayjs.utc(assertIsoDate(a)), 'day');
}

/** The calendar date of an instant in Peru (UTC−5, no daylight saving). */
export function limaDate(instant: Date): IsoDate {
  return dayjs.utc(instant).subtract(5, 'hour').format('YYYY-MM-DD');
}

export function startOfMonth(date: IsoDate): IsoDate {
  return `${assertIsoDate(date).slice(0, 7)}-01`;
}

export function endOfMonth(date: IsoDate): IsoDate {
  return dayjs.utc(assertIsoDate(date)).endOf('month').format('YYYY-MM-DD');
}

const MONTHS_ES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto',
  'setiembre', 'octubre', 'noviembre', 'diciembre'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

/** 'dd/mm/yyyy', as screens show dates in both languages. */
export function formatDate(date: IsoDate): string {
  const [y, m, d] = assertIsoDate(date).split('-');
  return `${d}/${m}/${y}`;
}

/** "setiembre de 2026" / "September 2026". */
export function formatMonth(date: IsoDate, lang: 'es' | 'en' = 'es'): string {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7)) - 1;
  return lang === 'es' ? `${MONTHS_ES[m]} de ${y}` : `${MONTHS_EN[m]} ${y}`;
}

/** "25 de noviembre de 2026" / "25 November 2026", for receipts and letters. */
export function formatLongDate(date: IsoDate, lang: 'es' | 'en' = 'es'): string {
  const d = Number(date.slice(8, 10));
  return lang === 'es' ? `${d} de ${formatMonth(date, 'es')}` : `${d} ${formatMonth(date, 'en')}`;
}

/** Days since 1970-01-01 (UTC): a fast, exact day count for rules that walk many date ranges
 *  (late fees call it in loops, so it checks the date itself instead of going through dayjs). */
export function dayNumber(date: IsoDate): number {
  const ok = ISO_RE.test(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (!ok || back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
    throw new TypeError(`Not a YYYY-MM-DD date: ${date}`);
  }
  return t / 86_400_000;
}
