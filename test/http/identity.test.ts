// Papers that look official (issue 14): the municipality's identity settings (validated, nothing written on a
// refusal, the logo kept in the database and served with caching headers), users' full names and posts, and
// what the printed receipt, contract, statement, letter and constancia carry: the letterhead, the signing
// official, the date and time issued (frozen clock: 12:00 Lima), the person's full name (never the username),
// and the receipt's balance after the payment in exact céntimos, also after a later receipt's reversal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, csrfFrom, textOf, type Agent, type TestApp } from '../support/app.ts';
import { ACTOR, pay, reverse, sale, setRates } from '../service/sales-fixtures.ts';
import { sendLetterNow } from '../../src/collections/service.ts';

const TODAY = '2026-11-25';
const ISSUED = 'Emitido el 25/11/2026 12:00';
const RUC = '20000000001'; // check digit right (fictitious)
let t: TestApp;
let admin: Agent;
let manager: Agent;
let c1: { id: number; firm_ruc: string; lot_code: string };
let c2: { id: number; firm_ruc: string; lot_code: string };
let letterNumber: string;

// A tiny PNG (1×1) and a JPEG start: only the magic bytes matter to the check.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');

const IDENTITY = {
  identity_name: 'Municipalidad Provincial de Ilo',
  identity_ruc: RUC,
  identity_address: 'Jr. Prueba 123, Ilo',
  identity_office: 'Gerencia de Desarrollo Económico — Parque Industrial',
  signer_name: 'Rosa Elena Quispe Mamani',
  signer_dni: '10117410',
  signer_post: 'Gerente de Desarrollo Económico',
  signer_resolution: 'R.A. N.° 123-2026-A-MPI',
};

async function postIdentity(fields: Record<string, string>, logo?: { bytes: Buffer; name: string; type: string }) {
  const page = await admin.get('/settings/identity');
  let req = admin.post('/settings/identity').field('_csrf', csrfFrom(page.text));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (logo) req = req.attach('logo', logo.bytes, { filename: logo.name, contentType: logo.type });
  return req;
}

const identityRows = async () => t.db('settings').where('key', 'like', 'identity_%').orWhere('key', 'like', 'signer_%').orderBy('key');

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  // S/ 100,000.00: down 15,000.00, then 60 × 1,416.67 (0%), due the 10th of each month.
  c1 = await sale(t.db, { date: '2026-06-10', today: TODAY });
  await pay(t.db, c1.id, '2026-06-10', 1_500_000, TODAY); // R001-00000001 down payment
  await pay(t.db, c1.id, '2026-07-10', 141_667, TODAY); // R001-00000002 installment 1 on time
  await pay(t.db, c1.id, '2026-09-20', 100_000, TODAY); // R001-00000003 rows 2 and 3 overdue
  await pay(t.db, c1.id, '2026-10-10', 200_000, TODAY); // R001-00000004 (reversed below)
  c2 = await sale(t.db, { date: '2026-02-10', today: TODAY });
  await pay(t.db, c2.id, '2026-02-10', 1_500_000, TODAY); // R001-00000005
  await pay(t.db, c2.id, '2026-03-01', 8_500_000, TODAY); // R001-00000006: paid off → CDC-2026-0001
  admin = await login(t.app, 'admin');
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('GET/POST /settings/identity', () => {
  it('shows the default name and warns that users lack a full name', async () => {
    const res = await admin.get('/settings/identity');
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="Municipalidad Provincial de Ilo"');
    expect(textOf(res.text)).toContain('Estos usuarios no tienen nombre completo, y los documentos que registren mostrarán su nombre de usuario: admin, finanzas, gerente.');
    expect(textOf((await admin.get('/settings')).text)).toContain('no tienen nombre completo');
  });

  it('refuses a bad RUC and a DNI (400, each message next to its field), nothing written', async () => {
    const res = await postIdentity({ ...IDENTITY, identity_ruc: '20000000002', signer_dni: '101174109' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="e-identity_ruc">El dígito verificador del RUC no corresponde: revise el número.</);
    expect(res.text).toMatch(/id="e-signer_dni">El carácter de verificación del DNI no corresponde: revise el número.</);
    expect(res.text).toContain('value="20000000002"'); // what was typed stays in the form
    expect(await identityRows()).toEqual([]);
  });

  it('refuses a name left empty and half a signer', async () => {
    const res = await postIdentity({ ...IDENTITY, identity_name: ' ', signer_name: '', signer_post: '' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="e-identity_name">Este campo es obligatorio.</);
    expect(res.text).toMatch(/id="e-signer_name">Indique nombre, DNI y cargo del firmante/);
    expect(await identityRows()).toEqual([]);
  });

  it('refuses a logo that is not PNG or JPEG by its content (a GIF named .png), and one over 300 KB; nothing written', async () => {
    const gif = await postIdentity(IDENTITY, { bytes: GIF, name: 'logo.png', type: 'image/png' });
    expect(gif.status).toBe(400);
    expect(gif.text).toMatch(/id="e-logo">El archivo no es una imagen PNG ni JPEG.</);
    const big = await postIdentity(IDENTITY, { bytes: Buffer.concat([PNG, Buffer.alloc(300 * 1024)]), name: 'logo.png', type: 'image/png' });
    expect(big.status).toBe(400);
    expect(big.text).toMatch(/id="e-logo">El logo pesa más de 300 KB.</);
    expect(await identityRows()).toEqual([]);
    expect(await t.db('settings_files').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('saves the identity and the logo (303), audited; the logo is served with caching headers', async () => {
    const res = await postIdentity(IDENTITY, { bytes: PNG, name: 'escudo.PNG', type: 'application/octet-stream' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/settings/identity?saved=1');
    const rows = Object.fromEntries((await identityRows()).map((r) => [r.key, r.value]));
    const { identity_name: _same, ...written } = IDENTITY; // the default name: no row needed
    expect(rows).toEqual(written);
    const file = await t.db('settings_files').where({ key: 'identity_logo' }).first();
    expect(file.content_type).toBe('image/png');
    expect(Number(file.size_bytes)).toBe(PNG.length);
    expect(Buffer.from(file.data_base64, 'base64').equals(PNG)).toBe(true);
    const audit = await t.db('audit_log').where({ action: 'settings.identity' }).first();
    expect(JSON.parse(audit.details).identity_ruc).toEqual(['', RUC]);

    const page = await admin.get('/settings/identity');
    // Handlebars writes "=" in an attribute as &#x3D; (the browser reads it back).
    const url = /<img src="(\/identity\/logo\?v&#x3D;[0-9a-f]{16})"/.exec(page.text)?.[1]?.replace('&#x3D;', '=');
    expect(url).toBeTruthy();
    const logo = await manager.get(url!).buffer(true);
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Buffer.compare(logo.body as Buffer, PNG)).toBe(0);
    const again = await manager.get(url!).set('If-None-Match', String(logo.headers.etag));
    expect(again.status).toBe(304);
  });

  it('keeps the logo when none is sent', async () => {
    const before = await t.db('settings_files').first('sha256');
    const res = await postIdentity(IDENTITY);
    expect(res.status).toBe(303);
    expect(await t.db('settings_files').first('sha256')).toEqual(before);
  });
});

describe('full name and post', () => {
  it('the admin sets a user\'s full name and post (/users/<id>/edit); a user sets their own (/account)', async () => {
    const gerente = await t.db('users').where({ username: 'gerente' }).first('id');
    const page = await admin.get(`/users/${gerente.id}/edit`);
    expect(page.status).toBe(200);
    const res = await admin.post(`/users/${gerente.id}/profile`).type('form')
      .send({ _csrf: csrfFrom(page.text), full_name: 'Jorge Ramírez Soto', post: 'Cajero' });
    expect(res.status).toBe(303);
    const own = await manager.get('/account');
    expect(own.text).toContain('value="Jorge Ramírez Soto"');
    const long = await manager.post('/account/profile').type('form').send({ _csrf: csrfFrom(own.text), full_name: 'x'.repeat(121), post: '' });
    expect(long.status).toBe(400);
    expect(long.text).toContain('id="e-full_name"');
    const finance = await login(t.app, 'finanzas');
    const fpage = await finance.get('/account');
    expect((await finance.post('/account/profile').type('form').send({ _csrf: csrfFrom(fpage.text), full_name: 'Lucía Flores Díaz', post: 'Tesorera' })).status).toBe(303);
    expect(await t.db('users').whereIn('username', ['gerente', 'finanzas']).orderBy('username').select('username', 'full_name', 'post')).toEqual([
      { username: 'finanzas', full_name: 'Lucía Flores Díaz', post: 'Tesorera' },
      { username: 'gerente', full_name: 'Jorge Ramírez Soto', post: 'Cajero' },
    ]);
    expect(textOf((await admin.get('/settings/identity')).text)).toContain('nombre de usuario: admin.');
  });
});

describe('the printed papers', () => {
  const head = (text: string) => {
    expect(text).toContain('Municipalidad Provincial de Ilo Gerencia de Desarrollo Económico — Parque Industrial RUC 20000000001 · Jr. Prueba 123, Ilo');
    expect(text).toContain(ISSUED);
  };
  const signer = 'Rosa Elena Quispe Mamani DNI 10117410 Gerente de Desarrollo Económico Designado por R.A. N.° 123-2026-A-MPI Municipalidad Provincial de Ilo';

  it('the receipt: letterhead, issued, the person who recorded it by full name and post, the logo, the page margins', async () => {
    const res = await manager.get('/receipts/R001-00000002');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    head(text);
    expect(text).toContain('Registrado por Jorge Ramírez Soto el');
    expect(text).toContain('Jorge Ramírez Soto Cajero Municipalidad Provincial de Ilo');
    expect(text).not.toMatch(/Registrado por gerente/);
    expect(res.text).toMatch(/<img class="paper-logo" src="\/identity\/logo\?v&#x3D;[0-9a-f]{16}"/);
    expect(res.text).toContain('@bottom-left { content: "RECIBO DE CAJA R001-00000002 · Emitido el 25/11/2026 12:00"; }');
    expect(res.text).toContain('@bottom-right { content: "Página " counter(page) " de " counter(pages) ""; }');
  });

  it('the receipt shows the contract\'s balance after it, in exact céntimos', async () => {
    // R001-00000003 on 20/09/2026 (S/ 1,000.00): row 2 (due 10/08) 41 days late: 141667 × 1.2% × 41/30 = 2323.34 → 23.23
    // of late fee, then 976.77 of its principal; row 3 (due 10/09) untouched, 10 days late: 141667 × 1.2% × 10/30 = 5.67.
    // Principal: 85,000.00 − 1,416.67 − 976.77 = 82,606.56; total owed = 82,606.56 + 5.67 = 82,612.23.
    const text = textOf((await manager.get('/receipts/R001-00000003')).text);
    expect(text).toContain('Saldo del contrato después de este pago Capital pendiente S/ 82,606.56 Cuotas por pagar (capital e intereses) S/ 82,606.56 Moras pendientes S/ 5.67 Total adeudado S/ 82,612.23 Al 20/09/2026');
    // The down payment's receipt: the 85,000.00 financed, nothing late.
    expect(textOf((await manager.get('/receipts/R001-00000001')).text)).toContain('Capital pendiente S/ 85,000.00 Cuotas por pagar (capital e intereses) S/ 85,000.00 Moras pendientes S/ 0.00 Total adeudado S/ 85,000.00');
  });

  it('a later receipt\'s reversal leaves that figure as it was; the reversed receipt shows none', async () => {
    // R001-00000004 (10/10/2026, S/ 2,000.00), before its reversal:
    // Row 2: 439.90 unpaid since 20/09, 20 days → 43990 × 1.2% × 20/30 = 351.92 → 3.52; row 3: 5.67 + 141667 × 1.2% × 20/30
    // over (10/09, 10/10] = 30 days in all → 1700.00 → 17.00; row 4 due that day, no fee. 2,000.00 pays 3.52 + 439.90 + 17.00
    // + 1,416.67 (row 3) and 122.91 of row 4. Principal 82,606.56 − 439.90 − 1,416.67 − 122.91 = 80,627.08, no fee unpaid.
    expect(textOf((await manager.get('/receipts/R001-00000004')).text)).toContain('Capital pendiente S/ 80,627.08 Cuotas por pagar (capital e intereses) S/ 80,627.08 Moras pendientes S/ 0.00 Total adeudado S/ 80,627.08 Al 10/10/2026');
    await reverse(t.db, 'R001-00000004', 'Cheque sin fondos', TODAY);
    const text = textOf((await manager.get('/receipts/R001-00000003')).text);
    expect(text).toContain('Capital pendiente S/ 82,606.56 Cuotas por pagar (capital e intereses) S/ 82,606.56 Moras pendientes S/ 5.67 Total adeudado S/ 82,612.23 Al 20/09/2026');
    const voided = await manager.get('/receipts/R001-00000004');
    expect(textOf(voided.text)).not.toContain('Saldo del contrato después de este pago');
    expect(textOf(voided.text)).toContain('Recibo ANULADO el');
  });

  it('the contract: letterhead, the seller represented by the signing official, the signature block', async () => {
    const res = await manager.get(`/contracts/${c1.id}/print`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    head(text);
    expect(text).toContain('Vendedor: Municipalidad Provincial de Ilo, RUC 20000000001, Jr. Prueba 123, Ilo, representada por Rosa Elena Quispe Mamani, DNI 10117410, Gerente de Desarrollo Económico (Designado por R.A. N.° 123-2026-A-MPI).');
    expect(text).toContain(signer);
    expect(res.text).toContain('@bottom-left { content: "Contrato de compraventa CV-2026-0001 · Emitido el 25/11/2026 12:00"; }');
  });

  it('the statement: letterhead and issued line', async () => {
    const res = await manager.get(`/contracts/${c1.id}/statement`);
    expect(res.status).toBe(200);
    head(textOf(res.text));
  });

  it('the collection letter: letterhead and the signing official', async () => {
    letterNumber = (await sendLetterNow(t.db, c1.id, TODAY, ACTOR)).number;
    const res = await manager.get(`/collections/letters/${letterNumber}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    head(text);
    expect(text).toContain(signer);
  });

  it('the constancia: letterhead and the signing official', async () => {
    const res = await manager.get(`/contracts/${c2.id}/constancia`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    head(text);
    expect(text).toContain(signer);
    expect(text).toContain('La Municipalidad Provincial de Ilo');
  });

  it('pages that name who recorded something show the full name: the contract\'s history, the nav', async () => {
    const page = textOf((await manager.get(`/contracts/${c1.id}`)).text);
    expect(page).toContain('Jorge Ramírez Soto · Gerente del parque'); // the nav: who is logged in
    expect(page).not.toMatch(/\bgerente\b/);
  });

  it('in English the page counter is English too', async () => {
    await manager.get('/lang/en');
    const res = await manager.get('/receipts/R001-00000002');
    expect(res.text).toContain('@bottom-right { content: "Page " counter(page) " of " counter(pages) ""; }');
    expect(textOf(res.text)).toContain('Issued on 25/11/2026 12:00');
    await manager.get('/lang/es');
  });
});

describe('the demo park', () => {
  it('fills the identity and the demo users\' names with marked fictitious values', async () => {
    const { demoDb } = await import('../support/demo.ts');
    const { createApp } = await import('../../src/app.ts');
    const { loadConfig } = await import('../../src/config.ts');
    const { fixedClock } = await import('../../src/clock.ts');
    const { DEMO_PASSWORD } = await import('../../seeds/demo/users.ts');
    const demo = await demoDb(TODAY);
    try {
      const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: demo.url });
      const app = await createApp({ db: demo.db, clock: fixedClock(TODAY), config });
      expect(await demo.db('users').whereNot('role', 'buyer').orderBy('username').select('username', 'full_name', 'post')).toEqual([
        { username: 'admin', full_name: 'Ana Demo Administradora', post: 'Administradora del sistema (demo)' },
        { username: 'finanzas', full_name: 'Lucía Demo Cajera', post: 'Cajera (demo)' },
        { username: 'gerente', full_name: 'Jorge Demo Gerente', post: 'Gerente del Parque Industrial (demo)' },
      ]);
      const agent = await login(app, 'gerente', DEMO_PASSWORD);
      const receipt = (await demo.db('receipts').orderBy('id').first('number')).number;
      const text = textOf((await agent.get(`/receipts/${receipt}`)).text);
      expect(text).toContain('Municipalidad Provincial de Ilo Gerencia de Desarrollo Económico — Parque Industrial RUC 20000000001 · Av. Ejemplo 000, Ilo, Moquegua (dirección de demostración) (demostración: datos ficticios)');
      expect(text).toContain('Jorge Demo Gerente Gerente del Parque Industrial (demo)');
      const admin = await login(app, 'admin', DEMO_PASSWORD);
      const settings = textOf((await admin.get('/settings/identity')).text);
      expect(settings).toContain('Parque de demostración: el RUC, la dirección y el firmante son ficticios.');
      expect(settings).not.toContain('no tienen nombre completo');
    } finally {
      await demo.close();
    }
  }, 180_000);
});
