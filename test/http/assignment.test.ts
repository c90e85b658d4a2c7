// Cesión de posición contractual over HTTP: an assignment in the middle of a history (payments before by
// the old firm, after by the new one); what each firm's portal and URLs then show; receipts keep the firm
// that paid them; the receivable and the delinquency report follow the new firm; the ledger stays balanced
// (hledger check, reconciliation without differences). And every refusal, with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, login, submit, textOf, PASSWORD, type Agent, type TestApp } from '../support/app.ts';
import { insertFirm } from '../support/sales.ts';
import { pay, ruc, sale, setRates } from '../service/sales-fixtures.ts';
import { createUser } from '../../src/auth/service.ts';
import { HAS_HLEDGER } from '../support/system-programs.ts';

const TODAY = '2026-11-25';
let t: TestApp;
let manager: Agent;
let finance: Agent;
let buyerA: Agent;
let buyerB: Agent;
const B_RUC = ruc(7001);
const C_RUC = ruc(7002); // a firm that is not a member
const D_RUC = ruc(7003); // a suspended member
let c1: { id: number; firm_ruc: string; lot_code: string };
let c2: { id: number; firm_ruc: string };
let A_NAME: string;
const before: string[] = []; // receipts paid by A
const after: string[] = []; // receipts paid by B

const count = async (table: string) => Number((await t.db(table).count({ n: '*' }).first())!.n);
const post = (agent: Agent, id: number, data: Record<string, string>) =>
  submit(agent, `/contracts/${id}/assignment/new`, `/contracts/${id}/assignment`, data);

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  // Contract 1, S/ 100,000 signed 2026-01-15 to firm A: down 15,000.00 and 60 × 1,416.67 (the last 1,416.47), 0%.
  c1 = await sale(t.db, { date: '2026-01-15', today: TODAY });
  A_NAME = (await t.db('firms').where({ ruc: c1.firm_ruc }).first()).name;
  await insertFirm(t.db, B_RUC, 'Conservas del Puerto S.A.C.', { number: 'AC-0901' });
  await insertFirm(t.db, C_RUC, 'Sin Membresía E.I.R.L.');
  await insertFirm(t.db, D_RUC, 'Suspendida S.R.L.', { number: 'AC-0902', status: 'suspended' });
  // A pays the down payment and installments 1–4 on their due dates.
  before.push(await pay(t.db, c1.id, '2026-01-15', 1_500_000, TODAY, 'transfer'));
  for (const d of ['2026-02-15', '2026-03-15', '2026-04-15', '2026-05-15']) before.push(await pay(t.db, c1.id, d, 141_667, TODAY));
  // Contract 2 (firm A2), signed 2026-06-10, only its down payment: installments 1–5 overdue on 25/11/2026.
  c2 = await sale(t.db, { date: '2026-06-10', today: TODAY });
  await pay(t.db, c2.id, '2026-06-10', 1_500_000, TODAY);
  await createUser(t.db, { username: 'comprador-a', role: 'buyer', password: PASSWORD, firm_ruc: c1.firm_ruc });
  await createUser(t.db, { username: 'comprador-b', role: 'buyer', password: PASSWORD, firm_ruc: B_RUC });
  manager = await login(t.app, 'gerente');
  finance = await login(t.app, 'finanzas');
  buyerA = await login(t.app, 'comprador-a');
  buyerB = await login(t.app, 'comprador-b');
});
afterAll(async () => { await t.close(); });

describe('refusals: nothing written', () => {
  const valid = () => ({ to_ruc: B_RUC, resolution_number: 'R.A. 210-2026-MPI', resolution_date: '2026-05-20', reason: '' });

  async function refused(id: number, data: Record<string, string>, status: number, field: string, message: string) {
    const counts = [await count('assignments'), await count('contract_events'), await count('audit_log')];
    const firm = (await t.db('contracts').where({ id }).first()).firm_ruc;
    const res = await post(manager, id, data);
    expect(res.status, JSON.stringify(data)).toBe(status);
    const m = new RegExp(`id="e-${field}">([^<]*)<`).exec(res.text);
    expect(m?.[1]?.replace(/&#x2F;/g, '/').replace(/&quot;/g, '"').replace(/\u00a0/g, ' ')).toBe(message);
    expect([await count('assignments'), await count('contract_events'), await count('audit_log')]).toEqual(counts);
    expect((await t.db('contracts').where({ id }).first()).firm_ruc).toBe(firm);
  }

  it('400 for missing fields, each next to its field', async () => {
    const res = await post(manager, c1.id, { to_ruc: '', resolution_number: '', resolution_date: '' });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(res.text).toContain('id="e-to_ruc">Este campo es obligatorio.<');
    expect(res.text).toContain('id="e-resolution_number">Este campo es obligatorio.<');
    expect(res.text).toContain('id="e-resolution_date">Este campo es obligatorio.<');
    expect(text).toContain('Cesión de posición contractual');
    expect(await count('assignments')).toBe(0);
  });

  it('the firm: unknown (404), the same one (400), not a member or suspended (400)', async () => {
    await refused(c1.id, { ...valid(), to_ruc: ruc(7999) }, 404, 'to_ruc', 'No hay ninguna empresa registrada con ese RUC.');
    await refused(c1.id, { ...valid(), to_ruc: c1.firm_ruc }, 400, 'to_ruc', `${A_NAME} ya es la compradora de este contrato: elija otra empresa.`);
    await refused(c1.id, { ...valid(), to_ruc: C_RUC }, 400, 'to_ruc', 'La empresa no es socia de ACIPIAS: inscríbala en el padrón antes de cederle el contrato.');
    await refused(c1.id, { ...valid(), to_ruc: D_RUC }, 400, 'to_ruc', 'La socia N.º AC-0902 no está activa en ACIPIAS: no puede recibir el contrato.');
  });

  it('the date: in the future, before the contract started (400)', async () => {
    await refused(c1.id, { ...valid(), resolution_date: '2026-11-26' }, 400, 'resolution_date', 'La fecha no puede ser posterior a hoy.');
    await refused(c1.id, { ...valid(), resolution_date: '2026-01-14' }, 400, 'resolution_date', 'La resolución no puede ser anterior al inicio del contrato (15/01/2026).');
  });

  it('409 next to allow_overdue while installments are overdue on the resolution date', async () => {
    // Installments 1–5 of contract 2 (10/07 … 10/11) unpaid on 25/11, at 1.2% a month (141,667 × 0.04% = 56.6668 a day):
    // 138 days → 7,820; 107 → 6,063; 76 → 4,307; 46 → 2,607; 15 → 850: 21,647. Overdue 5 × 1,416.67 + 216.47 = S/ 7,299.82.
    await refused(c2.id, { ...valid(), resolution_date: TODAY }, 409, 'allow_overdue',
      'Al 25/11/2026 el contrato tiene 5 cuotas vencidas (S/ 7,299.82): marque esta casilla solo si la resolución autoriza la cesión con cuotas vencidas.');
    // Contract 1 on 16/05/2026 is up to date (installment 5 falls due 15/06): no refusal there; on 16/06 it would be.
  });
});

describe('an assignment in the middle of a history', () => {
  it('records it (303 to the contract): the row, the contract’s firm, the event, the audit', async () => {
    const res = await post(manager, c1.id, {
      to_ruc: B_RUC, resolution_number: 'R.A. 210-2026-MPI', resolution_date: '2026-05-20', reason: 'Traspaso del negocio',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/contracts/${c1.id}`);
    const rows = await t.db('assignments').select('contract_id', 'from_ruc', 'to_ruc', 'resolution_number', 'resolution_date', 'reason',
      'allow_overdue', 'overdue_installments', 'overdue_cents', 'recorded_by');
    expect(rows).toEqual([{
      contract_id: c1.id, from_ruc: c1.firm_ruc, to_ruc: B_RUC, resolution_number: 'R.A. 210-2026-MPI', resolution_date: '2026-05-20',
      reason: 'Traspaso del negocio', allow_overdue: 0, overdue_installments: 0, overdue_cents: 0, recorded_by: 2,
    }]);
    expect((await t.db('contracts').where({ id: c1.id }).first())).toMatchObject({ firm_ruc: B_RUC, status: 'active' });
    const event = await t.db('contract_events').where({ contract_id: c1.id, kind: 'assigned' }).first();
    expect(event.date).toBe('2026-05-20');
    expect(JSON.parse(event.details)).toEqual({
      resolution_number: 'R.A. 210-2026-MPI', resolution_date: '2026-05-20', from_ruc: c1.firm_ruc, to_ruc: B_RUC,
      allow_overdue: false, overdue_installments: 0, overdue_cents: 0,
    });
    const audit = await t.db('audit_log').where({ action: 'contract.assigned' }).first();
    expect(audit).toMatchObject({ username: 'gerente', entity: 'contract', entity_id: String(c1.id) });
    // No journal entry: the ledger keys receivables by contract.
    expect(await t.db('journal_entries').where('description', 'like', '%cesi%').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('the new firm pays installments 5–10: its receipts name it, the earlier ones still name the old firm', async () => {
    for (const d of ['2026-06-15', '2026-07-15', '2026-08-15', '2026-09-15', '2026-10-15', '2026-11-15']) after.push(await pay(t.db, c1.id, d, 141_667, TODAY));
    const payers = await t.db('receipts').where({ contract_id: c1.id }).orderBy('id').pluck('payer_ruc');
    expect(payers).toEqual([...before.map(() => c1.firm_ruc), ...after.map(() => B_RUC)]);
    // A receipt entered now but dated before the assignment was paid by the firm that held the contract then.
    const n = await t.db('receipts').where({ number: before[4] }).first();
    expect(n.payer_ruc).toBe(c1.firm_ruc);
  });

  it('the contract page says who assigned to whom, and the statement totals are exact', async () => {
    const page = textOf((await manager.get(`/contracts/${c1.id}`)).text);
    expect(page).toContain('Comprador Conservas del Puerto S.A.C. RUC ' + B_RUC);
    expect(page).toContain(`Cesiones del contrato Fecha de la resolución N.º de resolución Cedente Cesionaria Cuotas vencidas 20/05/2026 R.A. 210-2026-MPI Traspaso del negocio ${A_NAME} ${c1.firm_ruc} Conservas del Puerto S.A.C. ${B_RUC} Ninguna`);
    expect(page).toContain('20/05/2026 Cesión de posición contractual R.A. 210-2026-MPI gerente');
    // 15,000.00 + 10 × 1,416.67 = 29,166.70 paid; 85,000.00 − 14,166.70 = 70,833.30 owed; no late fee.
    const csv = (await buyerB.get(`/contracts/${c1.id}/statement.csv`)).text.trim().split('\n');
    expect(csv.slice(0, 3)).toEqual([
      'n,due_date,installment,paid,late_fee,outstanding,status',
      '0,2026-01-15,15000.00,15000.00,0.00,0.00,paid',
      '1,2026-02-15,1416.67,1416.67,0.00,0.00,paid',
    ]);
    expect(csv.slice(11, 14)).toEqual([
      '10,2026-11-15,1416.67,1416.67,0.00,0.00,paid',
      '11,2026-12-15,1416.67,0.00,0.00,1416.67,pending',
      '12,2027-01-15,1416.67,0.00,0.00,1416.67,pending',
    ]);
    const rows = csv.slice(1).map((l) => l.split(','));
    const sum = (i: number) => rows.reduce((s, r) => s + Math.round(Number(r[i]) * 100), 0);
    expect([sum(2), sum(3), sum(4), sum(5)]).toEqual([10_000_000, 2_916_670, 0, 7_083_330]);
    const statement = textOf((await manager.get(`/contracts/${c1.id}/statement`)).text);
    expect(statement).toContain('Conservas del Puerto S.A.C.');
    for (const n of [...before, ...after]) expect(statement).toContain(n);
  });

  it('the new firm’s portal lists the contract with its figures; the old firm’s no longer does', async () => {
    const b = textOf((await buyerB.get('/portal')).text);
    expect(b).toContain(`Contrato CV-2026-0001`);
    expect(b).toContain('Saldo total por pagar S/ 70,833.30 Total pagado S/ 29,166.70');
    expect(b).toContain('Mis recibos (11)');
    const a = await buyerA.get('/portal');
    expect(a.status).toBe(200);
    expect(textOf(a.text)).not.toContain('CV-2026-0001');
    const receiptsB = textOf((await buyerB.get(`/portal/receipts?contract=${c1.id}`)).text);
    for (const n of [...before, ...after]) expect(receiptsB).toContain(n);
  });

  it('the old firm gets 404 on the contract, its schedule, its statement and the receipts paid after', async () => {
    const urls = [`/contracts/${c1.id}`, `/contracts/${c1.id}/print`, `/contracts/${c1.id}/schedule.csv`,
      `/contracts/${c1.id}/statement`, `/contracts/${c1.id}/statement.csv`, `/portal/receipts?contract=${c1.id}`,
      ...after.map((n) => `/receipts/${n}`)];
    const none = textOf((await buyerA.get('/contracts/999999')).text);
    for (const url of urls) {
      const res = await buyerA.get(url);
      expect(res.status, url).toBe(404);
      if (!url.includes('.csv')) expect(textOf(res.text), url).toBe(none);
    }
  });

  it('a receipt paid before prints the firm that paid it, for the old firm, the new one and the staff', async () => {
    for (const agent of [buyerA, buyerB, manager]) {
      const res = await agent.get(`/receipts/${before[1]}`);
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text).toContain(`Recibimos de ${A_NAME} RUC ${c1.firm_ruc} Contrato CV-2026-0001`);
      expect(text).not.toContain('Conservas del Puerto');
    }
    // Its receipts page still lists them (and only them), under the contract it assigned.
    const mine = textOf((await buyerA.get('/portal/receipts')).text);
    expect(mine).toContain('Contrato CV-2026-0001');
    expect(mine).toContain('Contrato cedido a otra empresa: aquí quedan los recibos que su empresa pagó.');
    for (const n of before) expect(mine).toContain(n);
    for (const n of after) expect(mine).not.toContain(n);
    // The old firm's copy has no link to a contract it no longer holds.
    expect((await buyerA.get(`/receipts/${before[1]}`)).text).not.toContain(`href="/contracts/${c1.id}"`);
    const later = textOf((await buyerB.get(`/receipts/${after[0]}`)).text);
    expect(later).toContain(`Recibimos de Conservas del Puerto S.A.C. RUC ${B_RUC}`);
  });

  it('the receipts list names the firm that paid; delinquency and receivables follow the contract’s new firm', async () => {
    const receipts = (await manager.get('/receipts.csv?q=CV-2026-0001')).text.trim().split('\n').slice(1);
    const firmOf = (n: string) => receipts.find((l) => l.startsWith(n))!.split(',')[3];
    for (const n of before) expect(firmOf(n)).toBe(c1.firm_ruc);
    for (const n of after) expect(firmOf(n)).toBe(B_RUC);
    const delinquency = (await manager.get(`/delinquency.csv?as_of=${TODAY}`)).text;
    expect(delinquency).toContain(`CV-2026-0001,${B_RUC},${c1.lot_code},,0,current,0.00,0.00,70833.30`);
    const receivables = (await finance.get(`/finance/receivables.csv?as_of=${TODAY}`)).text;
    expect(receivables).toContain('CV-2026-0001,Conservas del Puerto S.A.C.,');
  });

  it('allowed with overdue installments when the resolution says so: the row keeps what was overdue', async () => {
    const res = await post(manager, c2.id, {
      to_ruc: B_RUC, resolution_number: 'R.A. 305-2026-MPI', resolution_date: TODAY, allow_overdue: '1',
    });
    expect(res.status).toBe(303);
    expect(await t.db('assignments').where({ contract_id: c2.id }).first('allow_overdue', 'overdue_installments', 'overdue_cents'))
      .toEqual({ allow_overdue: 1, overdue_installments: 5, overdue_cents: 729_982 });
    // A later resolution cannot predate this one; a contract no longer active cannot be assigned (409).
    const again = await post(manager, c2.id, { to_ruc: c2.firm_ruc, resolution_number: 'R.A. 1', resolution_date: '2026-11-24', allow_overdue: '1' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('id="e-resolution_date">La resolución no puede ser anterior a la última cesión (25/11/2026).<');
    const page = textOf((await manager.get(`/contracts/${c2.id}`)).text);
    expect(page).toContain('5 (S/ 7,299.82), autorizada por la resolución');
  });

  it('the books stay balanced: reconciliation without differences', async () => {
    const rec = textOf((await finance.get('/finance/reconciliation?from=2026-01-01&to=2026-11-25')).text);
    expect(rec).toContain('Sin diferencias — todas las comprobaciones cuadran en el periodo.');
  });

  it.skipIf(!HAS_HLEDGER)('and hledger checks the exported journal', async () => {
    const file = path.join(t.dir, 'assignment.journal');
    fs.writeFileSync(file, (await finance.get('/finance/ledger.journal')).text);
    execFileSync('hledger', ['-f', file, 'check', 'accounts', 'commodities', 'ordereddates'], { encoding: 'utf8' });
  });
});

describe('a contract that is not active cannot be assigned (409)', () => {
  it('paid off', async () => {
    const c = await sale(t.db, { date: '2025-01-15', today: TODAY });
    await pay(t.db, c.id, '2025-01-15', 1_500_000, TODAY);
    await pay(t.db, c.id, '2025-02-01', 8_500_000, TODAY);
    const form = await manager.get(`/contracts/${c.id}/assignment/new`);
    expect(textOf(form.text)).toContain('no está vigente: solo se cede un contrato vigente.');
    expect(form.text).not.toContain('name="to_ruc"');
    const res = await manager.post(`/contracts/${c.id}/assignment`).type('form').send({
      _csrf: /name="_csrf" value="([^"]+)"/.exec((await manager.get(`/contracts/${c1.id}/assignment/new`)).text)![1],
      to_ruc: B_RUC, resolution_number: 'R.A. 9', resolution_date: TODAY,
    });
    expect(res.status).toBe(409);
    expect(await t.db('assignments').where({ contract_id: c.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
