// Areas are integer square decimetres (1 dm² = 0.01 m²), so "m² with two decimals" is exact.
export const PARK_AREA_DM2 = 80_000_000; // 80 ha = 800,000 m²
/** No lot can be larger than the park itself: the bound on every area entered. */
export const MAX_AREA_DM2 = PARK_AREA_DM2;

const AREA_RE = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** "1250.5" → 125050 dm². Null for anything but a plain decimal with at most two decimals. */
export function parseAreaM2(text: string): number | null {
  const m = AREA_RE.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** dm² → "1250.50" for forms and CSV. */
export function toM2String(dm2: number): string {
  return `${Math.floor(dm2 / 100)}.${String(dm2 % 100).padStart(2, '0')}`;
}

const m2Format = new Intl.NumberFormat('es-PE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** dm² → "1,250.50 m²" for screens. */
export function formatM2(dm2: number): string {
  return `${m2Format.format(toM2String(dm2) as unknown as number)} m²`;
}

/** dm² → "12.5050 ha". */
export function formatHa(dm2: number): string {
  return `${(dm2 / 1_000_000).toFixed(4)} ha`;
}
