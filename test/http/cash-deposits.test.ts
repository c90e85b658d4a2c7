// Deposits of the till's cash in the bank over HTTP, after the generated history of fund-history.ts
// (whose cash receipts sit in 1101 caja while spending and the refund left 1102 banco): the posting
// Dr 1102 / Cr 1101 with its row and audit; each refusal writing nothing, the till measured as its
// lowest balance from the date on; the reversal; who may; the reconciliation and hledger unmoved.
//
// Caja in that history (cash receipts, none voided): 15,000 on 20/02/2025, 16,500 on 01/04/2025,
// 17,916.67 on 10/06/2025, 19,333.34 on 10/08/2025, 22,333.34 on 01/09/2025, 37,333.34 on 01/02/2026,
// 38,750.01 on 01/03/2026, 45,750.01 from 01/06/2026 on. Banco today: 15,000 + 1,416.67 (voided today)
// + 20,000 + 50,000 − 25,000 − 12,000 − 5,000 (reversed today) − 13,000 − 40,000 = −5,000.00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_HLEDGER } from '../support/system-programs.ts';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { testApp, login, submit, csrfFrom, textOf, type TestApp, type Agent } from '../support/app.ts';
import { postEntry, accountBalance } from '../../src/fund/ledger.ts';
import { SYSTEM } from '../../src/audit/audit.ts';
import { TODAY, fundHistory, idFrom, salesHistory } from './fund-history.ts';

let t: TestApp;
let finance: Agent;
const text = textOf; // textOf already folds the no-break space that es-PE puts after "S/"
/** The page's HTML with es-PE's no-break spaces (in amounts) as plain spaces. */
const plain = (html: string) => html.replace(/\u00a0/g, ' ');
const count = async (table: string) => Number((await t.db(table).count({ n: '*' }))[0]!.n);
const written = async () => ({
  deposits: await count('cash_deposits'), entries: await count('journal_entries'),
  lines: await count('journal_lines'), audit: await count('audit_log'),
});
const balances = async (to = TODAY) => ({ cash: await accountBalance(t.db, '1101', to), bank: await accountBalance(t.db, '1102', to) });
const deposit = (data: Record<string, string>) => submit(finance, '/finance/cash-deposits/new', '/finance/cash-deposits', data);
const reverse = async (id: number, reason: string) => {
  const page = await finance.get(`/finance/cash-deposits/${id}`);
  return finance.post(`/finance/cash-deposits/${id}/reverse`).type('form').send({ _csrf: csrfFrom(page.text), reason });
};

/** Deposits made in order by the tests below. */
const ids = { december: 0, november: 0, again: 0 };

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await salesHistory(t.db);
  finance = await login(t.app, 'finanzas');
  await fundHistory(finance);
});
afterAll(async () => { await t.close(); });

describe('recording a deposit', () => {
  it('starts from the history: all the cash in the till, the bank below zero', async () => {
    expect(await balances()).toEqual({ cash: 4_575_001, bank: -500_000 });
    expect(await balances('2025-12-31')).toEqual({ cash: 2_233_334, bank: 1_641_667 });
  });

  it('shows on the form what the till can give on a date', async () => {
    const res = await finance.get('/finance/cash-deposits/new?date=2025-12-31');
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain('Efectivo disponible en caja al 31/12/2025 S/ 22,333.34');
    expect(res.text).toContain('name="date" type="date" value="2025-12-31"');
    expect(text((await finance.get('/finance/cash-deposits/new')).text)).toContain('Efectivo disponible en caja al 25/11/2026 S/ 45,750.01');
  });

  it('posts Dr 1102 banco / Cr 1101 caja with its row and audit, and 303s to the deposit', async () => {
    const before = await written();
    const res = await deposit({ date: '2025-12-31', amount: '22333.34', reference: ' DEP-2025-12 ' });
    expect(res.status).toBe(303);
    ids.december = idFrom(res.headers.location);
    expect(res.headers.location).toBe(`/finance/cash-deposits/${ids.december}`);
    const row = await t.db('cash_deposits').where({ id: ids.december }).first();
    expect(row).toMatchObject({
      date: '2025-12-31', amount_cents: 2_233_334, reference: 'DEP-2025-12', cash_available_cents: 2_233_334,
      status: 'valid', recorded_by_name: 'finanzas', reversed_on: null, reversal_entry_id: null,
    });
    const entry = await t.db('journal_entries').where({ id: row.entry_id }).first();
    expect(entry).toMatchObject({
      date: '2025-12-31', source_type: 'cash_deposit', source_id: String(ids.december), reverses_entry_id: null,
      description: 'Depósito de caja en banco, constancia DEP-2025-12',
    });
    expect(await t.db('journal_lines').where({ entry_id: row.entry_id }).orderBy('id')
      .select('account_code', 'debit_cents', 'credit_cents', 'contract_id', 'project_id')).toEqual([
      { account_code: '1102', debit_cents: 2_233_334, credit_cents: 0, contract_id: null, project_id: null },
      { account_code: '1101', debit_cents: 0, credit_cents: 2_233_334, contract_id: null, project_id: null },
    ]);
    const logged = await t.db('audit_log').where({ action: 'cash_deposit.create', entity: 'cash_deposit', entity_id: String(ids.december) });
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0].details)).toEqual({
      date: '2025-12-31', amount_cents: 2_233_334, reference: 'DEP-2025-12', cash_available_cents: 2_233_334, entry_id: row.entry_id,
    });
    expect(await written()).toEqual({ deposits: before.deposits + 1, entries: before.entries + 1, lines: before.lines + 2, audit: before.audit + 1 });
    // The till is empty on 31/12/2025; the bank holds what it took; the fund has not moved.
    expect(await balances('2025-12-31')).toEqual({ cash: 0, bank: 3_875_001 });
    expect(await balances()).toEqual({ cash: 2_341_667, bank: 1_733_334 });
    expect(await accountBalance(t.db, '3101')).toBe(-2_433_334);
  });

  it('a resubmission of the same deposit (same voucher) writes nothing and says so (409)', async () => {
    const before = await written();
    const res = await deposit({ date: '2025-12-31', amount: '22333.34', reference: 'dep-2025-12' });
    expect(res.status).toBe(409);
    expect(await written()).toEqual(before);
  });

  it('shows the deposit with its journal entry', async () => {
    const res = await finance.get(`/finance/cash-deposits/${ids.december}`);
    expect(res.status).toBe(200);
    const body = text(res.text);
    expect(body).toContain(`Depósito #${ids.december} Vigente`);
    expect(body).toContain('Fecha 31/12/2025 Monto S/ 22,333.34 Constancia de depósito DEP-2025-12 Disponible en caja al registrarlo S/ 22,333.34 Registrado por finanzas');
    const entry = (await t.db('cash_deposits').where({ id: ids.december }).first()).entry_id;
    expect(body).toContain(`#${entry} 31/12/2025 · Depósito de caja en banco, constancia DEP-2025-12 Depósito de caja en banco 1102 Banco S/ 22,333.34 1101 Caja S/ 22,333.34`);
    expect(res.text).toContain(`href="/finance/journal?from=2025-12-31&to=2025-12-31#entry-${entry}"`);
    expect(res.text).toContain(`action="/finance/cash-deposits/${ids.december}/reverse"`);
  });

  it('refuses a future date, a bad or zero amount and a missing voucher (400), writing nothing', async () => {
    const before = await written();
    const cases: [Record<string, string>, string, string][] = [
      [{ date: '2026-11-26', amount: '100.00', reference: 'X-1' }, 'date', 'La fecha no puede ser posterior a hoy.'],
      [{ date: '2026-11-24', amount: '0', reference: 'X-1' }, 'amount', 'El monto debe ser mayor que cero.'],
      [{ date: '2026-11-24', amount: '-5.00', reference: 'X-1' }, 'amount', 'El monto debe ser mayor que cero.'],
      [{ date: '2026-11-24', amount: '12.345', reference: 'X-1' }, 'amount', 'Monto ambiguo: use punto para los decimales (hasta dos) y, si quiere, coma para los miles (ej. 18,049.50 o 18049.50).'],
      [{ date: '2026-11-24', amount: 'doce', reference: 'X-1' }, 'amount', 'Escriba un monto en soles, con punto para los decimales (ej. 1416.67, 18,049.50 o S/ 120330).'],
      [{ date: '2026-11-24', amount: '100.00', reference: '  ' }, 'reference', 'Este campo es obligatorio.'],
      [{ date: '2026-02-30', amount: '100.00', reference: 'X-1' }, 'date', 'Escriba una fecha válida'],
    ];
    for (const [data, field, message] of cases) {
      const res = await deposit(data);
      expect(res.status, JSON.stringify(data)).toBe(400);
      expect(res.text).toMatch(new RegExp(`<p class="error" id="e-${field}">${message.replace(/[.()]/g, '\\$&')}`));
    }
    expect(await written()).toEqual(before);
  });

  it('refuses more than the till holds on the date, or on any later day, with the amount available (400), writing nothing', async () => {
    const before = await written();
    const over = await deposit({ date: '2026-11-24', amount: '23416.68', reference: 'DEP-2026-11' });
    expect(over.status).toBe(400);
    expect(plain(over.text)).toContain('<p class="error" id="e-amount">El depósito de S/ 23,416.68 excede el efectivo disponible en caja al 24/11/2026: S/ 23,416.67.</p>');
    expect(over.text).toContain('value="23416.68"'); // the form again with what was entered
    // On 30/09/2025 the till held 22,333.34, but all of it went to the bank on 31/12/2025: nothing is left to take then.
    const backdated = await deposit({ date: '2025-09-30', amount: '0.01', reference: 'DEP-2025-09' });
    expect(backdated.status).toBe(400);
    expect(text(backdated.text)).toContain('El depósito de S/ 0.01 excede el efectivo disponible en caja al 30/09/2025: S/ 0.00.');
    expect(text(backdated.text)).toContain('Efectivo disponible en caja al 30/09/2025 S/ 0.00');
    expect(await written()).toEqual(before);
  });

  it('takes the whole till to the bank', async () => {
    const res = await deposit({ date: '2026-11-20', amount: '23416.67', reference: 'DEP-2026-11' });
    expect(res.status).toBe(303);
    ids.november = idFrom(res.headers.location);
    expect(await balances()).toEqual({ cash: 0, bank: 4_075_001 });
  });

  it('refuses a voucher number already on a valid deposit, whatever its case (409), writing nothing', async () => {
    const before = await written();
    const res = await deposit({ date: TODAY, amount: '1.00', reference: 'dep-2025-12' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`<p class="error" id="e-reference">La constancia dep-2025-12 ya está registrada (depósito #${ids.december}).</p>`);
    expect(await written()).toEqual(before);
  });
});

describe('reversing a deposit', () => {
  it('posts the mirror entry dated today, pointing at the original; the cash is back in the till', async () => {
    const res = await reverse(ids.november, 'Voucher de otra cuenta');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/finance/cash-deposits/${ids.november}`);
    const row = await t.db('cash_deposits').where({ id: ids.november }).first();
    expect(row).toMatchObject({ status: 'reversed', reversal_reason: 'Voucher de otra cuenta', reversed_on: TODAY, reversed_by: 3 });
    const rev = await t.db('journal_entries').where({ id: row.reversal_entry_id }).first();
    expect(rev).toMatchObject({
      date: TODAY, reverses_entry_id: row.entry_id, source_type: 'cash_deposit_reversal', source_id: String(ids.november),
      description: `Anulación del depósito #${ids.november} (constancia DEP-2026-11): Voucher de otra cuenta`,
    });
    expect(await t.db('journal_lines').where({ entry_id: rev.id }).orderBy('id').select('account_code', 'debit_cents', 'credit_cents')).toEqual([
      { account_code: '1102', debit_cents: 0, credit_cents: 2_341_667 },
      { account_code: '1101', debit_cents: 2_341_667, credit_cents: 0 },
    ]);
    expect(await t.db('audit_log').where({ action: 'cash_deposit.reverse', entity_id: String(ids.november) })).toHaveLength(1);
    expect(await balances()).toEqual({ cash: 2_341_667, bank: 1_733_334 });
    // Between the deposit and its reversal the till was empty.
    expect(await balances('2026-11-24')).toEqual({ cash: 0, bank: 3_716_668 });

    const page = await finance.get(`/finance/cash-deposits/${ids.november}`);
    const body = text(page.text);
    expect(body).toContain(`Depósito #${ids.november} Anulado`);
    expect(body).toContain('Anulado el 25/11/2026 · finanzas Motivo Voucher de otra cuenta');
    expect(body).toContain(`#${rev.id} 25/11/2026 · Anulación del depósito #${ids.november} (constancia DEP-2026-11): Voucher de otra cuenta Anulación de depósito de caja 1101 Caja S/ 23,416.67 1102 Banco S/ 23,416.67`);
    expect(page.text).not.toContain(`action="/finance/cash-deposits/${ids.november}/reverse"`);
  });

  it('refuses a second reversal (409) and one without a reason (400), writing nothing; 404 for no deposit', async () => {
    const before = await written();
    const again = await reverse(ids.november, 'otra vez');
    expect(again.status).toBe(409);
    expect(text(again.text)).toContain(`El depósito #${ids.november} ya fue anulado.`);
    const empty = await reverse(ids.december, ' ');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<p class="error" id="e-reason">Este campo es obligatorio.</p>');
    expect((await finance.get('/finance/cash-deposits/9999')).status).toBe(404);
    expect(await written()).toEqual(before);
  });

  it('frees the voucher number of the reversed deposit; the till gives only what it holds from then on', async () => {
    // The cash came back today: on 24/11/2026 the till still shows empty, so only today's date can take it.
    const early = await deposit({ date: '2026-11-24', amount: '23416.67', reference: 'DEP-2026-11' });
    expect(early.status).toBe(400);
    expect(text(early.text)).toContain('El depósito de S/ 23,416.67 excede el efectivo disponible en caja al 24/11/2026: S/ 0.00.');
    const res = await deposit({ date: TODAY, amount: '23416.67', reference: 'DEP-2026-11' });
    expect(res.status).toBe(303);
    ids.again = idFrom(res.headers.location);
    expect(await balances()).toEqual({ cash: 0, bank: 4_075_001 });
  });
});

describe('the list and its CSV', () => {
  it('lists the deposits newest first, with caja and banco today', async () => {
    const res = await finance.get('/finance/cash-deposits');
    expect(res.status).toBe(200);
    const body = text(res.text);
    expect(body).toContain('Caja (1101) S/ 0.00 saldo al 25/11/2026 Banco (1102) S/ 40,750.01 saldo al 25/11/2026 Depositado S/ 45,750.01 2 depósito(s) vigente(s)');
    expect(body).toContain([
      `${ids.again} 25/11/2026 DEP-2026-11 S/ 23,416.67 finanzas Vigente`,
      `${ids.november} 20/11/2026 DEP-2026-11 S/ 23,416.67 finanzas Anulado 25/11/2026`,
      `${ids.december} 31/12/2025 DEP-2025-12 S/ 22,333.34 finanzas Vigente`,
    ].join(' '));
    expect(res.text).toContain('<a href="/finance/cash-deposits" aria-current="page">Depósitos de caja</a>');
  });

  it('gives every deposit as CSV, reversed ones marked', async () => {
    const res = await finance.get('/finance/cash-deposits.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="depositos-de-caja-${TODAY}.csv"`);
    expect(res.text.trim().split('\n')).toEqual([
      'id,date,reference,amount,status,recorded_by,reversed_on,reversal_reason',
      `${ids.december},2025-12-31,DEP-2025-12,22333.34,valid,finanzas,,`,
      `${ids.november},2026-11-20,DEP-2026-11,23416.67,reversed,finanzas,2026-11-25,Voucher de otra cuenta`,
      `${ids.again},2026-11-25,DEP-2026-11,23416.67,valid,finanzas,,`,
    ]);
  });

  it('speaks English when asked', async () => {
    await finance.get('/lang/en?next=/finance');
    try {
      const body = text((await finance.get('/finance/cash-deposits')).text);
      expect(body).toContain('Cash deposited in the bank');
      expect(body).toContain('Cash (1101) S/ 0.00 balance on 25/11/2026 Bank (1102) S/ 40,750.01');
      const over = await deposit({ date: TODAY, amount: '0.01', reference: 'X-9' });
      expect(text(over.text)).toContain('The deposit of S/ 0.01 exceeds the cash available in the till on 25/11/2026: S/ 0.00.');
    } finally {
      await finance.get('/lang/es?next=/finance');
    }
  });
});

describe('who may record deposits', () => {
  it('answers 403 to the park manager on every deposit URL, GET and POST, writing nothing', async () => {
    const before = { deposits: await count('cash_deposits'), entries: await count('journal_entries') };
    const manager = await login(t.app, 'gerente');
    for (const url of ['/finance/cash-deposits', '/finance/cash-deposits.csv', '/finance/cash-deposits/new', `/finance/cash-deposits/${ids.december}`]) {
      expect((await manager.get(url)).status, url).toBe(403);
    }
    const home = await manager.get('/');
    for (const url of ['/finance/cash-deposits', `/finance/cash-deposits/${ids.december}/reverse`]) {
      const res = await manager.post(url).type('form').send({ _csrf: csrfFrom(home.text), date: TODAY, amount: '1.00', reference: 'M-1', reason: 'x' });
      expect(res.status, url).toBe(403);
    }
    expect({ deposits: await count('cash_deposits'), entries: await count('journal_entries') }).toEqual(before);
  });

  it('lets the administrator in', async () => {
    const admin = await login(t.app, 'admin');
    expect((await admin.get('/finance/cash-deposits')).status).toBe(200);
  });
});

describe('the books after the deposits', () => {
  it('still reconcile without differences; caja and banco together move as before', async () => {
    for (const q of ['', '?from=2025-01-01&to=2025-12-31', '?from=2024-01-01&to=2026-11-25', '?from=2026-11-20&to=2026-11-20']) {
      const res = await finance.get(`/finance/reconciliation${q}`);
      expect(res.status).toBe(200);
      expect(text(res.text), q).toContain('Sin diferencias — todas las comprobaciones cuadran en el periodo.');
    }
    const csv = (await finance.get('/finance/reconciliation.csv?from=2026-01-01&to=2026-11-25')).text.trim().split('\n');
    expect(csv[3]).toBe('cash_bank,3416.67,3416.67,0.00'); // as in reconciliation.test.ts: the deposits net to zero
    const accounts = (await finance.get(`/finance/accounts.csv?as_of=${TODAY}`)).text;
    // Caja: 45,750.01 of cash receipts + 23,416.67 reversed back; out 22,333.34 + 2 × 23,416.67.
    expect(accounts).toContain('1101,activo:caja,asset,69166.68,69166.68,0.00');
    // Banco: 86,416.67 of transfers and deposits + 5,000 reversed spending + the three deposits; out the void
    // (1,416.67), spending (82,000), the refund (13,000) and the reversed deposit.
    expect(accounts).toContain('1102,activo:banco,asset,160583.35,119833.34,40750.01');
  });

  it('names the deposit whose entry does not move its amount, and money moved between caja and banco without one', async () => {
    const entry = (await t.db('cash_deposits').where({ id: ids.december }).first()).entry_id;
    await t.db('journal_lines').where({ entry_id: entry }).update({ debit_cents: t.db.raw('CASE WHEN debit_cents > 0 THEN debit_cents - 100 ELSE debit_cents END'),
      credit_cents: t.db.raw('CASE WHEN credit_cents > 0 THEN credit_cents - 100 ELSE credit_cents END') });
    try {
      const res = await finance.get('/finance/reconciliation?from=2025-01-01&to=2025-12-31');
      const body = text(res.text);
      expect(body).toContain('Hay diferencias');
      expect(body).toContain(`Depósito DEP-2025-12 31/12/2025 el monto no coincide S/ 22,333.34 S/ 22,332.34 #${entry}`);
    } finally {
      await t.db('journal_lines').where({ entry_id: entry }).update({ debit_cents: t.db.raw('CASE WHEN debit_cents > 0 THEN debit_cents + 100 ELSE debit_cents END'),
        credit_cents: t.db.raw('CASE WHEN credit_cents > 0 THEN credit_cents + 100 ELSE credit_cents END') });
    }
    expect(text((await finance.get('/finance/reconciliation?from=2025-01-01&to=2025-12-31')).text)).toContain('Sin diferencias');

    const manual = await t.db.transaction((trx) => postEntry(trx, {
      date: '2026-11-10', description: 'Traslado sin constancia', source_type: 'manual', source_id: 'z',
      lines: [{ account_code: '1102', debit_cents: 5_000 }, { account_code: '1101', credit_cents: 5_000 }],
    }, SYSTEM));
    try {
      const body = text((await finance.get('/finance/reconciliation')).text);
      expect(body).toContain(`Asiento #${manual} 10/11/2026 asiento sin documento que lo respalde S/ 0.00 S/ 50.00 #${manual}`);
      const csv = (await finance.get('/finance/reconciliation.csv')).text.trim().split('\n');
      expect(csv[3]).toBe('cash_bank,3416.67,3416.67,0.00'); // listed, though caja and banco together did not move
    } finally {
      await t.db('journal_lines').where({ entry_id: manual }).delete();
      await t.db('journal_entries').where({ id: manual }).delete();
    }
  });

  it.skipIf(!HAS_HLEDGER)('exports a journal that hledger checks, with the app\'s balances for caja and banco', async () => {
    const res = await finance.get('/finance/ledger.journal');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/\n2025-12-31 \* \(\d+\) Depósito de caja en banco, constancia DEP-2025-12\n {4}; source: cash_deposit \d+\n {4}activo:banco {2,}S\/ 22333\.34\n {4}activo:caja {2,}S\/ -22333\.34\n/);
    expect(res.text).toMatch(/; source: cash_deposit_reversal \d+, reverses: \d+\n/);
    const file = path.join(t.dir, 'deposits.journal');
    fs.writeFileSync(file, res.text);
    execFileSync('hledger', ['-f', file, 'check', 'accounts', 'commodities', 'ordereddates'], { encoding: 'utf8' });
    const out = execFileSync('hledger', ['-f', file, 'bal', '--flat', '--no-total', '-O', 'csv', 'activo:caja', 'activo:banco'], { encoding: 'utf8' });
    const rows = parse(out, { columns: true }) as { account: string; balance: string }[];
    // hledger leaves out the till, empty today.
    expect(rows).toEqual([{ account: 'activo:banco', balance: 'S/ 40750.01' }]);
  });
});
