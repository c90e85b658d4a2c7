// From a contract to its title in real Chromium: a manager assigns a contract to another firm, records
// the three formalisation stages of a paid-off one, and prints its constancia de cancelación (one A4 page;
// ILO_SCREENSHOTS=/tmp/shots keeps screenshots of each step, at 1280 and 360 px).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap, signedInPage } from '../support/browser.ts';
import { insertFirm } from '../support/sales.ts';
import { pay, ruc, sale, setRates } from '../service/sales-fixtures.ts';

let h: BrowserHarness;
let page: Page;
let live: { id: number; firm_ruc: string; lot_code: string };
let paid: { id: number; firm_ruc: string; lot_code: string };
const B_RUC = ruc(8801);
const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
/** A screenshot of one part of the page, for a person to look at (only with ILO_SCREENSHOTS, as snap). */
const snapPart = async (selector: string, name: string) => {
  const dir = process.env.ILO_SCREENSHOTS;
  if (dir && dir !== 'readme') await page.locator(selector).first().screenshot({ path: `${dir}/${name}.png` });
};
const submitAndWait = (selector: string) => Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)]);

beforeAll(async () => {
  h = await startBrowserHarness({ today: '2026-11-25' });
  await setRates(h.db, [['2010-01-01', 12000]]);
  live = await sale(h.db, { date: '2026-01-15', today: h.today });
  await pay(h.db, live.id, '2026-01-15', 1_500_000, h.today, 'transfer');
  for (let m = 2; m <= 11; m++) await pay(h.db, live.id, `2026-${String(m).padStart(2, '0')}-15`, 141_667, h.today);
  await insertFirm(h.db, B_RUC, 'Conservas del Puerto S.A.C.', { number: 'AC-0901' });
  paid = await sale(h.db, { date: '2025-01-15', today: h.today });
  await pay(h.db, paid.id, '2025-01-15', 1_500_000, h.today);
  await pay(h.db, paid.id, '2025-02-01', 8_500_000, h.today, 'deposit');
  await h.db('lots').where({ code: paid.lot_code }).update({
    registry_partida: '11023456', boundary_north: 'Con la Av. Industrial, en 25.00 m', boundary_south: 'Con el lote T-9, en 25.00 m',
    boundary_east: 'Con el lote T-1, en 40.00 m', boundary_west: 'Con la calle 3, en 40.00 m', perimeter_cm: 13_000,
  });
  page = await signedInPage(h, 'gerente');
});
afterAll(async () => { await h?.stop(); });

describe('a manager assigns a contract', () => {
  it('opens the form from the contract page, is told what is missing, and assigns it', async () => {
    await page.goto(`${h.baseUrl}/contracts/${live.id}`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${live.id}/assignment/new`), page.click('text=Ceder posición contractual')]);
    await snap(page, 'titling-assignment-form');
    await submitAndWait('main button.primary');
    expect(norm(await page.textContent('#e-to_ruc'))).toBe('Este campo es obligatorio.');
    await page.selectOption('#f-to_ruc', B_RUC);
    await page.fill('#f-resolution_number', 'R.A. 210-2026-MPI');
    await page.fill('#f-resolution_date', '2026-11-20');
    await page.fill('#f-reason', 'Traspaso del negocio a la empresa familiar');
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${live.id}`), page.click('main button.primary')]);
    const main = norm(await page.innerText('main'));
    expect(main).toContain('Contrato cedido. La nueva empresa lo ve en su portal; la anterior, ya no.');
    expect(main).toContain(`Comprador Conservas del Puerto S.A.C. RUC ${B_RUC}`);
    expect(main).toContain('20/11/2026 R.A. 210-2026-MPI Traspaso del negocio a la empresa familiar');
    expect(main).toContain('20/11/2026 Cesión de posición contractual R.A. 210-2026-MPI gerente');
    await snap(page, 'titling-assigned');
    await snapPart('.contract-titling', 'titling-assigned-section');
    await page.setViewportSize({ width: 360, height: 800 });
    await snap(page, 'titling-assigned-360');
    await snapPart('.contract-titling', 'titling-assigned-section-360');
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe('a manager records the three formalisation stages', () => {
  const stage = async (button: string, fill: Record<string, string>) => {
    await page.goto(`${h.baseUrl}/contracts/${paid.id}`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${paid.id}/formalisation/new`), page.click(`text=${button}`)]);
    for (const [field, value] of Object.entries(fill)) await page.fill(`#f-${field}`, value);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${paid.id}`), page.click('main button.primary')]);
  };

  it('minuta, escritura and inscription, each from the contract page', async () => {
    await page.goto(`${h.baseUrl}/contracts/${paid.id}`);
    expect(norm(await page.textContent('.contract-titling'))).toContain('Contrato pagado en su totalidad: el título aún no está inscrito.');
    await stage('Registrar minuta', { stage_date: '2025-03-01', resolution_number: 'R.G. 031-2025-GDE-MPI', resolution_date: '2025-02-20' });
    await stage('Registrar escritura pública', { stage_date: '2025-04-10', resolution_number: 'R.G. 044-2025-GDE-MPI', resolution_date: '2025-04-02', notary: 'Notaría Valdivia, Ilo' });
    // The inscription without its registry entry is refused next to the field.
    await page.goto(`${h.baseUrl}/contracts/${paid.id}`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${paid.id}/formalisation/new`), page.click('text=Registrar inscripción en SUNARP')]);
    await page.fill('#f-stage_date', '2025-06-18');
    await page.fill('#f-resolution_number', 'R.G. 070-2025-GDE-MPI');
    await page.fill('#f-resolution_date', '2025-06-18');
    await submitAndWait('main button.primary');
    expect(norm(await page.textContent('#e-registry_entry'))).toBe('Indique la partida y el asiento de la inscripción.');
    await snap(page, 'titling-formalisation-refused');
    await page.fill('#f-registry_entry', 'P. 11023456, asiento C00002');
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${paid.id}`), page.click('main button.primary')]);
    const track = norm(await page.textContent('ol.title-track'));
    expect(track).toBe('Minuta — 01/03/2025 · Res. R.G. 031-2025-GDE-MPI (20/02/2025) '
      + 'Escritura pública — 10/04/2025 · Res. R.G. 044-2025-GDE-MPI (02/04/2025) · Notaría: Notaría Valdivia, Ilo '
      + 'Inscrita en SUNARP — 18/06/2025 · Res. R.G. 070-2025-GDE-MPI (18/06/2025) · Partida/asiento: P. 11023456, asiento C00002');
    expect(await page.isVisible('text=Registrar inscripción en SUNARP')).toBe(false);
    await snap(page, 'titling-formalised');
    await snapPart('.contract-titling', 'titling-formalised-section');
  });
});

describe('the constancia de cancelación', () => {
  it('prints on one A4 page, without the menus', async () => {
    await page.goto(`${h.baseUrl}/contracts/${paid.id}`);
    await Promise.all([page.waitForURL(`${h.baseUrl}/contracts/${paid.id}/constancia`), page.click('text=Imprimir constancia')]);
    expect(norm(await page.textContent('h1.doc-number'))).toBe('Constancia de cancelación CDC-2025-0001');
    expect(norm(await page.textContent('.receipt-words'))).toBe('SON: CIEN MIL CON 00/100 SOLES');
    await snap(page, 'titling-constancia');
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('header.top')).toBe(false);
    expect(await page.isVisible('button[data-print]')).toBe(false);
    await snap(page, 'titling-constancia-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync('/tmp/titling-constancia.pdf', pdf);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 360, height: 800 });
    await snap(page, 'titling-constancia-360');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // The list of receipts fits inside the document (which hides what overflows, for its void stamp).
    expect(await page.evaluate(() => document.querySelector('table.certificate-receipts')!.getBoundingClientRect().right
      <= document.querySelector('article.constancia')!.getBoundingClientRect().right)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('the printed contract cites the lot’s registry data', async () => {
    await page.goto(`${h.baseUrl}/contracts/${paid.id}/print`);
    expect(norm(await page.textContent('.doc-registry'))).toBe('El lote corre inscrito en la partida electrónica N.º 11023456 del Registro de Predios de la SUNARP. '
      + 'Linderos y medidas perimétricas: por el Norte: Con la Av. Industrial, en 25.00 m; por el Sur: Con el lote T-9, en 25.00 m; '
      + 'por el Este: Con el lote T-1, en 40.00 m; por el Oeste: Con la calle 3, en 40.00 m. Perímetro: 130.00 m.');
    await page.emulateMedia({ media: 'print' });
    await snap(page, 'titling-contract-print');
    await snapPart('.contract-doc', 'titling-contract-print-doc');
    // The clause about the lot does not push a 60-installment contract beyond its two A4 sheets.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(2);
    await page.emulateMedia({ media: 'screen' });
  });
});

describe('the lot form and page', () => {
  it('offer the registry fields, at 1280 and 360 px', async () => {
    await page.goto(`${h.baseUrl}/lots/${paid.lot_code}/edit`);
    expect(await page.inputValue('#f-perimeter_m')).toBe('130.00');
    await snap(page, 'titling-lot-form');
    await page.goto(`${h.baseUrl}/lots/${paid.lot_code}`);
    expect(norm(await page.innerText('dl.lot-registry'))).toContain('Perímetro 130.00 m');
    await snap(page, 'titling-lot-page');
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${h.baseUrl}/lots/${paid.lot_code}/edit`);
    await snap(page, 'titling-lot-form-360');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.goto(`${h.baseUrl}/contracts/${paid.id}/formalisation/new`);
    await snap(page, 'titling-formalisation-form-360');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

