import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, csrfFrom, type Agent, type TestApp } from '../support/app.ts';
import { countRows, uploadCsv, HEADER } from './lots-helpers.ts';

let t: TestApp;
let gerente: Agent;

beforeAll(async () => {
  t = await testApp();
  gerente = await login(t.app, 'gerente');
  const res = await submit(gerente, '/lots/new', '/lots', { code: 'C-07', area_m2: '1250.50', land_use: 'metalworking', owner: 'municipal', price_per_m2: '85.00' });
  expect(res.status).toBe(303);
});
afterAll(async () => { await t.close(); });

/** The problems listed on a refused import, as "line: message" (line 0 is the whole file). */
function listedProblems(html: string): string[] {
  const table = /<table class="import-errors">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr><td class="num">([\s\S]*?)<\/td><td>([\s\S]*?)<\/td><\/tr>/g)]
    .map((m) => `${textOf(m[1]!)}: ${textOf(m[2]!)}`);
}

describe('CSV import (POST /lots/import)', () => {
  it('imports every lot of a good file in one go, as available, and says how many', async () => {
    const csv = [
      HEADER,
      'A-01,A,1500.00,municipal,commerce,,95.00',
      'A-02,A,980.25,municipal,services,under_contract,102.50', // status is ignored: new lots are available
      '"M-10",M,3200,ministry,fishing,available,45',
      '',
    ].join('\r\n');
    const res = await uploadCsv(gerente, csv);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/lots?imported=3');
    expect(await t.db('lots').where({ code: 'A-02' }).first()).toMatchObject({ block: 'A', number: 2, area_dm2: 98025, land_use: 'services', owner: 'municipal', price_per_m2_cents: 10250, status: 'available' });
    expect(await t.db('lots').where({ code: 'M-10' }).first()).toMatchObject({ area_dm2: 320000, owner: 'ministry', price_per_m2_cents: 4500 });
    expect(await countRows(t.db, 'audit_log', { action: 'lot.import' })).toBe(3);
    const list = textOf((await gerente.get('/lots?imported=3')).text);
    expect(list).toContain('Se importaron 3 lotes.');
    expect(list).toContain('4 de 4 lotes');
  });

  it('takes a file saved with a BOM and without the status column, in any column order', async () => {
    const csv = '\uFEFFprice_per_m2,code,block,area_m2,owner,land_use\n60.00,B-01,B,800.00,municipal,carpentry\n';
    const res = await uploadCsv(gerente, csv);
    expect(res.status).toBe(303);
    expect(await t.db('lots').where({ code: 'B-01' }).first()).toMatchObject({ area_dm2: 80000, price_per_m2_cents: 6000, land_use: 'carpentry' });
  });

  it('refuses the whole file when any line is bad, listing every bad line with its reason (400)', async () => {
    const before = await countRows(t.db, 'lots');
    const csv = [
      HEADER,
      'D-01,D,1000.00,municipal,commerce,,80.00', // line 2: good
      'D1,D,1000.00,municipal,commerce,,80.00', // 3: bad code
      'D-02,E,1000.00,municipal,commerce,,80.00', // 4: block does not match
      'D-03,D,12.345,municipal,commerce,,80.00', // 5: bad area
      'D-04,D,1000.00,private,commerce,,80.00', // 6: bad owner
      'D-05,D,1000.00,municipal,mining,,80.00', // 7: unknown land use
      'D-06,D,1000.00,municipal,commerce,,0', // 8: bad price
      'D-7,D,1000.00,municipal,commerce,,80.00', // 9: good
      'D-07,D,1000.00,municipal,commerce,,80.00', // 10: repeats line 9
      'C-7,C,1000.00,municipal,commerce,,80.00', // 11: already in the park as C-07
      'D-08,D,1000.00,municipal', // 12: too few columns
    ].join('\n');
    const res = await uploadCsv(gerente, csv);
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('No se importó ningún lote. Corrija estas líneas y vuelva a subir el archivo:');
    expect(listedProblems(res.text)).toEqual([
      '3: Código de lote no válido: «D1» (ej. C-07).',
      '4: La manzana «E» no corresponde al código D-02.',
      '5: Área no válida: «12.345» (m² mayor que cero y hasta 800000 (el parque entero), con punto decimal y hasta dos decimales).',
      '6: Propietario no válido: «private» (municipal o ministry).',
      '7: Uso desconocido: «mining».',
      '8: Precio por m² no válido: «0» (soles mayores que cero y hasta 10000.00, con punto decimal).',
      '10: El lote D-07 se repite en el archivo (ya está en la línea 9).',
      '11: El lote C-07 ya existe en el parque.',
      '12: Se esperaban 7 columnas y hay 4.',
    ]);
    expect(await countRows(t.db, 'lots')).toBe(before);
    expect(await t.db('lots').where({ code: 'D-01' }).first()).toBeUndefined();
  });

  it('refuses a file that would push the park past 80 ha, from the line where it crosses', async () => {
    // The park holds 800,000 m²; so far 7,730.75 m² of lots and no common areas.
    const before = await countRows(t.db, 'lots');
    const csv = [HEADER, 'E-01,E,500000.00,ministry,warehousing,,40.00', 'E-02,E,292269.25,ministry,warehousing,,40.00', 'E-03,E,0.01,ministry,warehousing,,40.00', 'E-04,E,100.00,ministry,warehousing,,40.00'].join('\n');
    const res = await uploadCsv(gerente, csv);
    expect(res.status).toBe(400);
    expect(listedProblems(res.text)).toEqual([
      '4: A partir de esta línea los lotes y las áreas comunes superarían las 80 ha del parque; el archivo se excede en 100.01 m².',
    ]);
    expect(await countRows(t.db, 'lots')).toBe(before);
  });

  it('says what is wrong with the file as a whole: header, emptiness, quoting, encoding, no file', async () => {
    const before = await countRows(t.db, 'lots');
    const cases: [string | Buffer, string][] = [
      ['code,block,area,owner,land_use,price_per_m2\nZ-01,Z,10,municipal,commerce,1\n', '1: Faltan columnas: area_m2. El encabezado debe ser: code,block,area_m2,owner,land_use,status,price_per_m2.'],
      ['code;block;area_m2;owner;land_use;price_per_m2\nZ-01;Z;10;municipal;commerce;1\n', '1: El archivo usa punto y coma (;) como separador; guárdelo separado por comas.'],
      [`${HEADER}\n`, 'Archivo: El archivo no tiene lotes.'],
      [`${HEADER}\n"Z-01,Z,10.00,municipal,commerce,,1.00\n`, 'El archivo no es un CSV válido (revise las comillas).'],
    ];
    for (const [csv, message] of cases) {
      const res = await uploadCsv(gerente, csv);
      expect(res.status).toBe(400);
      expect(listedProblems(res.text).join(' | ')).toContain(message);
    }
    const latin1 = await uploadCsv(gerente, Buffer.from(`${HEADER}\nZ-01,Z,10.00,municipal,commerce,,1.00,carpinter\xeda\n`, 'latin1'));
    expect(latin1.status).toBe(400);
    expect(textOf(latin1.text)).toContain('El archivo no está en UTF-8.');

    const page = await gerente.get('/lots/import/new');
    const none = await gerente.post('/lots/import').field('_csrf', csrfFrom(page.text));
    expect(none.status).toBe(400);
    expect(textOf(none.text)).toContain('Elija un archivo CSV.');

    const big = await uploadCsv(gerente, `${HEADER}\n${'Z-01,Z,10.00,municipal,commerce,,1.00\n'.repeat(30_000)}`);
    expect(big.status).toBe(400);
    expect(textOf(big.text)).toContain('El archivo es demasiado grande (máximo 1 MB).');
    expect(await countRows(t.db, 'lots')).toBe(before);
  });

  it('refuses an upload without the CSRF token (403), and an upload by finance (403)', async () => {
    const before = await countRows(t.db, 'lots');
    const noToken = await gerente.post('/lots/import').attach('file', Buffer.from(`${HEADER}\nZ-01,Z,10.00,municipal,commerce,,1.00\n`), 'lotes.csv');
    expect(noToken.status).toBe(403);
    const finanzas = await login(t.app, 'finanzas');
    const page = await finanzas.get('/lots');
    const res = await finanzas.post('/lots/import').field('_csrf', csrfFrom(page.text))
      .attach('file', Buffer.from(`${HEADER}\nZ-01,Z,10.00,municipal,commerce,,1.00\n`), 'lotes.csv');
    expect(res.status).toBe(403);
    expect(await countRows(t.db, 'lots')).toBe(before);
  });
});

describe('CSV export (GET /lots.csv)', () => {
  it('has exactly the contract columns, areas and prices with a dot and two decimals', async () => {
    const res = await gerente.get('/lots.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="lotes.csv"');
    const lines = res.text.trimEnd().split('\n');
    expect(lines[0]).toBe('code,block,area_m2,owner,land_use,status,price_per_m2');
    expect(lines).toContain('C-07,C,1250.50,municipal,metalworking,available,85.00');
    expect(lines).toContain('A-02,A,980.25,municipal,services,available,102.50');
    expect(lines).toHaveLength(1 + 5);
  });

  it('respects the catalogue filters and sort', async () => {
    const res = await gerente.get('/lots.csv?owner=municipal&sort=area&dir=desc');
    expect(res.text.trimEnd().split('\n')).toEqual([
      'code,block,area_m2,owner,land_use,status,price_per_m2',
      'A-01,A,1500.00,municipal,commerce,available,95.00',
      'C-07,C,1250.50,municipal,metalworking,available,85.00',
      'A-02,A,980.25,municipal,services,available,102.50',
      'B-01,B,800.00,municipal,carpentry,available,60.00',
    ]);
  });

  it('reads back through the import as the same lots (round trip), refused only as already in the park', async () => {
    const exported = (await gerente.get('/lots.csv?block=A')).text;
    const res = await uploadCsv(gerente, exported);
    expect(res.status).toBe(400);
    expect(listedProblems(res.text)).toEqual(['2: El lote A-01 ya existe en el parque.', '3: El lote A-02 ya existe en el parque.']);
  });
});
