// Documents attached to records (issue 14): upload to each kind of record and see it listed on its
// page; download the same bytes with safe headers; refusals (a renamed program, an empty file, one
// too large, no title, no CSRF token) write nothing, neither row nor file; a buyer gets its own
// firm's documents and a 404 for anyone else's; a withdrawn document stays listed for staff and is
// no longer given to the buyer; a backup restored into an empty place serves the same files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'superagent';
import { createApp } from '../../src/app.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createDb, migrate } from '../../src/db/knex.ts';
import { backupFilesDir, backupTo, restoreFrom } from '../../src/db/backup.ts';
import { filesDirOf, storedPath } from '../../src/attachments/store.ts';
import { createProject, recordSpending } from '../../src/fund/service.ts';
import type { Cents } from '../../src/domain/money.ts';
import { csrfFrom, isPg, login, testApp, textOf, type Agent, type TestApp } from '../support/app.ts';
import { ACTOR, ruc } from '../service/sales-fixtures.ts';
import { buyersPark, BUYER_A, BUYER_B, TODAY, type BuyersPark } from './portal-fixtures.ts';

// Tiny files with the right first bytes (that is all the type check reads).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(56)]);
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(56)]);
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

const TYPE_MESSAGE = 'El archivo no es un PDF, JPEG ni PNG (se revisa su contenido, no su nombre). Escanee el documento o guárdelo como PDF.';
const CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

let t: TestApp;
let park: BuyersPark;
let spendingId: number;
let filesDir: string;
let manager: Agent;
let finance: Agent;
let admin: Agent;
let buyerA: Agent;
let buyerB: Agent;

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  park = await buyersPark(t.db);
  const project = await createProject(t.db, ACTOR, {
    code: 'AGUA-1', name: 'Agua zona alta', budget_cents: 5_000_000 as Cents, status: 'in_progress', description: null,
  });
  spendingId = await recordSpending(t.db, fixedClock(TODAY), ACTOR, project, {
    date: '2026-11-02', supplier_ruc: ruc(90), supplier_name: 'Tuberías del Sur', document_number: 'F001-118',
    description: 'Tubería HDPE', amount_cents: 250_000 as Cents, confirm_over: true,
  });
  filesDir = path.join(t.dir, 'files'); // testApp's FILES_DIR (also the default beside its SQLite file)
  if (!isPg) expect(filesDirOf(loadConfig({ DATABASE_URL: t.url }))).toBe(filesDir);
  manager = await login(t.app, 'gerente');
  finance = await login(t.app, 'finanzas');
  admin = await login(t.app, 'admin');
  buyerA = await login(t.app, BUYER_A);
  buyerB = await login(t.app, BUYER_B);
});
afterAll(async () => { await t?.close(); });

/** Reads a response's body as bytes, whatever its type. */
function bytes(res: Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
const download = (agent: Agent, id: number) => agent.get(`/attachments/${id}`).buffer(true).parse(bytes);

/** Posts a file as the page's form does: the CSRF token first, then the title, then the file. */
async function upload(agent: Agent, page: string, file: { content: Buffer; name: string; type?: string }, title = 'Documento', token?: string) {
  const csrf = token ?? csrfFrom((await agent.get(page)).text);
  const req = agent.post(`${page}/attachments`);
  if (csrf) req.field('_csrf', csrf);
  if (title !== undefined) req.field('title', title);
  return req.attach('file', file.content, { filename: file.name, contentType: file.type ?? 'application/octet-stream' });
}

const rows = async () => t.db('attachments').orderBy('id');
/** Every file under FILES_DIR (the temporary folder included), relative. */
function storedFiles(): string[] {
  if (!fs.existsSync(filesDir)) return [];
  return (fs.readdirSync(filesDir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(filesDir, f)).isFile()).sort();
}

describe('attaching a document to each kind of record', () => {
  const cases = () => [
    { kind: 'contract', page: `/contracts/${park.a.active}`, who: manager, as: 'gerente', file: { content: PDF, name: 'Contrato firmado CV.pdf', type: 'application/pdf' }, type: 'application/pdf', label: 'PDF', entity: String(park.a.active) },
    { kind: 'firm', page: `/firms/${park.a.ruc}`, who: manager, as: 'gerente', file: { content: JPEG, name: 'licencia.jpg', type: 'image/jpeg' }, type: 'image/jpeg', label: 'JPEG', entity: park.a.ruc },
    { kind: 'receipt', page: `/receipts/${park.a.receipts[0]}`, who: finance, as: 'finanzas', file: { content: PNG, name: 'voucher BN.png', type: 'image/png' }, type: 'image/png', label: 'PNG', entity: park.a.receipts[0]! },
    { kind: 'spending', page: `/finance/spending/${spendingId}`, who: finance, as: 'finanzas', file: { content: PDF, name: 'Factura F001-118.pdf', type: 'application/pdf' }, type: 'application/pdf', label: 'PDF', entity: String(spendingId) },
    { kind: 'lot', page: `/lots/${park.lotCode}`, who: manager, as: 'gerente', file: { content: PNG, name: 'plano.png', type: 'image/png' }, type: 'image/png', label: 'PNG', entity: park.lotCode },
  ];

  it('stores each one by its SHA-256, answers 303 to the record page, lists it there and serves the same bytes', async () => {
    for (const c of cases()) {
      const before = (await rows()).length;
      const res = await upload(c.who, c.page, c.file, `Documento de ${c.kind}`);
      expect(res.status, `${c.kind}: ${textOf(res.text ?? '').slice(0, 300)}`).toBe(303);
      expect(res.headers.location).toBe(c.page);

      const all = await rows();
      expect(all).toHaveLength(before + 1);
      const row = all.at(-1)!;
      expect(row).toMatchObject({
        record_type: c.kind, title: `Documento de ${c.kind}`, file_name: c.file.name, content_type: c.type,
        size_bytes: c.file.content.length, sha256: sha(c.file.content), uploaded_by_name: c.as, withdrawn_at: null,
      });
      // The bytes under FILES_DIR/<first two hex>/<sha256>.
      expect(fs.readFileSync(path.join(filesDir, row.sha256.slice(0, 2), row.sha256)).equals(c.file.content)).toBe(true);
      // Audited against the record, so the record's history shows it.
      const entry = await t.db('audit_log').where({ action: `${c.kind}.document_attached` }).orderBy('id', 'desc').first();
      expect(entry).toMatchObject({ entity: c.kind, entity_id: c.entity, username: c.as });
      expect(JSON.parse(entry.details)).toEqual({
        attachment_id: row.id, title: `Documento de ${c.kind}`, file_name: c.file.name, content_type: c.type,
        size_bytes: c.file.content.length, sha256: row.sha256,
      });

      // Listed on the record's page with what a person needs to tell it apart.
      const page = await c.who.get(c.page);
      expect(page.status).toBe(200);
      const text = textOf(page.text);
      expect(text).toContain('Documentos');
      expect(text).toContain(`Documento de ${c.kind} ${c.file.name} ${c.label} ${c.file.content.length} B ${row.sha256.slice(0, 12)}… ${c.as},`);
      expect(page.text).toContain(`title="Huella SHA-256 completa: ${row.sha256}"`);
      expect(page.text).toContain(`href="/attachments/${row.id}"`);
      expect(page.text).toContain(`action="${c.page}/attachments#documentos"`);

      const got = await download(c.who, row.id);
      expect(got.status).toBe(200);
      expect(Buffer.compare(got.body as Buffer, c.file.content)).toBe(0);
      expect(got.headers['content-type']).toBe(c.type);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['content-security-policy']).toBe(CSP);
      expect(got.headers['cache-control']).toBe('private, no-cache');
      expect(got.headers.etag).toBe(`"${row.sha256}"`);
      const encoded = encodeURIComponent(c.file.name);
      expect(got.headers['content-disposition']).toBe(`${c.type === 'application/pdf' ? 'attachment' : 'inline'}; filename="${c.file.name}"; filename*=UTF-8''${encoded}`);
    }
  });

  it('records a contract event, shown in the contract history', async () => {
    const events = await t.db('contract_events').where({ contract_id: park.a.active, kind: 'document_attached' });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].details)).toMatchObject({ title: 'Documento de contract', file_name: 'Contrato firmado CV.pdf' });
    expect(events[0].date).toBe(TODAY);
    expect(textOf((await manager.get(`/contracts/${park.a.active}`)).text)).toContain('Documento adjuntado');
  });

  it('stores the same content once, however many times it is attached', async () => {
    const files = storedFiles().filter((f) => !f.startsWith('.tmp'));
    // PDF (contract and spending), JPEG, PNG (receipt and lot): three distinct contents.
    expect(files).toEqual([PDF, JPEG, PNG].map((b) => path.join(sha(b).slice(0, 2), sha(b))).sort());
    expect(storedFiles().filter((f) => f.startsWith('.tmp'))).toEqual([]);
  });

  it('keeps a UTF-8 file name, and offers a download under the name with its real extension', async () => {
    const res = await upload(manager, `/contracts/${park.a.active}`, { content: PNG, name: 'Resolución Nº 12.pdf', type: 'application/pdf' }, 'Resolución de gerencia');
    expect(res.status).toBe(303);
    const row = (await rows()).at(-1)!;
    expect(row).toMatchObject({ file_name: 'Resolución Nº 12.pdf', content_type: 'image/png' });
    const got = await download(manager, row.id);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['content-disposition']).toBe(`inline; filename="Resolucion No 12.pdf.png"; filename*=UTF-8''${encodeURIComponent('Resolución Nº 12.pdf.png')}`);
  });

  it('answers 304 when the browser already has it (ETag = its SHA-256), after the same access check', async () => {
    const row = (await rows())[0]!;
    const res = await manager.get(`/attachments/${row.id}`).set('If-None-Match', `"${row.sha256}"`);
    expect(res.status).toBe(304);
    const other = await buyerB.get(`/attachments/${row.id}`).set('If-None-Match', `"${row.sha256}"`);
    expect(other.status).toBe(404);
  });
});

describe('what is refused writes nothing', () => {
  const page = () => `/contracts/${park.a.active}`;

  async function refused(res: Response, status: number, field: 'file' | 'title', message: string) {
    expect(res.status, textOf(res.text).slice(0, 300)).toBe(status);
    // The contract page again, the message under its field.
    expect(textOf(res.text)).toContain('Contrato');
    const m = new RegExp(`<p class="error" id="e-${field}">([^<]*)</p>`).exec(res.text);
    expect(m?.[1] ? textOf(m[1]) : null).toBe(message);
  }

  it('a program renamed to .pdf (ELF, MZ), or text called .png: 400, the message next to the file field', async () => {
    const rowsBefore = (await rows()).length;
    const filesBefore = storedFiles();
    for (const [content, name, type] of [[ELF, 'contrato.pdf', 'application/pdf'], [MZ, 'x.pdf', 'application/pdf'],
      [Buffer.from('hola, no soy una imagen'), 'foto.png', 'image/png'], [Buffer.from('%PDF'), 'corto.pdf', 'application/pdf']] as const) {
      const res = await upload(manager, page(), { content, name, type }, 'Contrato firmado');
      await refused(res, 400, 'file', TYPE_MESSAGE);
      expect(res.text).toContain('value="Contrato firmado"'); // the title entered stays
    }
    expect((await rows()).length).toBe(rowsBefore);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it('on every kind of record, a refused file shows that record\'s page again with the message', async () => {
    const rowsBefore = (await rows()).length;
    const pages: [Agent, string, string][] = [
      [manager, `/firms/${park.a.ruc}`, 'Metalmecánica Andina S.A.C.'], [finance, `/receipts/${park.a.receipts[0]}`, park.a.receipts[0]!],
      [finance, `/finance/spending/${spendingId}`, 'Tuberías del Sur'], [manager, `/lots/${park.lotCode}`, park.lotCode],
    ];
    for (const [agent, url, shows] of pages) {
      const res = await upload(agent, url, { content: ELF, name: 'factura.pdf', type: 'application/pdf' }, 'Factura');
      expect(res.status, url).toBe(400);
      expect(textOf(res.text), url).toContain(shows);
      expect(/<p class="error" id="e-file">([^<]*)<\/p>/.exec(res.text)?.[1], url).toBe(TYPE_MESSAGE);
    }
    expect((await rows()).length).toBe(rowsBefore);
  });

  it('an empty file, no file, a missing or too long title: 400 with each message', async () => {
    const rowsBefore = (await rows()).length;
    const filesBefore = storedFiles();
    await refused(await upload(manager, page(), { content: Buffer.alloc(0), name: 'vacio.pdf' }), 400, 'file',
      'El archivo está vacío (0 bytes). Elija el archivo correcto.');
    const token = csrfFrom((await manager.get(page())).text);
    const noFile = await manager.post(`${page()}/attachments`).field('_csrf', token).field('title', 'Sin archivo');
    await refused(noFile, 400, 'file', 'Elija el archivo que desea adjuntar.');
    await refused(await upload(manager, page(), { content: PDF, name: 'a.pdf' }, ''), 400, 'title', 'Este campo es obligatorio.');
    await refused(await upload(manager, page(), { content: PDF, name: 'a.pdf' }, 'x'.repeat(201)), 400, 'title', 'El texto es demasiado largo.');
    expect((await rows()).length).toBe(rowsBefore);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it('a file over MAX_ATTACHMENT_MB (10): 413 with the message; exactly 10 MB is taken', async () => {
    const rowsBefore = (await rows()).length;
    const filesBefore = storedFiles();
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1 - PDF.length, 0x20)]);
    await refused(await upload(manager, page(), { content: big, name: 'grande.pdf' }), 413, 'file',
      'El archivo pesa más de 10 MB, el máximo permitido. Escanéelo con menor resolución o divídalo.');
    expect((await rows()).length).toBe(rowsBefore);
    expect(storedFiles()).toEqual(filesBefore);
    const limit = big.subarray(0, 10 * 1024 * 1024);
    const ok = await upload(manager, page(), { content: limit, name: 'justo.pdf' }, 'Expediente escaneado');
    expect(ok.status).toBe(303);
    expect((await rows()).at(-1)).toMatchObject({ size_bytes: 10 * 1024 * 1024, sha256: sha(limit) });
  });

  it('two files, or the file under another field name: 400 next to the file field', async () => {
    const rowsBefore = (await rows()).length;
    const token = csrfFrom((await manager.get(page())).text);
    const two = await manager.post(`${page()}/attachments`).field('_csrf', token).field('title', 'Dos')
      .attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' }).attach('file', PNG, { filename: 'b.png', contentType: 'image/png' });
    await refused(two, 400, 'file', 'Envíe un solo archivo, en el campo «Archivo».');
    const other = await manager.post(`${page()}/attachments`).field('_csrf', token).field('title', 'Otro campo')
      .attach('documento', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    await refused(other, 400, 'file', 'Envíe un solo archivo, en el campo «Archivo».');
    expect((await rows()).length).toBe(rowsBefore);
  });

  it('checks the CSRF token of the multipart form: none or a wrong one answers 403 and writes nothing', async () => {
    const rowsBefore = (await rows()).length;
    const filesBefore = storedFiles();
    const none = await upload(manager, page(), { content: PDF, name: 'a.pdf' }, 'Sin token', '');
    expect(none.status).toBe(403);
    expect(textOf(none.text)).toContain('El formulario caducó o no es válido.');
    const wrong = await upload(manager, page(), { content: JPEG, name: 'a.jpg' }, 'Token ajeno', 'x'.repeat(40));
    expect(wrong.status).toBe(403);
    expect((await rows()).length).toBe(rowsBefore);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it('a record that does not exist: 404, whatever the file', async () => {
    const token = csrfFrom((await manager.get(page())).text);
    const res = await manager.post('/contracts/999999/attachments').field('_csrf', token).field('title', 'x')
      .attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(res.status).toBe(404);
  });
});

describe('who may see and add documents', () => {
  const idOf = async (kind: string, where: Record<string, unknown>) =>
    Number((await t.db('attachments').where({ record_type: kind, ...where }).orderBy('id').first('id')).id);

  it('a buyer gets its own firm\'s contract, receipt and firm documents, and a 404 for another firm\'s', async () => {
    const contractDoc = await idOf('contract', { contract_id: park.a.active });
    const firmDoc = await idOf('firm', { firm_ruc: park.a.ruc });
    const receiptDoc = await idOf('receipt', {});
    for (const id of [contractDoc, firmDoc, receiptDoc]) {
      expect((await download(buyerA, id)).status, `own ${id}`).toBe(200);
      const other = await buyerB.get(`/attachments/${id}`);
      expect(other.status, `other ${id}`).toBe(404);
      expect(textOf(other.text)).toContain('No encontramos lo que busca.');
    }
    const got = await download(buyerA, contractDoc);
    expect(Buffer.compare(got.body as Buffer, PDF)).toBe(0);
    // Firm B's own document, which firm A may not have.
    const res = await upload(manager, `/contracts/${park.b.active}`, { content: JPEG, name: 'b.jpg' }, 'Contrato de B');
    expect(res.status).toBe(303);
    const bDoc = (await rows()).at(-1)!.id;
    expect((await buyerA.get(`/attachments/${bDoc}`)).status).toBe(404);
    expect((await download(buyerB, bDoc)).status).toBe(200);
    expect((await buyerA.get('/attachments/999999')).status).toBe(404);
    expect((await buyerA.get('/attachments/abc')).status).toBe(404);
  });

  it('a buyer never gets a lot\'s or a spending\'s document (404); staff as the record\'s page allows', async () => {
    const lotDoc = await idOf('lot', {});
    const spendingDoc = await idOf('spending', {});
    expect((await buyerA.get(`/attachments/${lotDoc}`)).status).toBe(404);
    expect((await buyerA.get(`/attachments/${spendingDoc}`)).status).toBe(404);
    expect((await download(manager, lotDoc)).status).toBe(200);
    expect((await download(finance, lotDoc)).status).toBe(200);
    expect((await download(finance, spendingDoc)).status).toBe(200);
    expect((await download(admin, spendingDoc)).status).toBe(200);
    // The spending's page is finance's: a manager gets 403 for it and for its documents.
    expect((await manager.get(`/finance/spending/${spendingId}`)).status).toBe(403);
    expect((await manager.get(`/attachments/${spendingDoc}`)).status).toBe(403);
  });

  it('a buyer sees the documents on its contract page and its portal, without the upload form, and cannot upload', async () => {
    const page = await buyerA.get(`/contracts/${park.a.active}`);
    expect(textOf(page.text)).toContain('Documento de contract Contrato firmado CV.pdf PDF');
    expect(page.text).not.toContain('enctype="multipart/form-data"');
    const portal = await buyerA.get('/portal');
    expect(textOf(portal.text)).toContain('Documentos Título Archivo Tipo Tamaño SHA-256 Subido por Documento de firm licencia.jpg JPEG');
    expect(textOf((await buyerB.get('/portal')).text)).not.toContain('licencia.jpg');
    const token = csrfFrom(page.text);
    const res = await buyerA.post(`/contracts/${park.a.active}/attachments`).field('_csrf', token).field('title', 'Mío')
      .attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(res.status).toBe(403);
  });

  it('uploads by role: managers on contracts, firms and lots; finance on spending; staff on receipts', async () => {
    const tries: [Agent, string, number][] = [
      [finance, `/contracts/${park.a.active}`, 403], [finance, `/firms/${park.a.ruc}`, 403], [finance, `/lots/${park.lotCode}`, 403],
      [manager, `/finance/spending/${spendingId}`, 403], [manager, `/receipts/${park.a.receipts[1]}`, 303], [admin, `/finance/spending/${spendingId}`, 303],
    ];
    for (const [agent, page, status] of tries) {
      const token = csrfFrom((await agent.get('/account/password')).text);
      const res = await agent.post(`${page}/attachments`).field('_csrf', token).field('title', 'Prueba de rol')
        .attach('file', PNG, { filename: 'r.png', contentType: 'image/png' });
      expect(res.status, page).toBe(status);
    }
  });
});

describe('withdrawing a document', () => {
  let docId: number;
  const page = () => `/contracts/${park.a.active}`;
  const withdrawUrl = () => `${page()}/attachments/${docId}/withdraw`;

  beforeAll(async () => {
    const res = await upload(manager, page(), { content: JPEG, name: 'duplicado.jpg' }, 'Copia equivocada');
    expect(res.status).toBe(303);
    docId = (await rows()).at(-1)!.id;
  });

  it('refuses a blank reason (400, next to the field), another role (403) and another record\'s URL (404)', async () => {
    const token = csrfFrom((await manager.get(page())).text);
    const blank = await manager.post(withdrawUrl()).type('form').send({ _csrf: token, reason: '  ' });
    expect(blank.status).toBe(400);
    expect(textOf(/<p class="error" id="e-withdraw-\d+">([^<]*)<\/p>/.exec(blank.text)?.[1] ?? '')).toBe('Este campo es obligatorio.');
    expect(blank.text).toMatch(new RegExp(`<details class="no-print withdraw-document" open>\\s*<summary>Retirar</summary>\\s*<form method="post" action="${withdrawUrl()}#documentos">`));
    const fin = await finance.post(withdrawUrl()).type('form').send({ _csrf: csrfFrom((await finance.get(page())).text), reason: 'x' });
    expect(fin.status).toBe(403);
    const elsewhere = await manager.post(`/contracts/${park.b.active}/attachments/${docId}/withdraw`).type('form').send({ _csrf: token, reason: 'x' });
    expect(elsewhere.status).toBe(404);
    expect((await t.db('attachments').where({ id: docId }).first()).withdrawn_at).toBeNull();
  });

  it('marks it withdrawn with who, when and why (audited, in the contract history); staff still see it, the buyer does not', async () => {
    const token = csrfFrom((await manager.get(page())).text);
    const res = await manager.post(withdrawUrl()).type('form').send({ _csrf: token, reason: 'Se subió la copia de otra empresa' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(page());
    const row = await t.db('attachments').where({ id: docId }).first();
    expect(row).toMatchObject({ withdrawn_by_name: 'gerente', withdrawal_reason: 'Se subió la copia de otra empresa' });
    expect(row.withdrawn_at).not.toBeNull();
    const entry = await t.db('audit_log').where({ action: 'contract.document_withdrawn' }).first();
    expect(entry).toMatchObject({ entity: 'contract', entity_id: String(park.a.active), username: 'gerente' });
    expect(JSON.parse(entry.details)).toEqual({ attachment_id: docId, title: 'Copia equivocada', reason: 'Se subió la copia de otra empresa' });
    expect(await t.db('contract_events').where({ contract_id: park.a.active, kind: 'document_withdrawn' })).toHaveLength(1);

    const staffPage = textOf((await manager.get(page())).text);
    expect(staffPage).toContain('Copia equivocada Retirado Retirado por gerente el');
    expect(staffPage).toContain(': Se subió la copia de otra empresa');
    expect(staffPage).toContain('Documento retirado');
    expect((await download(manager, docId)).status).toBe(200);

    expect(textOf((await buyerA.get(page())).text)).not.toContain('Copia equivocada');
    expect((await buyerA.get(`/attachments/${docId}`)).status).toBe(404);
    // Nothing deleted: the row and the file stay.
    expect(fs.existsSync(storedPath(filesDir, row.sha256))).toBe(true);
  });

  it('a second withdrawal answers 409', async () => {
    const token = csrfFrom((await manager.get(page())).text);
    const again = await manager.post(withdrawUrl()).type('form').send({ _csrf: token, reason: 'Otra vez' });
    expect(again.status).toBe(409);
    expect(textOf(again.text)).toContain('Este documento ya fue retirado.');
  });
});

// The backup is the embedded SQLite database's (PostgreSQL: pg_dump, and FILES_DIR copied alongside).
describe.skipIf(isPg)('backup and restore carry the files', () => {
  let backup: string;
  let elsewhere: string;
  beforeAll(() => {
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-restore-'));
    backup = path.join(t.dir, 'copias', 'ilo-2026-11-25.sqlite');
  });
  afterAll(() => { fs.rmSync(elsewhere, { recursive: true, force: true }); });

  it('writes <file>.files/ with every stored file, then restores into an empty place that serves the same files', async () => {
    const { files } = await backupTo(t.db, backup, filesDir);
    const distinct = await t.db('attachments').countDistinct<{ n: number }[]>({ n: 'sha256' });
    expect(files).toBe(Number(distinct[0]!.n));
    expect(files).toBeGreaterThanOrEqual(4);

    // A new machine: an empty directory, its database and FILES_DIR restored from the backup.
    const url = path.join(elsewhere, 'ilo.sqlite');
    const restored = await restoreFrom(backup, url, path.join(elsewhere, 'files'));
    expect(restored).toEqual({ safety: null, files });
    const db = createDb(url);
    try {
      await migrate(db);
      const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATABASE_URL: url });
      expect(filesDirOf(config)).toBe(path.join(elsewhere, 'files'));
      const app = await createApp({ db, clock: fixedClock(TODAY), config });
      const agent = await login(app, 'admin');
      const original = await rows();
      expect(original.length).toBeGreaterThan(5);
      for (const row of original) {
        const got = await agent.get(`/attachments/${row.id}`).buffer(true).parse(bytes);
        expect(got.status, String(row.id)).toBe(200);
        expect(sha(got.body as Buffer)).toBe(row.sha256);
      }
    } finally {
      await db.destroy();
    }
  });

  it('refuses a backup whose files are missing or altered, naming them, before changing anything', async () => {
    const [first, second] = (await t.db('attachments').distinct('sha256').orderBy('sha256')).map((r: { sha256: string }) => r.sha256);
    const dir = backupFilesDir(backup);
    fs.writeFileSync(storedPath(dir, first!), 'alterado');
    fs.rmSync(storedPath(dir, second!));
    const target = path.join(elsewhere, 'otra', 'ilo.sqlite');
    const into = path.join(elsewhere, 'otra', 'files');
    await expect(restoreFrom(backup, target, into)).rejects.toThrow(
      new RegExp(`do not match its database \\(2 of \\d+\\); nothing was restored:\\n  SHA-256 differs: .*${first}.*\\n  missing: .*${second}`));
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(into)).toBe(false);
  });
});
