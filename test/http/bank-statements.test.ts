// Issue 13, bank statements in: the bank account's column mapping, the upload (all or nothing, every
// bad line listed), fingerprints across overlapping statements, the statement's page, access.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, csrfFrom, PASSWORD, type Agent, type TestApp } from '../support/app.ts';
import { countRows, fieldError } from './lots-helpers.ts';
import { createUser } from '../../src/auth/service.ts';
import { formatSoles } from '../../src/domain/money.ts';

let t: TestApp;
let finanzas: Agent;
const S = (cents: number) => formatSoles(cents).replace(/\s/g, ' ');

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  finanzas = await login(t.app, 'finanzas');
});
afterAll(async () => { await t.close(); });

/** Uploads a statement as the form does (multipart, token from the page). */
async function upload(agent: Agent, content: string | Buffer, fields: Record<string, string> = {}, filename = 'extracto.csv') {
  const page = await agent.get('/finance/bank-statements');
  let req = agent.post('/finance/bank-statements').field('_csrf', csrfFrom(page.text));
  for (const [k, v] of Object.entries({ account: '1', ...fields })) req = req.field(k, v);
  return req.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), { filename, contentType: 'text/csv' });
}

/** The bad lines listed on a refused upload, as a person reads them. */
function listed(html: string): string[] {
  const list = /<ul class="import-errors">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1]!));
}

const counts = async () => ({
  statements: await countRows(t.db, 'bank_statements'), lines: await countRows(t.db, 'bank_statement_lines'),
  file_lines: await countRows(t.db, 'bank_statement_file_lines'), audit: await countRows(t.db, 'audit_log', { action: 'bank.statement_imported' }),
});

const BN_MAPPING = {
  name: 'Cuenta corriente del parque', bank_name: 'Banco de la Nación', account_number: '00-068-123456',
  col_date: 'Fecha', col_description: 'Descripcion', col_reference: 'Nro. Operación', amount_mode: 'debit_credit',
  col_debit: 'Cargo', col_credit: 'Abono', col_amount: '', col_balance: 'SALDO', date_format: 'DD/MM/YYYY', decimal: 'dot',
  delimiter: 'auto', skip_rows: '2',
};
const TITLE = 'BANCO DE LA NACION\r\nEstado de cuenta 00-068-123456\r\nFecha,Descripción,Nro. Operación,Cargo,Abono,Saldo\r\n';
const FIRST = `${TITLE}${[
  '02/11/2026,ABONO TRANSFERENCIA METALMECANICA ILO,OP-20261102-0001,,"1,416.67","11,416.67"',
  '03/11/2026,COMISION MANTENIMIENTO,,15.00,,"11,401.67"',
  '05/11/2026,DEPOSITO EN EFECTIVO,DEP-2026-10,,500.00,"11,901.67"',
  '05/11/2026,DEPOSITO EN EFECTIVO,DEP-2026-10,,500.00,"12,401.67"',
  '10/11/2026,"=HYPERLINK(""http://x"",""y"")",,0.00,2.50,"12,404.17"',
].join('\r\n')}\r\n`;
const SECOND = `${TITLE}${[
  '05/11/2026,DEPOSITO EN EFECTIVO,DEP-2026-10,,500.00,"11,901.67"',
  '05/11/2026,Deposito  en efectivo ,dep-2026-10,,500.00,"12,401.67"',
  '10/11/2026,"=HYPERLINK(""http://x"",""y"")",,,2.50,"12,404.17"',
  '12/11/2026,CHEQUE 000123,CH-123,"1,000.00",,"11,404.17"',
].join('\r\n')}\r\n`;

describe('bank accounts and their mapping', () => {
  it('lists the park account and saves its mapping (JSON) with the messages next to the fields', async () => {
    const list = await finanzas.get('/finance/bank-accounts');
    expect(list.status).toBe(200);
    expect(textOf(list.text)).toContain('Cuenta del parque industrial Banco de la Nación POR-DEFINIR 1102 por defecto');

    const bad = await submit(finanzas, '/finance/bank-accounts/1', '/finance/bank-accounts/1', { ...BN_MAPPING, col_date: '', col_credit: '', skip_rows: '99' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'col_date')).toBe('Este campo es obligatorio.');
    expect(fieldError(bad.text, 'col_credit')).toBe('Indique la columna de abonos.');
    expect(fieldError(bad.text, 'skip_rows')).toBe('Escriba un número entre 0 y 50.');

    const ok = await submit(finanzas, '/finance/bank-accounts/1', '/finance/bank-accounts/1', BN_MAPPING);
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/finance/bank-accounts');
    const row = await t.db('bank_accounts').where({ id: 1 }).first();
    expect([row.name, row.bank_name, row.account_number, row.ledger_account_code]).toEqual(['Cuenta corriente del parque', 'Banco de la Nación', '00-068-123456', '1102']);
    expect(JSON.parse(row.mapping)).toEqual({
      date: 'Fecha', description: 'Descripcion', reference: 'Nro. Operación', debit: 'Cargo', credit: 'Abono', amount: null,
      balance: 'SALDO', date_format: 'DD/MM/YYYY', decimal: 'dot', delimiter: 'auto', skip_rows: 2,
    });
    expect(await countRows(t.db, 'audit_log', { action: 'bank.account_updated' })).toBe(1);
    const form = await finanzas.get('/finance/bank-accounts/1');
    expect(form.text).toContain('name="col_balance" type="text" value="SALDO"');
  });
});

describe('importing a statement (POST /finance/bank-statements)', () => {
  it('imports every line with its céntimos, the balances from the file, and shows the statement', async () => {
    const res = await upload(finanzas, FIRST, { account: '1102' }, 'noviembre-1.csv'); // scripts post the ledger code
    expect(res.status).toBe(303);
    const id = Number(/^\/finance\/bank-statements\/(\d+)$/.exec(String(res.headers.location))![1]);
    const s = await t.db('bank_statements').where({ id }).first();
    expect([s.bank_account_id, s.period_from, s.period_to, Number(s.opening_balance_cents), Number(s.closing_balance_cents), s.file_name,
      s.line_count, s.new_line_count, s.duplicate_line_count, s.imported_by_name]).toEqual(
      [1, '2026-11-02', '2026-11-10', 1_000_000, 1_240_417, 'noviembre-1.csv', 5, 5, 0, 'finanzas']);
    expect(s.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    const lines = await t.db('bank_statement_lines').where({ statement_id: id }).orderBy('line_number');
    expect(lines.map((l) => [l.line_number, l.date, l.description, l.reference, Number(l.amount_cents), Number(l.balance_cents), l.status])).toEqual([
      [1, '2026-11-02', 'ABONO TRANSFERENCIA METALMECANICA ILO', 'OP-20261102-0001', 141667, 1141667, 'unmatched'],
      [2, '2026-11-03', 'COMISION MANTENIMIENTO', null, -1500, 1140167, 'unmatched'],
      [3, '2026-11-05', 'DEPOSITO EN EFECTIVO', 'DEP-2026-10', 50000, 1190167, 'unmatched'],
      [4, '2026-11-05', 'DEPOSITO EN EFECTIVO', 'DEP-2026-10', 50000, 1240167, 'unmatched'], // identical, kept (k = 2)
      [5, '2026-11-10', '=HYPERLINK("http://x","y")', null, 250, 1240417, 'unmatched'],
    ]);
    expect(new Set(lines.map((l) => l.fingerprint)).size).toBe(5);
    expect(await counts()).toEqual({ statements: 1, lines: 5, file_lines: 5, audit: 1 });
    const audit = await t.db('audit_log').where({ action: 'bank.statement_imported' }).first();
    expect(JSON.parse(audit.details)).toMatchObject({ bank_account_id: 1, line_count: 5, new_line_count: 5, duplicate_line_count: 0, encoding: 'utf-8' });

    const page = await finanzas.get(`/finance/bank-statements/${id}`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain(`Extracto bancario #${id}`);
    expect(text).toContain('Periodo 02/11/2026 – 10/11/2026');
    expect(text).toContain(`Saldo inicial ${S(1_000_000)}`);
    expect(text).toContain(`Saldo final ${S(1_240_417)}`);
    expect(text).toContain(`noviembre-1.csv SHA-256 ${s.file_sha256.slice(0, 12)}`);
    expect(text).toContain('5 líneas: 5 nuevas, 0 ya importadas en un extracto anterior');
    expect(text).toContain(`1 02/11/2026 ABONO TRANSFERENCIA METALMECANICA ILO OP-20261102-0001 ${S(141667)} ${S(1141667)} sin conciliar`);
    expect(text).toContain(`2 03/11/2026 COMISION MANTENIMIENTO ${S(1500)} ${S(1140167)} sin conciliar`);
    expect(text).toContain(`Totales ${S(1500)} ${S(241917)}`);
    expect(page.text).toContain("&#x3D;HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"); // shown as text, escaped
    // Listed with its period and counts, linked from the finance menu.
    const list = await finanzas.get('/finance/bank-statements');
    expect(textOf(list.text)).toContain(`${id} Cuenta corriente del parque 00-068-123456 02/11/2026 – 10/11/2026 ${S(1_000_000)} ${S(1_240_417)} 5 (5 nuevas, 0 ya importadas) finanzas`);
    expect(list.text).toContain('<a href="/finance/bank-statements" aria-current="page">Extractos bancarios</a>');
  });

  it('skips the lines an overlapping statement already brought, and keeps the new ones; the page shows the whole file', async () => {
    const res = await upload(finanzas, SECOND, { account: '00-068-123456' }, 'noviembre-2.csv');
    expect(res.status).toBe(303);
    const id = Number(/(\d+)$/.exec(String(res.headers.location))![1]);
    const s = await t.db('bank_statements').where({ id }).first();
    expect([s.period_from, s.period_to, Number(s.opening_balance_cents), Number(s.closing_balance_cents), s.line_count, s.new_line_count, s.duplicate_line_count])
      .toEqual(['2026-11-05', '2026-11-12', 1_140_167, 1_140_417, 4, 1, 3]);
    const fresh = await t.db('bank_statement_lines').where({ statement_id: id });
    expect(fresh.map((l) => [l.line_number, l.date, l.reference, Number(l.amount_cents), Number(l.balance_cents)])).toEqual([[4, '2026-11-12', 'CH-123', -100000, 1140417]]);
    expect(await counts()).toEqual({ statements: 2, lines: 6, file_lines: 9, audit: 2 });
    const text = textOf((await finanzas.get(`/finance/bank-statements/${id}`)).text);
    expect(text).toContain('4 líneas: 1 nuevas, 3 ya importadas en un extracto anterior');
    expect(text).toContain(`2 05/11/2026 DEPOSITO EN EFECTIVO (ya importada en el extracto #${id - 1}) DEP-2026-10 ${S(50000)} ${S(1240167)} sin conciliar`);
    expect(text).toContain(`4 12/11/2026 CHEQUE 000123 CH-123 ${S(100000)} ${S(1140417)} sin conciliar`);
    expect(text).toContain(`Totales ${S(100000)} ${S(100250)}`);
  });

  it('refuses the same file again (409) with a link to the statement already imported, nothing written', async () => {
    const before = await counts();
    const res = await upload(finanzas, FIRST);
    expect(res.status).toBe(409);
    const first = await t.db('bank_statements').orderBy('id').first();
    expect(fieldError(res.text, 'file')).toBe(`Este extracto ya fue importado (extracto #${first.id}).`);
    expect(res.text).toContain(`<a href="/finance/bank-statements/${first.id}">`);
    expect(await counts()).toEqual(before);
    // The same lines in another file (line ends changed): a statement of its own, every line already there.
    const again = await upload(finanzas, FIRST.replaceAll('\r\n', '\n'), {}, 'noviembre-1-otra-vez.csv');
    expect(again.status).toBe(303);
    const s = await t.db('bank_statements').orderBy('id', 'desc').first();
    expect([s.line_count, s.new_line_count, s.duplicate_line_count, Number(s.opening_balance_cents), Number(s.closing_balance_cents)]).toEqual([5, 0, 5, 1_000_000, 1_240_417]);
    expect(await counts()).toEqual({ ...before, statements: before.statements + 1, file_lines: before.file_lines + 5, audit: before.audit + 1 });
  });

  it('refuses a file with any bad line, listing every one by line and column; nothing written', async () => {
    const before = await counts();
    const csv = `${TITLE}${[
      '13/11/2026,BIEN,,,10.00,"11,414.17"', // 4
      '31/11/2026,FECHA IMPOSIBLE,,,1.00,', // 5
      '14/11/2026,IMPORTE RARO,,1.234,,', // 6
      '15/11/2026,LOS DOS,,5.00,5.00,', // 7
      '16/11/2026,NINGUNO,,,,', // 8
      '17/11/2026,SALDO QUE NO SIGUE,,,10.00,"99,999.00"', // 9
      '2026-11-18,OTRO FORMATO,,,1.00,', // 10
      '26/11/2026,FUTURO,,,1.00,', // 11
    ].join('\r\n')}\r\n`;
    const res = await upload(finanzas, csv);
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('No se importó nada. Corrija estas líneas y vuelva a subir el archivo:');
    expect(listed(res.text)).toEqual([
      'Línea 5: Fecha: fecha no válida «31/11/2026» (formato DD/MM/YYYY).',
      'Línea 6: Cargo: importe no válido «1.234» (formato 1,234.56).',
      'Línea 7: tiene importe en «Cargo» y en «Abono» a la vez.',
      'Línea 8: no tiene importe ni en «Cargo» ni en «Abono».',
      'Línea 10: Fecha: fecha no válida «2026-11-18» (formato DD/MM/YYYY).',
      'Línea 11: Fecha: fecha futura «26/11/2026».',
    ]);
    expect(await counts()).toEqual(before);
    // The running balance is checked once every line reads.
    const chain = await upload(finanzas, `${TITLE}13/11/2026,A,,,10.00,"11,414.17"\r\n14/11/2026,B,,,10.00,"11,434.17"\r\n`);
    expect(chain.status).toBe(400);
    expect(listed(chain.text)).toEqual([`Línea 5: Saldo: el saldo ${S(1143417)} no sigue del anterior: ${S(1141417)} + ${S(1000)} = ${S(1142417)}.`]);
    // Lines outside the period given, an empty file, a header alone, a column the file lacks.
    const period = await upload(finanzas, `${TITLE}13/11/2026,A,,,10.00,"11,414.17"\r\n20/11/2026,B,,,10.00,"11,424.17"\r\n`, { period_from: '2026-11-14', period_to: '2026-11-19' });
    expect(listed(period.text)).toEqual(['Línea 4: Fecha: la fecha «13/11/2026» está fuera del periodo indicado.', 'Línea 5: Fecha: la fecha «20/11/2026» está fuera del periodo indicado.']);
    expect(listed((await upload(finanzas, '')).text)).toEqual([]); // no file content at all: the field says so
    expect(fieldError((await upload(finanzas, '')).text, 'file')).toBe('Elija el archivo CSV del extracto.');
    expect(listed((await upload(finanzas, '\r\n\r\n\r\n')).text)).toEqual(['Archivo: El archivo está vacío.']);
    expect(listed((await upload(finanzas, TITLE)).text)).toEqual(['Línea 3: El archivo no tiene movimientos después del encabezado.']);
    expect(listed((await upload(finanzas, 'x\r\ny\r\nFecha;Detalle;Cargo;Abono;Saldo\r\n13/11/2026;A;;1.00;\r\n')).text)).toEqual([
      'Línea 3: No se encuentra la columna «Descripcion» (Descripción). Columnas del archivo: Fecha | Detalle | Cargo | Abono | Saldo.',
      'Línea 3: No se encuentra la columna «Nro. Operación» (Referencia / N.º de operación). Columnas del archivo: Fecha | Detalle | Cargo | Abono | Saldo.',
    ]);
    // Typed balances that disagree with the file's: next to the field.
    const typed = await upload(finanzas, `${TITLE}13/11/2026,A,,,10.00,"11,414.17"\r\n`, { opening_balance: '11,404.17', closing_balance: '11400' });
    expect(typed.status).toBe(400);
    expect(fieldError(typed.text, 'closing_balance')).toBe(`El saldo final escrito (${S(1140000)}) no coincide con el del archivo (${S(1141417)}).`);
    expect(fieldError(typed.text, 'opening_balance')).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('reads Windows-1252 files (what Excel saves in Peru)', async () => {
    const csv = Buffer.from(`${TITLE}13/11/2026,ABONO CAMPAÑA ÑANDÚ,,,10.00,"11,414.17"\r\n`, 'latin1');
    const res = await upload(finanzas, csv);
    expect(res.status).toBe(303);
    const line = await t.db('bank_statement_lines').orderBy('id', 'desc').first();
    expect([line.description, Number(line.amount_cents)]).toEqual(['ABONO CAMPAÑA ÑANDÚ', 1000]);
  });
});

describe('an account without balances, signed amounts, semicolons and decimal commas', () => {
  it('adds the account (number unique: 409), needs the opening balance, checks the closing one', async () => {
    const fields = {
      name: 'Cuenta de recaudación', bank_name: 'Banco de Crédito', account_number: '215-987654', col_date: '1', col_description: 'Concepto',
      col_reference: '', amount_mode: 'signed', col_debit: '', col_credit: '', col_amount: 'Importe', col_balance: '',
      date_format: 'D/M/YYYY', decimal: 'comma', delimiter: ';', skip_rows: '0',
    };
    const taken = await submit(finanzas, '/finance/bank-accounts/new', '/finance/bank-accounts', { ...fields, account_number: '00-068-123456' });
    expect(taken.status).toBe(409);
    expect(fieldError(taken.text, 'account_number')).toBe('Ese número de cuenta ya lo tiene la cuenta «Cuenta corriente del parque».');
    const noAmount = await submit(finanzas, '/finance/bank-accounts/new', '/finance/bank-accounts', { ...fields, col_amount: '' });
    expect(fieldError(noAmount.text, 'col_amount')).toBe('Indique la columna del importe con signo.');
    const ok = await submit(finanzas, '/finance/bank-accounts/new', '/finance/bank-accounts', fields);
    expect(ok.status).toBe(303);
    const account = await t.db('bank_accounts').where({ account_number: '215-987654' }).first();
    expect(JSON.parse(account.mapping)).toEqual({ date: 1, description: 'Concepto', reference: null, debit: null, credit: null, amount: 'Importe',
      balance: null, date_format: 'D/M/YYYY', decimal: 'comma', delimiter: ';', skip_rows: 0 });

    const csv = 'Fecha;Concepto;Importe\n3/11/2026;"Abono; transferencia";1.416,67\n4/11/2026;Comisión;-15,00\n';
    const before = await counts();
    const noOpening = await upload(finanzas, csv, { account: String(account.id) });
    expect(noOpening.status).toBe(400);
    expect(fieldError(noOpening.text, 'opening_balance')).toBe('El archivo no trae saldos: escriba el saldo inicial del extracto.');
    const badClosing = await upload(finanzas, csv, { account: String(account.id), opening_balance: '100.00', closing_balance: '1500' });
    expect(fieldError(badClosing.text, 'closing_balance')).toBe(`El saldo final ${S(150000)} no es el saldo inicial ${S(10000)} más los movimientos ${S(140167)} = ${S(150167)}.`);
    expect(await counts()).toEqual(before);
    const res = await upload(finanzas, csv, { account: String(account.id), opening_balance: '100.00', closing_balance: '1,501.67' });
    expect(res.status).toBe(303);
    const s = await t.db('bank_statements').orderBy('id', 'desc').first();
    expect([s.bank_account_id, Number(s.opening_balance_cents), Number(s.closing_balance_cents), s.period_from, s.period_to]).toEqual([account.id, 10000, 150167, '2026-11-03', '2026-11-04']);
    const lines = await t.db('bank_statement_lines').where({ statement_id: s.id }).orderBy('line_number');
    expect(lines.map((l) => [l.description, Number(l.amount_cents), l.balance_cents])).toEqual([['Abono; transferencia', 141667, null], ['Comisión', -1500, null]]);

    // Two bank accounts on ledger 1102 now: the code alone no longer says which.
    const ambiguous = await upload(finanzas, csv, { account: '1102', opening_balance: '100.00' });
    expect(ambiguous.status).toBe(400);
    expect(fieldError(ambiguous.text, 'account')).toBe('Hay varias cuentas bancarias en la cuenta contable 1102: elija una.');
  });
});

describe('access and CSRF', () => {
  it('refuses an unknown account (400), other roles (403), a missing token (403); nothing written', async () => {
    const before = await counts();
    const unknown = await upload(finanzas, FIRST, { account: '99-999' });
    expect(unknown.status).toBe(400);
    expect(fieldError(unknown.text, 'account')).toBe('No hay una cuenta bancaria «99-999» (id, número de cuenta o cuenta contable).');
    expect((await finanzas.get('/finance/bank-statements/9999')).status).toBe(404);
    expect((await finanzas.get('/finance/bank-accounts/9999')).status).toBe(404);

    const noToken = await finanzas.post('/finance/bank-statements').field('account', '1').attach('file', Buffer.from(SECOND), 'x.csv');
    expect(noToken.status).toBe(403);

    const gerente = await login(t.app, 'gerente');
    for (const url of ['/finance/bank-statements', '/finance/bank-statements/1', '/finance/bank-accounts', '/finance/bank-accounts/1']) {
      expect((await gerente.get(url)).status).toBe(403);
    }
    const page = await finanzas.get('/finance/bank-statements');
    const asManager = await gerente.post('/finance/bank-statements').field('_csrf', csrfFrom(page.text)).field('account', '1').attach('file', Buffer.from(SECOND), 'x.csv');
    expect(asManager.status).toBe(403);

    await t.db('firms').insert({ ruc: '20123456786', name: 'Firma Demo SAC', representative_name: 'Ana', representative_dni: '12345678', sector: 'metalmecanica',
      created_at: new Date().toISOString(), updated_at: new Date().toISOString() });
    await createUser(t.db, { username: 'comprador', role: 'buyer', password: PASSWORD, firm_ruc: '20123456786' });
    const buyer = await login(t.app, 'comprador');
    expect((await buyer.get('/finance/bank-statements')).status).toBe(403);
    expect((await buyer.get('/finance/bank-accounts/1')).status).toBe(403);
    const admin = await login(t.app, 'admin');
    expect((await admin.get('/finance/bank-statements')).status).toBe(200);
    expect(await counts()).toEqual(before);
  });
});

describe('the demo', () => {
  it('gives the park account a demo number and the mapping that reads docs/examples/extracto-banco-ejemplo.csv', async () => {
    const { tempDb } = await import('../support/app.ts');
    const { seedBank, DEMO_BANK_MAPPING } = await import('../../seeds/demo/bank.ts');
    const { db, dir } = await tempDb();
    try {
      await seedBank(db);
      const row = await db('bank_accounts').where({ id: 1 }).first();
      expect([row.name, row.account_number, row.ledger_account_code, JSON.parse(row.mapping)])
        .toEqual(['Cuenta corriente del parque (demo)', '04-068-000123', '1102', DEMO_BANK_MAPPING]);
    } finally {
      await db.destroy();
      (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
    }
  });
});
