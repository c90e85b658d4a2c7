// Charts as inline SVG strings, rendered on the server: no scripts, no external requests, and
// they print. Pure: data and already-translated words in, markup out. Every text is escaped.

export interface Bar { label: string; value: number; tooltip: string }
export interface Series { name: string; color: string }
export interface Group { label: string; values: number[]; tooltips: string[] }
export interface Point { label: string; value: number; tooltip: string }

export interface ChartFrame {
  id: string; // unique on the page: ties <title>/<desc> to aria-labelledby
  title: string;
  desc: string;
  format: (value: number) => string; // axis labels (e.g. soles)
  width?: number;
  height?: number;
}

export const PLOT = { width: 640, height: 260, left: 92, right: 32, top: 16, bottom: 44 } as const;
const BAR_COLOR = '#0b5c7a';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One decimal is enough for a screen and keeps the markup (and the tests) exact. */
const r1 = (n: number) => Math.round(n * 10) / 10;

/** A "nice" upper bound for the axis (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6 or 8 × 10^k: quarters stay round),
 *  at least the largest value. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

interface Scale { min: number; max: number; y: (v: number) => number; plotH: number; plotW: number; bottom: number }

function scale(values: number[], height: number, width: number): Scale {
  const hi = niceMax(Math.max(0, ...values));
  const lowest = Math.min(0, ...values);
  const lo = lowest < 0 ? -niceMax(-lowest) : 0;
  const plotH = height - PLOT.top - PLOT.bottom;
  const plotW = width - PLOT.left - PLOT.right;
  const bottom = PLOT.top + plotH;
  return { min: lo, max: hi, plotH, plotW, bottom, y: (v) => r1(bottom - ((v - lo) / (hi - lo)) * plotH) };
}

function open(frame: ChartFrame, width: number, height: number, cls: string): string {
  const t = `${frame.id}-title`;
  const d = `${frame.id}-desc`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${cls}" viewBox="0 0 ${width} ${height}" `
    + `width="100%" role="img" aria-labelledby="${t} ${d}" font-family="system-ui, sans-serif" font-size="13">`
    + `<title id="${t}">${escapeXml(frame.title)}</title><desc id="${d}">${escapeXml(frame.desc)}</desc>`;
}

/** Horizontal grid lines at 0, ¼, ½, ¾ and the top of the axis, with their amounts. */
function axis(s: Scale, frame: ChartFrame, width: number): string {
  let out = '<g class="axis">';
  for (let i = 0; i <= 4; i++) {
    const v = s.min + ((s.max - s.min) * i) / 4;
    const y = s.y(v);
    out += `<line x1="${PLOT.left}" x2="${width - PLOT.right}" y1="${y}" y2="${y}" stroke="#d8dee5" stroke-width="1"/>`;
    out += `<text x="${PLOT.left - 6}" y="${r1(y + 4)}" text-anchor="end" fill="#5b6876">${escapeXml(frame.format(Math.round(v)))}</text>`;
  }
  if (s.min < 0) out += `<line x1="${PLOT.left}" x2="${width - PLOT.right}" y1="${s.y(0)}" y2="${s.y(0)}" stroke="#1d2733" stroke-width="1"/>`;
  return `${out}</g>`;
}

/** A label under the axis; a "\n" starts a second line (e.g. the year under the month). */
function xLabel(x: number, y: number, text: string): string {
  const [first, ...more] = text.split('\n');
  const rest = more.map((l) => `<tspan x="${r1(x)}" dy="1.15em">${escapeXml(l)}</tspan>`).join('');
  return `<text class="x-label" x="${r1(x)}" y="${r1(y)}" text-anchor="middle" fill="#1d2733">${escapeXml(first ?? '')}${rest}</text>`;
}

/** One bar per value (e.g. collections per month); heights proportional to the axis maximum. */
export function barChart(frame: ChartFrame & { bars: Bar[] }): string {
  const width = frame.width ?? PLOT.width;
  const height = frame.height ?? PLOT.height;
  const s = scale(frame.bars.map((b) => b.value), height, width);
  const slot = frame.bars.length > 0 ? s.plotW / frame.bars.length : s.plotW;
  const barW = r1(Math.min(48, slot * 0.7));
  let out = open(frame, width, height, 'bar-chart') + axis(s, frame, width);
  frame.bars.forEach((b, i) => {
    const cx = PLOT.left + slot * i + slot / 2;
    const top = Math.min(s.y(b.value), s.y(0));
    const h = r1(Math.abs(s.y(0) - s.y(b.value)));
    out += `<rect class="chart-bar" x="${r1(cx - barW / 2)}" y="${r1(top)}" width="${barW}" height="${h}" fill="${BAR_COLOR}">`
      + `<title>${escapeXml(b.tooltip)}</title></rect>`;
    out += xLabel(cx, s.bottom + 16, b.label);
  });
  if (frame.bars.length === 0) out += xLabel(PLOT.left + s.plotW / 2, PLOT.top + s.plotH / 2, frame.desc);
  return `${out}</svg>`;
}

/** Side-by-side bars per group (e.g. budget and spent per project), with a legend. */
export function groupedBarChart(frame: ChartFrame & { series: Series[]; groups: Group[] }): string {
  const width = frame.width ?? PLOT.width;
  const height = frame.height ?? PLOT.height;
  const s = scale(frame.groups.flatMap((g) => g.values), height, width);
  const slot = frame.groups.length > 0 ? s.plotW / frame.groups.length : s.plotW;
  const n = Math.max(1, frame.series.length);
  const barW = r1(Math.min(36, (slot * 0.8) / n));
  let out = open(frame, width, height, 'grouped-bar-chart') + axis(s, frame, width);
  frame.groups.forEach((g, i) => {
    const cx = PLOT.left + slot * i + slot / 2;
    const start = cx - (barW * n) / 2;
    g.values.forEach((v, k) => {
      const top = Math.min(s.y(v), s.y(0));
      const h = r1(Math.abs(s.y(0) - s.y(v)));
      out += `<rect class="chart-bar series-${k}" x="${r1(start + barW * k)}" y="${r1(top)}" width="${barW}" height="${h}" `
        + `fill="${frame.series[k]?.color ?? BAR_COLOR}"><title>${escapeXml(g.tooltips[k] ?? '')}</title></rect>`;
    });
    out += xLabel(cx, s.bottom + 16, g.label);
  });
  out += '<g class="legend">';
  frame.series.forEach((se, k) => {
    const x = PLOT.left + k * 150;
    out += `<rect x="${x}" y="${height - 14}" width="12" height="12" fill="${se.color}"/>`
      + `<text x="${x + 17}" y="${height - 4}" fill="#1d2733">${escapeXml(se.name)}</text>`;
  });
  return `${out}</g></svg>`;
}

/** A line through the points in order (e.g. the fund balance at each month end), with dots. */
export function lineChart(frame: ChartFrame & { points: Point[] }): string {
  const width = frame.width ?? PLOT.width;
  const height = frame.height ?? PLOT.height;
  const s = scale(frame.points.map((p) => p.value), height, width);
  const n = frame.points.length;
  const x = (i: number) => r1(n <= 1 ? PLOT.left + s.plotW / 2 : PLOT.left + (s.plotW * i) / (n - 1));
  let out = open(frame, width, height, 'line-chart') + axis(s, frame, width);
  const coords = frame.points.map((p, i) => `${x(i)},${s.y(p.value)}`).join(' ');
  if (n > 0) out += `<polyline class="line" points="${coords}" fill="none" stroke="${BAR_COLOR}" stroke-width="2.5"/>`;
  // Label at most ~12 points on the x axis so that the words never overlap.
  const every = Math.max(1, Math.ceil(n / 12));
  frame.points.forEach((p, i) => {
    out += `<circle class="point" cx="${x(i)}" cy="${s.y(p.value)}" r="3.5" fill="${BAR_COLOR}"><title>${escapeXml(p.tooltip)}</title></circle>`;
    if (i % every === 0) out += xLabel(x(i), s.bottom + 16, p.label);
  });
  if (n === 0) out += xLabel(PLOT.left + s.plotW / 2, PLOT.top + s.plotH / 2, frame.desc);
  return `${out}</svg>`;
}
