// Where a page's time goes: the app in this process on a copy of a park, each page requested a few times
// alone; per request the wall time, the number of SQL queries and their time, and the heaviest queries.
//   npx tsx bench/profile.ts --size 4000 [--page /finance/reconciliation] [--runs 5]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/setup.ts';
import { createApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { BENCH_PASSWORD, BUYER_USER, FINANCE_USER, STAFF_USER, ensurePark } from './generate.ts';

const args = process.argv.slice(2);
const argOf = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const size = Number(argOf('--size') ?? 4000);
const runs = Number(argOf('--runs') ?? 5);
const park = await ensurePark(size);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-profile-'));
const file = path.join(dir, 'park.sqlite');
fs.copyFileSync(park, file);

process.env.NODE_ENV = 'production'; // before express reads it: the view cache on, as in the benchmark
const config = loadConfig({ DATABASE_URL: file, NODE_ENV: 'production', SESSION_SECRET: 'profile-secret-0123456789', DEMO_DATA: 'off' });
const { db } = await openDatabase(config);
const queries: { sql: string; ms: number }[] = [];
const started = new Map<string, number>();
db.on('query', (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, performance.now()));
db.on('query-response', (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
  const t = started.get(q.__knexQueryUid);
  if (t !== undefined) queries.push({ sql: q.sql, ms: performance.now() - t });
  started.delete(q.__knexQueryUid);
});
const app = await createApp({ db, clock: systemClock, config });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function login(username: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const c0 = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const r = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: c0 },
    body: new URLSearchParams({ username, password: BENCH_PASSWORD, _csrf: csrf }).toString() });
  return (r.headers.getSetCookie()[0] ?? c0).split(';')[0]!;
}
const staff = await login(STAFF_USER);
const finance = await login(FINANCE_USER);
const buyer = await login(BUYER_USER);
const busiest = (await db.raw(`SELECT c.id FROM contracts c JOIN receipts r ON r.contract_id = c.id WHERE c.status = 'active'
  GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`))[0].id;
const lot = (await db('lots').where({ status: 'available' }).orderBy('id').first('code')).code;
const pages: [string, string][] = [
  [`/contracts/${busiest}/statement`, staff], [`/contracts/${busiest}/schedule.csv`, staff], ['/portal', buyer], ['/lots', staff],
  [`/quote?lot=${lot}`, ''], ['/', staff], ['/delinquency', staff], ['/finance/reconciliation', finance], ['/finance', finance],
  ['/finance/receivables', finance], ['/finance/expected-inflows', finance], ['/finance/ledger.journal', finance],
];
const only = argOf('--page');
for (const [p, cookie] of pages.filter(([p]) => !only || p === only)) {
  const lines: string[] = [];
  const walls: number[] = [];
  let last: typeof queries = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    queries.length = 0;
    const t = performance.now();
    const r = await fetch(`${base}${p}`, { headers: cookie ? { cookie } : {} });
    bytes = (await r.arrayBuffer()).byteLength;
    walls.push(performance.now() - t);
    last = [...queries];
    if (r.status !== 200) lines.push(`status ${r.status}`);
  }
  walls.sort((a, b) => a - b);
  const qms = last.reduce((s, q) => s + q.ms, 0);
  const byText = new Map<string, { n: number; ms: number }>();
  for (const q of last) { const k = q.sql.replace(/\?(, \?)*/g, '?').slice(0, 150); const s = byText.get(k) ?? { n: 0, ms: 0 }; s.n++; s.ms += q.ms; byText.set(k, s); }
  console.log(`${p}: median ${walls[Math.floor(walls.length / 2)]!.toFixed(1)} ms, ${last.length} queries ${qms.toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB ${lines.join(' ')}`);
  for (const [k, s] of [...byText].sort((a, b) => b[1].ms - a[1].ms).slice(0, 4)) console.log(`    ${s.ms.toFixed(1).padStart(7)} ms ${String(s.n).padStart(4)}× ${k}`);
}
server.close();
await db.destroy();
fs.rmSync(dir, { recursive: true, force: true });
