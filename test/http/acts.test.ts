// The resolutions on a contract's account over HTTP, with exact céntimos: a waiver of part of the late
// fees on two installments, a reschedule of three overdue installments into 24 (payments before and
// after), an acceleration and its undo; each balanced in the ledger, with the reconciliation clean and
// (where hledger is installed) `hledger check` passing on the export. Same sale as the unit tests:
// S/ 100,000.00 on 31/01/2026, 15% down, 60 × 1,416.67; moratorium 1.2% a month.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, login, submit, textOf, type TestApp, type Agent } from '../support/app.ts';
import { HAS_HLEDGER } from '../support/system-programs.ts';
import { sale, setRates, pay, reverse } from '../service/sales-fixtures.ts';
import { reconciliation } from '../../src/fund/reports.ts';

let t: TestApp;
let manager: Agent;
const TODAY = '2026-07-20';
let w: { id: number }, r: { id: number }, a: { id: number };
let rReceipt = '';

const csvLine = (text: string, n: number) => text.trim().split('\n').find((l) => l.startsWith(`${n},`));
const count = async (table: string) => Number((await t.db(table).count({ n: '*' }).first())!.n);
const entriesOf = (contractId: number, source: string) => t.db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
  .where({ 'l.contract_id': contractId, 'e.source_type': source }).orderBy('l.id').select('l.account_code', 'l.debit_cents', 'l.credit_cents');
const receivable = async (contractId: number) => {
  const x = await t.db('journal_lines').where({ contract_id: contractId, account_code: '1201' }).sum({ d: 'debit_cents', c: 'credit_cents' }).first();
  return Number(x!.d ?? 0) - Number(x!.c ?? 0);
};

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  w = await sale(t.db, { date: '2026-01-31', today: TODAY });
  await pay(t.db, w.id, '2026-01-31', 1_500_000, TODAY);
  r = await sale(t.db, { date: '2026-01-31', today: TODAY });
  await pay(t.db, r.id, '2026-01-31', 1_500_000, TODAY);
  rReceipt = await pay(t.db, r.id, '2026-03-10', 50_000, TODAY);
  a = await sale(t.db, { date: '2026-01-31', today: TODAY });
  await pay(t.db, a.id, '2026-01-31', 1_500_000, TODAY);
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('waiver of late fees', () => {
  const url = () => `/contracts/${w.id}/waiver`;

  it('refuses, next to the field and writing nothing: more than is owed, an installment without fees, none chosen', async () => {
    const before = await count('account_events');
    const base = { resolution_number: 'R.G. 070-2026', resolution_date: '2026-05-15' };
    const over = await submit(manager, `${url()}/new`, url(), { ...base, installments: '1, 2', amount: '100.00' });
    expect(over.status).toBe(400);
    // On 15/05: 43.07 on installment 1 (76 days), 25.50 on installment 2 (45 days).
    expect(textOf(over.text)).toContain('Las cuotas elegidas tienen S/ 68.57 de mora impaga al 15/05/2026: el monto no puede ser mayor.');
    const noFee = await submit(manager, `${url()}/new`, url(), { ...base, installments: '10', amount: '' });
    expect(noFee.status).toBe(400);
    expect(textOf(noFee.text)).toContain('La cuota 10 no tiene mora impaga al 15/05/2026.');
    const none = await submit(manager, `${url()}/new`, url(), { ...base, amount: '5.00' });
    expect(none.status).toBe(400);
    expect(textOf(none.text)).toContain('Elija al menos una cuota con mora impaga.');
    const noNumber = await submit(manager, `${url()}/new`, url(), { resolution_date: '2026-05-15', installments: '1' });
    expect(noNumber.status).toBe(400);
    expect(await count('account_events')).toBe(before);
  });

  it('previews, then takes 50.00 off installments 1 and 2, oldest first; fees run on afterwards', async () => {
    const preview = await manager.get(`${url()}/new?resolution_number=R.G.+071-2026&resolution_date=2026-05-15&installments=1&installments=2&amount=50.00&preview=1`);
    expect(preview.status).toBe(200);
    expect(textOf(preview.text)).toContain('1 28/02/2026 S/ 43.07 S/ 43.07 2 31/03/2026 S/ 25.50 S/ 6.93 Total condonado S/ 50.00');
    const res = await submit(manager, `${url()}/new`, url(), { resolution_number: 'R.G. 071-2026', resolution_date: '2026-05-15', installments: '1,2', amount: '50.00' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/contracts/${w.id}`);
    const csv = (await manager.get(`/contracts/${w.id}/statement.csv?as_of=2026-05-31`)).text;
    // Row 1: 43.07 waived whole, 16 days more (9.07). Row 2: 25.50 − 6.93 + 9.07 = 27.64. Row 3 untouched: 31 days (17.57).
    expect(csvLine(csv, 1)).toBe('1,2026-02-28,1416.67,0.00,9.07,1425.74,overdue');
    expect(csvLine(csv, 2)).toBe('2,2026-03-31,1416.67,0.00,27.64,1444.31,overdue');
    expect(csvLine(csv, 3)).toBe('3,2026-04-30,1416.67,0.00,17.57,1434.24,overdue');
    const event = await t.db('account_events').where({ contract_id: w.id, kind: 'waiver' }).first();
    expect(JSON.parse(event.details).parts).toEqual([{ n: 1, amount_cents: 4_307 }, { n: 2, amount_cents: 693 }]);
    // Late fees are income only when paid: the waiver is kept in memorandum accounts, balanced.
    expect(await entriesOf(w.id, 'late_fee_waiver')).toEqual([
      { account_code: '0701', debit_cents: 5_000, credit_cents: 0 }, { account_code: '0901', debit_cents: 0, credit_cents: 5_000 },
    ]);
    const page = textOf((await manager.get(`/contracts/${w.id}`)).text);
    expect(page).toContain('Condonación de intereses moratorios R.G. 071-2026');
    expect((await t.db('audit_log').where({ action: 'contract.late_fees_waived' })).length).toBe(1);
  });

  it('shows on the statement and on the receipts that follow', async () => {
    const stmt = textOf((await manager.get(`/contracts/${w.id}/statement?as_of=2026-05-31`)).text);
    expect(stmt).toContain('15/05/2026 · Condonación de moras · R.G. 071-2026 · S/ 50.00');
    expect(stmt).toContain('Moras condonadas por resolución (no se cobran): S/ 50.00');
    const number = await pay(t.db, w.id, '2026-06-01', 150_000, TODAY);
    const receipt = textOf((await manager.get(`/receipts/${number}`)).text);
    expect(receipt).toContain('Moras condonadas por resolución antes de este pago: S/ 50.00 (R.G. 071-2026).');
  });

  it('fixes the balance on its date: an earlier payment is refused', async () => {
    const res = await submit(manager, `/contracts/${w.id}/payments/new`, `/contracts/${w.id}/payments`,
      { date: '2026-05-10', amount: '100.00', method: 'cash', reference: '' });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('La resolución R.G. 071-2026 fijó el saldo al 15/05/2026: el pago debe tener una fecha posterior.');
  });
});

describe('reschedule of three overdue installments into 24', () => {
  const url = () => `/contracts/${r.id}/reschedule`;
  const terms = { resolution_number: 'R.G. 080-2026', resolution_date: '2026-05-15', start_date: '2026-05-15', installment_count: '24', annual_rate_pct: '0', late_fees: 'capitalise' };

  it('refuses a date before the last receipt (409), a start before the resolution (400), writing nothing', async () => {
    const before = await count('schedule_rows');
    const early = await submit(manager, `${url()}/new`, url(), { ...terms, resolution_date: '2026-03-01', start_date: '2026-03-01' });
    expect(early.status).toBe(409);
    expect(textOf(early.text)).toContain(`El recibo ${rReceipt} es del 10/03/2026: la resolución debe tener esa fecha o una posterior.`);
    const start = await submit(manager, `${url()}/new`, url(), { ...terms, start_date: '2026-05-01' });
    expect(start.status).toBe(400);
    expect(textOf(start.text)).toContain('El nuevo cronograma no puede empezar antes de la resolución (15/05/2026).');
    const fees = await submit(manager, `${url()}/new`, url(), { ...terms, late_fees: 'forget' });
    expect(fees.status).toBe(400);
    expect(await count('schedule_rows')).toBe(before);
  });

  it('previews the new schedule, then records it: version 2 in force, the earlier one kept', async () => {
    const q = new URLSearchParams({ ...terms, preview: '1' });
    const preview = textOf((await manager.get(`${url()}/new?${q}`)).text);
    // Unpaid principal 84,505.67 + late fees 58.35 (24.35 + 25.50 + 8.50) capitalised = 84,564.02 in 24.
    expect(preview).toContain('Saldo refinanciado (capital e intereses vencidos) S/ 84,505.67 Moras capitalizadas S/ 58.35 Capital del nuevo cronograma S/ 84,564.02');
    const res = await submit(manager, `${url()}/new`, url(), terms);
    expect(res.status).toBe(303);
    const v2 = (await manager.get(`/contracts/${r.id}/schedule.csv`)).text.trim().split('\n');
    expect(v2[0]).toBe('n,due_date,principal,interest,installment,balance');
    expect(v2).toHaveLength(25);
    expect(v2[1]).toBe('61,2026-06-15,3523.50,0.00,3523.50,81040.52');
    expect(v2[24]).toBe('84,2028-05-15,3523.52,0.00,3523.52,0.00');
    const v1 = (await manager.get(`/contracts/${r.id}/schedule.csv?version=1`)).text.trim().split('\n');
    expect(v1).toHaveLength(62);
    expect(v1[61]).toBe('60,2031-01-31,1416.47,0.00,1416.47,0.00');
    expect((await manager.get(`/contracts/${r.id}/schedule.csv?version=3`)).status).toBe(404);
    const page = textOf((await manager.get(`/contracts/${r.id}`)).text);
    expect(page).toContain('Cronograma: versión 2 (vigente)');
    expect(page).toContain('Refinanciado el 15/05/2026 por R.G. 080-2026: las cuotas 61 a 84 reemplazan el saldo del cronograma anterior.');
    const old = textOf((await manager.get(`/contracts/${r.id}?version=1`)).text);
    expect(old).toContain('Cronograma: versión 1 (versión anterior, ya no vigente)');
    // Receivables take the capitalised fees: 84,505.67 → 84,564.02.
    expect(await entriesOf(r.id, 'reschedule')).toEqual([
      { account_code: '1201', debit_cents: 5_835, credit_cents: 0 }, { account_code: '2101', debit_cents: 0, credit_cents: 5_835 },
    ]);
    expect(await receivable(r.id)).toBe(8_456_402);
  });

  it('replays payments before and after: the statement on 20/07 owes 81,047.57', async () => {
    await pay(t.db, r.id, '2026-06-15', 352_350, TODAY);
    const csv = (await manager.get(`/contracts/${r.id}/statement.csv?as_of=2026-07-20`)).text;
    expect(csv.trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]))).toEqual([0, 1, 2, 3, ...Array.from({ length: 24 }, (_, i) => 61 + i)]);
    // Row 1: 494.33 of principal and 5.67 of fee paid on 10/03; the rest moved (its 24.35 of fee capitalised).
    expect(csvLine(csv, 1)).toBe('1,2026-02-28,494.33,500.00,5.67,0.00,paid');
    expect(csvLine(csv, 61)).toBe('61,2026-06-15,3523.50,3523.50,0.00,0.00,paid');
    // Row 62, due 15/07, 5 days late on 20/07: 7.05.
    expect(csvLine(csv, 62)).toBe('62,2026-07-15,3523.50,0.00,7.05,3530.55,overdue');
    const stmt = textOf((await manager.get(`/contracts/${r.id}/statement?as_of=2026-07-20`)).text);
    expect(stmt).toContain('81,047.57');
    expect(await receivable(r.id)).toBe(8_456_402 - 352_350);
  });

  it('the delinquency report marks it for the watch period (6 months by default)', async () => {
    const page = textOf((await manager.get('/delinquency?as_of=2026-07-20')).text);
    const contract = (await t.db('contracts').where({ id: r.id }).first()).number;
    expect(page).toContain(`${contract} Refinanciado el 15/05/2026: en vigilancia hasta el 15/11/2026`);
    expect(textOf((await manager.get('/delinquency?as_of=2026-11-16&bucket=all')).text)).not.toContain('en vigilancia');
  });

  it('a receipt the reschedule took into account can no longer be voided', async () => {
    await expect(reverse(t.db, rReceipt, 'error de digitación', TODAY)).rejects.toMatchObject({ status: 409 });
    expect((await t.db('receipts').where({ number: rReceipt }).first()).status).toBe('valid');
  });
});

describe('a reschedule sent by a script with only what it decides', () => {
  it('starts on the resolution date, at the contract\'s rate, leaving late fees owed', async () => {
    const c = await sale(t.db, { date: '2026-01-31', today: TODAY });
    await pay(t.db, c.id, '2026-01-31', 1_500_000, TODAY);
    const res = await submit(manager, `/contracts/${c.id}/reschedule/new`, `/contracts/${c.id}/reschedule`,
      { resolution_number: 'R.G. 081-2026', resolution_date: '2026-05-15', installment_count: '12' });
    expect(res.status).toBe(303);
    const event = await t.db('account_events').where({ contract_id: c.id, kind: 'reschedule' }).first();
    expect(JSON.parse(event.details)).toMatchObject({ start_date: '2026-05-15', annual_rate_ppm: 0, late_fees: 'keep', principal_cents: 8_500_000, kept_late_fees_cents: 4_307 + 2_550 + 850 });
    // 85,000.00 in 12: 7,083.33, the last 7,083.37.
    const csv = (await manager.get(`/contracts/${c.id}/schedule.csv`)).text.trim().split('\n');
    expect(csv[1]).toBe('61,2026-06-15,7083.33,0.00,7083.33,77916.67');
    expect(csv[12]).toBe('72,2027-05-15,7083.37,0.00,7083.37,0.00');
  });
});

describe('an acceleration and its undo', () => {
  it('undoes only an acceleration in force, not before its date', async () => {
    const none = await submit(manager, `/contracts/${a.id}/acceleration-undo/new`, `/contracts/${a.id}/acceleration-undo`,
      { resolution_number: 'R.G. 090-2026', resolution_date: '2026-06-15' });
    expect(none.status).toBe(409);
    expect(textOf(none.text)).toContain('no tiene un vencimiento anticipado en vigor');
    const acc = await submit(manager, `/contracts/${a.id}/acceleration/new`, `/contracts/${a.id}/acceleration`, { resolution_number: 'R.G. 085-2026', date: '2026-05-15' });
    expect(acc.status).toBe(303);
    const early = await submit(manager, `/contracts/${a.id}/acceleration-undo/new`, `/contracts/${a.id}/acceleration-undo`,
      { resolution_number: 'R.G. 090-2026', resolution_date: '2026-05-01' });
    expect(early.status).toBe(400);
    expect(textOf(early.text)).toContain('El vencimiento anticipado es del 15/05/2026: la resolución no puede ser anterior.');
  });

  it('restores the original due dates from its date; the fees of the accelerated days stay', async () => {
    const during = (await manager.get(`/contracts/${a.id}/statement.csv?as_of=2026-06-15`)).text;
    expect(csvLine(during, 5)).toBe('5,2026-05-15,1416.67,0.00,17.57,1434.24,overdue');
    const res = await submit(manager, `/contracts/${a.id}/acceleration-undo/new`, `/contracts/${a.id}/acceleration-undo`,
      { resolution_number: 'R.G. 090-2026', resolution_date: '2026-06-15' });
    expect(res.status).toBe(303);
    expect((await t.db('contracts').where({ id: a.id }).first()).accelerated_on).toBeNull();
    const csv = (await manager.get(`/contracts/${a.id}/statement.csv?as_of=2026-06-30`)).text;
    // Row 4 (due 31/05): 31 accelerated days (17.57) + 15 days since the undo (8.50).
    expect(csvLine(csv, 4)).toBe('4,2026-05-31,1416.67,0.00,26.07,1442.74,overdue');
    expect(csvLine(csv, 5)).toBe('5,2026-06-30,1416.67,0.00,17.57,1434.24,pending');
    // Before the undo's date, the statement is as the acceleration left it.
    expect(csvLine((await manager.get(`/contracts/${a.id}/statement.csv?as_of=2026-06-10`)).text, 5)).toBe('5,2026-05-15,1416.67,0.00,14.73,1431.40,overdue');
    expect(textOf((await manager.get(`/contracts/${a.id}`)).text)).toContain('Vencimiento anticipado dejado sin efecto R.G. 090-2026');
    const again = await submit(manager, `/contracts/${a.id}/acceleration/new`, `/contracts/${a.id}/acceleration`, { resolution_number: 'R.G. 095-2026', date: '2026-07-20' });
    expect(again.status).toBe(303); // may be accelerated again: rows 1–4 and more are unpaid
  });
});

describe('the books after every act', () => {
  it('the reconciliation finds no differences', async () => {
    const rec = await reconciliation(t.db, '2026-01-01', TODAY);
    expect(rec.checks.map((c) => [c.key, c.difference_cents, c.items.length])).toEqual([
      ['collections_fund', 0, 0], ['fund_municipal', 0, 0], ['cash_bank', 0, 0], ['receivables', 0, 0], ['balanced', 0, 0],
    ]);
  });

  it('the fund dashboard shows the late fees waived in the period', async () => {
    const finance = await login(t.app, 'finanzas');
    const page = textOf((await finance.get('/finance?from=2026-01-01&to=2026-07-20')).text);
    expect(page).toContain('Moras condonadas por resolución en el periodo: S/ 50.00');
  });

  it.skipIf(!HAS_HLEDGER)('hledger checks the exported journal, and its memorandum accounts hold the 50.00 waived', async () => {
    const finance = await login(t.app, 'finanzas');
    const file = path.join(t.dir, 'acts.journal');
    fs.writeFileSync(file, (await finance.get('/finance/ledger.journal')).text);
    execFileSync('hledger', ['-f', file, 'check', 'accounts', 'commodities', 'ordereddates'], { encoding: 'utf8' });
    const out = execFileSync('hledger', ['-f', file, 'bal', '--flat', '--no-total', '-O', 'csv', 'orden'], { encoding: 'utf8' });
    expect(out).toContain('"orden:moras condonadas","S/ 50.00"');
    expect(out).toContain('"orden:contra:moras condonadas","S/ -50.00"');
  });
});
