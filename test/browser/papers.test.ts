// Papers that look official (issue 14) in real Chromium: the administrator sets the municipality's identity
// and uploads a logo on /settings/identity; the contract (60 installments), a receipt and a statement are
// printed to A4 PDFs, whose text (pdftotext) carries the letterhead, the signer, "Emitido el …" and
// "Página X de Y" on every sheet, and the schedule's total once, at its end. With ILO_SCREENSHOTS set, the
// first page of each PDF is rendered to PNG (pdftoppm) into docs/screenshots/ for the README.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD } from '../support/app.ts';
import { ACTOR, pay, sale, setRates } from '../service/sales-fixtures.ts';
import { sendLetterNow } from '../../src/collections/service.ts';
import { ROOT_DIR } from '../../src/db/knex.ts';

let h: BrowserHarness;
let contract: { id: number; number: string };
let paidOff: number;
let letter: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-papers-'));

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  await setRates(h.db, [['2010-01-01', 12000]]);
  const c = await sale(h.db, { date: '2026-06-10', today: h.today }); // S/ 100,000.00: 15,000.00 down, 60 × 1,416.67
  contract = { id: c.id, number: String((await h.db('contracts').where({ id: c.id }).first('number')).number) };
  await pay(h.db, c.id, '2026-06-10', 1_500_000, h.today, 'transfer'); // R001-00000001
  await pay(h.db, c.id, '2026-07-10', 141_667, h.today); // R001-00000002
  await pay(h.db, c.id, '2026-09-20', 100_000, h.today); // R001-00000003: rows 2 and 3 late
  await h.db('users').where({ username: 'gerente' }).update({ full_name: 'Jorge Ramírez Soto', post: 'Cajero' });
  letter = (await sendLetterNow(h.db, c.id, h.today, ACTOR)).number;
  const p = await sale(h.db, { date: '2026-02-10', today: h.today });
  await pay(h.db, p.id, '2026-02-10', 1_500_000, h.today);
  await pay(h.db, p.id, '2026-03-01', 8_500_000, h.today, 'deposit'); // paid off: CDC-2026-0001
  paidOff = p.id;
});
afterAll(async () => {
  await h?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function loggedIn(username: string): Promise<Page> {
  const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${h.baseUrl}/login`);
  await page.fill('#f-username', username);
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
  return page;
}

/** The page printed to an A4 PDF as Chromium prints it: its number of pages and its text (pdftotext -layout). */
async function printed(page: Page, url: string, name: string, opts: { readme?: boolean } = { readme: true }): Promise<{ pages: number; text: string; file: string }> {
  await page.goto(`${h.baseUrl}${url}`);
  await page.waitForLoadState('load');
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true }));
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  // For a person to look at: the first page as an image, for the README (ILO_SCREENSHOTS set).
  if (process.env.ILO_SCREENSHOTS) {
    const out = path.join(ROOT_DIR, 'docs/screenshots', `paper-${name}`);
    if (opts.readme) execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, out]);
    // Every page, for a look, in the ILO_SCREENSHOTS folder (unless it is only the README's).
    if (process.env.ILO_SCREENSHOTS !== 'readme') {
      fs.mkdirSync(process.env.ILO_SCREENSHOTS, { recursive: true });
      execFileSync('pdftoppm', ['-png', '-r', '80', file, path.join(process.env.ILO_SCREENSHOTS, `paper-${name}`)]);
    }
  }
  return { pages, text, file };
}

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('the municipality\'s identity, set in the browser', () => {
  it('the administrator fills the identity and uploads a PNG logo', async () => {
    const page = await loggedIn('admin');
    // A logo made by Chromium itself: a shield in the municipality's colours, as a PNG.
    const art = await h.browser.newPage({ viewport: { width: 160, height: 180 } });
    await art.setContent(`<body style="margin:0;background:#fff"><svg xmlns="http://www.w3.org/2000/svg" width="160" height="180" viewBox="0 0 160 180">
      <path d="M10 10h140v80c0 45-35 72-70 85C45 162 10 135 10 90z" fill="#0b5394" stroke="#073763" stroke-width="6"/>
      <path d="M30 100l25-40 20 28 15-20 40 32z" fill="#f1c232"/><text x="80" y="48" font-size="26" font-family="serif" text-anchor="middle" fill="#fff">MPI</text>
      <path d="M30 120c20 10 80 10 100 0" stroke="#fff" stroke-width="5" fill="none"/></svg></body>`);
    const logo = await art.screenshot({ type: 'png' });
    await art.close();
    await page.goto(`${h.baseUrl}/settings`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/settings/identity`), page.click('text=Identidad en los documentos')]);
    expect(await page.textContent('.unnamed-users')).toContain('admin, finanzas.');
    await page.fill('#f-identity_ruc', '20000000001');
    await page.fill('#f-identity_address', 'Jr. Moquegua 456, Ilo');
    await page.fill('#f-identity_office', 'Gerencia de Desarrollo Económico — Parque Industrial');
    await page.fill('#f-signer_name', 'Rosa Elena Quispe Mamani');
    await page.fill('#f-signer_dni', '10117410');
    await page.fill('#f-signer_post', 'Gerente de Desarrollo Económico');
    await page.fill('#f-signer_resolution', 'R.A. N.° 123-2026-A-MPI');
    await page.setInputFiles('#f-logo', { name: 'escudo.png', mimeType: 'image/png', buffer: logo });
    await Promise.all([page.waitForURL(`${h.baseUrl}/settings/identity?saved=1`), page.click('button[type=submit].primary')]);
    expect(await page.textContent('[role=status]')).toContain('Identidad guardada.');
    // The logo shows (loaded from /identity/logo, not broken).
    expect(await page.$eval('.logo-current img', (img) => (img as HTMLImageElement).naturalWidth)).toBe(160);
    await snap(page, 'identity-settings');
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await snap(page, 'identity-settings-360');
    await page.context().close();
  });
});

describe('printed to A4 from Chromium', () => {
  let page: Page;
  beforeAll(async () => { page = await loggedIn('gerente'); });
  afterAll(async () => { await page?.context().close(); });

  it('the contract: letterhead, signer, the issue and "Página X de Y" on every sheet, the schedule\'s total once', async () => {
    const { pages, text } = await printed(page, `/contracts/${contract.id}/print`, 'contract');
    expect(pages).toBe(2);
    expect(text).toMatch(/Municipalidad Provincial de Ilo/);
    expect(squash(text)).toContain('RUC 20000000001 · Jr. Moquegua 456, Ilo');
    expect(squash(text)).toContain('Rosa Elena Quispe Mamani');
    expect(squash(text)).toContain('DNI 10117410');
    expect(text).toContain('Página 1 de 2');
    expect(text).toContain('Página 2 de 2');
    expect(text.match(new RegExp(`Contrato de compraventa ${contract.number} · Emitido el 25/11/2026 12:00`, 'g'))).toHaveLength(2);
    // The schedule's footer total, once (Chromium would repeat a <tfoot> on every sheet).
    expect(text.match(/^\s*Total\s+S\/\s*100,000\.00/gm)).toHaveLength(1);
    const logo = await page.$eval('.paper-logo', (img) => (img as HTMLImageElement).naturalWidth);
    expect(logo).toBe(160);
  });

  it('a receipt: one page, the recorder by full name and post, the balance after the payment', async () => {
    const { pages, text } = await printed(page, '/receipts/R001-00000003', 'receipt');
    expect(pages).toBe(1);
    expect(text).toContain('Página 1 de 1');
    expect(text).toContain('RECIBO DE CAJA R001-00000003 · Emitido el 25/11/2026 12:00');
    const flat = squash(text);
    expect(flat).toContain('Saldo del contrato después de este pago');
    expect(flat).toMatch(/Capital pendiente S\/ 82,606\.56/);
    expect(flat).toMatch(/Total adeudado S\/ 82,612\.23/);
    expect(flat).toContain('Jorge Ramírez Soto');
    expect(flat).toContain('Cajero');
    expect(flat).not.toMatch(/\bgerente\b/);
  });

  it('the statement: letterhead, issue and page numbers on each sheet, its total once', async () => {
    const { pages, text } = await printed(page, `/contracts/${contract.id}/statement`, 'statement');
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(squash(text)).toContain('RUC 20000000001 · Jr. Moquegua 456, Ilo');
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Página ${p} de ${pages}`);
    expect(text.match(/Emitido el 25\/11\/2026 12:00/g)!.length).toBe(pages + 1); // each sheet's margin, and the header
    expect(text.match(/^\s*Total\s+S\/\s*100,000\.00/gm)).toHaveLength(1);
  });

  it('the collection letter and the constancia: letterhead, the signing official, numbered pages', async () => {
    for (const [url, name, title] of [[`/collections/letters/${letter}`, 'letter', `Carta de cobranza ${letter}`],
      [`/contracts/${paidOff}/constancia`, 'constancia', 'Constancia de cancelación CDC-2026-0001']] as const) {
      const { pages, text } = await printed(page, url, name, { readme: false });
      expect(pages, name).toBe(1);
      expect(text, name).toContain('Página 1 de 1');
      expect(text, name).toContain(`${title} · Emitido el 25/11/2026 12:00`);
      // (the constancia's two signatures stand side by side: their lines interleave in the layout text)
      for (const words of ['Rosa Elena Quispe Mamani', 'DNI 10117410', 'Gerente de Desarrollo Económico', 'Designado por R.A. N.° 123-2026-A-MPI']) {
        expect(squash(text), name).toContain(words);
      }
    }
  });
});
