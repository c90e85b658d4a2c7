// Who may use which route, written out here by hand, one line per route of `allRoutes`. The test
// fails when a route is added without a line here (or a line outlives its route), and then asks
// every route as each role: a visitor is sent to /login, a role not listed gets 403, a listed role
// gets the page; every POST refuses a listed role without a CSRF token (403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { allRoutes } from '../../src/routes.ts';
import { allKeys, keysMissingIn } from '../../src/web/i18n.ts';
import { fixedClock } from '../../src/clock.ts';
import { createProject, recordSpending } from '../../src/fund/service.ts';
import { recordCashDeposit } from '../../src/fund/cash-deposits.ts';
import { inviteContact } from '../../src/portal/invitations.ts';
import { requestPasswordReset } from '../../src/auth/reset.ts';
import { attachDocument } from '../../src/attachments/service.ts';
import path from 'node:path';
import type { Cents } from '../../src/domain/money.ts';
import { testApp, login, textOf, type Agent, type TestApp } from '../support/app.ts';
import { ACTOR, ruc } from '../service/sales-fixtures.ts';
import { buyersPark, BUYER_A, TODAY, type BuyersPark } from './portal-fixtures.ts';
import { insertStatement } from '../support/bank.ts';

type Who = 'anonymous' | 'admin' | 'manager' | 'finance' | 'buyer';
const ROLES = ['admin', 'manager', 'finance', 'buyer'] as const;

// public: anyone, logged in or not; user: anyone logged in; otherwise the roles that may.
type Rule = 'public' | 'user' | (typeof ROLES)[number][];
const STAFF: Rule = ['admin', 'manager', 'finance'];
const MANAGERS: Rule = ['admin', 'manager'];
const FINANCE: Rule = ['admin', 'finance'];
const ADMIN: Rule = ['admin'];
const BUYER: Rule = ['buyer'];

const ACCESS: Record<string, Rule> = {
  'GET /login': 'public',
  'POST /login': 'public',
  'POST /logout': 'user',
  'GET /': 'user',
  'GET /lang/:lang': 'public',
  // Land register: staff read, managers write.
  'GET /lots': STAFF,
  'GET /lots.csv': STAFF,
  'GET /lots/new': MANAGERS,
  'POST /lots': MANAGERS,
  'GET /lots/import/new': MANAGERS,
  'POST /lots/import': MANAGERS,
  'GET /lots/:code': STAFF,
  'GET /lots/:code/edit': MANAGERS,
  'POST /lots/:code': MANAGERS,
  'GET /lots/:code/transfer/new': MANAGERS,
  'POST /lots/:code/transfer': MANAGERS,
  // Firms and ACIPIAS.
  'GET /firms': STAFF,
  'GET /firms/new': MANAGERS,
  'POST /firms': MANAGERS,
  'GET /firms/licences': STAFF,
  'GET /firms/:ruc': STAFF,
  'GET /firms/:ruc/edit': MANAGERS,
  'POST /firms/:ruc': MANAGERS,
  'GET /firms/:ruc/membership/new': MANAGERS,
  'POST /firms/:ruc/membership': MANAGERS,
  'GET /members': STAFF,
  'GET /members.csv': STAFF,
  // Sales: a buyer reads its own contract on the staff URLs (another firm's is a 404: buyer-isolation test).
  'GET /contracts': STAFF,
  'GET /contracts/new': MANAGERS,
  'POST /contracts': MANAGERS,
  'GET /contracts/:id': 'user',
  'GET /contracts/:id/print': 'user',
  'GET /contracts/:id/schedule.csv': 'user',
  // Go-live import of paper contracts and receipts (issue 14).
  'GET /contracts/import/new': MANAGERS,
  'POST /contracts/import': MANAGERS,
  'GET /contracts/imports/:id': MANAGERS,
  // From a contract to its title: managers act; the constancia de cancelación is read as the contract is.
  'GET /contracts/:id/assignment/new': MANAGERS,
  'POST /contracts/:id/assignment': MANAGERS,
  'GET /contracts/:id/formalisation/new': MANAGERS,
  'POST /contracts/:id/formalisation': MANAGERS,
  'GET /contracts/:id/constancia': 'user',
  'GET /contracts/:id/withdrawal/new': MANAGERS,
  'POST /contracts/:id/withdrawal': MANAGERS,
  // Payments and receipts.
  'GET /contracts/:id/payments/new': MANAGERS,
  'POST /contracts/:id/payments': MANAGERS,
  'GET /receipts': STAFF,
  'GET /receipts.csv': STAFF,
  'GET /receipts/:number': 'user',
  'POST /receipts/:number/reverse': MANAGERS,
  'GET /contracts/:id/statement': 'user',
  'GET /contracts/:id/statement.csv': 'user',
  // Delinquency, acceleration and rescission.
  'GET /delinquency': STAFF,
  'GET /delinquency.csv': STAFF,
  'GET /contracts/:id/acceleration/new': MANAGERS,
  'POST /contracts/:id/acceleration': MANAGERS,
  'GET /contracts/:id/rescission/new': MANAGERS,
  'POST /contracts/:id/rescission': MANAGERS,
  // Resolutions on a contract's account.
  'GET /contracts/:id/waiver/new': MANAGERS,
  'POST /contracts/:id/waiver': MANAGERS,
  'GET /contracts/:id/reschedule/new': MANAGERS,
  'POST /contracts/:id/reschedule': MANAGERS,
  'GET /contracts/:id/acceleration-undo/new': MANAGERS,
  'POST /contracts/:id/acceleration-undo': MANAGERS,
  // Reinvestment fund: municipal finance (and the administrator).
  'GET /finance': FINANCE,
  'GET /finance/accounts': FINANCE,
  'GET /finance/accounts.csv': FINANCE,
  'GET /finance/journal': FINANCE,
  'GET /finance/ledger.journal': FINANCE,
  'GET /finance/collections': FINANCE,
  'GET /finance/collections.csv': FINANCE,
  'GET /finance/fund-statement': FINANCE,
  'GET /finance/fund-statement.csv': FINANCE,
  'GET /finance/budget': FINANCE,
  'GET /finance/budget.csv': FINANCE,
  'GET /finance/receivables': FINANCE,
  'GET /finance/receivables.csv': FINANCE,
  'GET /finance/expected-inflows': FINANCE,
  'GET /finance/expected-inflows.csv': FINANCE,
  'GET /finance/reconciliation': FINANCE,
  'GET /finance/reconciliation.csv': FINANCE,
  'GET /finance/projects': FINANCE,
  'GET /finance/projects/new': FINANCE,
  'POST /finance/projects': FINANCE,
  'GET /finance/projects/:id': FINANCE,
  'GET /finance/projects/:id/edit': FINANCE,
  'POST /finance/projects/:id': FINANCE,
  'GET /finance/projects/:id/spending/new': FINANCE,
  'POST /finance/projects/:id/spending': FINANCE,
  'GET /finance/spending/:id': FINANCE,
  'POST /finance/spending/:id/reverse': FINANCE,
  'GET /finance/cash-deposits': FINANCE,
  'GET /finance/cash-deposits.csv': FINANCE,
  'GET /finance/cash-deposits/new': FINANCE,
  'POST /finance/cash-deposits': FINANCE,
  'GET /finance/cash-deposits/:id': FINANCE,
  'POST /finance/cash-deposits/:id/reverse': FINANCE,
  // Bank statements in (issue 13).
  'GET /finance/bank-accounts': FINANCE,
  'GET /finance/bank-accounts/new': FINANCE,
  'POST /finance/bank-accounts': FINANCE,
  'GET /finance/bank-accounts/:id': FINANCE,
  'POST /finance/bank-accounts/:id': FINANCE,
  'GET /finance/bank-statements': FINANCE,
  'POST /finance/bank-statements': FINANCE,
  'GET /finance/bank-statements/:id': FINANCE,
  // Month close (issue 13): finance closes, only the administrator reopens.
  'GET /finance/closings': FINANCE,
  'POST /finance/closings': FINANCE,
  'POST /finance/closings/:month/reopen': ADMIN,
  // Buyers' portal and its access.
  'GET /portal': BUYER,
  'GET /portal/receipts': BUYER,
  'GET /firms/:ruc/access': MANAGERS,
  'POST /firms/:ruc/invitations': MANAGERS,
  'POST /users/:id/revoke': MANAGERS,
  'GET /invitations/:token': 'public',
  'POST /invitations/:token': 'public',
  // Settings, the public simulator, one's own password, the map, the audit log.
  'GET /settings': ADMIN,
  'POST /settings': ADMIN,
  'POST /settings/moratorium/:id/withdraw': ADMIN,
  'GET /quote': 'public',
  'GET /quote.csv': 'public',
  // The public reinvestment report.
  'GET /transparencia': 'public',
  'GET /transparencia.csv': 'public',
  // Bank matching and the bank reconciliation of a statement (issue 13).
  'GET /finance/bank-statements/:id/matching': FINANCE,
  'POST /finance/bank-statements/:id/matches': FINANCE,
  'POST /finance/bank-statements/:id/matches/safe': FINANCE,
  'POST /finance/bank-matches/:id/undo': FINANCE,
  'POST /finance/bank-matches/:id/change': FINANCE,
  'POST /finance/bank-statement-lines/:id/explain': FINANCE,
  'GET /finance/bank-statements/:id/reconciliation': FINANCE,
  'POST /finance/bank-statements/:id/reconciliation': FINANCE,
  'GET /account/password': 'user',
  'POST /account/password': 'user',
  'GET /map': STAFF,
  'GET /audit': ADMIN,
  // User accounts (the CLI's user commands in the browser).
  'GET /users': ADMIN,
  'POST /users': ADMIN,
  'POST /users/:id/password': ADMIN,
  'POST /users/:id/active': ADMIN,
  // Outgoing mail, and the forgotten password.
  'GET /mail': ADMIN,
  'GET /mail/:id': ADMIN,
  'POST /mail/:id/retry': ADMIN,
  'GET /password/forgot/new': 'public',
  'POST /password/forgot': 'public',
  'GET /password/reset/:token': 'public',
  'POST /password/reset/:token': 'public',
  // Collections (issue 12): the cobranza page, its actions, the letters (a buyer sees its own).
  'GET /collections': MANAGERS,
  'GET /collections.csv': MANAGERS,
  'POST /collections/:id/send': MANAGERS,
  'POST /collections/:id/notes': MANAGERS,
  'GET /collections/letters/:number': 'user',
  // The site's icon.
  'GET /favicon.ico': 'public',
  // Documents attached to records (issue 14): read as the record is (a buyer: its own firm's, never a
  // lot's or a spending's: 404); added and withdrawn by who keeps the record.
  'GET /attachments/:id': 'user',
  'POST /contracts/:id/attachments': MANAGERS,
  'POST /contracts/:id/attachments/:attachment/withdraw': MANAGERS,
  'POST /firms/:ruc/attachments': MANAGERS,
  'POST /firms/:ruc/attachments/:attachment/withdraw': MANAGERS,
  'POST /receipts/:number/attachments': STAFF,
  'POST /receipts/:number/attachments/:attachment/withdraw': STAFF,
  'POST /finance/spending/:id/attachments': FINANCE,
  'POST /finance/spending/:id/attachments/:attachment/withdraw': FINANCE,
  'POST /lots/:code/attachments': MANAGERS,
  'POST /lots/:code/attachments/:attachment/withdraw': MANAGERS,
  // Papers that look official (issue 14): the identity (admin), its logo (public: on every paper), full names and posts.
  'GET /settings/identity': ADMIN,
  'POST /settings/identity': ADMIN,
  'GET /identity/logo': 'public',
  'GET /users/:id/edit': ADMIN,
  'POST /users/:id/profile': ADMIN,
  'GET /account': 'user',
  'POST /account/profile': 'user',
};

const FORBIDDEN = 'No tiene permiso para ver esta página.';
const CSRF = 'El formulario caducó o no es válido.';

let t: TestApp;
let park: BuyersPark;
let samples: { project: number; spending: number; deposit: number; user: number; token: string; mail: number; reset: string;
  bankStatement: number; bankLine: number; attachment: number; import: number };
const agents = {} as Record<Who, Agent>;

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  park = await buyersPark(t.db);
  const project = await createProject(t.db, ACTOR, {
    code: 'AGUA-1', name: 'Agua zona alta', budget_cents: 5_000_000 as Cents, status: 'in_progress', description: null,
  });
  const spending = await recordSpending(t.db, fixedClock(TODAY), ACTOR, project, {
    date: '2026-11-02', supplier_ruc: ruc(90), supplier_name: 'Tuberías del Sur', document_number: 'F001-118',
    description: 'Tubería HDPE', amount_cents: 250_000 as Cents, confirm_over: true,
  });
  const deposit = await recordCashDeposit(t.db, fixedClock(TODAY), ACTOR, { date: '2026-11-02', amount_cents: 100_000 as Cents, reference: 'DEP-118' });
  const invited = await inviteContact(t.db, park.b.ruc, 'nuevo@costabrava.pe', ACTOR);
  const user = Number((await t.db('invitations').where({ id: invited.invitation_id }).first()).user_id);
  const mail = Number((await t.db('mail_outbox').where({ kind: 'invitation' }).first('id')).id);
  await requestPasswordReset(t.db, 'nuevo@costabrava.pe', '203.0.113.9');
  const resetMail = await t.db('mail_outbox').where({ kind: 'password_reset' }).first('text_body');
  const reset = /\/password\/reset\/([\w-]+)/.exec(String(resetMail?.text_body))?.[1] ?? 'missing';
  // A document on buyer A's contract (a PNG), for GET /attachments/:id.
  const attachment = await attachDocument(t.db, {
    filesDir: path.join(t.dir, 'files'), maxBytes: 10 * 1024 * 1024, today: TODAY, actor: ACTOR, title: 'Contrato firmado',
    record: { kind: 'contract', column: 'contract_id', value: park.a.active, param: String(park.a.active), path: `/contracts/${park.a.active}`, contract_id: park.a.active },
    file: { name: 'contrato.png', content: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64') },
  });
  const bank = await insertStatement(t.db, { period_from: '2026-11-01', period_to: '2026-11-24', opening_balance_cents: 0, closing_balance_cents: 1_000,
    lines: [{ date: '2026-11-20', description: 'ABONO', amount_cents: 1_000 }] });
  // A logo, so that /identity/logo has one to serve (1×1 PNG).
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  await t.db('settings_files').insert({ key: 'identity_logo', content_type: 'image/png', data_base64: png, size_bytes: 70, sha256: 'a'.repeat(64), updated_at: new Date().toISOString() });
  const [imp] = await t.db('imports').insert({ imported_at: new Date().toISOString(), cutoff_date: TODAY, contracts_file_name: 'c.csv',
    contracts_sha256: '0'.repeat(64), summary: '[]' }).returning('id');
  samples = { project, spending, deposit, user, token: invited.token, mail, reset, bankStatement: bank.id, bankLine: bank.lineIds[0]!, attachment,
    import: Number(typeof imp === 'object' ? imp.id : imp) };
  // A collection letter of buyer A's contract, for the letter page.
  await t.db('collection_letters').insert({
    number: 'CC-2026-0001', contract_id: park.a.active, level: 1, date: TODAY, episode_due_date: TODAY, items: '[]', overdue_cents: 0,
    late_fee_cents: 0, total_cents: 0, unpaid_count: 0, trigger: 'manual', created_at: new Date().toISOString(),
  });
  agents.anonymous = request.agent(t.app);
  agents.admin = await login(t.app, 'admin');
  agents.manager = await login(t.app, 'gerente');
  agents.finance = await login(t.app, 'finanzas');
  agents.buyer = await login(t.app, BUYER_A);
});
afterAll(async () => { await t.close(); });

const keyOf = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

/** The route's path with existing records in its parameters (the buyer's own, where a buyer may look). */
function sampleUrl(method: string, path: string): string {
  const id = path.startsWith('/finance/projects/') ? samples.project
    : path.startsWith('/finance/spending/') ? samples.spending
      : path.startsWith('/finance/cash-deposits/') ? samples.deposit
        : path.startsWith('/finance/bank-statements/') ? samples.bankStatement
        : path.startsWith('/finance/bank-statement-lines/') ? samples.bankLine
        : path.startsWith('/finance/bank-accounts/') ? 1
        : path.startsWith('/users/') ? samples.user
          : path.startsWith('/mail/') ? samples.mail
          : path.startsWith('/attachments/') ? samples.attachment
          : path.startsWith('/contracts/imports/') ? samples.import
          : path.endsWith('/constancia') ? park.a.paidOff
            : park.a.active;
  const url = path
    .replace(':lang', 'es').replace(':month', '2026-10').replace(':code', park.lotCode).replace(':ruc', park.a.ruc)
    .replace(':number', park.a.receipts[1]!).replace(':token', path.startsWith('/password/') ? samples.reset : samples.token).replace(':id', String(id));
  if (path === '/collections/letters/:number') return '/collections/letters/CC-2026-0001';
  if (method === 'GET' && path === '/quote.csv') return `${url}?price=100000.00&date=2026-11-25`;
  return url;
}

/** The allowed GETs that answer with a redirect rather than a page (none of them to /login). */
function redirectOf(key: string, who: Who): string | null {
  if (key === 'GET /lang/:lang') return '/';
  if (key === 'GET /login' && who !== 'anonymous') return '/';
  if (key === 'GET /' && who === 'buyer') return '/portal';
  return null;
}

const allows = (rule: Rule, who: Who) =>
  rule === 'public' || (who !== 'anonymous' && (rule === 'user' || rule.includes(who)));

describe('the access table', () => {
  it('lists every route of the app exactly once, and no route that does not exist', () => {
    const keys = allRoutes.map(keyOf);
    expect(new Set(keys).size, 'a route is declared twice').toBe(keys.length);
    const missing = keys.filter((k) => !(k in ACCESS));
    const stale = Object.keys(ACCESS).filter((k) => !keys.includes(k));
    expect(missing, 'routes without a rule in ACCESS').toEqual([]);
    expect(stale, 'rules for routes that do not exist').toEqual([]);
  });

  it('matches what each route declares next to its definition', () => {
    for (const r of allRoutes) {
      const declared = r.access === 'public' || r.access === 'user' ? r.access : [...r.access].sort();
      const expected = ACCESS[keyOf(r)]!;
      expect(declared, keyOf(r)).toEqual(typeof expected === 'string' ? expected : [...expected].sort());
    }
  });
});

describe('every GET route, as each role', () => {
  const gets = Object.entries(ACCESS).filter(([k]) => k.startsWith('GET '));
  for (const who of ['anonymous', ...ROLES] as Who[]) {
    it(`answers ${who} as the table says`, async () => {
      for (const [key, rule] of gets) {
        const url = sampleUrl('GET', key.slice(4));
        const res = await agents[who].get(url);
        const where = `${who} GET ${url} → ${res.status} ${res.headers.location ?? ''}`;
        if (allows(rule, who)) {
          const to = redirectOf(key, who);
          expect(res.status, where).toBe(to ? 303 : 200);
          if (to) expect(res.headers.location, where).toBe(to);
        } else if (who === 'anonymous') {
          expect(res.status, where).toBe(303);
          expect(res.headers.location, where).toBe(`/login?next=${encodeURIComponent(url)}`);
        } else {
          expect(res.status, where).toBe(403);
          expect(textOf(res.text), where).toContain(FORBIDDEN);
        }
      }
    });
  }
});

describe('every POST route, as each role', () => {
  const posts = Object.entries(ACCESS).filter(([k]) => k.startsWith('POST '));
  for (const who of ['anonymous', ...ROLES] as Who[]) {
    it(`refuses ${who} as the table says, and refuses a form without its CSRF token`, async () => {
      for (const [key, rule] of posts) {
        const url = sampleUrl('POST', key.slice(5));
        const res = await agents[who].post(url).type('form').send({ reason: 'prueba', email: 'x@y.pe' });
        const where = `${who} POST ${url} → ${res.status} ${res.headers.location ?? ''}`;
        if (allows(rule, who)) {
          // Allowed, but no token: refused before anything runs.
          expect(res.status, where).toBe(403);
          expect(textOf(res.text), where).toContain(CSRF);
        } else if (who === 'anonymous') {
          expect(res.status, where).toBe(303);
          expect(res.headers.location, where).toBe('/login');
        } else {
          expect(res.status, where).toBe(403);
          expect(textOf(res.text), where).toContain(FORBIDDEN);
        }
      }
    });
  }

  it('wrote nothing for any of those refused forms', async () => {
    const count = async (table: string) => Number((await t.db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);
    // Made by the fixture only: 3 + 1 contracts, 8 receipts, 1 project, 1 spending, 1 cash deposit, 1 invitation.
    expect(await count('contracts')).toBe(4);
    expect(await count('receipts')).toBe(8);
    expect(await count('projects')).toBe(1);
    expect(await count('spendings')).toBe(1);
    expect(await count('cash_deposits')).toBe(1);
    expect(await count('invitations')).toBe(1);
    expect(await count('collection_letters')).toBe(1);
    expect(await count('collection_notes')).toBe(0);
    expect(await count('attachments')).toBe(1);
    expect((await t.db('receipts').where({ status: 'void' })).map((r: { number: string }) => r.number)).toEqual([park.b.voided]);
    expect((await t.db('users').where({ active: 0 }))).toHaveLength(0);
  });
});

describe('every page, in Spanish and in English', () => {
  // A missing word shows as its key (e.g. "contract_event.receipt_voided"): look for any token shaped
  // like a key whose first part is one of the dictionary's namespaces.
  const namespaces = new Set(allKeys().map((k) => k.split('.')[0]));
  const rawKeys = (text: string) => (text.match(/\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b/g) ?? [])
    .filter((tok) => namespaces.has(tok.split('.')[0]!));

  it('has every Spanish word in English too', () => {
    expect(keysMissingIn('en')).toEqual([]);
  });

  for (const lang of ['es', 'en'] as const) {
    for (const who of ['admin', 'buyer'] as const) {
      it(`shows ${who} words, not keys, on every page it may open (${lang})`, async () => {
        const agent = await login(t.app, who === 'admin' ? 'admin' : BUYER_A);
        await agent.get(`/lang/${lang}`);
        const pages = Object.entries(ACCESS).filter(([k, rule]) => k.startsWith('GET ') && allows(rule, who)
          && !/\.(csv|journal|ico)$/.test(k) && k !== 'GET /attachments/:id' && k !== 'GET /identity/logo' && !redirectOf(k, who) && k !== 'GET /login'); // images
        expect(pages.length).toBeGreaterThan(who === 'admin' ? 40 : 5);
        for (const [key] of pages) {
          const url = sampleUrl('GET', key.slice(4));
          const res = await agent.get(url);
          expect(res.status, url).toBe(200);
          expect(rawKeys(textOf(res.text)), `${lang} ${url}`).toEqual([]);
        }
      });
    }
  }
});
