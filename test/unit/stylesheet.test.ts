// The stylesheet is edited by many hands; a lost closing brace silently swallows every rule after it
// into an @media block (it happened in a merge). Braces must balance and never go below zero.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../src/db/knex.ts';

function depthProblems(css: string): string[] {
  const plain = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/"[^"\n]*"|'[^'\n]*'/g, (q) => ' '.repeat(q.length));
  const problems: string[] = [];
  let depth = 0;
  plain.split('\n').forEach((line, i) => {
    for (const ch of line) {
      if (ch === '{') depth += 1;
      else if (ch === '}') depth -= 1;
      if (depth < 0) { problems.push(`line ${i + 1}: a } closes nothing`); depth = 0; }
    }
    // A rule written at the start of a line is meant at the top level: inside a block it is swallowed.
    const raw = line.trimEnd();
    if (depth > 0 && /^[.#a-zA-Z@:[*]/.test(raw) && !raw.includes('{') && !raw.endsWith(',')) problems.push(`line ${i + 1}: "${raw.slice(0, 40)}" inside a block`);
  });
  if (depth !== 0) problems.push(`${depth} block(s) left open at the end`);
  return problems;
}

describe('public/app.css', () => {
  it('closes every block it opens', () => {
    const css = fs.readFileSync(path.join(ROOT_DIR, 'public/app.css'), 'utf8');
    expect(depthProblems(css)).toEqual([]);
  });

  it('finds a block left open (the check itself)', () => {
    expect(depthProblems('@media print {\n  a { color: red; }\n.x { color: blue; }\n')).toEqual(['1 block(s) left open at the end']);
    expect(depthProblems('a { b: c; }\n}\n')).toEqual(['line 2: a } closes nothing']);
  });
});
