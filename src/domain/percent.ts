// Rates and percentages are integers in parts per million of the base: 15% = 150000 ppm,
// a monthly moratorium of 1.2% = 12000 ppm. Four decimals of a percent are kept exactly.

const PCT_RE = /^(\d{1,3})(?:\.(\d{1,4}))?$/;

/** "15", "1.2", "0.90" → ppm. Null when it is not a plain decimal with at most four decimals. */
export function parsePercent(text: string): number | null {
  const m = PCT_RE.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
}

/** ppm → "15", "1.2", "0.9" (no trailing zeros) for forms and CSV. */
export function formatPercent(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const frac = String(ppm % 10_000).padStart(4, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
