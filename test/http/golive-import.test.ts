// The go-live import (issue 14): POST /contracts/import with the park's paper contracts and receipts.
// A generated history of 50 contracts and 3,000 receipts whose paper balances (computed here by the pure
// domain functions, not read from the app) equal the app's after the import; the books balanced, the
// reconciliation clean, hledger's check green; the dry run writing nothing; every bad file refused with
// each line named and nothing written; the same files twice refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testApp, login, csrfFrom, textOf, type Agent, type TestApp } from '../support/app.ts';
import { HAS_HLEDGER } from '../support/system-programs.ts';
import { insertFirm, insertLot } from '../support/sales.ts';
import { reconciliation } from '../../src/fund/reports.ts';
import { CUTOFF, RECEIPT_HEADER, CONTRACT_HEADER, TODAY, generateHistory, goLiveLot, goLivePark, rucOf, type GeneratedHistory } from './golive-history.ts';

let t: TestApp;
let gerente: Agent;
let history: GeneratedHistory;

const TABLES = ['contracts', 'receipts', 'journal_entries', 'journal_lines', 'firms', 'memberships', 'imports', 'contract_events',
  'schedule_rows', 'audit_log', 'mail_outbox', 'contract_accounts', 'counters'] as const;
type Counts = Record<(typeof TABLES)[number] | 'counter_values', number>;
async function counts(): Promise<Counts> {
  const out = {} as Counts;
  for (const table of TABLES) out[table] = Number((await t.db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);
  // A counter rolled back must not have moved either.
  out.counter_values = Number((await t.db('counters').sum<{ s: number }[]>({ s: 'last_value' }))[0]!.s ?? 0);
  return out;
}

async function upload(files: { contracts?: string | Buffer; receipts?: string | Buffer }, fields: Record<string, string> = {}) {
  const page = await gerente.get('/contracts/import/new');
  expect(page.status).toBe(200);
  const req = gerente.post('/contracts/import').field('_csrf', csrfFrom(page.text));
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  if (files.contracts !== undefined) req.attach('contracts', Buffer.from(files.contracts), 'contratos.csv');
  if (files.receipts !== undefined) req.attach('receipts', Buffer.from(files.receipts), 'recibos.csv');
  return req;
}

/** The problems a page lists, as "file line column: message". */
function problemsOf(html: string, table = 'import-errors'): string[] {
  const body = new RegExp(`<table class="${table} stack">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><\/tr>/g)]
    .map((m) => `${textOf(m[1]!)} ${textOf(m[2]!)} ${textOf(m[3]!)}: ${textOf(m[4]!)}`.replace(/ +:/, ':'));
}

const BOM = '\uFEFF';
let imported: { location: string; ms: number };

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await goLivePark(t.db, { lots: 60, existingFirms: 15 });
  history = generateHistory({ count: 50, receiptsEach: 60, existingFirms: 15, seed: 14, lotArea: goLiveLot });
  gerente = await login(t.app, 'gerente');
}, 60_000);
afterAll(async () => { await t.close(); }, 120_000);

describe('a dry run, then the import of 50 contracts and 3,000 receipts', () => {
  it('generated what the test is about: 50 contracts, 3,000 receipts, new firms among them', () => {
    expect(history.contractCount).toBe(50);
    expect(history.receiptCount).toBe(3000);
    expect(history.newFirms).toBe(26);
  });

  it('the dry run shows every paper balance equal to the app\'s, and writes nothing', async () => {
    const before = await counts();
    const res = await upload({ contracts: BOM + history.contracts, receipts: BOM + history.receipts }, { dry_run: '1', cutoff_date: CUTOFF });
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain('Revisión de la importación (nada guardado)');
    expect(text).toContain('Los archivos se pueden importar tal como están.');
    expect(text).toContain('Se registrarían 50 contratos, 3000 recibos, 26 empresas nuevas');
    expect(text).toContain('Los 50 saldos en papel coinciden con los del sistema');
    expect(res.text).not.toContain('class="differs"');
    // A firm already registered under another name would be a warning; here every name matches.
    expect(problemsOf(res.text)).toEqual([]);
    expect(await counts()).toEqual(before);
  }, 300_000); // PostgreSQL (npm run test:pg): about 90 s on a shared 2-core machine

  it('imports all of it in one request (303 to the import\'s page), in seconds', async () => {
    const before = await counts();
    const started = performance.now();
    const res = await upload({ contracts: BOM + history.contracts, receipts: BOM + history.receipts }, { cutoff_date: CUTOFF });
    const ms = Math.round(performance.now() - started);
    expect(res.status, textOf(res.text).slice(0, 2000)).toBe(303);
    expect(res.headers.location).toMatch(/^\/contracts\/imports\/\d+$/);
    imported = { location: String(res.headers.location), ms };
    console.log(`go-live import of 50 contracts and 3,000 receipts: ${ms} ms (HTTP request)`);
    const after = await counts();
    expect(after.contracts - before.contracts).toBe(50);
    expect(after.receipts - before.receipts).toBe(3000);
    expect(after.firms - before.firms).toBe(26);
    expect(after.imports - before.imports).toBe(1);
    // Old receipts send no e-mail.
    expect(after.mail_outbox).toBe(before.mail_outbox);
  }, 300_000);

  it('records the import: who, the files by name and SHA-256, what it made, the balances beside the paper\'s', async () => {
    const row = await t.db('imports').first();
    expect(row).toMatchObject({
      imported_by_name: 'gerente', cutoff_date: CUTOFF, contracts_file_name: 'contratos.csv', receipts_file_name: 'recibos.csv',
      contract_count: 50, receipt_count: 3000, firm_count: 26,
    });
    const { createHash } = await import('node:crypto');
    expect(row.contracts_sha256).toBe(createHash('sha256').update(BOM + history.contracts).digest('hex'));
    expect(row.receipts_sha256).toBe(createHash('sha256').update(BOM + history.receipts).digest('hex'));
    const summary = JSON.parse(row.summary) as { paper_number: string; balance_cents: number; paper_balance_cents: number; difference_cents: number }[];
    expect(summary).toHaveLength(50);
    for (const c of summary) {
      expect(c.balance_cents, c.paper_number).toBe(history.balances.get(c.paper_number));
      expect(c.difference_cents).toBe(0);
    }
    const page = await gerente.get(imported.location);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain(`Importación N° ${row.id}`);
    expect(text).toContain('Se registraron 50 contratos, 3000 recibos, 26 empresas nuevas');
    expect(text).toContain('Los 50 saldos en papel coinciden con los del sistema');
    expect(text).toContain(`SHA-256 ${row.contracts_sha256}`);
    // The audit log names it and links to its page.
    const admin = await login(t.app, 'admin');
    const log = await admin.get('/audit');
    expect(textOf(log.text)).toContain('Importación de contratos en papel');
    expect(log.text).toContain(`href="/contracts/imports/${row.id}"`);
  });

  it('each contract is the app\'s own: numbered, its paper number kept and shown, "imported" in its history and the audit log', async () => {
    // The import's id (on PostgreSQL the dry run, rolled back, still used a number of its sequence).
    const importId = Number((await t.db('imports').first('id')).id);
    const c = await t.db('contracts').where({ paper_number: 'CP-0007' }).first();
    expect(c).toMatchObject({ import_id: importId });
    expect(c.number).toMatch(/^CV-20(19|20|21)-\d{4}$/);
    // Negotiated (every 7th): the paper is the written reason.
    expect(c.price_reason).toBe('Acuerdo de Concejo');
    const events = await t.db('contract_events').where({ contract_id: c.id }).orderBy('id').pluck('kind');
    expect(events.slice(0, 4)).toEqual(['created', 'price_negotiated', 'imported', 'activated']);
    expect(await t.db('contract_events').where({ kind: 'imported' }).count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 50 }]);
    expect(await t.db('audit_log').where({ action: 'contract.import' }).count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 50 }]);
    expect(await t.db('audit_log').where({ action: 'import.create' }).count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 1 }]);
    const page = textOf((await gerente.get(`/contracts/${c.id}`)).text);
    expect(page).toContain('Importado del contrato en papel N° CP-0007.');
    expect(page).toContain(`Importado de papel Contrato en papel N° CP-0007 · importación N° ${importId}`);
    // A French-plan contract (every 6th) kept the terms of its paper, not the park's.
    const french = await t.db('contracts').where({ paper_number: 'CP-0006' }).first();
    expect(french).toMatchObject({ down_payment_ppm: 200_000, installment_count: 72, annual_rate_ppm: 60_000 });
  });

  it('each receipt is numbered by the app, keeps its paper number and says it was imported', async () => {
    const r = await t.db('receipts').where({ paper_number: 'RP-000001' }).first();
    expect(r).toMatchObject({ import_id: Number((await t.db('imports').first('id')).id), status: 'valid', date: history.firstReceiptDate });
    expect(r.number).toMatch(/^R001-\d{8}$/);
    const text = textOf((await gerente.get(`/receipts/${r.number}`)).text);
    expect(text).toContain('Origen Importado (recibo en papel N° RP-000001)');
    // Numbered in date order across the park, as they would have been at the counter.
    const dates = await t.db('receipts').orderBy('correlative').pluck('date');
    expect([...dates].sort()).toEqual(dates);
    expect(await t.db('audit_log').where({ action: 'receipt.create' }).count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 3000 }]);
  });

  it('the imported books balance and the reconciliation is clean', async () => {
    const sums = (await t.db('journal_lines').sum({ d: 'debit_cents', c: 'credit_cents' }))[0]!;
    expect(Number(sums.d)).toBe(Number(sums.c));
    expect(Number(sums.d)).toBeGreaterThan(0);
    const rec = await reconciliation(t.db, '2019-01-01', TODAY);
    expect(rec.checks.filter((c) => c.difference_cents !== 0 || c.items.length > 0)).toEqual([]);
    expect(rec.ok).toBe(true);
    // Every sol collected went to the fund (municipal lots): the fund's account is what the receipts add up to.
    const fund = (await t.db('journal_lines').where({ account_code: '3101' }).sum({ d: 'debit_cents', c: 'credit_cents' }))[0]!;
    const paid = (await t.db('receipts').sum({ s: 'amount_cents' }))[0]!;
    expect(Number(fund.c) - Number(fund.d)).toBe(Number(paid.s));
  });

  it.skipIf(!HAS_HLEDGER)('the ledger exported for hledger passes `hledger check`', async () => {
    const finance = await login(t.app, 'finanzas');
    const res = await finance.get('/finance/ledger.journal');
    expect(res.status).toBe(200);
    const file = path.join(t.dir, 'golive.journal');
    fs.writeFileSync(file, res.text);
    execFileSync('hledger', ['-f', file, 'check', 'accounts', 'commodities', 'ordereddates'], { encoding: 'utf8' });
  }, 60_000);

  it('the same files again are refused: every paper number already imported, nothing written', async () => {
    const before = await counts();
    const res = await upload({ contracts: history.contracts, receipts: history.receipts });
    expect(res.status).toBe(400);
    const problems = problemsOf(res.text);
    const c = await t.db('contracts').where({ paper_number: 'CP-0001' }).first('number');
    expect(problems).toContain(`contratos 2 paper_number: El contrato en papel N° CP-0001 ya se importó: es el contrato ${c.number}.`);
    const r = await t.db('receipts').where({ paper_number: 'RP-000001' }).first('number');
    expect(problems).toContain(`recibos 2 paper_number: El recibo en papel N° RP-000001 ya se importó: es el recibo ${r.number}.`);
    expect(problems.filter((p) => p.includes('ya se importó'))).toHaveLength(3050);
    // And every lot is sold now.
    expect(problems).toContain(`contratos 2 lot_code: El lote G-01 ya está vendido en el sistema (contrato ${c.number}).`);
    expect(problems).toHaveLength(3100);
    expect(await counts()).toEqual(before);
  }, 60_000);
});

describe('bad files: refused with each line named, nothing written', () => {
  const member = rucOf(801);
  const otherName = rucOf(802);
  beforeAll(async () => {
    for (let i = 1; i <= 9; i++) await insertLot(t.db, { code: `B-${String(i).padStart(2, '0')}`, area_dm2: 100_000, price_per_m2_cents: 10_000 });
    await insertLot(t.db, { code: 'M-01', area_dm2: 100_000, price_per_m2_cents: 10_000, owner: 'ministry' });
    await insertFirm(t.db, member, 'Socia Buena S.A.C.', { number: 'AC-801' });
    await insertFirm(t.db, otherName, 'Nombre Registrado S.A.C.', { number: 'AC-802' });
  });

  // Lots B-xx: 1,000 m² at S/ 100 = S/ 100,000.00; down payment 15,000.00; 60 × 1,416.67.
  const contract = (paper: string, lot: string, ruc = member, date = '2024-01-15', name = 'Socia Buena S.A.C.') =>
    `${paper},${lot},${ruc},${name},${date},,,,,,,,,,,`;
  const receipt = (paper: string, contractPaper: string, date: string, amount: string, method = 'cash', ref = '') =>
    `${contractPaper},${paper},${date},${amount},${method},${ref}`;
  const files = (contracts: string[], receipts: string[]) => ({
    contracts: [CONTRACT_HEADER, ...contracts].join('\n'), receipts: [RECEIPT_HEADER, ...receipts].join('\n'),
  });
  const good = files([contract('OK-1', 'B-01')], [receipt('OK-R1', 'OK-1', '2024-01-15', '15000.00')]);

  it('a good small file would go through (the cases below differ from it by their bad line only)', async () => {
    const res = await upload(good, { dry_run: '1' });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain('Los archivos se pueden importar tal como están.');
  });

  const cases: [string, { contracts: string | Buffer; receipts: string | Buffer }, string[]][] = [
    ['a wrong RUC', files([contract('OK-1', 'B-01'), contract('X-2', 'B-02', '20512333798')], []),
      ['contratos 3 firm_ruc: El dígito verificador del RUC no corresponde: revise el número.']],
    ['an unknown lot', files([contract('X-1', 'Z-99')], []), ['contratos 2 lot_code: El lote Z-99 no existe en el parque.']],
    ['a ministry lot', files([contract('X-1', 'M-01')], []),
      ['contratos 2 lot_code: El lote M-01 pertenece al Ministerio de Vivienda: debe transferirse primero a la Municipalidad para poder venderlo.']],
    ['a lot already sold in the app', files([contract('X-1', 'G-03')], []), ['contratos 2 lot_code: El lote G-03 ya está vendido en el sistema (contrato {G-03}).']],
    ['two contracts in the file for one lot', files([contract('X-1', 'B-02'), contract('X-2', 'b-2', member, '2025-03-01')], []), [
      'contratos 2 lot_code: El lote B-02 está también en la línea 3: un lote no puede tener dos contratos vigentes a la vez.',
      'contratos 3 lot_code: El lote B-02 está también en la línea 2: un lote no puede tener dos contratos vigentes a la vez.']],
    ['a paper contract number twice', files([contract('X-1', 'B-02'), contract('X-1', 'B-03')], []),
      ['contratos 3 paper_number: El número en papel X-1 se repite (ya está en la línea 2).']],
    ['a paper receipt number twice', files([contract('X-1', 'B-02')], [receipt('R-1', 'X-1', '2024-01-15', '15000.00'), receipt('R-1', 'X-1', '2024-02-15', '1416.67')]),
      ['recibos 3 paper_number: El número en papel R-1 se repite (ya está en la línea 2).']],
    ['a receipt of an unknown paper contract', files([contract('X-1', 'B-02')], [receipt('R-1', 'X-9', '2024-01-15', '15000.00')]),
      ['recibos 2 paper_contract_number: No hay contrato en papel N° X-9 en el archivo de contratos.']],
    ['a receipt dated before its contract', files([contract('X-1', 'B-02')], [receipt('R-1', 'X-1', '2024-01-14', '15000.00')]),
      ['recibos 2 date: La fecha no puede ser anterior a la del contrato (15/01/2024).']],
    ['an overpayment', files([contract('X-1', 'B-02')], [receipt('R-1', 'X-1', '2024-01-15', '15000.00'), receipt('R-2', 'X-1', '2024-02-01', '85000.01')]),
      ['recibos 3 amount: El pago excede el saldo total adeudado al 01/02/2024 (máximo S/ 85,000.00).']],
    ['a bad date and a bad amount', files([contract('X-1', 'B-02', member, '2024-02-30')], [receipt('R-1', 'OK-1', '15/01/2024', '"15.000,00"')]), [
      'contratos 2 date: Fecha no válida: «2024-02-30» (AAAA-MM-DD o dd/mm/aaaa).',
      'recibos 2 amount: Monto ambiguo: use punto para los decimales (hasta dos) y, si quiere, coma para los miles (ej. 18,049.50 o 18049.50).']],
    ['a date in the future', files([contract('X-1', 'B-02', member, '2026-11-26')], []), ['contratos 2 date: La fecha no puede ser posterior a hoy.']],
    ['a line that is not UTF-8', {
      contracts: Buffer.concat([Buffer.from(`${CONTRACT_HEADER}\n${contract('X-1', 'B-02')}\n`), Buffer.from('X-2,B-03,'), Buffer.from([0x43, 0x61, 0xf1, 0x61]), Buffer.from(`,x\n`)]),
      receipts: RECEIPT_HEADER,
    }, ['contratos 3: Esta línea no está en UTF-8 (tildes o eñes dañadas): guarde el archivo como «CSV UTF-8».']],
    ['formula cells', files([contract('X-1', 'B-02', member, '2024-01-15', '=HYPERLINK(A1)')],
      [receipt('R-1', 'X-1', '2024-01-15', '15000.00', 'deposit', '@SUM(A1)'), receipt('R-2', 'X-1', '2024-02-15', '+1416.67+1')]), [
      'contratos 2 firm_name: La celda «=HYPERLINK(A1)» empieza como una fórmula de hoja de cálculo (= + - @): no se acepta. Escriba el texto sin ese signo.',
      'recibos 2 reference: La celda «@SUM(A1)» empieza como una fórmula de hoja de cálculo (= + - @): no se acepta. Escriba el texto sin ese signo.',
      'recibos 3 amount: La celda «+1416.67+1» empieza como una fórmula de hoja de cálculo (= + - @): no se acepta. Escriba el texto sin ese signo.']],
  ];

  for (const [what, input, expected] of cases) {
    it(`${what}: 400, the line named, nothing written`, async () => {
      const before = await counts();
      const res = await upload(input);
      expect(res.status).toBe(400);
      const sold = await t.db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').where('l.code', 'G-03').first('c.number');
      expect(problemsOf(res.text)).toEqual(expected.map((e) => e.replace('{G-03}', sold?.number)));
      expect(textOf(res.text)).toContain(`No se importó nada: hay ${expected.length} problemas.`);
      expect(await counts()).toEqual(before);
      // The dry run of the same files lists the same lines, also writing nothing.
      const dry = await upload(input, { dry_run: '1' });
      expect(dry.status).toBe(200);
      expect(problemsOf(dry.text)).toEqual(expected.map((e) => e.replace('{G-03}', sold?.number)));
      expect(await counts()).toEqual(before);
    });
  }

  it('collects every problem of both files at once, from the reading, the park and the replay', async () => {
    const before = await counts();
    const res = await upload(files([
      contract('A-1', 'B-04'), // good
      contract('A-2', 'B-05', '2051233379'), // RUC too short
      contract('A-3', 'Z-1'), // unknown lot
      contract('A-4', 'B-06', otherName, '2024-01-15', 'Otro Nombre'), // a warning only
    ], [
      receipt('R-1', 'A-1', '2024-01-15', '15000.00'),
      receipt('R-2', 'A-1', '2024-02-15', '0'), // amount 0
      receipt('R-3', 'A-1', '2024-03-15', '99999.00'), // more than owed (the replay refuses)
      receipt('R-4', 'A-2', '2024-01-15', '15000.00'), // its contract is refused: not checked
      receipt('R-5', 'A-4', '2024-01-15', '15000.00', 'transfer'), // no reference
      receipt('R-6', 'A-4', '2024-01-15', '15000.00', 'cheque', 'CH-1'), // unknown method
    ]));
    expect(res.status).toBe(400);
    expect(problemsOf(res.text)).toEqual([
      'contratos 3 firm_ruc: El RUC debe tener exactamente 11 dígitos.',
      'contratos 4 lot_code: El lote Z-1 no existe en el parque.',
      'recibos 3 amount: El monto debe ser mayor que cero.',
      'recibos 4 amount: El pago excede el saldo total adeudado al 15/03/2024 (máximo S/ 85,012.33).',
      'recibos 6 reference: Indique el número de operación del depósito o la transferencia.',
      'recibos 7 method: Forma de pago desconocida «cheque»: cash, deposit o transfer (efectivo, depósito, transferencia).',
    ]);
    expect(problemsOf(res.text, 'import-warnings')).toEqual([
      `contratos 5 firm_name: La empresa ${otherName} ya está registrada como «Nombre Registrado S.A.C.»; se mantiene ese nombre (el archivo dice «Otro Nombre»).`,
    ]);
    expect(await counts()).toEqual(before);
  });

  it('reads semicolon-separated files with dd/mm/yyyy dates, and names a missing or unknown column', async () => {
    const semi = {
      contracts: `${CONTRACT_HEADER.replaceAll(',', ';')}\n${contract('S-1', 'B-07', member, '15/01/2024').replaceAll(',', ';')}\n`,
      receipts: `${RECEIPT_HEADER.replaceAll(',', ';')}\nS-1;SR-1;15/01/2024;15000,00;efectivo;\n`,
    };
    const res = await upload(semi, { dry_run: '1' });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain('Se registrarían 1 contratos, 1 recibos, 0 empresas nuevas');
    const bad = await upload({ contracts: 'paper_number,lot,firm_ruc,firm_name,date\nX,B-07,1,2,2024-01-01\n', receipts: RECEIPT_HEADER });
    expect(bad.status).toBe(400);
    expect(problemsOf(bad.text)).toEqual([
      `contratos 1 lot: Columna desconocida «lot». Columnas posibles: ${CONTRACT_HEADER}.`,
      `contratos 1: Faltan columnas: lot_code. Columnas posibles: ${CONTRACT_HEADER}.`,
    ]);
  });

  it('asks for the contracts file; a finance user may not import (403)', async () => {
    const res = await upload({});
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('Elija el archivo CSV de contratos.');
    const finance = await login(t.app, 'finanzas');
    expect((await finance.get('/contracts/import/new')).status).toBe(403);
  });
});
