// Finance pages over HTTP after a generated history (fund-history.ts): projects and spending, whose
// refusals write nothing; the reports with exact céntimos and their CSV columns; who may see them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, login, submit, csrfFrom, textOf, PASSWORD, type TestApp, type Agent } from '../support/app.ts';
import { createUser } from '../../src/auth/service.ts';
import { allRoutes } from '../../src/routes.ts';
import { EXPECTED, TODAY, fundHistory, salesHistory, type History } from './fund-history.ts';

let t: TestApp;
let finance: Agent;
let h: History;
/** Visible text with es-PE's no-break spaces as plain spaces. */
const text = textOf; // textOf already folds the no-break space that es-PE puts after "S/"
const count = async (table: string) => Number((await t.db(table).count({ n: '*' }))[0]!.n);
const written = async () => ({
  projects: await count('projects'), spendings: await count('spendings'), entries: await count('journal_entries'),
  lines: await count('journal_lines'), audit: await count('audit_log'),
});
const csvRows = (body: string) => body.trim().split('\n');

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  const sales = await salesHistory(t.db);
  finance = await login(t.app, 'finanzas');
  const fund = await fundHistory(finance);
  h = { contracts: sales, voidedReceipt: sales.voidedReceipt, ...fund };
});
afterAll(async () => { await t.close(); });

describe('who may see finance', () => {
  const financeRoutes = allRoutes.filter((r) => r.path.startsWith('/finance'));

  it('has its pages behind the finance role (admin and finance)', () => {
    expect(financeRoutes.length).toBeGreaterThan(20);
    // Reopening a closed month is the administrator's alone (issue 13).
    for (const r of financeRoutes) expect(r.access, r.path).toEqual(r.path.endsWith('/reopen') ? ['admin'] : ['admin', 'finance']);
  });

  it('answers 403 to the park manager on every finance URL, GET and POST', async () => {
    const manager = await login(t.app, 'gerente');
    for (const r of financeRoutes) {
      const path = r.path.replace(':id', String(h.projects.water));
      const res = r.method === 'get' ? await manager.get(path) : await manager.post(path).type('form').send({});
      expect(res.status, `${r.method} ${path}`).toBe(403);
    }
    const home = await manager.get('/');
    expect(home.text).not.toContain('href="/finance"');
  });

  it('answers 403 to a buyer and sends a visitor to the login', async () => {
    const firm = (await t.db('contracts').where({ id: h.contracts.a }).first()).firm_ruc;
    await createUser(t.db, { username: 'comprador-a', role: 'buyer', password: PASSWORD, firm_ruc: firm });
    const buyer = await login(t.app, 'comprador-a');
    expect((await buyer.get('/finance')).status).toBe(403);
    expect((await buyer.get('/finance/reconciliation.csv')).status).toBe(403);
    const visitor = await request(t.app).get('/finance/ledger.journal');
    expect(visitor.status).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Ffinance%2Fledger.journal');
  });

  it('lets the administrator in', async () => {
    const admin = await login(t.app, 'admin');
    expect((await admin.get('/finance')).status).toBe(200);
  });
});

describe('projects', () => {
  it('created through the form: 303 to the project, with its row and audit', async () => {
    const p = await t.db('projects').where({ id: h.projects.water }).first();
    expect(p).toMatchObject({ code: 'AGUA-ZA', name: 'Agua potable para la zona alta', budget_cents: 6_000_000, status: 'in_progress' });
    const logged = await t.db('audit_log').where({ action: 'project.create', entity_id: String(h.projects.water) });
    expect(logged).toHaveLength(1);
  });

  it('refuses a bad code or budget (400) and a code already taken (409), writing nothing', async () => {
    const before = await written();
    const bad = await submit(finance, '/finance/projects/new', '/finance/projects',
      { code: 'agua zona alta!', name: 'X', budget: 'doce', status: 'planned', description: '' });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('Use de 2 a 32 letras, números o guiones (ej. AGUA-ZA).');
    expect(text(bad.text)).toContain('Escriba un monto en soles');
    const taken = await submit(finance, '/finance/projects/new', '/finance/projects',
      { code: 'agua-za', name: 'Otra', budget: '100.00', status: 'planned', description: '' });
    expect(taken.status).toBe(409);
    expect(text(taken.text)).toContain('Ya existe una obra con el código AGUA-ZA.');
    expect(await written()).toEqual(before);
  });

  it('edits name, budget and status, but not below what is spent', async () => {
    const url = `/finance/projects/${h.projects.paving}`;
    const low = await submit(finance, `${url}/edit`, url, { name: 'Pavimentación', budget: '11999.99', status: 'in_progress', description: '' });
    expect(low.status).toBe(400);
    expect(text(low.text)).toContain('El presupuesto no puede ser menor que lo ya gastado (S/ 12,000.00).');
    const ok = await submit(finance, `${url}/edit`, url, { name: 'Pavimentación de la avenida principal', budget: '30000.00', status: 'done', description: 'Concluida' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(url);
    expect((await t.db('projects').where({ id: h.projects.paving }).first()).status).toBe('done');
    const change = await t.db('audit_log').where({ action: 'project.update', entity_id: String(h.projects.paving) }).first();
    expect(JSON.parse(change.details)).toEqual({ status: ['in_progress', 'done'], description: ['Obra Pavimentación de la avenida principal', 'Concluida'] });
  });

  it('shows a project with budget, spent, remaining and its spending list', async () => {
    const res = await finance.get(`/finance/projects/${h.projects.water}`);
    const body = text(res.text);
    expect(body).toContain('Presupuesto S/ 60,000.00 Gastado S/ 65,000.00 Saldo de presupuesto -S/ 5,000.00');
    expect(body).toContain('15/04/2026 Constructora Ilo S.A.C. RUC 20512333797 F001-00000101 Valorización de obra S/ 25,000.00 Vigente');
    expect(body).toContain('20/11/2026 Constructora Ilo S.A.C. RUC 20512333797 F001-00000104 Valorización de obra S/ 40,000.00 Vigente Excede presupuesto');
  });
});

describe('spending', () => {
  const form = (id: number) => `/finance/projects/${id}/spending/new`;
  const post = (id: number) => `/finance/projects/${id}/spending`;
  const good = { date: '2026-11-24', supplier_ruc: '20512333797', supplier_name: 'Ferretería El Puerto E.I.R.L.',
    document_number: 'F002-00000900', description: 'Tubería PVC', amount: '100.00' };

  it('posts Dr fund / Cr bank with the project on both lines, and is audited', async () => {
    const s = await t.db('spendings').where({ id: h.spendings.water1 }).first();
    expect(s).toMatchObject({ amount_cents: 2_500_000, date: '2026-04-15', status: 'valid', over_budget: 0, over_fund: 0 });
    const entry = await t.db('journal_entries').where({ id: s.entry_id }).first();
    expect(entry).toMatchObject({ date: '2026-04-15', source_type: 'spending', source_id: String(s.id) });
    const lines = await t.db('journal_lines').where({ entry_id: s.entry_id }).orderBy('id')
      .select('account_code', 'debit_cents', 'credit_cents', 'project_id');
    expect(lines).toEqual([
      { account_code: '3101', debit_cents: 2_500_000, credit_cents: 0, project_id: h.projects.water },
      { account_code: '1102', debit_cents: 0, credit_cents: 2_500_000, project_id: h.projects.water },
    ]);
    expect(await t.db('audit_log').where({ action: 'spending.create', entity_id: String(s.id) })).toHaveLength(1);
  });

  it('shows on the form what the fund has available on a date, and the remaining budget', async () => {
    const res = await finance.get(`${form(h.projects.paving)}?date=2026-03-31`);
    const body = text(res.text);
    expect(body).toContain('Disponible en el fondo al 31/03/2026 S/ 20,750.01');
    expect(body).toContain('Saldo de presupuesto de la obra S/ 18,000.00 (Presupuesto S/ 30,000.00)');
    expect(res.text).toContain('name="date" type="date" value="2026-03-31"');
  });

  it('refuses an invalid RUC with the check that failed (400), writing nothing', async () => {
    const before = await written();
    for (const [ruc, message] of [['20512333798', 'El dígito verificador del RUC no es correcto.'],
      ['2051233379', 'El RUC debe tener 11 dígitos.'], ['30512333797', 'El RUC debe empezar con 10, 15, 16, 17 o 20.']]) {
      const res = await submit(finance, form(h.projects.paving), post(h.projects.paving), { ...good, supplier_ruc: ruc! });
      expect(res.status).toBe(400);
      expect(text(res.text)).toContain(message);
    }
    expect(await written()).toEqual(before);
  });

  it('refuses a future date and a bad amount (400), writing nothing', async () => {
    const before = await written();
    const future = await submit(finance, form(h.projects.paving), post(h.projects.paving), { ...good, date: '2026-11-26' });
    expect(future.status).toBe(400);
    expect(text(future.text)).toContain('La fecha no puede ser posterior a hoy.');
    const zero = await submit(finance, form(h.projects.paving), post(h.projects.paving), { ...good, amount: '0' });
    expect(zero.status).toBe(400);
    expect(await written()).toEqual(before);
  });

  it('refuses spending beyond the remaining budget without confirmation: 400 with the amounts, nothing written', async () => {
    const before = await written();
    // PAV-01: 30,000 − 12,000 = 18,000 left; the fund has 24,333.34.
    const res = await submit(finance, form(h.projects.paving), post(h.projects.paving), { ...good, amount: '18000.01' });
    expect(res.status).toBe(400);
    const body = text(res.text);
    expect(body).toContain('El gasto de S/ 18,000.01 excede el saldo de presupuesto de la obra: S/ 18,000.00 (presupuesto S/ 30,000.00).');
    expect(body).toContain('Para registrarlo de todos modos, marque la confirmación.');
    expect(body).not.toContain('excede lo disponible en el fondo');
    expect(await written()).toEqual(before);
  });

  it('refuses spending beyond the fund on its date without confirmation: 400 with the amounts, nothing written', async () => {
    const before = await written();
    // The fund held 58,750.01 on 2026-02-15, but fell to 20,750.01 after the spending of 2026-11-20: money spent
    // then would have been missing later, so what can be spent on a date is the lowest balance from then on.
    const res = await submit(finance, form(h.projects.water), post(h.projects.water), { ...good, date: '2026-02-15', amount: '20750.02' });
    expect(res.status).toBe(400);
    const body = text(res.text);
    expect(body).toContain('El gasto de S/ 20,750.02 excede lo disponible en el fondo al 15/02/2026: S/ 20,750.01.');
    expect(body).toContain('El gasto de S/ 20,750.02 excede el saldo de presupuesto de la obra: -S/ 5,000.00 (presupuesto S/ 60,000.00).');
    expect(await written()).toEqual(before);
  });

  it('records a confirmed spending beyond the budget, flagged in the reports', async () => {
    const s = await t.db('spendings').where({ id: h.spendings.waterOver }).first();
    expect(s).toMatchObject({ amount_cents: 4_000_000, over_budget: 1, over_fund: 0, budget_remaining_cents: 3_500_000 });
    const budget = await finance.get('/finance/budget.csv');
    expect(csvRows(budget.text)[1]).toBe('AGUA-ZA,Agua potable para la zona alta,in_progress,60000.00,65000.00,65000.00,-5000.00,yes,1');
  });

  it('refuses the same supplier document twice (409), writing nothing', async () => {
    const before = await written();
    const res = await submit(finance, form(h.projects.paving), post(h.projects.paving), { ...good, document_number: 'F001-00000102' });
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain(`Ese comprobante de ese proveedor ya está registrado (gasto #${h.spendings.paving1}).`);
    expect(await written()).toEqual(before);
  });

  it('is reversed, never edited: the mirror entry dated today points at the original', async () => {
    const s = await t.db('spendings').where({ id: h.spendings.pavingReversed }).first();
    expect(s).toMatchObject({ status: 'reversed', reversal_reason: 'Factura registrada dos veces', reversed_on: TODAY });
    const rev = await t.db('journal_entries').where({ id: s.reversal_entry_id }).first();
    expect(rev).toMatchObject({ date: TODAY, reverses_entry_id: s.entry_id, source_type: 'spending_reversal' });
    const lines = await t.db('journal_lines').where({ entry_id: rev.id }).orderBy('id').select('account_code', 'debit_cents', 'credit_cents');
    expect(lines).toEqual([
      { account_code: '3101', debit_cents: 0, credit_cents: 500_000 },
      { account_code: '1102', debit_cents: 500_000, credit_cents: 0 },
    ]);
    const page = await finance.get(`/finance/spending/${s.id}`);
    expect(text(page.text)).toContain('Motivo Factura registrada dos veces');
    expect(page.text).not.toContain(`action="/finance/spending/${s.id}/reverse"`);
  });

  it('refuses a second reversal (409) and a reversal without reason (400), writing nothing', async () => {
    const before = await written();
    const again = await finance.post(`/finance/spending/${h.spendings.pavingReversed}/reverse`).type('form')
      .send({ _csrf: csrfFrom((await finance.get(`/finance/spending/${h.spendings.paving1}`)).text), reason: 'otra vez' });
    expect(again.status).toBe(409);
    expect(text(again.text)).toContain(`El gasto #${h.spendings.pavingReversed} ya fue anulado.`);
    const empty = await submit(finance, `/finance/spending/${h.spendings.paving1}`, `/finance/spending/${h.spendings.paving1}/reverse`, { reason: ' ' });
    expect(empty.status).toBe(400);
    expect(await written()).toEqual(before);
  });
});

describe('reports', () => {
  it('fund statement for 2026: opening, inflows, voids, refunds, spending by project, closing', async () => {
    const res = await finance.get('/finance/fund-statement?from=2026-01-01&to=2026-11-25');
    const body = text(res.text);
    expect(body).toContain('Saldo inicial al 01/01/2026 S/ 38,750.01');
    expect(body).toContain('Más: cobranzas en lotes municipales S/ 77,000.00');
    expect(body).toContain('Menos: recibos anulados en el periodo -S/ 1,416.67');
    expect(body).toContain('Menos: devoluciones por resolución de contratos -S/ 13,000.00');
    expect(body).toContain('AGUA-ZA Agua potable para la zona alta -S/ 65,000.00');
    expect(body).toContain('PAV-01 Pavimentación de la avenida principal -S/ 12,000.00');
    expect(body).toContain('Saldo final al 25/11/2026 S/ 24,333.34');
    const csv = await finance.get('/finance/fund-statement.csv?from=2026-01-01&to=2026-11-25');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csvRows(csv.text)).toEqual([
      'item,project,amount',
      'opening_balance,,38750.01', 'collections,,77000.00', 'voided_receipts,,-1416.67', 'refunds,,-13000.00',
      'spending,AGUA-ZA,-65000.00', 'spending,PAV-01,-12000.00', 'other,,0.00', 'closing_balance,,24333.34',
    ]);
    expect(EXPECTED.fundAt2025End).toBe(3_875_001);
    expect(EXPECTED.fundNow).toBe(2_433_334);
  });

  it('fund balance = collections into the fund − refunds − spending (and = account 3101)', async () => {
    const [r] = await t.db('journal_lines').where({ account_code: '3101' }).sum({ d: 'debit_cents', c: 'credit_cents' });
    expect(Number(r!.c) - Number(r!.d)).toBe(EXPECTED.fundNow);
    const municipalValid = 1_500_000 + 141_667 + 300_000 + 141_667 + 2_000_000 + 1_650_000 + 5_000_000 + 700_000;
    expect(municipalValid - 1_300_000 - 6_500_000 - 1_200_000).toBe(EXPECTED.fundNow);
    expect(text((await finance.get('/finance')).text)).toContain('Saldo del fondo S/ 24,333.34');
  });

  it('collections by month and method from valid receipts, void ones apart', async () => {
    const res = await finance.get('/finance/collections?from=2025-01-01&to=2025-12-31');
    const body = text(res.text);
    expect(body).toContain('julio de 2025 S/ 0.00 S/ 0.00 S/ 0.00 0 S/ 0.00');
    expect(body).toContain('Total S/ 22,333.34 S/ 0.00 S/ 15,000.00 6 S/ 37,333.34');
    expect(body).toContain(`${h.voidedReceipt} 10/07/2025`);
    expect(body).toContain('Depósito Depósito duplicado S/ 1,416.67');
    const csv = await finance.get('/finance/collections.csv?from=2025-01-01&to=2025-12-31');
    expect(csvRows(csv.text)).toEqual([
      'month,method,status,receipts,amount',
      '2025-02,cash,valid,1,15000.00', '2025-04,cash,valid,1,1500.00', '2025-05,transfer,valid,1,15000.00',
      '2025-06,cash,valid,1,1416.67', '2025-08,cash,valid,1,1416.67', '2025-09,cash,valid,1,3000.00',
      '2025-07,deposit,void,1,1416.67',
    ]);
  });

  it('budget vs spent per project, for the period and to date', async () => {
    const csv = await finance.get('/finance/budget.csv?from=2026-05-01&to=2026-08-31');
    expect(csvRows(csv.text)).toEqual([
      'code,name,status,budget,spent_period,spent_total,remaining,over_budget,flagged',
      'AGUA-ZA,Agua potable para la zona alta,in_progress,60000.00,0.00,25000.00,35000.00,no,1',
      'PAV-01,Pavimentación de la avenida principal,done,30000.00,17000.00,17000.00,13000.00,no,0',
    ]);
  });

  it('receivables: control account 1201 equals the contracts\' scheduled outstanding, per contract', async () => {
    const csv = await finance.get(`/finance/receivables.csv?as_of=${TODAY}`);
    const rows = csvRows(csv.text);
    expect(rows[0]).toBe('contract,firm,lot_code,subledger,control,difference');
    // C is paid off; B rescinded; D awaits its down payment; E and A are live.
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['CV-2025-0001', 'CV-2026-0001', 'CV-2026-0003']);
    for (const r of rows.slice(1)) expect(r.split(',')[5]).toBe('0.00');
    // E: 100,000 − 15,000 − 1,416.67 = 83,583.33 (the whole schedule at 0%).
    expect(rows[3]).toBe('CV-2026-0003,Empresa de prueba 5 S.A.C.,T-6,83583.33,83583.33,0.00');
    const page = text((await finance.get('/finance/receivables')).text);
    expect(page).toContain('Según contratos S/ 142,879.43 Cuenta 1201 S/ 142,879.43 Diferencia S/ 0.00');
  });

  it('expected inflows by due month from the unpaid schedules', async () => {
    const csv = await finance.get(`/finance/expected-inflows.csv?as_of=${TODAY}`);
    const rows = csvRows(csv.text);
    expect(rows[0]).toBe('month,installments,amount,overdue');
    expect(rows).toContain('2026-11,1,1416.67,yes');
    expect(rows).toContain('2027-01,2,2833.34,no');
    expect(rows[rows.length - 1]).toBe('2031-02,1,1416.47,no');
    const total = rows.slice(1).reduce((s, r) => s + Math.round(Number(r.split(',')[2]) * 100), 0);
    expect(total).toBe(14_287_943); // = receivables
  });

  it('chart of accounts: balances as of a date, debits = credits', async () => {
    const csv = await finance.get(`/finance/accounts.csv?as_of=${TODAY}`);
    const rows = csvRows(csv.text);
    expect(rows[0]).toBe('code,account,type,debit,credit,balance');
    expect(rows).toContain('3101,patrimonio:fondo de reinversion,equity,96416.67,120750.01,24333.34');
    expect(rows).toContain('2201,pasivo:cobranzas por cuenta del ministerio,liability,0.00,16416.67,16416.67');
    const early = await finance.get('/finance/accounts.csv?as_of=2025-12-31');
    expect(csvRows(early.text)).toContain('3101,patrimonio:fondo de reinversion,equity,0.00,38750.01,38750.01');
    const page = text((await finance.get('/finance/accounts')).text);
    expect(page).toMatch(/Total S\/ ([\d,.]+) S\/ \1/);
  });

  it('journal: entries with their lines, reversals linked both ways', async () => {
    const s = await t.db('spendings').where({ id: h.spendings.pavingReversed }).first();
    const res = await finance.get('/finance/journal?from=2026-08-01&to=2026-11-25');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`id="entry-${s.entry_id}"`);
    expect(res.text).toContain(`href="/finance/journal?from=${TODAY}&to=${TODAY}#entry-${s.reversal_entry_id}"`);
    expect(res.text).toContain(`href="/finance/journal?from=2026-08-05&to=2026-08-05#entry-${s.entry_id}"`);
    expect(text(res.text)).toContain(`revierte el asiento #${s.entry_id}`);
  });

  it('every entry of the ledger balances (Σ debits = Σ credits per entry)', async () => {
    const rows = await t.db('journal_lines').groupBy('entry_id').select('entry_id').sum({ d: 'debit_cents', c: 'credit_cents' });
    expect(rows.length).toBe(await count('journal_entries'));
    for (const r of rows as { d: number; c: number }[]) expect(Number(r.d)).toBe(Number(r.c));
  });

  it('refuses a period that ends before it starts (400) and a malformed date', async () => {
    const res = await finance.get('/finance/fund-statement?from=2026-05-01&to=2026-04-30');
    expect(res.status).toBe(400);
    expect(text(res.text)).toContain('La fecha inicial debe ser anterior o igual a la final.');
    expect((await finance.get('/finance/reconciliation.csv?from=2026-02-30')).status).toBe(400);
  });

  it('speaks English when asked', async () => {
    await finance.get('/lang/en?next=/finance');
    const body = text((await finance.get('/finance/fund-statement')).text);
    expect(body).toContain('Opening balance on 01/01/2026 S/ 38,750.01');
    expect(body).toContain('Closing balance on 25/11/2026 S/ 24,333.34');
    await finance.get('/lang/es?next=/finance');
  });
});
