// Bank matching and the bank reconciliation over a generated history: sales and payments by transfer and
// deposit with their references, a cash receipt taken to the bank, spendings with their documents, a
// receipt voided in the month and one of before the first statement voided today; and a statement of
// November 2026 inserted as the upload would leave it, that mixes exact matches, a duplicate-looking line,
// an amount that differs, a bank fee and one line for two receipts. Every figure is worked out below.
//
// Statement #1, 01/11/2026 – 25/11/2026, opening 15,000.00 (receipt 1, the down payment of A by transfer
// on 01/10/2026, is the only bank movement before):
//   L1 03/11 TRANSF INTERBANCARIA EMPRESA B   +15,000.00  = B's receipts 2 (10,000 transfer) + 3 (5,000 deposit)
//   L2 03/11 ABONO TRANSF OP-3001             + 1,416.67  = receipt 4 (A, OP-3001)
//   L3 03/11 ABONO TRANSF OP-3001             + 1,416.67  the same again: a duplicate-looking line
//   L4 05/11 DEPOSITO EN EFECTIVO (DEP4001)   + 7,500.00  = receipt 5 (C's down payment by deposit DEP-4001)
//   L5 07/11 DEP. EFECTIVO VOU-777            + 3,000.00  = the cash deposit VOU-777 (D's cash down payment)
//   L6 10/11 ABONO TRANSF OP-5001             + 1,416.00  receipt 7 says 1,416.67: not proposed
//   L7 13/11 PAGO PROV 20512333797 F001-00000102  −12,000.00 = the spending F001-00000102
//   L8 20/11 COMISION MANTENIMIENTO CUENTA    −    15.00  a bank fee
//   closing 15,000 + 15,000 + 1,416.67 × 2 + 7,500 + 3,000 + 1,416.00 − 12,000 − 15.00 = 32,734.34
// Books (1102) on 25/11/2026, before the fee is explained: 15,000 + 1,416.67 (receipt 9 of 20/10, voided
// later) + 15,000 + 1,416.67 + 7,500 + 3,000 + 1,416.67 + 1,000 (receipt 8, voided today) − 1,000 − 12,000
// − 2,000 (spending F001-00000103 of 24/11) + 1,416.67 (receipt 10 of 25/11, OP-6001) = 32,166.68.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { testApp, login, submit, csrfFrom, textOf, type TestApp, type Agent } from '../support/app.ts';
import { ACTOR, reverse, sale } from '../service/sales-fixtures.ts';
import { insertStatement, payBy } from '../support/bank.ts';
import { HAS_HLEDGER } from '../support/system-programs.ts';
import { accountBalance } from '../../src/fund/ledger.ts';
import { bankChecksForMonth } from '../../src/bank/reconcile-checks.ts';
import { idFrom } from './fund-history.ts';

const TODAY = '2026-11-25';
let t: TestApp;
let finance: Agent;
const r: Record<string, string> = {}; // receipt numbers by name
let statement = { id: 0, lineIds: [] as number[] };
const L = (n: number) => statement.lineIds[n - 1]!;
const ids = { deposit: 0, spending1: 0, spending2: 0 };

const text = (html: string) => textOf(html).replace(/\u00a0/g, ' ');
const count = async (table: string) => Number((await t.db(table).count({ n: '*' }))[0]!.n);
const written = async () => ({
  matches: await count('bank_matches'), entries: await count('journal_entries'), lines: await count('journal_lines'),
  links: await count('bank_match_statement_lines') + await count('bank_match_book_lines'), audit: await count('audit_log'),
});
/** The journal line on 1102 of a document's own entry. */
async function bookLine(source_type: string, source_id: number | string): Promise<number> {
  const row = await t.db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where({ 'e.source_type': source_type, 'e.source_id': String(source_id), 'l.account_code': '1102' }).first('l.id');
  return Number(row.id);
}
const receiptId = async (number: string) => Number((await t.db('receipts').where({ number }).first('id')).id);
const receiptLine = async (name: string) => bookLine('receipt', await receiptId(r[name]!));
const matchingUrl = () => `/finance/bank-statements/${statement.id}/matching`;
const reconUrl = () => `/finance/bank-statements/${statement.id}/reconciliation`;
async function post(url: string, data: Record<string, string | string[]>, from = matchingUrl()) {
  const page = await finance.get(from);
  return finance.post(url).type('form').send({ _csrf: csrfFrom(page.text), ...data });
}

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  const a = await sale(t.db, { date: '2026-10-01', today: TODAY });
  const b = await sale(t.db, { date: '2026-11-02', today: TODAY });
  const c = await sale(t.db, { date: '2026-11-05', today: TODAY, area_dm2: 50_000 });
  const d = await sale(t.db, { date: '2026-11-06', today: TODAY, area_dm2: 20_000 });
  const pay = (name: string, id: number, date: string, amount: number, method: 'cash' | 'transfer' | 'deposit', ref: string | null) =>
    payBy(t.db, ACTOR, TODAY, id, date, amount, method, ref).then((n) => { r[name] = n; });
  await pay('a_down', a.id, '2026-10-01', 1_500_000, 'transfer', 'OP-1001');
  await pay('b_1', b.id, '2026-11-02', 1_000_000, 'transfer', 'OP-2001');
  await pay('b_2', b.id, '2026-11-03', 500_000, 'deposit', 'DEP-2002');
  await pay('a_1', a.id, '2026-11-02', 141_667, 'transfer', 'OP-3001');
  await pay('c_down', c.id, '2026-11-05', 750_000, 'deposit', 'DEP-4001');
  await pay('d_down', d.id, '2026-11-06', 300_000, 'cash', null);
  await pay('a_2', a.id, '2026-11-10', 141_667, 'transfer', 'OP-5001');
  await pay('a_void', a.id, '2026-11-15', 100_000, 'transfer', 'OP-7001');
  await pay('a_old', a.id, '2026-10-20', 141_667, 'transfer', 'OP-0999');
  await pay('a_3', a.id, '2026-11-25', 141_667, 'transfer', 'OP-6001');
  await reverse(t.db, r.a_void!, 'Transferencia rechazada por el banco', TODAY);

  finance = await login(t.app, 'finanzas');
  const dep = await submit(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', { date: '2026-11-07', amount: '3000.00', reference: 'VOU-777' });
  ids.deposit = idFrom(dep.headers.location);
  const proj = await submit(finance, '/finance/projects/new', '/finance/projects',
    { code: 'AGUA-ZA', name: 'Agua para la zona alta', budget: '60000.00', status: 'in_progress', description: 'Obra' });
  const projectId = idFrom(proj.headers.location);
  const spend = async (date: string, amount: string, document_number: string) => idFrom((await submit(finance,
    `/finance/projects/${projectId}/spending/new`, `/finance/projects/${projectId}/spending`, {
      date, amount, document_number, supplier_ruc: '20512333797', supplier_name: 'Constructora Ilo S.A.C.', description: 'Valorización',
    })).headers.location);
  ids.spending1 = await spend('2026-11-12', '12000.00', 'F001-00000102');
  ids.spending2 = await spend('2026-11-24', '2000.00', 'F001-00000103');

  statement = await insertStatement(t.db, {
    period_from: '2026-11-01', period_to: '2026-11-25', opening_balance_cents: 1_500_000, closing_balance_cents: 3_273_434,
    lines: [
      { date: '2026-11-03', description: 'TRANSF INTERBANCARIA EMPRESA B', amount_cents: 1_500_000 },
      { date: '2026-11-03', description: 'ABONO TRANSF OP-3001', reference: 'OP-3001', amount_cents: 141_667 },
      { date: '2026-11-03', description: 'ABONO TRANSF OP-3001', reference: 'OP-3001', amount_cents: 141_667 },
      { date: '2026-11-05', description: 'DEPOSITO EN EFECTIVO', reference: 'DEP4001', amount_cents: 750_000 },
      { date: '2026-11-07', description: 'DEP. EFECTIVO VOU-777', amount_cents: 300_000 },
      { date: '2026-11-10', description: 'ABONO TRANSF OP-5001', reference: 'OP-5001', amount_cents: 141_600 },
      { date: '2026-11-13', description: 'PAGO PROV 20512333797 F001-00000102', amount_cents: -1_200_000 },
      { date: '2026-11-20', description: 'COMISION MANTENIMIENTO CUENTA', amount_cents: -1_500 },
    ],
  });
});
afterAll(async () => { await t.close(); });

describe('proposals', () => {
  it('the history adds up as the header says', async () => {
    expect(await accountBalance(t.db, '1102', '2026-10-31')).toBe(1_500_000 + 141_667);
    expect(await accountBalance(t.db, '1102', TODAY)).toBe(3_216_668);
    expect(Object.values(r)).toEqual(Array.from({ length: 10 }, (_, i) => `R001-${String(i + 1).padStart(8, '0')}`));
  });

  it('proposes exact references, the voucher, the document and the split; names the duplicate and the amount that differs', async () => {
    const res = await finance.get(matchingUrl());
    expect(res.status).toBe(200);
    const body = text(res.text);
    expect(body).toContain('8 líneas: 0 conciliadas, 8 por conciliar');
    expect(body).toContain('desde 3 días antes hasta 5 días después de la línea del banco');
    const proposals = text(/<table class="stack bank-proposals">([\s\S]*?)<\/table>/.exec(res.text)![1]!);
    expect(proposals).toContain(`#${L(1)} 03/11/2026 · TRANSF INTERBANCARIA EMPRESA B · S/ 15,000.00 02/11/2026 · Recibo ${r.b_1}`);
    expect(proposals).toContain(`03/11/2026 · Recibo ${r.b_2} · CV-2026-0002`);
    expect(proposals).toContain('Una línea para varios recibos del mismo contrato (solo por monto) (60) dividida');
    expect(proposals).toContain(`#${L(2)} 03/11/2026 · ABONO TRANSF OP-3001 · OP-3001 · S/ 1,416.67 02/11/2026 · Recibo ${r.a_1} · CV-2026-0001`);
    expect(proposals).toContain('Referencia y monto exactos (100) segura');
    expect(proposals).toContain(`#${L(5)} 07/11/2026 · DEP. EFECTIVO VOU-777 · S/ 3,000.00 07/11/2026 · Depósito de caja #${ids.deposit} · constancia VOU-777 · S/ 3,000.00 S/ 3,000.00 Constancia de depósito y monto (100) segura`);
    expect(proposals).toContain(`Gasto #${ids.spending1} · obra AGUA-ZA · Constructora Ilo S.A.C. · comprobante F001-00000102 · -S/ 12,000.00`);
    expect(proposals).not.toContain(`#${L(3)} `);
    expect(proposals).not.toContain(`#${L(6)} `);
    expect(proposals).not.toContain(`#${L(8)} `);
    expect((res.text.match(/<tr class="proposal">/g) ?? []).length).toBe(5);
    expect(body).toContain('Aceptar todas las propuestas seguras (4)');
    expect(body).toContain(`ABONO TRANSF OP-3001 · OP-3001 Parece repetir un movimiento ya tomado: Recibo ${r.a_1}`);
    expect(body).toContain(`ABONO TRANSF OP-5001 · OP-5001 La referencia es la de Recibo ${r.a_2} · CV-2026-0001 · Empresa de prueba 1 S.A.C. · transferencia OP-5001, pero el importe difiere: banco S/ 1,416.00, libros S/ 1,416.67. No se propone.`);
    // The receipt voided in the month and its reversal offset: not in transit, listed as voided.
    expect(body).toContain('Anulados: movimientos de libros y su anulación');
    expect(body).toContain(`15/11/2026 · Recibo ${r.a_void}`);
    expect(body).toContain(`25/11/2026 · Anulación del recibo ${r.a_void}`);
  });

  it('accepts the safe proposals at once, then the split', async () => {
    const before = await written();
    const res = await post(`/finance/bank-statements/${statement.id}/matches/safe`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(matchingUrl());
    const after = await written();
    expect(after.matches - before.matches).toBe(4);
    expect(after.entries).toBe(before.entries); // matching posts nothing
    const matched = await t.db('bank_statement_lines').where({ statement_id: statement.id, status: 'matched' }).orderBy('id').pluck('id');
    expect(matched).toEqual([L(2), L(4), L(5), L(7)]);
    const links = await t.db('bank_match_book_lines as b').join('bank_match_statement_lines as s', 's.match_id', 'b.match_id')
      .orderBy('s.statement_line_id').select('s.statement_line_id', 'b.journal_line_id');
    expect(links).toEqual([
      { statement_line_id: L(2), journal_line_id: await receiptLine('a_1') },
      { statement_line_id: L(4), journal_line_id: await receiptLine('c_down') },
      { statement_line_id: L(5), journal_line_id: await bookLine('cash_deposit', ids.deposit) },
      { statement_line_id: L(7), journal_line_id: await bookLine('spending', ids.spending1) },
    ]);
    expect(await t.db('audit_log').where({ action: 'bank.match_create' }).count({ n: '*' }).first()).toEqual({ n: 4 });
    expect(await t.db('audit_log').where({ action: 'bank.match_accept_safe' }).count({ n: '*' }).first()).toEqual({ n: 1 });

    const split = await post(`/finance/bank-statements/${statement.id}/matches`, {
      statement_lines: String(L(1)), book_lines: [String(await receiptLine('b_1')), String(await receiptLine('b_2'))], rule: 'split_group',
    });
    expect(split.status).toBe(303);
    const page = text((await finance.get(matchingUrl())).text);
    expect(page).toContain('Conciliación registrada.');
    expect(page).toContain('8 líneas: 5 conciliadas, 3 por conciliar');
    expect(page).toContain(`#${L(1)} 03/11/2026 · TRANSF INTERBANCARIA EMPRESA B · S/ 15,000.00 02/11/2026 · Recibo ${r.b_1}`);
    expect(page).toContain('No hay propuestas para las líneas por conciliar.');
  });

  it('refuses a manual match whose sums differ (400) and a line already matched (409), writing nothing', async () => {
    const before = await written();
    const differs = await post(`/finance/bank-statements/${statement.id}/matches`, { statement_lines: String(L(6)), book_lines: String(await receiptLine('a_2')) });
    expect(differs.status).toBe(400);
    expect(text(differs.text)).toContain('Los importes no cuadran: banco S/ 1,416.00 libros S/ 1,416.67.');
    const taken = await post(`/finance/bank-statements/${statement.id}/matches`, { 'statement_lines[]': String(L(2)), 'book_lines[]': String(await receiptLine('a_3')) });
    expect(taken.status).toBe(409);
    expect(text(taken.text)).toContain(`La línea del banco #${L(2)} ya está conciliada o explicada`);
    const bookTaken = await post(`/finance/bank-statements/${statement.id}/matches`, { statement_lines: String(L(3)), book_lines: String(await receiptLine('a_1')) });
    expect(bookTaken.status).toBe(409);
    expect(text(bookTaken.text)).toContain('ya está conciliado con otra línea del banco');
    const empty = await post(`/finance/bank-statements/${statement.id}/matches`, { statement_lines: String(L(3)) });
    expect(empty.status).toBe(400);
    expect(text(empty.text)).toContain('Marque al menos una línea del banco y un movimiento de libros.');
    expect(await written()).toEqual(before);
  });
});

describe('the bank reconciliation', () => {
  it('shows a difference while a receipt of before the first statement is in the books but never reached the bank', async () => {
    const res = await finance.get(reconUrl());
    expect(res.status).toBe(200);
    const body = text(res.text);
    // 32,734.34 − (1,416.67 + 1,416.00 − 15.00) + (1,416.67 − 2,000 + 1,416.67) = 30,750.01; books 32,166.68.
    expect(body).toContain('No conciliado: hay una diferencia de -S/ 1,416.67 que ninguna partida explica.');
    expect(body).toContain('Saldo conciliado S/ 30,750.01 Saldo según libros (cuenta 1102) S/ 32,166.68 Diferencia sin explicar -S/ 1,416.67');
  });

  it('after that receipt is voided and the fee explained: exact items and difference 0', async () => {
    await reverse(t.db, r.a_old!, 'Transferencia nunca recibida', TODAY);
    const before = await written();
    const res = await post(`/finance/bank-statement-lines/${L(8)}/explain`, { explanation: 'bank_fee', note: '', statement: String(statement.id) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(matchingUrl());
    const match = await t.db('bank_matches').where({ kind: 'explained' }).first();
    expect(match).toMatchObject({ explanation: 'bank_fee', note: null, undone_at: null, created_by_name: 'finanzas' });
    const entry = await t.db('journal_entries').where({ id: match.entry_id }).first();
    expect(entry).toMatchObject({ date: '2026-11-20', source_type: 'bank_explanation', source_id: String(match.id), reverses_entry_id: null,
      description: 'Extracto Banco de la Nación: COMISION MANTENIMIENTO CUENTA — comisión o cargo del banco' });
    expect(await t.db('journal_lines').where({ entry_id: entry.id }).orderBy('id').select('account_code', 'debit_cents', 'credit_cents'))
      .toEqual([{ account_code: '6391', debit_cents: 1_500, credit_cents: 0 }, { account_code: '1102', debit_cents: 0, credit_cents: 1_500 }]);
    expect(await t.db('bank_statement_lines').where({ id: L(8) }).first('status')).toEqual({ status: 'explained' });
    expect((await written()).entries).toBe(before.entries + 1);
    expect(await accountBalance(t.db, '1102', TODAY)).toBe(3_073_501);
    expect(await accountBalance(t.db, '6391', TODAY)).toBe(1_500);
    const fund = await accountBalance(t.db, '3101', TODAY);
    expect(fund).toBe(-(1_500_000 + 1_500_000 + 141_667 + 750_000 + 300_000 + 141_667 + 141_667) + 1_400_000); // the fee does not touch the fund
    expect(JSON.parse((await t.db('audit_log').where({ action: 'bank.match_explain' }).first()).details)).toEqual({
      statement_line_id: L(8), explanation: 'bank_fee', note: null, entry_id: entry.id, amount_cents: -1_500, account_code: '6391',
    });

    const page = await finance.get(reconUrl());
    const body = text(page.text);
    expect(body).toContain('Conciliado: la diferencia sin explicar es S/ 0.00.');
    expect(body).toContain('Saldo según el extracto bancario S/ 32,734.34'
      + ' (+) Depósitos y abonos registrados en libros, aún no acreditados por el banco (en tránsito) S/ 2,833.34'
      + ' (−) Pagos registrados en libros, aún no debitados por el banco (en tránsito) -S/ 2,000.00'
      + ' (−) Abonos del banco no registrados en libros (intereses, depósitos no identificados) -S/ 2,832.67'
      + ' (+) Cargos del banco no registrados en libros (comisiones, cargos) S/ 0.00'
      + ' Saldo conciliado S/ 30,735.01 Saldo según libros (cuenta 1102) S/ 30,735.01 Diferencia sin explicar S/ 0.00');
    const transit = text(/<table class="stack bank-recon-items in-transit">([\s\S]*?)<\/table>/.exec(page.text)![1]!);
    expect(transit).toMatch(new RegExp(`^Fecha Libros Monto 10/11/2026 Recibo ${r.a_2} · CV-2026-0001 · Empresa de prueba 1 S\\.A\\.C\\. · transferencia OP-5001 \\(#\\d+\\) S/ 1,416\\.67`
      + ` 24/11/2026 Gasto #${ids.spending2} · obra AGUA-ZA · Constructora Ilo S\\.A\\.C\\. · comprobante F001-00000103 \\(#\\d+\\) -S/ 2,000\\.00`
      + ` 25/11/2026 Recibo ${r.a_3} · CV-2026-0001 · Empresa de prueba 1 S\\.A\\.C\\. · transferencia OP-6001 \\(#\\d+\\) S/ 1,416\\.67 Total S/ 833\\.34$`));
    const notRecorded = text(/<table class="stack bank-recon-items not-recorded">([\s\S]*?)<\/table>/.exec(page.text)![1]!);
    expect(notRecorded).toBe(`Fecha Banco Monto 03/11/2026 #${L(3)} ABONO TRANSF OP-3001 · OP-3001 S/ 1,416.67 10/11/2026 #${L(6)} ABONO TRANSF OP-5001 · OP-5001 S/ 1,416.00 Total S/ 2,832.67`);
    expect(body).toContain(`Anulados (se compensan, no son partidas) 20/10/2026 · Recibo ${r.a_old}`);
    expect(body).toContain(`15/11/2026 · Recibo ${r.a_void}`);
    expect(body).toContain('Esta conciliación aún no se ha guardado.');
  });

  it('saves it with who and when, history kept; the month-close check holds', async () => {
    // The statement ends on 25/11: November's last day is not covered yet, whatever is saved.
    const missing = { key: 'bank:1:statement', ok: false,
      detail: 'Cuenta del parque industrial (Banco de la Nación POR-DEFINIR): falta el extracto de noviembre de 2026 (ninguno cubre el 30/11/2026).' };
    expect(await bankChecksForMonth(t.db, '2026-11')).toEqual([missing, { key: `bank:1:reconciliation:${statement.id}`, ok: false,
      detail: `Cuenta del parque industrial (Banco de la Nación POR-DEFINIR): el extracto #${statement.id} del 01/11/2026 al 25/11/2026 no tiene conciliación bancaria guardada.` }]);
    const res = await post(reconUrl(), {}, reconUrl());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(reconUrl());
    const saved = await t.db('bank_reconciliations').where({ statement_id: statement.id });
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      as_of: '2026-11-25', statement_balance_cents: 3_273_434, book_balance_cents: 3_073_501, in_transit_cents: 83_334,
      not_recorded_cents: 283_267, difference_cents: 0, saved_by_name: 'finanzas',
    });
    const items = JSON.parse(saved[0].items);
    expect(items.in_transit.map((i: { amount_cents: number }) => i.amount_cents)).toEqual([141_667, -200_000, 141_667]);
    expect(items.not_recorded.map((i: { statement_line_id: number }) => i.statement_line_id)).toEqual([L(3), L(6)]);
    expect(items.voided).toHaveLength(2);
    expect(await t.db('audit_log').where({ action: 'bank.reconciliation_save', entity_id: String(statement.id) })).toHaveLength(1);
    expect(text((await finance.get(reconUrl())).text)).toMatch(/Última conciliación guardada: .+ por finanzas; diferencia S\/ 0\.00\. Sus cifras coinciden con las de hoy\./);
    expect(await bankChecksForMonth(t.db, '2026-11')).toEqual([missing, { key: `bank:1:reconciliation:${statement.id}`, ok: true,
      detail: `Cuenta del parque industrial (Banco de la Nación POR-DEFINIR): extracto #${statement.id} del 01/11/2026 al 25/11/2026 conciliado (guardado por finanzas).` }]);
    // October ends before the account's first statement (from 01/11): the bank is not checked for it.
    expect(await bankChecksForMonth(t.db, '2026-10')).toEqual([{ key: 'bank:1:statement', ok: true,
      detail: 'Cuenta del parque industrial (Banco de la Nación POR-DEFINIR): octubre de 2026 es anterior al primer extracto (desde el 01/11/2026); el banco no se verifica.' }]);
  });

  it('keeps the fund reconciliation clean and the hledger export balanced with the explanation', async () => {
    const csv = parse((await finance.get('/finance/reconciliation.csv?from=2026-01-01&to=2026-11-25')).text, { columns: true }) as Record<string, string>[];
    expect(csv.map((c) => [c.check, c.difference])).toEqual([
      ['collections_fund', '0.00'], ['fund_municipal', '0.00'], ['cash_bank', '0.00'], ['receivables', '0.00'], ['balanced', '0.00']]);
    expect(text((await finance.get('/finance/reconciliation?from=2026-01-01&to=2026-11-25')).text)).toContain('Sin diferencias');
    const journal = (await finance.get('/finance/ledger.journal')).text;
    expect(journal).toContain('account gastos:gastos bancarios  ; type: X, code: 6391');
    expect(journal).toMatch(/\n2026-11-20 \* \(\d+\) Extracto Banco de la Nación: COMISION MANTENIMIENTO CUENTA — comisión o cargo del banco\n    ; source: bank_explanation \d+\n/);
  });

  it.skipIf(!HAS_HLEDGER)('and hledger checks that journal: bank S/ 30,735.01, bank charges S/ 15.00', async () => {
    const journal = (await finance.get('/finance/ledger.journal')).text;
    const file = path.join(t.dir, 'bank.journal');
    fs.writeFileSync(file, journal);
    execFileSync('hledger', ['-f', file, 'check', 'accounts', 'commodities', 'ordereddates'], { encoding: 'utf8' });
    const bal = execFileSync('hledger', ['-f', file, 'bal', '--flat', '--no-total', 'activo:banco', 'gastos'], { encoding: 'utf8' });
    expect(bal).toMatch(/S\/ 30735\.01\s+activo:banco/);
    expect(bal).toMatch(/S\/ 15\.00\s+gastos:gastos bancarios/);
  });
});

describe('undo', () => {
  it('needs a reason; puts the line back, reverses the explanation today, 1102 back; the saved reconciliation no longer holds', async () => {
    const match = await t.db('bank_matches').where({ kind: 'explained' }).first();
    const before = await written();
    const bare = await post(`/finance/bank-matches/${match.id}/undo`, { reason: ' ', statement: String(statement.id) });
    expect(bare.status).toBe(400);
    expect(text(bare.text)).toContain('Este campo es obligatorio.');
    expect(await written()).toEqual(before);

    const res = await post(`/finance/bank-matches/${match.id}/undo`, { reason: 'Comisión devuelta por el banco', statement: String(statement.id) });
    expect(res.status).toBe(303);
    const undone = await t.db('bank_matches').where({ id: match.id }).first();
    expect(undone).toMatchObject({ undo_reason: 'Comisión devuelta por el banco', undone_by: 3 });
    expect(undone.undone_at).not.toBeNull();
    const rev = await t.db('journal_entries').where({ id: undone.undo_entry_id }).first();
    expect(rev).toMatchObject({ date: TODAY, reverses_entry_id: match.entry_id, source_type: 'bank_explanation_reversal', source_id: String(match.id) });
    expect(await t.db('journal_lines').where({ entry_id: rev.id }).orderBy('id').select('account_code', 'debit_cents', 'credit_cents'))
      .toEqual([{ account_code: '6391', debit_cents: 0, credit_cents: 1_500 }, { account_code: '1102', debit_cents: 1_500, credit_cents: 0 }]);
    expect(await t.db('bank_statement_lines').where({ id: L(8) }).first('status')).toEqual({ status: 'unmatched' });
    expect(await t.db('bank_match_statement_lines').where({ match_id: match.id })).toHaveLength(1); // nothing deleted
    expect(await accountBalance(t.db, '1102', TODAY)).toBe(3_075_001);
    expect(await accountBalance(t.db, '6391', TODAY)).toBe(0);
    expect(await t.db('audit_log').where({ action: 'bank.match_undo', entity_id: String(match.id) })).toHaveLength(1);

    const again = await post(`/finance/bank-matches/${match.id}/undo`, { reason: 'otra vez', statement: String(statement.id) });
    expect(again.status).toBe(409);
    expect(text(again.text)).toContain(`La conciliación #${match.id} ya fue deshecha.`);

    // The fee is again an item not recorded in the books; the explanation and its reversal offset.
    const recon = text((await finance.get(reconUrl())).text);
    expect(recon).toContain('(+) Cargos del banco no registrados en libros (comisiones, cargos) S/ 15.00');
    expect(recon).toContain('Saldo conciliado S/ 30,750.01 Saldo según libros (cuenta 1102) S/ 30,750.01 Diferencia sin explicar S/ 0.00');
    expect(recon).toContain('Sus cifras ya no coinciden con las de hoy: guárdela de nuevo.');
    const [, check] = await bankChecksForMonth(t.db, '2026-11');
    expect(check).toMatchObject({ ok: false });
    expect(check!.detail).toContain('ya no corresponde a los libros (cambió: book_balance_cents, not_recorded_cents)');
    // The page shows the line to explain again, with its form.
    const page = await finance.get(matchingUrl());
    expect(page.text).toContain(`action="/finance/bank-statement-lines/${L(8)}/explain"`);
  });

  it('changes a match in one step (undo + new match), and refuses an "other" explanation without a note', async () => {
    const m = await t.db('bank_match_statement_lines').where({ statement_line_id: L(2) }).first('match_id');
    const change = await post(`/finance/bank-matches/${m.match_id}/change`, {
      reason: 'La línea repetida es la buena', statement_lines: String(L(3)), book_lines: String(await receiptLine('a_1')),
    });
    expect(change.status).toBe(303);
    expect(await t.db('bank_statement_lines').whereIn('id', [L(2), L(3)]).orderBy('id').pluck('status')).toEqual(['unmatched', 'matched']);
    const other = await post(`/finance/bank-statement-lines/${L(8)}/explain`, { explanation: 'other', note: '' });
    expect(other.status).toBe(400);
    expect(text(other.text)).toContain('Escriba una nota que explique el movimiento.');
  });

  it('is for finance and admin only', async () => {
    const manager = await login(t.app, 'gerente');
    expect((await manager.get(matchingUrl())).status).toBe(403);
    expect((await manager.get(reconUrl())).status).toBe(403);
    const admin = await login(t.app, 'admin');
    expect((await admin.get(reconUrl())).status).toBe(200);
    expect((await finance.get('/finance/bank-statements/999/matching')).status).toBe(404);
  });
});
