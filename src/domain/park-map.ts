// The park plan as SVG: lots and common areas drawn from their outlines (metres, park coordinates).
// Pure: plain shapes in, an SVG string out; escaping is done here because the string is inserted raw.

export type Point = [number, number];

export interface MapLot {
  code: string;
  outline: Point[];
  status: string;
  owner: string;
  title: string; // code, area, owner, status (and buyer), already in the reader's language
  /** The lot whose details the page shows (/map?lot=CODE): drawn outlined. */
  selected?: boolean;
}

export interface MapArea {
  name: string;
  kind: string; // road | green | other
  outline: Point[];
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Parses a stored outline; anything that is not at least a triangle of finite numbers is no outline. */
export function parseOutline(json: string | null | undefined): Point[] | null {
  if (!json) return null;
  try {
    const pts = JSON.parse(json) as unknown;
    if (!Array.isArray(pts) || pts.length < 3) return null;
    const ok = pts.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n)));
    return ok ? (pts as Point[]) : null;
  } catch {
    return null;
  }
}

function bounds(shapes: Point[][]): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const s of shapes) for (const [x, y] of s) {
    minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) return { minX: 0, minY: 0, maxX: 100, maxY: 100 };
  return { minX, minY, maxX, maxY };
}

const pointsAttr = (pts: Point[]) => pts.map(([x, y]) => `${round(x)},${round(y)}`).join(' ');
const round = (n: number) => Math.round(n * 100) / 100;

function widthOf(pts: Point[]): number {
  const xs = pts.map((p) => p[0]);
  return Math.max(...xs) - Math.min(...xs);
}

function heightOf(pts: Point[]): number {
  const ys = pts.map((p) => p[1]);
  return Math.max(...ys) - Math.min(...ys);
}

function centroid(pts: Point[]): Point {
  const x = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const y = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return [x, y];
}

/** The plan: common areas underneath, then each lot inside a link to its page. */
export function parkMapSvg(lots: MapLot[], areas: MapArea[], opts: { title: string; labels?: boolean }): string {
  const b = bounds([...lots.map((l) => l.outline), ...areas.map((a) => a.outline)]);
  const pad = 10;
  const vb = `${round(b.minX - pad)} ${round(b.minY - pad)} ${round(b.maxX - b.minX + 2 * pad)} ${round(b.maxY - b.minY + 2 * pad)}`;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="park-map" viewBox="${vb}" role="img" aria-labelledby="map-title">`);
  parts.push(`<title id="map-title">${escapeXml(opts.title)}</title>`);
  for (const a of areas) {
    parts.push(`<polygon class="area area-${escapeXml(a.kind)}" points="${pointsAttr(a.outline)}"><title>${escapeXml(a.name)}</title></polygon>`);
  }
  for (const l of lots) {
    const cls = `lot status-${escapeXml(l.status)} owner-${escapeXml(l.owner)}${l.selected ? ' selected' : ''}`;
    parts.push(`<a href="/lots/${encodeURIComponent(l.code)}" class="${cls}" id="lot-${escapeXml(l.code)}"><polygon class="${cls}" points="${pointsAttr(l.outline)}"><title>${escapeXml(l.title)}</title></polygon>`);
    // A label only where it fits (about 3.6 m a character at the map's label size); the title still
    // names every lot on hover.
    // A lot too narrow for its code gets it upright when it is tall enough, so that every lot is named.
    if (opts.labels) {
      const [cx, cy] = centroid(l.outline);
      if (widthOf(l.outline) >= l.code.length * 3.6) {
        parts.push(`<text x="${round(cx)}" y="${round(cy)}" class="lot-label">${escapeXml(l.code)}</text>`);
      } else if (heightOf(l.outline) >= l.code.length * 3.6) {
        parts.push(`<text x="${round(cx)}" y="${round(cy)}" class="lot-label upright" transform="rotate(-90 ${round(cx)} ${round(cy)})">${escapeXml(l.code)}</text>`);
      } else {
        parts.push(`<text x="${round(cx)}" y="${round(cy)}" class="lot-label tight">${escapeXml(l.code)}</text>`);
      }
    }
    parts.push('</a>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}
