// Issue 10, item 3: every CSV the app writes goes through one writer (src/web/csv.ts), which keeps a
// text cell that a spreadsheet would run as a formula (= + - @, tab, carriage return) from doing so.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { safeCell, toCsv } from '../../src/web/csv.ts';

describe('safeCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`], ['+51 953 111 222', `'+51 953 111 222`],
    ['-2+3+cmd|\' /C calc\'!A0', `'-2+3+cmd|' /C calc'!A0`], ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1+1', `'\t=1+1`], ['\r=1+1', `'\r=1+1`], ['＝1+1', `'＝1+1`],
  ])('neutralises %j', (cell, safe) => {
    expect(safeCell(cell)).toBe(safe);
  });
  it.each(['-12.50', '-0.05', '1416.67', '0', '+5', '-3', 'Metalmecánica Ilo S.A.C.', '2026-11-25', '', 'R001-00000123', 'a=b'])(
    'leaves %j as it is (numbers stay numbers)', (cell) => {
      expect(safeCell(cell)).toBe(cell);
    });
});

describe('toCsv', () => {
  it('writes a header and RFC 4180 rows, with formulas neutralised and numbers untouched', () => {
    const out = toCsv(['name', 'amount'], [['=1+1', '-12.50'], ['Hierros, "del Sur"', '3.00']]);
    expect(out).toBe(`name,amount\n'=1+1,-12.50\n"Hierros, ""del Sur""",3.00\n`);
    expect(parse(out)).toEqual([['name', 'amount'], ["'=1+1", '-12.50'], ['Hierros, "del Sur"', '3.00']]);
  });
});

describe('one writer', () => {
  it('no module but src/web/csv.ts imports csv-stringify', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && fs.readFileSync(p, 'utf8').includes('csv-stringify') && !p.endsWith(path.join('web', 'csv.ts'))) offenders.push(p);
      }
    };
    walk(path.resolve(__dirname, '../../src'));
    expect(offenders).toEqual([]);
  });
});
