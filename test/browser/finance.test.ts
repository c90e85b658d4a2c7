// Finance in real Chromium, after a generated history: the dashboard with its three charts, the
// reconciliation and the fund statement for a chosen period, and a spending beyond the budget that
// needs its confirmation. Screenshots go to /tmp/finance-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness, snap } from '../support/browser.ts';
import { PASSWORD, login } from '../support/app.ts';
import { TODAY, fundHistory, salesHistory } from '../http/fund-history.ts';

let h: BrowserHarness;
let page: Page;
let paving = 0;

beforeAll(async () => {
  h = await startBrowserHarness({ today: TODAY });
  await salesHistory(h.db);
  paving = (await fundHistory(await login(h.app, 'finanzas'))).projects.paving;
  page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(8000);
});
afterAll(async () => { await h?.stop(); });

const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('finance in a browser', () => {
  it('logs in and sees the dashboard with its figures and three charts', async () => {
    await page.goto(`${h.baseUrl}/login`);
    await page.fill('#f-username', 'finanzas');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.click('button[type=submit]')]);
    await Promise.all([page.waitForURL(`${h.baseUrl}/finance`), page.click('header >> text=Fondo de reinversión')]);
    expect(norm(await page.innerText('.kpis'))).toContain('Saldo del fondo S/ 24,333.34');
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(3);
    expect(await page.locator('svg.bar-chart rect.chart-bar').count()).toBe(11);
    const box = await charts.first().boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    await snap(page, 'finance-dashboard');
  });

  it('opens the reconciliation for a period: no differences', async () => {
    await page.click('nav.subnav >> text=Conciliación');
    await page.fill('input[name=from]', '2025-01-01');
    await page.fill('input[name=to]', '2025-12-31');
    await Promise.all([page.waitForURL(/reconciliation\?from=2025-01-01&to=2025-12-31/), page.click('form.filters button[type=submit]')]);
    expect(norm(await page.textContent('.recon-result'))).toContain('Sin diferencias');
    expect(norm(await page.textContent('p.period'))).toBe('Periodo: del 01/01/2025 al 31/12/2025');
    expect(await page.locator('table.recon tbody tr.agrees').count()).toBe(5);
    await snap(page, 'finance-reconciliation');
  });

  it('opens the fund statement for the first half of the year, and prints it without menus', async () => {
    await page.click('nav.subnav >> text=Estado del fondo');
    await page.fill('input[name=from]', '2026-01-01');
    await page.fill('input[name=to]', '2026-06-30');
    await Promise.all([page.waitForURL(/fund-statement\?from=2026-01-01&to=2026-06-30/), page.click('form.filters button[type=submit]')]);
    const statement = norm(await page.innerText('table.fund-statement'));
    expect(statement).toContain('Saldo inicial al 01/01/2026 S/ 38,750.01');
    expect(statement).toContain('Más: cobranzas en lotes municipales S/ 77,000.00');
    expect(statement).toContain('AGUA-ZA Agua potable para la zona alta -S/ 25,000.00');
    expect(statement).toContain('Saldo final al 30/06/2026 S/ 90,750.01');
    await snap(page, 'finance-fund-statement');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.subnav').isVisible()).toBe(false);
    expect(await page.locator('form.filters').isVisible()).toBe(false);
    expect(norm(await page.textContent('p.period'))).toBe('Periodo: del 01/01/2026 al 30/06/2026');
    await snap(page, 'finance-fund-statement-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('records a spending beyond the budget only once it is confirmed', async () => {
    await page.goto(`${h.baseUrl}/finance/projects/${paving}/spending/new`);
    await page.fill('#f-date', '2026-11-24');
    await page.fill('#f-amount', '20000.00');
    await page.fill('#f-supplier_ruc', '20512333797');
    await page.fill('#f-supplier_name', 'Asfaltos del Sur S.A.C.');
    await page.fill('#f-document_number', 'F003-00000077');
    await page.fill('#f-description', 'Carpeta asfáltica, tramo 2');
    await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click('main button.primary')]);
    expect(norm(await page.textContent('#e-over_budget'))).toBe(
      'El gasto de S/ 20,000.00 excede el saldo de presupuesto de la obra: S/ 18,000.00 (presupuesto S/ 30,000.00).');
    expect(await page.inputValue('#f-supplier_name')).toBe('Asfaltos del Sur S.A.C.');
    await snap(page, 'finance-spending-refused');
    await page.check('#f-confirm_over');
    await Promise.all([page.waitForURL(/\/finance\/spending\/\d+$/), page.click('main button.primary')]);
    expect(norm(await page.textContent('main'))).toContain('Excede presupuesto');
    const row = await h.db('spendings').where({ document_number: 'F003-00000077' }).first();
    expect(row).toMatchObject({ amount_cents: 2_000_000, over_budget: 1, over_fund: 0 });
  });
});
