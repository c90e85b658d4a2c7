// Money is an integer number of céntimos (Cents). It is parsed once at the edge (forms, CSV)
// and formatted once (views, CSV); everything in between adds and compares integers.

declare const centsBrand: unique symbol;
export type Cents = number & { readonly [centsBrand]: true };

/** Guards the invariant: anything that is not a safe integer is a programmer error. */
export function cents(n: number): Cents {
  if (!Number.isSafeInteger(n)) throw new TypeError(`Not a whole number of céntimos: ${n}`);
  return n as Cents;
}

export const ZERO = cents(0);

export function sum(values: readonly number[]): Cents {
  let total = 0;
  for (const v of values) total += cents(v);
  return cents(total);
}

/**
 * The largest amount the app accepts anywhere (a price, a payment, a budget): S/ 10,000,000,000.00.
 * Far above any sale in the park, and low enough that every sum the rules make of such amounts
 * (600 installments of interest at 100% a year included) stays a safe integer of céntimos.
 */
export const MAX_AMOUNT_CENTS = 1_000_000_000_000 as Cents;

export type SolesReading = { ok: true; cents: Cents } | { ok: false; error: 'format' | 'ambiguous' | 'negative' | 'too_large' };

const PLAIN_RE = /^(\d+)(?:\.(\d{1,2}))?$/; //            1416.67   1416
const COMMA_GROUPS_RE = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/; // 18,049.50  1,234
const SPACE_GROUPS_RE = /^(\d{1,3}(?: \d{3})+)(?:\.(\d{1,2}))?$/; // 18 049.50
const DECIMAL_COMMA_RE = /^(\d+),(\d{1,2})$/; //         120330,00  (one comma, one or two digits)
const NUMBERISH_RE = /^[\d.,' ]+$/;

/**
 * Reads soles as a person in Peru writes them, and as the screens show them: an optional `S/`
 * (or `S/.`), digits with a dot for decimals (at most two) and optionally commas (or spaces)
 * between groups of three for thousands: `1416.67`, `18,049.50`, `S/ 120330`. A single comma
 * followed by one or two digits can only be a decimal comma (`120330,00`). Anything a reader could
 * take two ways is refused as ambiguous rather than guessed: a dot followed by three digits (`1.234`:
 * one sol or a thousand?), a dot before a comma (`1.234,50`), groups that are not of three
 * (`1,23,4`). A minus sign is reported as such, and nothing above MAX_AMOUNT_CENTS is accepted.
 */
export function readSoles(input: string): SolesReading {
  let text = input.replace(/[\u00a0\u202f\u2007]/g, ' ').trim();
  text = text.replace(/^s\/\.?\s*/i, '');
  if (/^[-\u2212]/.test(text)) {
    return readSoles(text.slice(1)).ok || /^\s*\d/.test(text.slice(1)) ? { ok: false, error: 'negative' } : { ok: false, error: 'format' };
  }
  const m = PLAIN_RE.exec(text) ?? COMMA_GROUPS_RE.exec(text) ?? SPACE_GROUPS_RE.exec(text) ?? DECIMAL_COMMA_RE.exec(text);
  if (!m) {
    // Digits and separators that fit no reading above: some other convention, or a typo.
    return NUMBERISH_RE.test(text) && /\d/.test(text) && /[.,]/.test(text) ? { ok: false, error: 'ambiguous' } : { ok: false, error: 'format' };
  }
  const whole = m[1]!.replace(/[, ]/g, '').replace(/^0+(?=\d)/, '');
  if (whole.length > 11) return { ok: false, error: 'too_large' };
  const value = Number(whole) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (value > MAX_AMOUNT_CENTS) return { ok: false, error: 'too_large' };
  return { ok: true, cents: cents(value) };
}

/**
 * Soles as forms and CSV files carry them (see readSoles for what is accepted), or null when the
 * text is not an amount of soles from 0 to MAX_AMOUNT_CENTS.
 */
export function parseSoles(text: string): Cents | null {
  const r = readSoles(text);
  return r.ok ? r.cents : null;
}

/** "1416.67": the form and CSV format (dot, two decimals, no separators). */
export function toSolesString(amount: number): string {
  const c = cents(amount);
  const sign = c < 0 ? '-' : '';
  const abs = Math.abs(c);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const screenFormat = new Intl.NumberFormat('es-PE', { style: 'currency', currency: 'PEN' });

/** "S/ 1,234.56" as es-PE prints it; fed an exact decimal string, never a float. */
export function formatSoles(amount: number): string {
  return screenFormat.format(toSolesString(amount) as unknown as number);
}

/**
 * Rounds numerator/denominator half-up (away from zero on ties) to an integer, in exact
 * BigInt arithmetic. Every rounding in the rules goes through here.
 */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}

/** amount × ppm / 1,000,000 rounded half-up: a percentage (in parts per million) of an amount. */
export function percentOf(amount: number, ppm: number): Cents {
  return cents(Number(divRoundHalfUp(BigInt(cents(amount)) * BigInt(ppm), 1_000_000n)));
}
