// Two app processes on one database behave as one: a login made on one is valid on the other, payments
// posted alternately to both get consecutive receipt numbers and the statement both serve is the replay
// of what was recorded, with every maintained account equal to its replay. On SQLite the two share one
// WAL file; under `npm run test:pg` they share the PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDb, PASSWORD } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { createUser } from '../../src/auth/service.ts';
import { verifyAccounts } from '../../src/accounts/maintain.ts';
import { computeStatement } from '../../src/domain/statement.ts';
import { statementInput } from '../../src/payments/account.ts';
import { toSolesString } from '../../src/domain/money.ts';
import { limaDate } from '../../src/domain/dates.ts';
import { pay, sale, setRates } from './sales-fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let db: Db;
let dir: string;
let url: string;
const servers: { proc: ChildProcess; base: string }[] = [];
let contractId: number;

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

async function startServer(): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), DATABASE_URL: url, DEMO_DATA: 'off', NODE_ENV: 'development', SESSION_SECRET: 'two-processes-one-secret' },
  });
  let log = '';
  proc.stdout!.on('data', (b) => { log += b; });
  proc.stderr!.on('data', (b) => { log += b; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${log}`);
    try { if ((await fetch(`${base}/login`)).status === 200) return { proc, base }; } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${log}`);
}

/** A browser's cookie jar for one session, used against either process. */
class Browser {
  jar = new Map<string, string>();
  get cookie() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }
  async get(url: string) {
    const res = await fetch(url, { headers: { cookie: this.cookie }, redirect: 'manual' });
    this.keep(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }
  async post(url: string, form: Record<string, string>) {
    const res = await fetch(url, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(form).toString(),
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.keep(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }
  private keep(res: Response) {
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(set)) this.jar.delete(pair!.slice(0, eq));
      else this.jar.set(pair!.slice(0, eq), value);
    }
  }
}
const tokenOf = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';

beforeAll(async () => {
  ({ db, dir, url } = await tempDb());
  await setRates(db, [['2010-01-01', 12000]]);
  await createUser(db, { username: 'gerente', role: 'manager', password: PASSWORD });
  await createUser(db, { username: 'finanzas', role: 'finance', password: PASSWORD });
  const today = limaDate(new Date());
  const c = await sale(db, { date: '2026-01-15', today });
  contractId = c.id;
  await pay(db, c.id, '2026-01-15', 1_500_000, today);
  servers.push(await startServer(), await startServer());
}, 60_000);

afterAll(async () => {
  for (const s of servers) s.proc.kill('SIGTERM');
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('two app processes on one database', () => {
  it('share sessions, number receipts without gaps and serve the same statement', { timeout: 120_000 }, async () => {
    const [a, b] = servers as [typeof servers[0], typeof servers[0]];
    const browser = new Browser();
    const page = await browser.get(`${a.base}/login`);
    const login = await browser.post(`${a.base}/login`, { _csrf: tokenOf(page.text, '_csrf'), username: 'gerente', password: PASSWORD });
    expect(login.status).toBe(303);
    // The session made by A is a login on B.
    expect((await browser.get(`${b.base}/contracts/${contractId}`)).status).toBe(200);

    // Eight payments of S/ 1,416.67 (late: each also pays late fees), alternately on A and B.
    const dates = ['2026-02-20', '2026-03-20', '2026-04-20', '2026-05-20', '2026-06-20', '2026-07-20', '2026-08-20', '2026-09-20'];
    const numbers: string[] = [];
    for (const [i, date] of dates.entries()) {
      const server = i % 2 === 0 ? a : b;
      const form = await browser.get(`${server.base}/contracts/${contractId}/payments/new`);
      expect(form.status).toBe(200);
      const res = await browser.post(`${server.base}/contracts/${contractId}/payments`, {
        _csrf: tokenOf(form.text, '_csrf'), form_token: tokenOf(form.text, 'form_token'),
        date, amount: '1416.67', method: 'cash', reference: '',
      });
      expect(res.status, res.text.slice(0, 400)).toBe(303);
      numbers.push(res.location!.replace('/receipts/', ''));
    }
    expect(numbers).toEqual(['R001-00000002', 'R001-00000003', 'R001-00000004', 'R001-00000005',
      'R001-00000006', 'R001-00000007', 'R001-00000008', 'R001-00000009']);

    const fromA = (await browser.get(`${a.base}/contracts/${contractId}/statement.csv`)).text;
    const fromB = (await browser.get(`${b.base}/contracts/${contractId}/statement.csv`)).text;
    expect(fromA).toBe(fromB);
    // …and it is the replay of what was recorded.
    const today = limaDate(new Date());
    const replay = computeStatement(await statementInput(db, { id: contractId, accelerated_on: null }, today));
    const row1 = replay.rows[1]!;
    expect(fromA.split(/\r?\n/)[2]).toBe([1, row1.due_date, toSolesString(row1.installment_cents), toSolesString(row1.paid_cents),
      toSolesString(row1.late_fee_cents), toSolesString(row1.outstanding_cents), row1.status].join(','));
    expect(replay.total_paid_cents).toBe(1_500_000 + 8 * 141_667);
    expect((await verifyAccounts(db)).differences).toEqual([]);
  });

  it('count failed logins together: five wrong passwords spread over both stop the sixth try on either', { timeout: 60_000 }, async () => {
    const [a, b] = servers as [typeof servers[0], typeof servers[0]];
    const attempt = async (base: string, password: string) => {
      const browser = new Browser();
      const page = await browser.get(`${base}/login`);
      return (await browser.post(`${base}/login`, { _csrf: tokenOf(page.text, '_csrf'), username: 'finanzas', password })).status;
    };
    for (let i = 0; i < 5; i++) expect(await attempt(i % 2 === 0 ? a.base : b.base, `equivocada-${i}`)).toBe(400);
    expect(await attempt(a.base, PASSWORD)).toBe(429);
    expect(await attempt(b.base, PASSWORD)).toBe(429);
  });
});
