// The screens on the whole demo park (363 lots, its firms, contracts and journal): lists a page at a
// time with a count a person reads and page links that keep the filters; CSV exports stay whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { login, textOf, type Agent } from '../support/app.ts';
import { demoDb, type DemoDb } from '../support/demo.ts';
import { DEMO_PASSWORD } from '../../seeds/demo/users.ts';

const TODAY = '2026-11-25';
let demo: DemoDb;
let app: Express;
let admin: Agent;

beforeAll(async () => {
  demo = await demoDb(TODAY);
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: demo.url });
  app = await createApp({ db: demo.db, clock: fixedClock(TODAY), config });
  admin = await login(app, 'admin', DEMO_PASSWORD);
}, 180_000);
afterAll(async () => { await demo?.close(); });

const rowsOf = (html: string, table = 'tbody') => (html.split(`<${table}`)[1] ?? '').split('</tbody>')[0]!.match(/<tr[\s>]/g)?.length ?? 0;
/** The page's HTML with the entities of its links decoded, to look for an href as written. */
const html = (res: { text: string }) => res.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const count = async (table: string) => Number((await demo.db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);

describe('the lot catalogue, a page at a time', () => {
  it('shows 50 lots, says which of how many, and links to the next pages', async () => {
    const total = await count('lots');
    expect(total).toBeGreaterThan(300);
    const res = await admin.get('/lots');
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain(`Mostrando 1–50 de ${total}`);
    expect(rowsOf(res.text)).toBe(50);
    expect(html(res)).toContain('href="/lots?page=2"');
    const last = Math.ceil(total / 50);
    const end = await admin.get(`/lots?page=${last}`);
    expect(textOf(end.text)).toContain(`Mostrando ${(last - 1) * 50 + 1}–${total} de ${total}`);
    expect(rowsOf(end.text)).toBe(total - (last - 1) * 50);
    // A page past the end shows the last one; junk is page 1.
    expect(textOf((await admin.get('/lots?page=999')).text)).toContain(`Mostrando ${(last - 1) * 50 + 1}–${total}`);
    expect(textOf((await admin.get('/lots?page=abc&page=2')).text)).toContain('Mostrando 1–50');
  });

  it('keeps the filters and the sort in the page links', async () => {
    const municipal = Number((await demo.db('lots').where({ owner: 'municipal' }).count<{ n: number }[]>({ n: '*' }))[0]!.n);
    const res = await admin.get('/lots?owner=municipal&sort=area&dir=desc');
    expect(textOf(res.text)).toContain(`Mostrando 1–50 de ${municipal}`);
    expect(html(res)).toContain('href="/lots?owner=municipal&sort=area&dir=desc&page=2"');
  });

  it('finds a lot by its code however it is written', async () => {
    for (const q of ['A-03', 'a03', 'a-3', ' A 03 ']) {
      const res = await admin.get(`/lots?q=${encodeURIComponent(q)}`);
      expect(textOf(res.text), q).toContain('Mostrando 1–1 de 1');
      expect(res.text, q).toContain('href="/lots/A-03"');
    }
    const block = await admin.get('/lots?q=b');
    const inB = Number((await demo.db('lots').where({ block: 'B' }).count<{ n: number }[]>({ n: '*' }))[0]!.n);
    expect(textOf(block.text)).toContain(`de ${inB}`);
  });

  it('exports every lot that matches, not one page', async () => {
    const csv = await admin.get('/lots.csv');
    expect(csv.text.trim().split('\n')).toHaveLength(await count('lots') + 1);
  });
});

describe('contracts, firms, the journal and the audit log, a page at a time', () => {
  it('pages the contracts and keeps the search in the links', async () => {
    const total = await count('contracts');
    const res = await admin.get('/contracts');
    expect(textOf(res.text)).toContain(`Mostrando 1–${Math.min(50, total)} de ${total}`);
    expect(rowsOf(res.text)).toBe(Math.min(50, total));
    const active = Number((await demo.db('contracts').where({ status: 'active' }).count<{ n: number }[]>({ n: '*' }))[0]!.n);
    const filtered = await admin.get('/contracts?status=active');
    expect(textOf(filtered.text)).toContain(`de ${active}`);
    if (active > 50) expect(html(filtered)).toContain('href="/contracts?status=active&page=2"');
    // A lot code finds its contract however it is written.
    const sold = await demo.db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').select('l.block', 'l.number', 'c.number as n').first();
    const res2 = await admin.get(`/contracts?q=${sold.block.toLowerCase()}${sold.number}`);
    expect(textOf(res2.text)).toContain(sold.n);
  });

  it('pages the firms', async () => {
    const total = await count('firms');
    const res = await admin.get('/firms');
    expect(textOf(res.text)).toContain(`Mostrando 1–${Math.min(50, total)} de ${total}`);
    expect(rowsOf(res.text)).toBe(Math.min(50, total));
  });

  it('pages the journal, keeping the period, while the hledger export stays whole', async () => {
    const res = await admin.get('/finance/journal?from=2000-01-01&to=2026-11-25');
    expect(res.status).toBe(200);
    const entries = await demo.db('journal_entries').where('date', '<=', '2026-11-25').count<{ n: number }[]>({ n: '*' });
    const total = Number(entries[0]!.n);
    expect(total).toBeGreaterThan(50);
    expect(textOf(res.text)).toContain(`Mostrando 1–50 de ${total}`);
    expect(res.text.match(/<tbody id="entry-/g)).toHaveLength(50);
    expect(html(res)).toContain('href="/finance/journal?from=2000-01-01&to=2026-11-25&page=2"');
    const journal = await admin.get('/finance/ledger.journal?from=2000-01-01&to=2026-11-25');
    expect(journal.text.match(/^\d{4}-\d{2}-\d{2} /gm)!.length).toBeGreaterThanOrEqual(total);
  });

  it('pages the audit log with the same count line', async () => {
    const total = await count('audit_log');
    const res = await admin.get('/audit');
    expect(textOf(res.text)).toContain(`Mostrando 1–${Math.min(50, total)} de ${total}`);
  });
});

describe('a report whose period is reversed', () => {
  for (const path of ['/finance', '/finance/journal', '/finance/collections', '/finance/fund-statement', '/finance/budget', '/finance/reconciliation']) {
    it(`answers 400 on ${path} with the message next to the date, inside the report's page`, async () => {
      const res = await admin.get(`${path}?from=2026-06-30&to=2026-01-01`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="e-from"');
      expect(textOf(res.text)).toContain('La fecha inicial debe ser anterior o igual a la final.');
      expect(res.text).toContain('class="subnav');
      expect(res.text).toContain('value="2026-06-30"');
    });
  }
  it('answers 400 on a date that is not one, next to its field', async () => {
    const res = await admin.get('/finance/receivables?as_of=2026-13-45');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="e-as_of"');
  });
});
