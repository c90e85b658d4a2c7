// The reconciliation over HTTP: "Sin diferencias" after a generated history (sales, payments, a
// backdated receipt, a reversal, a rescission with refund, a ministry lot, spending and its reversal),
// the fund proven to be fed only by municipal lots entry by entry, the CSV's exact columns; then a
// ledger tampered with in the ways the checks exist for, each difference shown with its entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, textOf, type TestApp, type Agent } from '../support/app.ts';
import { postEntry } from '../../src/fund/ledger.ts';
import { reconcile } from '../../src/domain/fund-reconciliation.ts';
import { reconciliation } from '../../src/fund/reports.ts';
import { contractAccounts } from '../../src/fund/replay.ts';
import { listCashDeposits, listSpendings, loadEntries, loadReceipts, loadRefunds, reconDeposits, reconSpendings } from '../../src/fund/queries.ts';
import { SYSTEM } from '../../src/audit/audit.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';
import { TODAY, fundHistory, salesHistory, type History } from './fund-history.ts';

const text = textOf; // textOf already folds the no-break space that es-PE puts after "S/"
const rows = (body: string) => body.trim().split('\n');
/** The text of the details section of one check on the reconciliation page ('' when it has none). */
function details(html: string, title: string): string {
  for (const m of html.matchAll(/<section class="card recon-items">([\s\S]*?)<\/section>/g)) {
    const body = text(m[1]!);
    if (body.startsWith(`${title} `)) return body;
  }
  return '';
}

describe('after a generated history', () => {
  let t: TestApp;
  let finance: Agent;
  let h: History;
  beforeAll(async () => {
    t = await testApp({ today: TODAY });
    const sales = await salesHistory(t.db);
    finance = await login(t.app, 'finanzas');
    h = { contracts: sales, voidedReceipt: sales.voidedReceipt, ...(await fundHistory(finance)) };
  });
  afterAll(async () => { await t.close(); });

  it('reads only the period (and sums 1201 in the database), yet equals the reconciliation of the whole ledger', async () => {
    await sameAsWholeLedger(t.db);
    for (const [from, to] of [['2025-01-01', '2025-12-31'], ['2026-02-01', '2026-03-31'], ['2026-07-01', '2026-11-30']] as const) {
      const whole = await reconciliation(t.db, from, to);
      expect(whole.ok, `${from}..${to}`).toBe(true);
    }
  });

  it('says "Sin diferencias" for this year, last year and the whole history', async () => {
    for (const q of ['', '?from=2025-01-01&to=2025-12-31', '?from=2024-01-01&to=2026-11-25', '?from=2026-10-01&to=2026-10-01']) {
      const res = await finance.get(`/finance/reconciliation${q}`);
      expect(res.status).toBe(200);
      const body = text(res.text);
      expect(body, q).toContain('Sin diferencias — todas las comprobaciones cuadran en el periodo.');
      expect(body).not.toContain('Hay diferencias');
    }
  });

  it('gives the CSV with exactly check,left,right,difference, one row per check, amounts in soles', async () => {
    const res = await finance.get('/finance/reconciliation.csv?from=2026-01-01&to=2026-11-25');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="conciliacion-2026-01-01-2026-11-25.csv"');
    expect(rows(res.text)).toEqual([
      'check,left,right,difference',
      // Valid receipts of 2026 (all lots): 20,000 + 50,000 + 7,000 + 15,000 + 1,416.67.
      'collections_fund,93416.67,93416.67,0.00',
      // Fund credits of 2026 = receipts of 2026 on municipal lots: 20,000 + 50,000 + 7,000.
      'fund_municipal,77000.00,77000.00,0.00',
      // 93,416.67 received − 13,000 refunded − 77,000 spent (the reversed 5,000 nets to zero).
      'cash_bank,3416.67,3416.67,0.00',
      // A: 100,000 − 15,000 − 3 × 1,416.67 − (3,000 − 51.18 of late fees) − 20,000 = 59,296.10; E: 83,583.33.
      'receivables,142879.43,142879.43,0.00',
      'balanced,516206.78,516206.78,0.00',
    ]);
  });

  it('counts a receipt voided after the period in that period on neither side (no timing difference)', async () => {
    const csv = rows((await finance.get('/finance/reconciliation.csv?from=2025-01-01&to=2025-12-31')).text);
    // 2025's valid receipts: 15,000 + 1,416.67 + 3,000 + 1,416.67 (A) + 15,000 + 1,500 (B); the voided 1,416.67 is out of both.
    expect(csv[1]).toBe('collections_fund,37333.34,37333.34,0.00');
    // Gross credits of 2025 include the receipt that was valid then, as do 2025's receipts on municipal lots.
    expect(csv[2]).toBe('fund_municipal,38750.01,38750.01,0.00');
    // On 31/12/2025 the voided receipt still counted, in the replay as in account 1201.
    expect(csv[4]).toBe('receivables,161256.79,161256.79,0.00');
    const statement = rows((await finance.get('/finance/fund-statement.csv?from=2025-01-01&to=2025-12-31')).text);
    expect(statement).toContain('collections,,38750.01');
  });

  it('proves entry by entry that the fund is fed only by receipts on municipal lots', async () => {
    const credits = await t.db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
      .where('l.account_code', '3101').andWhere('l.credit_cents', '>', 0).whereNull('e.reverses_entry_id')
      .select('e.id', 'e.date', 'e.source_type', 'e.source_id', 'l.credit_cents', 'l.contract_id');
    const municipal = await t.db('receipts as r').join('contracts as c', 'c.id', 'r.contract_id').join('lots as lo', 'lo.id', 'c.lot_id')
      .where('lo.owner', 'municipal').select('r.id', 'r.date', 'r.amount_cents', 'r.contract_id');
    expect(credits).toHaveLength(municipal.length);
    for (const c of credits) {
      expect(c.source_type).toBe('receipt');
      const r = municipal.find((m) => String(m.id) === c.source_id);
      expect(r, `entry ${c.id}`).toBeDefined();
      expect([c.date, c.credit_cents, c.contract_id]).toEqual([r!.date, r!.amount_cents, r!.contract_id]);
    }
    // The ministry's lot (E) paid 16,416.67: none of it reached the fund.
    const e = await t.db('journal_lines').where({ contract_id: h.contracts.e, account_code: '3101' });
    expect(e).toEqual([]);
  });
});

/** The page reads only the period's entries and sums 1201 in the database: on every tampered ledger its
 *  result must equal the reconciliation of the whole ledger, for the year and for single months. */
async function sameAsWholeLedger(db: TestApp['db']) {
  const [entries, receipts, refunds, spendings, deposits] = await Promise.all([
    loadEntries(db), loadReceipts(db), loadRefunds(db), listSpendings(db), listCashDeposits(db)]);
  for (const [from, to] of [['2026-01-01', TODAY], ['2026-04-01', '2026-04-30'], ['2026-05-01', '2026-05-31'], ['2026-06-01', '2026-06-30']] as const) {
    const subledger = (await contractAccounts(db, to)).filter((a) => a.recognized).map((a) => ({
      contract_id: a.contract_id, contract_number: a.contract_number, firm_name: a.firm_name, lot_code: a.lot_code,
      scheduled_outstanding_cents: a.scheduled_outstanding_cents,
    }));
    const whole = reconcile({ from, to, entries, receipts, refunds, spendings: reconSpendings(spendings), deposits: reconDeposits(deposits), subledger });
    expect(await reconciliation(db, from, to), `${from}..${to}`).toEqual(whole);
  }
}

describe('a ledger that does not agree', () => {
  let t: TestApp;
  let finance: Agent;
  const check = async (q = '') => {
    const res = await finance.get(`/finance/reconciliation${q}`);
    await sameAsWholeLedger(t.db);
    return { status: res.status, body: text(res.text), html: res.text };
  };
  beforeAll(async () => {
    t = await testApp({ today: TODAY });
    await setRates(t.db, [['2010-01-01', 12000]]);
    const a = await sale(t.db, { date: '2026-03-02', today: TODAY });
    await pay(t.db, a.id, '2026-03-02', 1_500_000, TODAY, 'transfer');
    await pay(t.db, a.id, '2026-04-02', 141_667, TODAY);
    finance = await login(t.app, 'finanzas');
  });
  afterAll(async () => { await t.close(); });

  it('agrees before anything is tampered with', async () => {
    expect((await check()).body).toContain('Sin diferencias');
  });

  it('shows a credit to the fund that no receipt explains, with its entry', async () => {
    const id = await t.db.transaction((trx) => postEntry(trx, {
      date: '2026-05-05', description: 'Abono manual', source_type: 'manual', source_id: 'x',
      lines: [{ account_code: '1101', debit_cents: 10_000 }, { account_code: '3101', credit_cents: 10_000 }],
    }, SYSTEM));
    const { body, html } = await check();
    expect(body).toContain('Hay diferencias');
    expect(details(html, 'Abonos al fondo vs. cobranzas en lotes municipales'))
      .toContain(`Asiento #${id} 05/05/2026 asiento sin documento que lo respalde S/ 0.00 S/ 100.00 #${id}`);
    expect(details(html, 'Caja y banco vs. recibos − devoluciones − gastos'))
      .toContain(`Asiento #${id} 05/05/2026 asiento sin documento que lo respalde S/ 0.00 S/ 100.00 #${id}`);
    expect(details(html, 'Cobranzas vs. abonos al fondo')).toBe('');
    expect(html).toContain(`href="/finance/journal?from=2026-05-05&to=2026-05-05#entry-${id}"`);
    const csv = rows((await finance.get('/finance/reconciliation.csv')).text);
    expect(csv[2]).toBe('fund_municipal,16516.67,16416.67,100.00');
    expect(csv[3]).toBe('cash_bank,16516.67,16416.67,100.00');
  });

  it('shows a receipt marked void whose entry was never reversed', async () => {
    await t.db('receipts').where({ number: 'R001-00000002' }).update({ status: 'void', void_reason: 'sin asiento' });
    try {
      const { html } = await check();
      const entry = (await t.db('journal_entries').where({ source_type: 'receipt', description: 'Recibo R001-00000002' }).first()).id;
      expect(details(html, 'Cobranzas vs. abonos al fondo'))
        .toContain(`Recibo R001-00000002 02/04/2026 anulado pero su asiento no se revirtió S/ 0.00 S/ 1,416.67 #${entry}`);
      expect(details(html, 'Caja y banco vs. recibos − devoluciones − gastos'))
        .toContain(`Recibo R001-00000002 02/04/2026 el monto no coincide S/ 0.00 S/ 1,416.67 #${entry}`);
    } finally {
      await t.db('receipts').where({ number: 'R001-00000002' }).update({ status: 'valid', void_reason: null });
    }
  });

  it('shows an entry whose debits and credits differ', async () => {
    const [row] = await t.db('journal_entries').insert({
      date: '2026-06-01', description: 'Asiento roto', source_type: 'manual', source_id: 'y', created_at: new Date().toISOString(),
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await t.db('journal_lines').insert([
      { entry_id: id, account_code: '1201', debit_cents: 500, credit_cents: 0 },
      { entry_id: id, account_code: '2101', debit_cents: 0, credit_cents: 400 },
    ]);
    const { html } = await check();
    expect(details(html, 'Cada asiento cuadra')).toContain(`Asiento #${id} 01/06/2026 débitos y créditos no cuadran S/ 5.00 S/ 4.00 #${id}`);
    // The same stray line on 1201 without a contract is a receivables difference too.
    expect(details(html, 'Cuentas por cobrar: contratos vs. cuenta 1201'))
      .toContain(`Contrato — 25/11/2026 asiento sin documento que lo respalde S/ 0.00 S/ 5.00 #${id}`);
    const csv = rows((await finance.get('/finance/reconciliation.csv')).text);
    expect(csv[4]).toMatch(/^receivables,[\d.]+,[\d.]+,-5\.00$/);
    expect(csv[5]).toMatch(/^balanced,[\d.]+,[\d.]+,1\.00$/);
  });
});
