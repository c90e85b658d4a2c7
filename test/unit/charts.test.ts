// The SVG charts: pure functions from data to markup. Bars and points are where the numbers say,
// every text is escaped, and the chart names itself for screen readers.
import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, groupedBarChart, lineChart, niceMax } from '../../src/domain/svg-charts.ts';

const frame = { id: 'c1', title: 'Cobranzas por mes', desc: 'Monto cobrado cada mes.', format: (v: number) => `S/ ${v / 100}` };
const attrs = (svg: string, tag: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<${tag} class="${cls}"([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/(\w[\w-]*)="([^"]*)"/g)].map((a) => [a[1], a[2]])));

describe('niceMax', () => {
  it('rounds the axis up to a round figure whose quarters are round too', () => {
    expect([niceMax(0), niceMax(100), niceMax(101), niceMax(10_875_001), niceMax(2_433_334), niceMax(7_700_000)])
      .toEqual([1, 100, 120, 12_000_000, 3_000_000, 8_000_000]);
  });
});

describe('barChart', () => {
  const svg = barChart({ ...frame, bars: [
    { label: 'ene\n2026', value: 10_000, tooltip: 'enero: S/ 100.00' },
    { label: 'feb', value: 5_000, tooltip: 'febrero: S/ 50.00' },
    { label: 'mar', value: 0, tooltip: 'marzo: S/ 0.00' },
    { label: 'abr', value: 2_500, tooltip: 'abril: S/ 25.00' },
  ] });

  it('draws one bar per value, heights proportional to the axis maximum (200 px = S/ 100)', () => {
    // (class chart-bar, not bar: the page's CSS styles .bar, and CSS height overrides an SVG rect's height.)
    const bars = attrs(svg, 'rect', 'chart-bar');
    expect(bars).toHaveLength(4);
    expect(bars.map((b) => Number(b.height))).toEqual([200, 100, 0, 50]);
    expect(bars.map((b) => Number(b.y))).toEqual([16, 116, 216, 166]); // all standing on the baseline at 216
    expect(bars.map((b) => Number(b.x))).toEqual([132.5, 261.5, 390.5, 519.5]);
  });

  it('is labelled: title and description tied to the svg, a tooltip per bar, month labels, axis amounts', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/);
    expect(svg).toContain('<title id="c1-title">Cobranzas por mes</title><desc id="c1-desc">Monto cobrado cada mes.</desc>');
    expect(svg).toContain('<title>febrero: S/ 50.00</title>');
    // A second line (the year) goes in a tspan under the first.
    expect([...svg.matchAll(/class="x-label"[^>]*>(.*?)<\/text>/g)].map((m) => m[1]))
      .toEqual(['ene<tspan x="156.5" dy="1.15em">2026</tspan>', 'feb', 'mar', 'abr']);
    expect([...svg.matchAll(/text-anchor="end" fill="#5b6876">([^<]*)</g)].map((m) => m[1])).toEqual(['S/ 0', 'S/ 25', 'S/ 50', 'S/ 75', 'S/ 100']);
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('escapes every text it is given', () => {
    const evil = barChart({ ...frame, title: 'A & B <x>', bars: [{ label: '"q"', value: 1, tooltip: "<script>alert('x')</script>" }] });
    expect(evil).toContain('<title id="c1-title">A &amp; B &lt;x&gt;</title>');
    expect(evil).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
    expect(evil).toContain('&quot;q&quot;');
    expect(evil).not.toContain('<script>');
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });

  it('says so, with no bars, when there is no data', () => {
    const empty = barChart({ ...frame, bars: [] });
    expect(attrs(empty, 'rect', 'chart-bar')).toHaveLength(0);
    expect(empty).toContain('Monto cobrado cada mes.</text>');
  });
});

describe('groupedBarChart', () => {
  it('draws a bar per series in each group, and a legend', () => {
    const svg = groupedBarChart({ ...frame, series: [{ name: 'Presupuesto', color: '#aaa' }, { name: 'Gastado', color: '#00f' }],
      groups: [
        { label: 'AGUA-ZA', values: [6_000_000, 6_500_000], tooltips: ['p', 'g'] },
        { label: 'PAV-01', values: [3_000_000, 1_200_000], tooltips: ['p', 'g'] },
      ] });
    const budget = attrs(svg, 'rect', 'chart-bar series-0');
    const spent = attrs(svg, 'rect', 'chart-bar series-1');
    // Axis up to 80,000 (niceMax of 65,000): 200 px = S/ 80,000.
    expect(budget.map((b) => Number(b.height))).toEqual([150, 75]);
    expect(spent.map((b) => Number(b.height))).toEqual([162.5, 30]);
    expect(spent.every((b) => b.fill === '#00f')).toBe(true);
    expect(svg).toContain('>Presupuesto</text>');
    expect(svg).toContain('>Gastado</text>');
  });
});

describe('lineChart', () => {
  it('draws the points left to right, negative balances below the zero line', () => {
    const svg = lineChart({ ...frame, points: [
      { label: 'ene', value: 10_000, tooltip: 'a' }, { label: 'feb', value: -5_000, tooltip: 'b' }, { label: 'mar', value: 0, tooltip: 'c' },
    ] });
    // Axis from −50 to 100 (niceMax of each side) over 200 px: y(100) = 16, y(−50) = 216, y(0) = 149.3.
    expect(/<polyline class="line" points="([^"]+)"/.exec(svg)![1]).toBe('92,16 350,216 608,149.3');
    expect(attrs(svg, 'circle', 'point')).toHaveLength(3);
    expect(svg).toContain('<line x1="92" x2="608" y1="149.3" y2="149.3" stroke="#1d2733"'); // the zero line
  });
});
