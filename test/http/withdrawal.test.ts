// Withdrawal over HTTP: the form, its refusals (400, 403, 404, 409) with nothing written, the 303 and
// what every page then says; the settlement card instead of the debt cards for a withdrawn and a
// rescinded contract (contract page, statement, portal), both out of delinquency, home and finance
// figures; the home page's list of down payments past the deadline; the two new settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, csrfFrom, textOf, PASSWORD, type TestApp, type Agent } from '../support/app.ts';
import { createUser } from '../../src/auth/service.ts';
import { rescindContract } from '../../src/delinquency/service.ts';
import { dashboard, reconciliation } from '../../src/fund/reports.ts';
import { getFollowUpSettings } from '../../src/settings/service.ts';
import { ACTOR, pay, sale, setRates } from '../service/sales-fixtures.ts';

const TODAY = '2026-11-25';
let t: TestApp;
let manager: Agent;
let admin: Agent;
type Sale = { id: number; lot_code: string; firm_ruc: string; number: string };
const k = {} as Record<'late' | 'recent' | 'partly' | 'rescinded' | 'live', Sale>;

async function numbered(s: { id: number; lot_code: string; firm_ruc: string }): Promise<Sale> {
  return { ...s, number: (await t.db('contracts').where({ id: s.id }).first('number')).number };
}

const REASON = 'La empresa desistió por carta del 18/11/2026.';
/** Words that only a contract that still owes shows. */
const DEBT_WORDS = ['Saldo total adeudado', 'Saldo total por pagar', 'Vencido', 'Vencida', 'Próxima cuota', 'Próximo vencimiento', 'Registrar pago'];

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  k.late = await numbered(await sale(t.db, { date: '2026-09-01', today: TODAY })); // CV-2026-0001: 85 days waiting
  k.recent = await numbered(await sale(t.db, { date: '2026-11-10', today: TODAY })); // CV-2026-0002: 15 days
  k.partly = await numbered(await sale(t.db, { date: '2026-09-15', today: TODAY })); // CV-2026-0003: 5,000 of 15,000 paid
  await pay(t.db, k.partly.id, '2026-09-20', 500_000, TODAY);
  k.rescinded = await numbered(await sale(t.db, { date: '2026-03-05', today: TODAY })); // CV-2026-0004
  await pay(t.db, k.rescinded.id, '2026-03-05', 1_500_000, TODAY);
  await rescindContract(t.db, k.rescinded.id, { resolution_number: 'R.A. 10-2026', resolution_date: TODAY,
    compensation_cents: 300_000, penalty_cents: 50_000 }, TODAY, ACTOR);
  k.live = await numbered(await sale(t.db, { date: '2026-06-30', today: TODAY })); // CV-2026-0005: 4 installments unpaid
  await pay(t.db, k.live.id, '2026-06-30', 1_500_000, TODAY);
  await createUser(t.db, { username: 'comprador-w', role: 'buyer', password: PASSWORD, email: 'w@example.pe', firm_ruc: k.late.firm_ruc });
  await createUser(t.db, { username: 'comprador-r', role: 'buyer', password: PASSWORD, email: 'r@example.pe', firm_ruc: k.rescinded.firm_ruc });
  manager = await login(t.app, 'gerente');
  admin = await login(t.app, 'admin');
});
afterAll(async () => { await t.close(); });

const writes = async () => ({
  contracts: await t.db('contracts').orderBy('id').select('status'),
  withdrawals: await t.db('withdrawals').count({ n: '*' }),
  events: await t.db('contract_events').count({ n: '*' }),
  audit: await t.db('audit_log').where({ entity: 'contract' }).count({ n: '*' }),
  lots: await t.db('lots').orderBy('id').select('status'),
});

describe('the home page lists down payments past the deadline (30 days by default)', () => {
  it('shows number, firm, lot, date, days waiting, amount and the withdrawal link; not the sale within the deadline', async () => {
    const res = await manager.get('/');
    const html = res.text;
    const section = /<section class="card late-down"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    const text = textOf(section);
    expect(text).toContain('Cuota inicial fuera de plazo (30 días)');
    expect(text).toContain(`${k.late.number} Empresa de prueba 1 S.A.C. ${k.late.lot_code} 01/09/2026 85 S/ 15,000.00 Dejar sin efecto`);
    expect(text).toContain(`${k.partly.number} Empresa de prueba 3 S.A.C. ${k.partly.lot_code} 15/09/2026 71 S/ 15,000.00 Recibido S/ 5,000.00: no se deja sin efecto`);
    expect(text).not.toContain(k.recent.number);
    expect(section).toContain(`href="/contracts/${k.late.id}/withdrawal/new"`);
    expect(section).toContain(`href="/contracts/${k.late.id}"`);
    expect(section).not.toContain(`href="/contracts/${k.partly.id}/withdrawal/new"`);
    // Finance sees the list but not the action.
    const finance = await login(t.app, 'finanzas');
    const fsection = /<section class="card late-down"[\s\S]*?<\/section>/.exec((await finance.get('/')).text)?.[0] ?? '';
    expect(textOf(fsection)).toContain(k.late.number);
    expect(fsection).not.toContain('/withdrawal/new');
  });
});

describe('GET /contracts/:id/withdrawal/new', () => {
  it('shows the sale, how long it waited and the form to managers; 403 to finance and buyers; 404 for no contract', async () => {
    const page = textOf((await manager.get(`/contracts/${k.late.id}/withdrawal/new`)).text);
    expect(page).toContain(`La venta ${k.late.number} del lote ${k.late.lot_code} a Empresa de prueba 1 S.A.C. espera su cuota inicial de S/ 15,000.00 desde el 01/09/2026 (85 días).`);
    expect(page).toContain('Dejar la venta sin efecto');
    expect((await (await login(t.app, 'finanzas')).get(`/contracts/${k.late.id}/withdrawal/new`)).status).toBe(403);
    expect((await (await login(t.app, 'comprador-w')).get(`/contracts/${k.late.id}/withdrawal/new`)).status).toBe(403);
    expect((await manager.get('/contracts/99999/withdrawal/new')).status).toBe(404);
    expect((await manager.get('/contracts/abc/withdrawal/new')).status).toBe(404);
  });

  it('the contract page offers it to managers on a sale without receipts only', async () => {
    expect((await manager.get(`/contracts/${k.recent.id}`)).text).toContain(`href="/contracts/${k.recent.id}/withdrawal/new"`);
    expect((await manager.get(`/contracts/${k.partly.id}`)).text).not.toContain('/withdrawal/new');
    expect((await manager.get(`/contracts/${k.live.id}`)).text).not.toContain('/withdrawal/new');
    expect((await (await login(t.app, 'finanzas')).get(`/contracts/${k.recent.id}`)).text).not.toContain('/withdrawal/new');
  });

  it('for a sale with a receipt, says why instead of the form', async () => {
    const res = await manager.get(`/contracts/${k.partly.id}/withdrawal/new`);
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain(`El contrato ${k.partly.number} tiene el recibo válido R001-00000001 del 20/09/2026: una venta con pagos no se deja sin efecto`);
    expect(res.text).not.toContain('name="reason"');
  });
});

describe('POST /contracts/:id/withdrawal refused: nothing written', () => {
  it('400 with each message next to its field (reason, resolution number, a future date)', async () => {
    const before = await writes();
    const res = await submit(manager, `/contracts/${k.late.id}/withdrawal/new`, `/contracts/${k.late.id}/withdrawal`,
      { reason: '  ', resolution_number: '', resolution_date: '2026-11-26' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="e-reason"');
    expect(res.text).toContain('id="e-resolution_number"');
    expect(textOf(res.text)).toContain('La fecha no puede ser posterior a hoy.');
    expect(await writes()).toEqual(before);
  });

  it('400 for a resolution before the contract date', async () => {
    const before = await writes();
    const res = await submit(manager, `/contracts/${k.late.id}/withdrawal/new`, `/contracts/${k.late.id}/withdrawal`,
      { reason: REASON, resolution_number: 'R.A. 150-2026-MPI', resolution_date: '2026-08-31' });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('La resolución no puede ser anterior a la fecha del contrato (01/09/2026).');
    expect(await writes()).toEqual(before);
  });

  it('409 for a sale with a valid receipt, 409 for an active or rescinded contract; 404 for no contract; 403 for finance', async () => {
    const before = await writes();
    const data = { reason: REASON, resolution_number: 'R.A. 150-2026-MPI', resolution_date: TODAY };
    const partly = await submit(manager, `/contracts/${k.partly.id}/withdrawal/new`, `/contracts/${k.partly.id}/withdrawal`, data);
    expect(partly.status).toBe(409);
    expect(textOf(partly.text)).toContain('tiene el recibo válido R001-00000001');
    for (const c of [k.live, k.rescinded]) {
      const res = await submit(manager, `/contracts/${c.id}/withdrawal/new`, `/contracts/${c.id}/withdrawal`, data);
      expect(res.status).toBe(409);
    }
    const page = await manager.get(`/contracts/${k.late.id}/withdrawal/new`);
    expect((await manager.post('/contracts/99999/withdrawal').type('form').send({ _csrf: csrfFrom(page.text), ...data })).status).toBe(404);
    const finance = await login(t.app, 'finanzas');
    const fpage = await finance.get('/');
    expect((await finance.post(`/contracts/${k.late.id}/withdrawal`).type('form').send({ _csrf: csrfFrom(fpage.text), ...data })).status).toBe(403);
    expect(await writes()).toEqual(before);
  });
});

describe('POST /contracts/:id/withdrawal', () => {
  let journalBefore: unknown[];
  let financeBefore: unknown;
  beforeAll(async () => {
    journalBefore = await t.db('journal_lines').orderBy('id').select('*');
    financeBefore = await dashboard(t.db, TODAY, '2026-01-01', TODAY);
  });

  it('withdraws → 303 to the contract; the contract page shows the settlement, no debt', async () => {
    const res = await submit(manager, `/contracts/${k.late.id}/withdrawal/new`, `/contracts/${k.late.id}/withdrawal`,
      { reason: REASON, resolution_number: 'R.A. 150-2026-MPI', resolution_date: TODAY });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/contracts/${k.late.id}`);
    expect(await t.db('contracts').where({ id: k.late.id }).first('number', 'status', 'withdrawn_on', 'withdrawal_resolution'))
      .toEqual({ number: 'CV-2026-0001', status: 'withdrawn', withdrawn_on: TODAY, withdrawal_resolution: 'R.A. 150-2026-MPI' });
    expect(await t.db('lots').where({ code: k.late.lot_code }).first('status')).toEqual({ status: 'available' });

    const html = (await manager.get(`/contracts/${k.late.id}`)).text;
    const page = textOf(html);
    expect(page).toContain(`La venta ${k.late.number} quedó sin efecto; el lote ${k.late.lot_code} está disponible.`);
    expect(page).toContain('Contrato CV-2026-0001 Sin efecto (desistimiento)');
    const card = textOf(/<section class="settlement[\s\S]*?<\/section>/.exec(html)?.[0] ?? '');
    expect(card).toBe(`Venta dejada sin efecto el 25/11/2026 (resolución R.A. 150-2026-MPI) por desistimiento. Resolución R.A. 150-2026-MPI Fecha de la resolución 25/11/2026 Motivo ${REASON} Recibido del comprador S/ 0.00 (no se recibió nada) Lote ${k.late.lot_code} devuelto al catálogo (disponible) El contrato terminó: no adeuda nada ni tiene vencimientos.`);
    for (const w of DEBT_WORDS) expect(page, w).not.toContain(w);
    expect(page).toContain(`25/11/2026 Venta dejada sin efecto (desistimiento) ${REASON} gerente`);
    expect(html).not.toContain('/withdrawal/new');
    expect(textOf((await manager.get(`/contracts/${k.late.id}/print`)).text))
      .toContain('VENTA SIN EFECTO (desistimiento) desde el 25/11/2026, resolución R.A. 150-2026-MPI.');
  });

  it('the statement shows the settlement instead of what is owed, its rows closed', async () => {
    const html = (await manager.get(`/contracts/${k.late.id}/statement`)).text;
    const page = textOf(html);
    expect(page).toContain('Venta dejada sin efecto el 25/11/2026 (resolución R.A. 150-2026-MPI) por desistimiento.');
    // Rows closed: no late fee or balance the replay would still compute (installment 1 was due 01/10).
    expect(page).toContain('Cuota inicial 01/09/2026 S/ 15,000.00 — S/ 0.00 — Cerrada por la liquidación');
    expect(page).toContain('1 01/10/2026 S/ 1,416.67 — S/ 0.00 — Cerrada por la liquidación');
    expect(page).toContain('Total S/ 100,000.00 S/ 0.00 S/ 0.00 —');
    for (const w of DEBT_WORDS) expect(page, w).not.toContain(w);
    expect(html).not.toContain('class="owed-now"');
    expect(html).not.toContain('payment-kpis');
  });

  it('the buyer\'s portal shows the settlement, no figures owed', async () => {
    const buyer = await login(t.app, 'comprador-w');
    const html = (await buyer.get('/portal')).text;
    const page = textOf(html);
    expect(page).toContain(`Lote ${k.late.lot_code} Sin efecto (desistimiento)`);
    expect(page).toContain('Venta dejada sin efecto el 25/11/2026 (resolución R.A. 150-2026-MPI) por desistimiento.');
    expect(page).toContain('Recibido del comprador S/ 0.00 (no se recibió nada)');
    for (const w of DEBT_WORDS) expect(page, w).not.toContain(w);
    // The contract page and statement read the same for the buyer.
    for (const url of [`/contracts/${k.late.id}`, `/contracts/${k.late.id}/statement`]) {
      const p = textOf((await buyer.get(url)).text);
      expect(p).toContain('por desistimiento');
      for (const w of DEBT_WORDS) expect(p, `${url} ${w}`).not.toContain(w);
    }
  });

  it('refuses a payment on it (409, the reason on the page) and a second withdrawal (409)', async () => {
    const res = await manager.get(`/contracts/${k.late.id}/payments/new`);
    expect(textOf(res.text)).toContain(`El contrato ${k.late.number} quedó sin efecto por desistimiento: no admite pagos.`);
    const again = await manager.get(`/contracts/${k.late.id}/withdrawal/new`);
    expect(textOf(again.text)).toContain(`El contrato ${k.late.number} ya quedó sin efecto el 25/11/2026.`);
    const post = await manager.post(`/contracts/${k.late.id}/withdrawal`).type('form')
      .send({ _csrf: csrfFrom(again.text), reason: REASON, resolution_number: 'R.A. 151', resolution_date: TODAY });
    expect(post.status).toBe(409);
    expect(await t.db('withdrawals').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('leaves the books, the reconciliation and the finance dashboard as they were', async () => {
    expect(await t.db('journal_lines').orderBy('id').select('*')).toEqual(journalBefore);
    expect((await reconciliation(t.db, '2026-01-01', TODAY)).ok).toBe(true);
    expect(await dashboard(t.db, TODAY, '2026-01-01', TODAY)).toEqual(financeBefore);
  });

  it('is listed by the status filter, shows on the lot page, and leaves the lot available in lots.csv; gone from the home list', async () => {
    const list = textOf((await manager.get('/contracts?status=withdrawn')).text);
    expect(list).toContain(k.late.number);
    expect(list).not.toContain(k.recent.number);
    expect((await manager.get('/contracts?status=withdrawn')).text).toContain('<option value="withdrawn" selected>Sin efecto (desistimiento)</option>');
    const lot = textOf((await manager.get(`/lots/${k.late.lot_code}`)).text);
    expect(lot).toContain(k.late.number);
    expect(lot).toContain('Sin efecto (desistimiento)');
    const csv = (await manager.get('/lots.csv')).text;
    expect(csv.split(/\r?\n/).find((l) => l.startsWith(`${k.late.lot_code},`))).toBe(`${k.late.lot_code},T,1000.00,municipal,light_industry,available,100.00`);
    const home = /<section class="card late-down"[\s\S]*?<\/section>/.exec((await manager.get('/')).text)?.[0] ?? '';
    expect(textOf(home)).not.toContain(k.late.number);
    expect(textOf(home)).toContain(k.partly.number);
  });
});

describe('a rescinded contract shows its settlement everywhere', () => {
  const card = `Contrato resuelto el 25/11/2026 (resolución R.A. 10-2026). Resolución R.A. 10-2026 Fecha de la resolución 25/11/2026 Recibido del comprador S/ 15,000.00 Compensación retenida por el uso del lote S/ 3,000.00 Penalidad retenida S/ 500.00 Devuelto al comprador S/ 11,500.00 Cuenta por cobrar dada de baja S/ 85,000.00 Lote ${'LOT'} devuelto al catálogo (disponible) El contrato terminó: no adeuda nada ni tiene vencimientos.`;
  it('contract page, statement and portal: the settlement figures, none of the debt words', async () => {
    const expected = card.replace('LOT', k.rescinded.lot_code);
    const buyer = await login(t.app, 'comprador-r');
    for (const [who, url] of [[manager, `/contracts/${k.rescinded.id}`], [manager, `/contracts/${k.rescinded.id}/statement`],
      [buyer, `/contracts/${k.rescinded.id}`], [buyer, `/contracts/${k.rescinded.id}/statement`], [buyer, '/portal']] as const) {
      const html = (await who.get(url)).text;
      expect(textOf(/<section class="settlement[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''), url).toBe(expected);
      const page = textOf(html);
      for (const w of DEBT_WORDS) expect(page, `${url}: ${w}`).not.toContain(w);
    }
  });

  it('neither it nor the withdrawn one is on the delinquency report, its CSV or the home page\'s late list', async () => {
    const report = textOf((await manager.get('/delinquency?bucket=all')).text);
    const csv = (await manager.get('/delinquency.csv')).text;
    for (const c of [k.rescinded, k.late]) {
      expect(report).not.toContain(c.number);
      expect(csv).not.toContain(c.number);
    }
    expect(report).toContain(k.live.number);
    const home = textOf((await manager.get('/')).text);
    expect(home).toContain(`${k.live.number} · Empresa de prueba 5 S.A.C.`);
    expect(home).not.toContain(`${k.rescinded.number} ·`);
    // Finance: only the live contract's receivable and overdue: 85,000.00, and 4 × 1,416.67 with their late fees
    // (141,667 × 1.2% ÷ 30 a day for 118, 87, 56 and 26 days: 6,687 + 4,930 + 3,173 + 1,473 = 16,263).
    const d = await dashboard(t.db, TODAY, '2026-01-01', TODAY);
    expect([d.receivables_cents, d.overdue_cents, d.overdue_contracts]).toEqual([8_500_000, 566_668 + 16_263, 1]);
  });
});

describe('settings: the down payment deadline and the watch after a reschedule', () => {
  const old = { down_payment_pct: '15', installment_count: '60', annual_rate_pct: '0', rescission_threshold_pct: '50', moratorium_monthly_pct: '', moratorium_effective_from: '' };

  it('start at 30 days and 6 months, shown on the page', async () => {
    expect(await getFollowUpSettings(t.db)).toEqual({ down_payment_deadline_days: 30, reschedule_watch_months: 6 });
    const html = (await admin.get('/settings')).text;
    expect(html).toContain('name="down_payment_deadline_days" type="text" value="30"');
    expect(html).toContain('name="reschedule_watch_months" type="text" value="6"');
    expect(textOf(html)).toContain('Plazo para la cuota inicial (días)');
    expect(textOf(html)).toContain('Meses de vigilancia tras un refinanciamiento');
  });

  it('a POST of only the older fields leaves them as they are', async () => {
    const res = await submit(admin, '/settings', '/settings', old);
    expect(res.status).toBe(303);
    expect(await getFollowUpSettings(t.db)).toEqual({ down_payment_deadline_days: 30, reschedule_watch_months: 6 });
  });

  it('refuses 0 days and 61 months (400 next to each field), nothing saved', async () => {
    const res = await submit(admin, '/settings', '/settings', { ...old, down_payment_deadline_days: '0', reschedule_watch_months: '61' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="e-down_payment_deadline_days"');
    expect(res.text).toContain('id="e-reschedule_watch_months"');
    expect(await getFollowUpSettings(t.db)).toEqual({ down_payment_deadline_days: 30, reschedule_watch_months: 6 });
    for (const bad of ['366', '1.5', 'x', '']) {
      const r = await submit(admin, '/settings', '/settings', { ...old, down_payment_deadline_days: bad });
      expect(r.status, bad).toBe(400);
    }
  });

  it('saves 10 days and 12 months with an audit entry; the home list then includes the 15-day sale', async () => {
    const res = await submit(admin, '/settings', '/settings', { ...old, down_payment_deadline_days: '10', reschedule_watch_months: '12' });
    expect(res.status).toBe(303);
    expect(await getFollowUpSettings(t.db)).toEqual({ down_payment_deadline_days: 10, reschedule_watch_months: 12 });
    const audit = await t.db('audit_log').where({ action: 'settings.update' }).orderBy('id', 'desc').first();
    expect(JSON.parse(audit.details)).toEqual({ down_payment_deadline_days: [30, 10], reschedule_watch_months: [6, 12] });
    const section = textOf(/<section class="card late-down"[\s\S]*?<\/section>/.exec((await manager.get('/')).text)?.[0] ?? '');
    expect(section).toContain('Cuota inicial fuera de plazo (10 días)');
    expect(section).toContain(`${k.recent.number} Empresa de prueba 2 S.A.C. ${k.recent.lot_code} 10/11/2026 15 S/ 15,000.00`);
  });
});
