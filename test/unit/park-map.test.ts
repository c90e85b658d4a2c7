import { describe, expect, it } from 'vitest';
import { parkMapSvg, parseOutline } from '../../src/domain/park-map.ts';

describe('park map SVG', () => {
  it('draws each lot as a polygon inside a link to its page, with status and owner classes and a title', () => {
    const svg = parkMapSvg([
      { code: 'C-07', outline: [[0, 0], [40, 0], [40, 25], [0, 25]], status: 'available', owner: 'municipal', title: 'C-07 · 1,000.00 m² · Municipal · Disponible' },
      { code: 'M-01', outline: [[50, 0], [90, 0], [90, 25]], status: 'under_contract', owner: 'ministry', title: 'M-01 <Demo & Co>' },
    ], [{ name: 'Av. Principal', kind: 'road', outline: [[0, 30], [90, 30], [90, 40], [0, 40]] }], { title: 'Plano' });
    expect(svg).toContain('<a href="/lots/C-07" class="lot status-available owner-municipal" id="lot-C-07"><polygon class="lot status-available owner-municipal" points="0,0 40,0 40,25 0,25"><title>C-07 · 1,000.00 m² · Municipal · Disponible</title>');
    expect(svg).toContain('<title>M-01 &lt;Demo &amp; Co&gt;</title>');
    expect(svg).toContain('<polygon class="area area-road" points="0,30 90,30 90,40 0,40"><title>Av. Principal</title>');
    expect(svg).toContain('viewBox="-10 -10 110 60"');
    expect(svg.match(/<a href=/g)).toHaveLength(2);
  });

  it('accepts only outlines of at least three finite points', () => {
    expect(parseOutline('[[0,0],[1,0],[1,1]]')).toEqual([[0, 0], [1, 0], [1, 1]]);
    expect(parseOutline('[[0,0],[1,0]]')).toBeNull();
    expect(parseOutline('[[0,0],[1,"x"],[1,1]]')).toBeNull();
    expect(parseOutline('not json')).toBeNull();
    expect(parseOutline(null)).toBeNull();
  });
});
