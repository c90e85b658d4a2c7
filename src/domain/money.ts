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

const SOLES_RE = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * Parses soles as written in forms and CSV: digits, an optional dot and at most two decimals,
 * no thousands separator ("1416.67", "1416.5", "1416"). Returns null for anything else.
 */
export function parseSoles(text: string): Cents | null {
  const m = SOLES_RE.exec(text.trim());
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = Number((m[2] ?? '').padEnd(2, '0'));
  return cents(whole * 100 + frac);
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
