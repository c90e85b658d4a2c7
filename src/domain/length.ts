// Lengths (a lot's perimeter) are integer centimetres, so "metres with two decimals" is exact.

/** No lot of the park (80 ha) can have a perimeter beyond 100 km: the bound on every length entered. */
export const MAX_LENGTH_CM = 10_000_000;

const LENGTH_RE = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** "182.5" → 18250 cm. Null for anything but a plain decimal with at most two decimals. */
export function parseMetres(text: string): number | null {
  const m = LENGTH_RE.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** cm → "182.50" for forms. */
export function toMetresString(cm: number): string {
  return `${Math.floor(cm / 100)}.${String(cm % 100).padStart(2, '0')}`;
}

const mFormat = new Intl.NumberFormat('es-PE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** cm → "1,182.50 m" for screens and the printed contract. */
export function formatMetres(cm: number): string {
  return `${mFormat.format(toMetresString(cm) as unknown as number)} m`;
}
