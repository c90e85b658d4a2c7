// Times the go-live import (50 contracts, 3,000 receipts) on SQLite and dumps every table (timestamps blanked)
// to compare the rows written before and after a change: npx tsx bench/golive-import.ts [dump.json]
import fs from 'node:fs';
import { testApp } from '../test/support/app.ts';
import { generateHistory, goLiveLot, goLivePark, CUTOFF, TODAY } from '../test/http/golive-history.ts';
import { importPaperContracts } from '../src/golive/service.ts';

const t = await testApp({ today: TODAY });
await goLivePark(t.db, { lots: 60, existingFirms: 15 });
const history = generateHistory({ count: 50, receiptsEach: 60, existingFirms: 15, seed: 14, lotArea: goLiveLot });
const admin = await t.db('users').where({ username: 'gerente' }).first();
const actor = { id: admin.id, username: admin.username };
const sqls = new Map<string, number>();
let queries = 0;
const began = new Map<string, number>(); const spent = new Map<string, number>();
t.db.on('query', (q: { sql: string; __knexQueryUid: string }) => { queries += 1; sqls.set(q.sql, (sqls.get(q.sql) ?? 0) + 1); began.set(q.__knexQueryUid, performance.now()); });
t.db.on('query-response', (_r: unknown, q: { sql: string; __knexQueryUid: string }) => { const b = began.get(q.__knexQueryUid); if (b !== undefined) spent.set(q.sql, (spent.get(q.sql) ?? 0) + performance.now() - b); });
const input = (dry: boolean) => ({ contracts: { name: 'c.csv', bytes: Buffer.from(history.contracts) }, receipts: { name: 'r.csv', bytes: Buffer.from(history.receipts) }, cutoff_date: CUTOFF, dry_run: dry });
const c0 = process.cpuUsage(); const t0 = performance.now();
const report = await importPaperContracts(t.db, input(false), actor, TODAY);
const ms = performance.now() - t0; const cpu = process.cpuUsage(c0);
console.log(`import: ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms cpu, ${queries} queries, receipts ${report.receipts_imported}, problems ${report.problems.length}`);
if (process.env.TOP) for (const [s, n] of [...sqls].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP))) console.log(n, s.slice(0, 200));
if (process.env.SLOW) for (const [s, ms] of [...spent].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.SLOW))) console.log(ms.toFixed(0), sqls.get(s), s.slice(0, 300));
if (process.argv[2]) {
  const tables = (await t.db.raw("select name from sqlite_master where type='table' and name not like 'sqlite_%' and name not like 'knex_%' order by name")).map((r: { name: string }) => r.name);
  const out: Record<string, unknown[]> = {};
  const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
  for (const name of tables) {
    if (name === 'sessions') continue;
    const rows = await t.db(name).select('*');
    out[name] = rows.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k,
      typeof v === 'string' && stamp.test(v) || k === 'password_hash' ? 'T' : k === 'elapsed_ms' ? 0 : typeof v === 'string' && v.includes('"elapsed_ms"') ? v.replace(/"elapsed_ms":\d+/g, '"elapsed_ms":0') : v])));
  }
  fs.writeFileSync(process.argv[2], JSON.stringify({ summary: { ...report, elapsed_ms: 0 }, tables: out }, null, 1));
}
await t.close();
console.log('verify ok', (globalThis as any).batchChecks ?? '');
