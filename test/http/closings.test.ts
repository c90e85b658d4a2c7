// The month close over HTTP (issue 13): the page, closing in order once a month is over and its checks are
// clean, the reopen (admin only, with a reason, audited), THE GUARD (every kind of dated write in a closed
// month answers 409 with the message next to its date field and writes nothing), the backstop in the
// ledger, reversals dated in an open month of records of a closed month, the line under the finance
// reports' period, and the hledger export byte for byte across a close and a reopen.
//
// History (today 25/11/2026, late fees 1.2% a month), first dated record in March 2026:
//   D  sale 02/03/2026, down payment 15,000 in cash that day, nothing since; accelerated 15/09/2026.
//   E  sale 02/03/2026, down payment 15,000 in cash that day, nothing since (for an acceleration).
//   A  sale 10/08/2026, 15,000 by transfer that day; 1,416.67 cash on 10/09 (Rsep) and on 10/10 (Roct).
//   W  sale 05/10/2026, awaiting its down payment (for a withdrawal).
//   project AGUA with spendings of 1,000.00 on 15/09 (twice: one reversed later, one for the clock behind);
//   cash deposits of 1,000.00 on 20/09 (twice, the same way).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { formatDate, limaDate } from '../../src/domain/dates.ts';
import { accelerateContract } from '../../src/delinquency/service.ts';
import { postEntry, reverseEntry } from '../../src/fund/ledger.ts';
import { FormError } from '../../src/web/errors.ts';
import { closingChecks, contractsToVerify, monthFingerprint } from '../../src/closings/checks.ts';
import { SYSTEM } from '../../src/audit/audit.ts';
import { testApp, login, submit, csrfFrom, textOf, PASSWORD, type TestApp, type Agent } from '../support/app.ts';
import { insertFirm, insertLot, validRuc } from '../support/sales.ts';
import { ACTOR, pay, sale, setRates } from '../service/sales-fixtures.ts';

const TODAY = '2026-11-25';
const CLOSED = 'El mes 2026-10 está cerrado. Las correcciones se hacen con una reversión o un ajuste fechado en un mes abierto.';

let t: TestApp;
let finance: Agent;
let manager: Agent;
let admin: Agent;
const k = {} as Record<'a' | 'd' | 'e' | 'w', number>;
const r = {} as Record<'sep' | 'oct', string>;
const ids = { project: 0, spendingA: 0, spendingB: 0, depositA: 0, depositB: 0 };
const buyerRuc = validRuc('2060000001');
const otherRuc = validRuc('2060000002');
let journalBefore = '';

const TABLES = ['receipts', 'receipt_allocations', 'journal_entries', 'journal_lines', 'contracts', 'contract_events', 'account_events',
  'schedule_rows', 'spendings', 'cash_deposits', 'withdrawals', 'rescissions', 'assignments', 'formalisation_steps', 'lot_transfers',
  'moratorium_rates', 'memberships', 'month_closings', 'audit_log', 'counters'];
const counts = async () => {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await t.db(table).count({ n: '*' }).first())!.n);
  return out;
};
const errorOf = (html: string, field: string) => new RegExp(`id="e-${field}">([^<]*)<`).exec(html)?.[1];
const idFrom = (location: string | undefined) => Number(/\/(\d+)$/.exec(location ?? '')?.[1]);
const closingsCount = async () => Number((await t.db('month_closings').count({ n: '*' }).first())!.n);
const journal = async () => (await finance.get('/finance/ledger.journal')).text;

async function close(agent: Agent, month: string) {
  const page = await agent.get('/finance/closings');
  return agent.post('/finance/closings').type('form').send({ _csrf: csrfFrom(page.text), month });
}
async function reopen(agent: Agent, month: string, reason: string) {
  const page = await agent.get('/finance/closings');
  return agent.post(`/finance/closings/${month}/reopen`).type('form').send({ _csrf: csrfFrom(page.text), reason });
}
async function post(agent: Agent, pageUrl: string, postUrl: string, data: Record<string, string>) {
  return submit(agent, pageUrl, postUrl, data);
}

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  k.d = (await sale(t.db, { date: '2026-03-02', today: TODAY })).id;
  await pay(t.db, k.d, '2026-03-02', 1_500_000, TODAY);
  await accelerateContract(t.db, k.d, { resolution_number: 'R.G. 090-2026', date: '2026-09-15' }, TODAY, ACTOR);
  k.e = (await sale(t.db, { date: '2026-03-02', today: TODAY })).id;
  await pay(t.db, k.e, '2026-03-02', 1_500_000, TODAY);
  k.a = (await sale(t.db, { date: '2026-08-10', today: TODAY })).id;
  await pay(t.db, k.a, '2026-08-10', 1_500_000, TODAY, 'transfer');
  r.sep = await pay(t.db, k.a, '2026-09-10', 141_667, TODAY);
  r.oct = await pay(t.db, k.a, '2026-10-10', 141_667, TODAY);
  k.w = (await sale(t.db, { date: '2026-10-05', today: TODAY })).id;
  await insertFirm(t.db, buyerRuc, 'Metalmecánica del Sur S.A.C.', { number: 'M-900' });
  await insertFirm(t.db, otherRuc, 'Carpintería Ilo E.I.R.L.', { number: 'M-901' });
  await insertLot(t.db, { code: 'S-01', area_dm2: 100_000, price_per_m2_cents: 10_000 });
  await insertLot(t.db, { code: 'M-01', area_dm2: 100_000, price_per_m2_cents: 10_000, owner: 'ministry' });
  finance = await login(t.app, 'finanzas');
  manager = await login(t.app, 'gerente');
  admin = await login(t.app, 'admin');
  const project = await post(finance, '/finance/projects/new', '/finance/projects',
    { code: 'AGUA', name: 'Agua potable zona alta', budget: '50000.00', status: 'in_progress', description: '' });
  ids.project = idFrom(project.headers.location);
  for (const key of ['spendingA', 'spendingB'] as const) {
    const res = await post(finance, `/finance/projects/${ids.project}/spending/new`, `/finance/projects/${ids.project}/spending`, {
      date: '2026-09-15', supplier_ruc: '20512333797', supplier_name: 'Constructora Ilo S.A.C.',
      document_number: `F001-${key}`, description: 'Valorización', amount: '1000.00' });
    expect(res.status).toBe(303);
    ids[key] = idFrom(res.headers.location);
  }
  for (const key of ['depositA', 'depositB'] as const) {
    const res = await post(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', { date: '2026-09-20', amount: '1000.00', reference: `DEP-${key}` });
    expect(res.status).toBe(303);
    ids[key] = idFrom(res.headers.location);
  }
});
afterAll(async () => { await t.close(); });

describe('the page before anything is closed', () => {
  it('lists the months from the first dated record to this one, all open, with the checks of the next one to close', async () => {
    const res = await finance.get('/finance/closings');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain('Ningún mes cerrado todavía. · Siguiente mes por cerrar: marzo de 2026');
    expect(text).toContain('Controles de marzo de 2026 (2026-03)');
    for (const m of ['noviembre de 2026 2026-11 abierto', 'octubre de 2026 2026-10 abierto', 'marzo de 2026 2026-03 abierto']) expect(text).toContain(m);
    expect(text).not.toContain('febrero de 2026');
    expect(text).toContain('Conciliación del fondo del mes Correcto Sin diferencias.');
    expect(text).toContain('Cuentas de los contratos vs. su historia Correcto Las cuentas de los 2 contrato(s) con cambios fuera de lo común en el mes (firmados, resoluciones, anulaciones, pagos retroactivos) coinciden con su historia.');
    expect(text).toContain('El libro diario cuadra (debe = haber) Correcto Debe S/ 260,000.00 = haber S/ 260,000.00.');
    // A close button on each month that is over, none on the month in course; no reopen form.
    expect(res.text).toContain('<input type="hidden" name="month" value="2026-10">');
    expect(res.text).not.toContain('<input type="hidden" name="month" value="2026-11">');
    expect(res.text).not.toContain('/reopen');
    expect(text).toContain('Todavía no se ha cerrado ningún mes.');
  });

  it('replays, for the accounts check, the contracts with something out of the ordinary in the month', async () => {
    expect(await contractsToVerify(t.db, '2026-03-01', '2026-03-31')).toEqual([k.d, k.e]); // signed
    expect(await contractsToVerify(t.db, '2026-09-01', '2026-09-30')).toEqual([k.d]); // accelerated; A's receipt in order
    expect(await contractsToVerify(t.db, '2026-10-01', '2026-10-31')).toEqual([k.w]); // signed; A's receipt in order
  });

  it('fingerprints a month: a write dated in it (or before) changes it, a later one does not', async () => {
    const before = await monthFingerprint(t.db, '2026-09');
    let res = await post(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', { date: '2026-11-02', amount: '100.00', reference: 'DEP-FP1' });
    expect(res.status).toBe(303);
    expect(await monthFingerprint(t.db, '2026-09')).toBe(before);
    res = await post(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', { date: '2026-09-25', amount: '100.00', reference: 'DEP-FP2' });
    expect(res.status).toBe(303);
    expect(await monthFingerprint(t.db, '2026-09')).not.toBe(before);
  });

  it('is in the finance menu, and the manager gets 403', async () => {
    expect((await finance.get('/finance')).text).toContain('<a href="/finance/closings">Cierre de mes</a>');
    expect((await manager.get('/finance/closings')).status).toBe(403);
  });
});

describe('closing: only over, in order, with clean checks', () => {
  it('refuses the month in course, a future one and a malformed month; nothing written', async () => {
    let res = await close(finance, '2026-11');
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('El mes 2026-11 aún no ha terminado: se puede cerrar desde el día siguiente al 30/11/2026.');
    res = await close(finance, '2027-01');
    expect(res.status).toBe(409);
    res = await close(finance, '2026-13');
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('Indique el mes como AAAA-MM.');
    expect(await closingsCount()).toBe(0);
  });

  it('refuses a month whose checks are not clean, listing them (409), and writes nothing', async () => {
    // An entry dated in March whose lines do not balance (written past postEntry, as a broken import would).
    const [row] = await t.db('journal_entries').insert({ date: '2026-03-15', description: 'Asiento roto', source_type: 'receipt_adjustment',
      source_id: '0', created_by: null, created_at: new Date().toISOString() }).returning('id');
    const entry = Number(typeof row === 'object' ? row.id : row);
    await t.db('journal_lines').insert({ entry_id: entry, account_code: '1101', debit_cents: 10_000, credit_cents: 0 });
    try {
      const before = await counts();
      const res = await close(finance, '2026-03');
      expect(res.status).toBe(409);
      const text = textOf(res.text);
      expect(text).toContain('No se puede cerrar 2026-03: 2 control(es) con observaciones (ver abajo).');
      expect(text).toContain('Conciliación del fondo del mes Con observaciones 2 control(es) de la conciliación con diferencias:');
      expect(text).toContain('Caja y banco vs. recibos − devoluciones − gastos: diferencia S/ 100.00 (1 partida(s))');
      expect(text).toContain('Cada asiento cuadra: diferencia S/ 100.00 (1 partida(s))');
      expect(text).toContain(`El libro diario cuadra (debe = haber) Con observaciones Debe S/ 260,100.00, haber S/ 260,000.00; asientos que no cuadran: #${entry}.`);
      expect(text).toContain('Cuentas de los contratos vs. su historia Correcto');
      expect(await counts()).toEqual(before);
      // May closes March and April with it: March's checks refuse the whole close, nothing closed.
      const may = await close(finance, '2026-05');
      expect(may.status).toBe(409);
      expect(textOf(may.text)).toContain('No se puede cerrar 2026-05: 2026-03, que se cierra con él, tiene 2 control(es) con observaciones (ver sus controles).');
      expect(await counts()).toEqual(before);
    } finally { // the test's own damage undone
      await t.db('journal_lines').where({ entry_id: entry }).delete();
      await t.db('journal_entries').where({ id: entry }).delete();
    }

    // A maintained account that no longer equals its replay.
    const head = await t.db('contract_accounts').where({ contract_id: k.d }).first();
    await t.db('contract_accounts').where({ contract_id: k.d }).update({ total_paid_cents: Number(head.total_paid_cents) + 1 });
    try {
      const again = await close(finance, '2026-03');
      expect(again.status).toBe(409);
      const number = (await t.db('contracts').where({ id: k.d }).first()).number;
      expect(textOf(again.text)).toContain(`Cuentas de los contratos vs. su historia Con observaciones 1 de 2 contrato(s) con cambios fuera de lo común en el mes no coinciden con su historia: ${number}.`);
      expect(await closingsCount()).toBe(0);
    } finally {
      await t.db('contract_accounts').where({ contract_id: k.d }).update({ total_paid_cents: head.total_paid_cents });
    }
  });

  it('closes March, then October with April to September (303 to the month), each month its row and checks, audited; the journal unchanged', async () => {
    journalBefore = await journal();
    const recon = async () => (await finance.get('/finance/reconciliation.csv?from=2026-03-01&to=2026-10-31')).text;
    const reconBefore = await recon();
    for (const month of ['2026-03', '2026-10']) {
      const res = await close(finance, month);
      expect(res.status, month).toBe(303);
      expect(res.headers.location).toBe(`/finance/closings?month=${month}`);
    }
    const rows = await t.db('month_closings').orderBy('id');
    expect(rows.map((x) => [x.month, x.action, x.actor_name, x.reason])).toEqual(
      ['03', '04', '05', '06', '07', '08', '09', '10'].map((m) => [`2026-${m}`, 'close', 'finanzas', null]));
    expect(JSON.parse(rows[7].checks).map((c: { key: string; ok: boolean }) => [c.key, c.ok]))
      .toEqual([['fund_reconciliation', true], ['accounts', true], ['ledger_balanced', true], ['bank:1:statement', true]]);
    const audit = await t.db('audit_log').where({ action: 'month.close' }).orderBy('id');
    expect(audit.map((a) => [a.entity, a.entity_id, a.username])).toHaveLength(8);
    expect(audit[7]).toMatchObject({ entity: 'month', entity_id: '2026-10', username: 'finanzas' });
    expect(audit.map((a) => JSON.parse(a.details).closed_with ?? null)).toEqual([null, ...Array(6).fill('2026-10'), null]);
    expect(await journal()).toBe(journalBefore);
    expect(await recon()).toBe(reconBefore);
  });

  it('refuses closing a month twice (409)', async () => {
    const res = await close(finance, '2026-10');
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('El mes 2026-10 ya está cerrado.');
    expect(await closingsCount()).toBe(8);
  });

  it('shows each month closed with who and when; the flash; the reopen form only to the admin, on the latest', async () => {
    const at = (await t.db('month_closings').where({ month: '2026-10' }).first()).at as string;
    const lima = new Date(Date.parse(at) - 5 * 3600 * 1000).toISOString();
    const stamp = `${formatDate(lima.slice(0, 10))} ${lima.slice(11, 16)}`;
    const page = textOf((await finance.get('/finance/closings?month=2026-10')).text);
    expect(page).toContain('Libros cerrados hasta octubre de 2026.');
    expect(page).toContain(`octubre de 2026 2026-10 cerrado Cerrado por finanzas el ${stamp}`);
    expect(page).toContain('noviembre de 2026 2026-11 abierto');
    expect(page).toContain(`Controles de octubre de 2026 (2026-10) cerrado Cerrado por finanzas el ${stamp}`);
    expect((await finance.get('/finance/closings')).text).not.toContain('/reopen');
    const adminPage = (await admin.get('/finance/closings')).text;
    expect(adminPage).toContain('action="/finance/closings/2026-10/reopen"');
    expect(adminPage).not.toContain('action="/finance/closings/2026-09/reopen"');
  });
});

describe('the finance reports say whether their period is closed', () => {
  it('closed: "Periodo cerrado el dd/mm/yyyy por <name>"; otherwise the open months', async () => {
    const at = (await t.db('month_closings').where({ month: '2026-10' }).first()).at as string;
    const closedOn = `Periodo cerrado el ${formatDate(limaDate(new Date(at)))} por finanzas.`;
    expect(textOf((await finance.get('/finance/reconciliation?from=2026-10-01&to=2026-10-31')).text)).toContain(closedOn);
    expect(textOf((await finance.get('/finance/fund-statement?from=2026-01-01&to=2026-10-31')).text)).toContain(closedOn);
    expect(textOf((await finance.get('/finance/journal?from=2026-10-01&to=2026-10-31')).text)).toContain(closedOn);
    expect(textOf((await finance.get('/finance/receivables?as_of=2026-10-31')).text)).toContain(closedOn);
    const open = 'Incluye meses abiertos: noviembre de 2026. (Cerrado hasta octubre de 2026.)';
    for (const url of ['/finance', '/finance/reconciliation', '/finance/collections', '/finance/budget', '/finance/receivables', '/finance/accounts',
      '/finance/expected-inflows', '/finance/journal', '/finance/fund-statement']) {
      expect(textOf((await finance.get(url)).text), url).toContain(open);
    }
    // A period that begins in a closed month and ends in an open one names only the open months.
    expect(textOf((await finance.get('/finance/reconciliation?from=2026-09-01&to=2026-12-31')).text))
      .toContain('Incluye meses abiertos: noviembre de 2026 a diciembre de 2026. (Cerrado hasta octubre de 2026.)');
  });
});

describe('THE GUARD: every kind of dated write in a closed month is refused (409, message next to the date, nothing written)', () => {
  const cases: { name: string; page: () => string; post: () => string; data: () => Record<string, string>; fields: string[]; agent: () => Agent }[] = [
    { name: 'payment', agent: () => manager, page: () => `/contracts/${k.a}/payments/new`, post: () => `/contracts/${k.a}/payments`,
      data: () => ({ date: '2026-10-20', amount: '100.00', method: 'cash', reference: '' }), fields: ['date'] },
    { name: 'sale (contract date)', agent: () => manager, page: () => '/contracts/new', post: () => '/contracts',
      data: () => ({ lot_code: 'S-01', firm_ruc: buyerRuc, date: '2026-10-20', price: '', price_reason: '' }), fields: ['date'] },
    { name: 'spending', agent: () => finance, page: () => `/finance/projects/${ids.project}/spending/new`, post: () => `/finance/projects/${ids.project}/spending`,
      data: () => ({ date: '2026-10-20', supplier_ruc: '20512333797', supplier_name: 'Constructora Ilo S.A.C.', document_number: 'F001-999',
        description: 'Valorización', amount: '500.00' }), fields: ['date'] },
    { name: 'cash deposit', agent: () => finance, page: () => '/finance/cash-deposits/new', post: () => '/finance/cash-deposits',
      data: () => ({ date: '2026-10-20', amount: '100.00', reference: 'DEP-OCT' }), fields: ['date'] },
    { name: 'waiver of late fees', agent: () => manager, page: () => `/contracts/${k.d}/waiver/new`, post: () => `/contracts/${k.d}/waiver`,
      data: () => ({ resolution_number: 'R.G. 100-2026', resolution_date: '2026-10-20', installments: '1', amount: '' }), fields: ['resolution_date'] },
    { name: 'reschedule', agent: () => manager, page: () => `/contracts/${k.d}/reschedule/new`, post: () => `/contracts/${k.d}/reschedule`,
      data: () => ({ resolution_number: 'R.G. 101-2026', resolution_date: '2026-10-20', installment_count: '24', annual_rate_pct: '0', late_fees: 'keep' }),
      fields: ['resolution_date'] },
    { name: 'undo of an acceleration', agent: () => manager, page: () => `/contracts/${k.d}/acceleration-undo/new`, post: () => `/contracts/${k.d}/acceleration-undo`,
      data: () => ({ resolution_number: 'R.G. 102-2026', resolution_date: '2026-10-20' }), fields: ['resolution_date'] },
    { name: 'acceleration', agent: () => manager, page: () => `/contracts/${k.e}/acceleration/new`, post: () => `/contracts/${k.e}/acceleration`,
      data: () => ({ resolution_number: 'R.G. 103-2026', date: '2026-10-20' }), fields: ['date'] },
    { name: 'rescission', agent: () => manager, page: () => `/contracts/${k.d}/rescission/new`, post: () => `/contracts/${k.d}/rescission`,
      data: () => ({ resolution_number: 'R.A. 104-2026', resolution_date: '2026-10-20', compensation: '0.00', penalty: '0.00' }), fields: ['resolution_date'] },
    { name: 'withdrawal', agent: () => manager, page: () => `/contracts/${k.w}/withdrawal/new`, post: () => `/contracts/${k.w}/withdrawal`,
      data: () => ({ reason: 'El comprador desistió', resolution_number: 'R.G. 105-2026', resolution_date: '2026-10-20' }), fields: ['resolution_date'] },
    { name: 'assignment', agent: () => manager, page: () => `/contracts/${k.a}/assignment/new`, post: () => `/contracts/${k.a}/assignment`,
      data: () => ({ to_ruc: otherRuc, resolution_number: 'R.G. 106-2026', resolution_date: '2026-10-20', reason: '', allow_overdue: '1' }),
      fields: ['resolution_date'] },
    { name: 'formalisation step (both of its dates)', agent: () => manager, page: () => `/contracts/${k.a}/formalisation/new`,
      post: () => `/contracts/${k.a}/formalisation`,
      data: () => ({ stage: 'minuta', stage_date: '2026-10-20', resolution_number: 'R.G. 107-2026', resolution_date: '2026-10-15', notary: '', registry_entry: '', notes: '' }),
      fields: ['stage_date', 'resolution_date'] },
    { name: 'transfer of a ministry lot', agent: () => manager, page: () => '/lots/M-01/transfer/new', post: () => '/lots/M-01/transfer',
      data: () => ({ resolution_number: 'R.M. 108-2026-VIVIENDA', resolution_date: '2026-10-20' }), fields: ['resolution_date'] },
    { name: 'moratorium rate from a date in a closed month', agent: () => admin, page: () => '/settings', post: () => '/settings',
      data: () => ({ down_payment_pct: '15', installment_count: '60', annual_rate_pct: '0', rescission_threshold_pct: '50',
        moratorium_monthly_pct: '0.9', moratorium_effective_from: '2026-10-01', moratorium_ordinance: 'O.M. 109-2026-MPI' }),
      fields: ['moratorium_effective_from'] },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const before = await counts();
      const res = await post(c.agent(), c.page(), c.post(), c.data());
      expect(res.status, textOf(res.text).slice(0, 400)).toBe(409);
      for (const field of c.fields) expect(errorOf(res.text, field), field).toBe(CLOSED);
      expect(await counts()).toEqual(before);
    });
  }

  it('the same date a day later, in the open month, is accepted (a payment of 1 Nov)', async () => {
    const res = await post(manager, `/contracts/${k.a}/payments/new`, `/contracts/${k.a}/payments`,
      { date: '2026-11-01', amount: '100.00', method: 'cash', reference: '' });
    expect(res.status).toBe(303);
  });

  it('says it in English too', async () => {
    await finance.get('/lang/en');
    const res = await post(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', { date: '2026-10-20', amount: '100.00', reference: 'DEP-OCT' });
    expect(res.status).toBe(409);
    expect(errorOf(res.text, 'date')).toBe('The month 2026-10 is closed. Corrections are made with a reversal or an adjustment dated in an open month.');
    await finance.get('/lang/es');
  });
});

describe('reversals are dated today: refused only when today is in a closed month (a clock behind)', () => {
  let behind: TestApp['app'];
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: t.url });
    behind = await createApp({ db: t.db, clock: fixedClock('2026-10-28'), config });
  });
  const reverseOn = async (agent: Agent, pageUrl: string, postUrl: string) => {
    const page = await agent.get(pageUrl);
    return agent.post(postUrl).type('form').send({ _csrf: csrfFrom(page.text), reason: 'Registrado por error' });
  };

  it('receipt, spending and cash deposit reversals answer 409 next to the reason, nothing written', async () => {
    const m = await login(behind, 'gerente', PASSWORD);
    const f = await login(behind, 'finanzas', PASSWORD);
    for (const [agent, page, url] of [
      [m, `/receipts/${r.sep}`, `/receipts/${r.sep}/reverse`],
      [f, `/finance/spending/${ids.spendingB}`, `/finance/spending/${ids.spendingB}/reverse`],
      [f, `/finance/cash-deposits/${ids.depositB}`, `/finance/cash-deposits/${ids.depositB}/reverse`],
    ] as const) {
      const before = await counts();
      const res = await reverseOn(agent, page, url);
      expect(res.status, url).toBe(409);
      expect(textOf(res.text), url).toContain(CLOSED);
      expect(await counts(), url).toEqual(before);
    }
  });
});

describe('the backstop in the ledger', () => {
  it('postEntry and reverseEntry refuse an entry dated in a closed month (409 FormError), whatever path calls them', async () => {
    const before = await counts();
    const attempt = (fn: (trx: typeof t.db) => Promise<unknown>) => t.db.transaction(fn).then(() => null, (e: unknown) => e);
    const posted = await attempt((trx) => postEntry(trx, { date: '2026-10-31', description: 'x', source_type: 'receipt_adjustment', source_id: 0,
      lines: [{ account_code: '1101', debit_cents: 100 }, { account_code: '1102', credit_cents: 100 }] }, SYSTEM));
    expect(posted).toBeInstanceOf(FormError);
    expect(posted).toMatchObject({ status: 409, fields: { _form: { key: 'closings.error.date_closed', params: { month: '2026-10' } } } });
    const anEntry = Number((await t.db('journal_entries').where({ date: '2026-09-15' }).first('id')).id);
    const reversed = await attempt((trx) => reverseEntry(trx, anEntry, '2026-09-30', 'x', SYSTEM, { source_type: 'receipt_adjustment', source_id: 0 }));
    expect(reversed).toMatchObject({ status: 409, fields: { _form: { key: 'closings.error.date_closed', params: { month: '2026-09' } } } });
    expect(await counts()).toEqual(before);
  });
});

describe('corrections: a reversal dated in the open month of a record of a closed month is allowed', () => {
  it('voids the October receipt today (303): its mirror entry is dated 25/11/2026; October still checks clean', async () => {
    const page = await manager.get(`/receipts/${r.oct}`);
    const res = await manager.post(`/receipts/${r.oct}/reverse`).type('form').send({ _csrf: csrfFrom(page.text), reason: 'Pago duplicado' });
    expect(res.status).toBe(303);
    const receipt = await t.db('receipts').where({ number: r.oct }).first();
    expect(receipt.status).toBe('void');
    const mirror = await t.db('journal_entries').where({ source_type: 'receipt_void', source_id: String(receipt.id) }).first();
    expect(mirror.date).toBe(TODAY);
    const original = await t.db('journal_entries').where({ id: mirror.reverses_entry_id }).first();
    expect(original.date).toBe('2026-10-10');
    expect((await closingChecks(t.db, '2026-10')).map((c) => [c.key, c.ok]))
      .toEqual([['fund_reconciliation', true], ['accounts', true], ['ledger_balanced', true], ['bank:1:statement', true]]);
    expect(textOf((await finance.get('/finance/reconciliation?from=2026-10-01&to=2026-10-31')).text)).toContain('Sin diferencias');
  });

  it('reverses a September spending and a September cash deposit today (303)', async () => {
    for (const url of [`/finance/spending/${ids.spendingA}`, `/finance/cash-deposits/${ids.depositA}`]) {
      const page = await finance.get(url);
      const res = await finance.post(`${url}/reverse`).type('form').send({ _csrf: csrfFrom(page.text), reason: 'Registrado dos veces' });
      expect(res.status, url).toBe(303);
    }
    expect((await t.db('spendings').where({ id: ids.spendingA }).first()).reversed_on).toBe(TODAY);
    expect((await t.db('cash_deposits').where({ id: ids.depositA }).first()).reversed_on).toBe(TODAY);
  });
});

describe('reopening: admin only, from the latest, with a reason, audited', () => {
  it('finance gets 403; nothing written', async () => {
    const res = await reopen(finance, '2026-10', 'Corrección');
    expect(res.status).toBe(403);
    expect(await closingsCount()).toBe(8);
  });

  it('refuses a month before the latest closed one, an open month, and a missing or too long reason', async () => {
    let res = await reopen(admin, '2026-09', 'Corrección');
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('No se puede reabrir 2026-09 mientras 2026-10 esté cerrado: se reabre empezando por el último mes cerrado.');
    res = await reopen(admin, '2026-11', 'Corrección');
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('El mes 2026-11 no está cerrado.');
    res = await reopen(admin, '2026-10', '');
    expect(res.status).toBe(400);
    expect(errorOf(res.text, 'reason')).toBe('Este campo es obligatorio.');
    res = await reopen(admin, '2026-10', 'x'.repeat(501));
    expect(res.status).toBe(400);
    expect(await closingsCount()).toBe(8);
    expect((await admin.post('/finance/closings/2026-1/reopen').type('form').send({})).status).toBe(403); // no token: CSRF first
  });

  it('reopens October with its reason (row + audit); the journal unchanged; then a write dated in October succeeds', async () => {
    const journalNow = await journal();
    const res = await reopen(admin, '2026-10', 'Falta registrar un depósito de octubre');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/finance/closings?month=2026-10');
    const row = await t.db('month_closings').orderBy('id', 'desc').first();
    expect(row).toMatchObject({ month: '2026-10', action: 'reopen', reason: 'Falta registrar un depósito de octubre', actor_name: 'admin', checks: null });
    const audit = await t.db('audit_log').where({ action: 'month.reopen' }).first();
    expect(audit).toMatchObject({ entity: 'month', entity_id: '2026-10', username: 'admin' });
    expect(JSON.parse(audit.details)).toEqual({ reason: 'Falta registrar un depósito de octubre' });
    expect(await journal()).toBe(journalNow);
    const page = textOf((await admin.get('/finance/closings')).text);
    expect(page).toContain('octubre de 2026 2026-10 abierto Reabierto por admin');
    expect(page).toContain('Falta registrar un depósito de octubre');
    expect(page).toContain('Libros cerrados hasta setiembre de 2026.');

    const deposit = await post(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', { date: '2026-10-20', amount: '100.00', reference: 'DEP-OCT' });
    expect(deposit.status).toBe(303);
    // September stays closed.
    const sept = await post(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', { date: '2026-09-30', amount: '100.00', reference: 'DEP-SEP' });
    expect(sept.status).toBe(409);
    expect(errorOf(sept.text, 'date')).toBe('El mes 2026-09 está cerrado. Las correcciones se hacen con una reversión o un ajuste fechado en un mes abierto.');
  });

  it('closes October again once its checks are clean', async () => {
    const res = await close(finance, '2026-10');
    expect(res.status).toBe(303);
    expect((await t.db('month_closings').orderBy('id', 'desc').first()).action).toBe('close');
    expect(await closingsCount()).toBe(10);
  });
});
