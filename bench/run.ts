// npm run bench [-- --size 40000] [--duration 5] [--node-env production|development] [--skip journal,…] [--only name]
// For each park size: the app started as `npm start` runs it (node dist/src/main.js) on a copy of the
// generated park, beside a bare Express 5 handler on the same Node; both measured with autocannon in one
// run, on 127.0.0.1 only. Prints a table per size and writes it to bench/results-<size>.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { BENCH_DIR, BENCH_PASSWORD, BUYER_USER, FINANCE_USER, PARKS_DIR, STAFF_USER, ensurePark } from './generate.ts';

const ROOT = path.resolve(BENCH_DIR, '..');
const HOST = '127.0.0.1';
const args = process.argv.slice(2);
const argOf = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const sizes = argOf('--size') ? [Number(argOf('--size'))] : [400, 4000];
const DURATION = Number(argOf('--duration') ?? 5);
const NODE_ENV = argOf('--node-env') ?? 'production';
/** As a TLS proxy on this machine says (TRUST_PROXY=loopback): production sends its cookies only over HTTPS. */
const PROXY = { 'x-forwarded-proto': 'https' };
const CONNECTIONS = [10, 32];
const ALONE = 20;
const SLOW_MS = 1000;

/** Waits until the app answers a light page quickly again (requests left in flight by a load run). */
async function drain(base: string): Promise<void> {
  const t0 = performance.now();
  while (performance.now() - t0 < 120_000) {
    const t = performance.now();
    await (await fetch(`${base}/login`)).arrayBuffer();
    if (performance.now() - t < 100) return;
    await sleep(200);
  }
}

interface Server { proc: ChildProcess; port: number; startupMs: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, HOST, () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

/** Spawns a server and waits for its first successful HTTP answer. */
async function startServer(script: string, env: Record<string, string>, probe: string): Promise<Server> {
  const port = await freePort();
  const t0 = performance.now();
  // Compiled JavaScript runs on node itself (as `npm start` does); TypeScript (the bare handler) under tsx.
  const [cmd, args] = script.endsWith('.js') ? [process.execPath, [script]] : [path.join(ROOT, 'node_modules/.bin/tsx'), [script]];
  const proc = spawn(cmd, args, {
    cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => { err += String(d); });
  proc.stdout!.resume();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${script} exited: ${err}`);
    try {
      const r = await fetch(`http://${HOST}:${port}${probe}`);
      await r.arrayBuffer();
      if (r.ok) return { proc, port, startupMs: performance.now() - t0 };
    } catch { /* not yet */ }
    if (performance.now() - t0 > 120_000) throw new Error(`${script} did not answer in 120 s: ${err}`);
    await sleep(10);
  }
}

async function stopServer(s: Server): Promise<void> {
  if (s.proc.exitCode !== null) return;
  const done = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGTERM');
  await Promise.race([done, sleep(5000)]);
  if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
}

/** The node process serving: tsx runs the script in a child node, so the deepest descendant. */
function servingPid(pid: number): number {
  for (;;) {
    let kids: number[] = [];
    try { kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { /* gone */ }
    if (kids.length === 0) return pid;
    pid = kids[0]!;
  }
}

function memoryOf(pid: number): { rss_mb: number; hwm_mb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss_mb: kb('VmRSS') / 1024, hwm_mb: kb('VmHWM') / 1024 };
}

/** Logs in through the form (CSRF token from GET /login) and returns the session cookie. */
async function login(port: number, username: string): Promise<string> {
  const base = `http://${HOST}:${port}`;
  const page = await fetch(`${base}/login`, { headers: PROXY });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie0 = (page.headers.getSetCookie()[0] ?? '').split(';')[0]!;
  if (!csrf || !cookie0) throw new Error('no CSRF token or cookie on /login');
  const r = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { ...PROXY, 'content-type': 'application/x-www-form-urlencoded', cookie: cookie0 },
    body: new URLSearchParams({ username, password: BENCH_PASSWORD, _csrf: csrf }).toString(),
  });
  await r.arrayBuffer();
  const cookie = (r.headers.getSetCookie().find((c) => c.startsWith('ilo.sid=')) ?? '').split(';')[0]!;
  if (r.status !== 303 && r.status !== 302) throw new Error(`login ${username}: ${r.status}`);
  const check = await fetch(`${base}/`, { headers: { ...PROXY, cookie }, redirect: 'manual' });
  await check.arrayBuffer();
  if (check.status !== 200 && !(check.status === 303 && !/login/.test(check.headers.get('location') ?? ''))) {
    throw new Error(`login ${username}: home answered ${check.status} ${check.headers.get('location') ?? ''}`);
  }
  return cookie;
}

async function csrfOf(port: number, cookie: string, pagePath: string): Promise<string> {
  const r = await fetch(`http://${HOST}:${port}${pagePath}`, { headers: { ...PROXY, cookie } });
  const html = await r.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no CSRF token on ${pagePath} (${r.status})`);
  return token;
}

interface Result { name: string; conns: number; rps: number; p50: number; p99: number; errors: number; non2xx: number; n: number }

async function cannon(name: string, url: string, conns: number, opts: Partial<autocannon.Options> = {}): Promise<Result> {
  const r = await autocannon({ url, connections: conns, duration: DURATION, timeout: 60, ...opts } as autocannon.Options);
  if (opts.requests) console.log('   status codes', JSON.stringify(r.statusCodeStats));
  return {
    name, conns, rps: r.requests.total / DURATION, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts,
    non2xx: r.non2xx, n: r.requests.total,
  };
}

/** p50 of sequential requests, one at a time (at most ALONE of them or 60 s). */
async function alone(url: string, cookie: string | null): Promise<{ p50: number; n: number; status: number }> {
  const times: number[] = [];
  let status = 0;
  const t0 = performance.now();
  for (let i = 0; i < ALONE && performance.now() - t0 < 30_000; i++) {
    const t = performance.now();
    const r = await fetch(url, { headers: { ...PROXY, ...(cookie ? { cookie } : {}) }, redirect: 'manual' });
    await r.arrayBuffer();
    status = r.status;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor((times.length - 1) / 2)]!, n: times.length, status };
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

async function benchSize(size: number): Promise<string> {
  const park = await ensurePark(size);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `ilo-bench-${size}-`));
  const dbFile = path.join(runDir, 'park.sqlite');
  fs.copyFileSync(park, dbFile);
  // Targets of the run, read from the copy before the app opens it.
  const ro = new Database(dbFile, { readonly: true });
  const counts = ro.prepare(`SELECT (SELECT count(*) FROM contracts) AS contracts, (SELECT count(*) FROM receipts) AS receipts,
    (SELECT count(*) FROM journal_lines) AS lines, (SELECT count(*) FROM lots) AS lots`).get() as Record<string, number>;
  const busiest = ro.prepare(`SELECT c.id FROM contracts c JOIN receipts r ON r.contract_id = c.id WHERE c.status = 'active'
    GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`).pluck().get() as number;
  const payable = ro.prepare(`SELECT id FROM contracts WHERE status = 'active' ORDER BY id`).pluck().all() as number[];
  const lotCode = ro.prepare(`SELECT code FROM lots WHERE status = 'available' ORDER BY id LIMIT 1`).pluck().get() as string;
  ro.close();
  const dbBytes = fs.statSync(dbFile).size;

  const env = { DATABASE_URL: dbFile, NODE_ENV, SESSION_SECRET: crypto.randomBytes(24).toString('hex'), DEMO_DATA: 'off' };
  console.log(`\n== ${size} contracts (${fmt(counts.receipts!)} receipts, ${fmt(counts.lines!)} journal lines, ${(dbBytes / 1e6).toFixed(0)} MB), NODE_ENV=${NODE_ENV}`);

  // Start-up on the existing database: a first start (which may still have work to do), stopped, then the
  // start that is measured and kept for the run.
  execFileSync(process.execPath, ['src/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' }); // npm start's prestart
  const first = await startServer('dist/src/main.js', env, '/login');
  await stopServer(first);
  const app = await startServer('dist/src/main.js', env, '/login');
  const bare = await startServer('bench/bare.ts', {}, '/');
  const appPid = servingPid(app.proc.pid!);
  const barePid = servingPid(bare.proc.pid!);
  console.log(`start-up: ${fmt(first.startupMs)} ms first, ${fmt(app.startupMs)} ms second; bare ${fmt(bare.startupMs)} ms`);
  const base = `http://${HOST}:${app.port}`;

  try {
    const staff = await login(app.port, STAFF_USER);
    const finance = await login(app.port, FINANCE_USER);
    const buyer = await login(app.port, BUYER_USER);
    const buyerContract = (await (await fetch(`${base}/portal`, { headers: { ...PROXY, cookie: buyer } })).text()).match(/\/contracts\/(\d+)/)?.[1];

    const pages: { name: string; path: string; cookie: string | null; portfolio?: boolean }[] = [
      { name: 'statement of a contract', path: `/contracts/${busiest}/statement`, cookie: staff },
      { name: 'schedule CSV', path: `/contracts/${busiest}/schedule.csv`, cookie: staff },
      { name: 'portal home (buyer)', path: '/portal', cookie: buyer },
      ...(buyerContract ? [{ name: 'statement (buyer)', path: `/contracts/${buyerContract}/statement`, cookie: buyer }] : []),
      { name: 'lot catalogue', path: '/lots', cookie: staff },
      { name: 'public /quote', path: `/quote?lot=${lotCode}`, cookie: null },
      { name: 'public /transparencia', path: '/transparencia', cookie: null, portfolio: true },
      { name: 'staff home /', path: '/', cookie: staff, portfolio: true },
      { name: 'delinquency', path: '/delinquency', cookie: staff, portfolio: true },
      { name: 'reconciliation', path: '/finance/reconciliation', cookie: finance, portfolio: true },
      { name: 'finance dashboard', path: '/finance', cookie: finance, portfolio: true },
      { name: 'receivables', path: '/finance/receivables', cookie: finance, portfolio: true },
      { name: 'expected inflows', path: '/finance/expected-inflows', cookie: finance, portfolio: true },
      { name: 'journal export', path: '/finance/ledger.journal', cookie: finance },
    ];

    const results: Result[] = [];
    const skipped: string[] = [];
    const aloneMs = new Map<string, number>();
    const bareUrl = `http://${HOST}:${bare.port}/`;
    for (const c of CONNECTIONS) { await cannon('warm-up', bareUrl, c); results.push(await cannon('bare Express handler', bareUrl, c)); }
    aloneMs.set('bare Express handler', (await alone(bareUrl, null)).p50);

    const only = argOf('--only');
    const skip = (argOf('--skip') ?? '').split(',').filter(Boolean);
    for (const p of pages) {
      if (only && !p.name.includes(only)) continue;
      if (skip.some((x) => p.name.includes(x))) { console.log(`  ${p.name}: skipped (--skip)`); skipped.push(p.name); continue; }
      const url = `${base}${p.path}`;
      const a = await alone(url, p.cookie);
      if (a.status !== 200) throw new Error(`${p.path} answered ${a.status}`);
      aloneMs.set(p.name, a.p50);
      process.stdout.write(`  ${p.name}: alone ${a.p50.toFixed(1)} ms`);
      // Bounded: a page that takes more than a second alone is not put under load (its throughput is
      // about 1000 / that figure per second, and the backlog would delay every later line).
      for (const c of CONNECTIONS) {
        if (a.p50 > SLOW_MS) { results.push({ name: p.name, conns: c, rps: NaN, p50: NaN, p99: NaN, errors: 0, non2xx: 0, n: 0 }); continue; }
        const r = await cannon(p.name, url, c, { headers: { ...PROXY, ...(p.cookie ? { cookie: p.cookie } : {}) } });
        await drain(base);
        results.push(r);
        process.stdout.write(`; ${c} conns ${r.rps.toFixed(0)}/s p99 ${r.p99} ms${r.non2xx || r.errors ? ` (${r.non2xx} non-2xx, ${r.errors} errors)` : ''}`);
      }
      process.stdout.write('\n');
    }

    // Payments over HTTP: S/ 1.00 in cash today, each on the next active contract, each with its own form token.
    const csrf = await csrfOf(app.port, staff, `/contracts/${payable[0]}/payments/new`);
    const today = new Date().toISOString().slice(0, 10);
    let next = 0;
    const form = (id: number) => new URLSearchParams({ date: today, amount: '1.00', method: 'cash', reference: '',
      form_token: crypto.randomBytes(16).toString('hex'), _csrf: csrf }).toString();
    const probe = await fetch(`${base}/contracts/${payable[0]}/payments`, { method: 'POST', redirect: 'manual',
      headers: { ...PROXY, cookie: staff, 'content-type': 'application/x-www-form-urlencoded' }, body: form(payable[0]!) });
    const probeText = await probe.text();
    if (probe.status !== 303) throw new Error(`a payment over HTTP answered ${probe.status}: ${probeText.slice(0, 500)}`);
    for (const c of CONNECTIONS) {
      const r = await cannon('payments posted (POST)', `${base}/`, c, {
        headers: { ...PROXY, cookie: staff, 'content-type': 'application/x-www-form-urlencoded' },
        requests: [{
          method: 'POST',
          setupRequest: (req: autocannon.Request) => {
            const id = payable[next++ % payable.length];
            return {
              ...req, method: 'POST', path: `/contracts/${id}/payments`,
              body: form(id!),
            };
          },
        }],
      });
      results.push(r);
      console.log(`  payments: ${c} conns ${r.rps.toFixed(0)}/s p99 ${r.p99} ms (${r.non2xx} answers other than 2xx: 303 expected)`);
    }
    const made = new Database(dbFile, { readonly: true });
    const receiptsAfter = made.prepare('SELECT count(*) FROM receipts').pluck().get() as number;
    made.close();
    const posted = receiptsAfter - counts.receipts!;

    const mem = memoryOf(appPid);
    const bareMem = memoryOf(barePid);
    const bareRps = new Map(results.filter((r) => r.name === 'bare Express handler').map((r) => [r.conns, r.rps]));
    const lines = [
      `## ${fmt(size)} contracts`,
      '',
      `Park: ${fmt(counts.contracts!)} contracts, ${fmt(counts.receipts!)} receipts, ${fmt(counts.lines!)} journal lines, ${fmt(counts.lots!)} lots, ` +
        `${(dbBytes / 1e6).toFixed(0)} MB. App: \`node dist/src/main.js\` (as npm start) with NODE_ENV=${NODE_ENV}, SQLite WAL, synchronous=FULL. ` +
        `autocannon ${DURATION} s per line on 127.0.0.1; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`,
      '',
      '| page | connections | req/s | p50 ms | p99 ms | share of bare | alone (p50) ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.map((r) => {
        const a = aloneMs.get(r.name);
        if (Number.isNaN(r.rps)) return `| ${r.name} | ${r.conns} | — | — | — | — | ${r.conns !== CONNECTIONS[0] ? '' : `${a?.toFixed(0)} (not loaded: > ${SLOW_MS} ms alone)`} |`;
        const share = r.rps / (bareRps.get(r.conns) ?? NaN);
        const bad = r.errors || (r.name.startsWith('payments') ? r.non2xx !== r.n : r.non2xx) ? ` ⚠ ${r.errors} errors, ${r.non2xx} non-2xx` : '';
        return `| ${r.name}${bad} | ${r.conns} | ${fmt(r.rps, r.rps < 10 ? 1 : 0)} | ${r.p50} | ${r.p99} | ${(share * 100).toFixed(share < 0.01 ? 2 : 1)}% | ${a === undefined || r.conns !== CONNECTIONS[0] ? '' : a.toFixed(1)} |`;
      }),
      '',
      ...(skipped.length ? [`Not measured (--skip): ${skipped.join(', ')}.`] : []),
      `Payments recorded over HTTP: ${fmt(posted)} receipts (S/ 1.00 each, cash, today), 303 to the receipt expected.`,
      `Server memory after the run: RSS ${mem.rss_mb.toFixed(0)} MB (peak ${mem.hwm_mb.toFixed(0)} MB); bare Express ${bareMem.rss_mb.toFixed(0)} MB.`,
      `Start-up on the existing database (spawn to first HTTP answer): ${fmt(app.startupMs)} ms (first start of the copy: ${fmt(first.startupMs)} ms); bare Express ${fmt(bare.startupMs)} ms.`,
      '',
    ];
    const md = lines.join('\n');
    fs.writeFileSync(path.join(BENCH_DIR, `results-${size}.md`), `${md}\n`);
    console.log(`\n${md}`);
    return md;
  } finally {
    await stopServer(app);
    await stopServer(bare);
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

fs.mkdirSync(PARKS_DIR, { recursive: true });
for (const size of sizes) await benchSize(size);
void execFileSync;
