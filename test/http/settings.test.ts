import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type Agent, type TestApp } from '../support/app.ts';
import { getMoratoriumRates, getSettings } from '../../src/settings/service.ts';

let t: TestApp;
let admin: Agent;

const base = {
  down_payment_pct: '15', installment_count: '60', annual_rate_pct: '0', rescission_threshold_pct: '50',
  moratorium_monthly_pct: '', moratorium_effective_from: '',
};
const countRates = async () => Number((await t.db('moratorium_rates').count<{ n: number }[]>({ n: '*' }))[0]!.n);

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  admin = await login(t.app, 'admin');
});
afterAll(async () => { await t.close(); });

describe('park settings', () => {
  it('starts from the defaults 15%, 60, 0%, 50% and no moratorium rate', async () => {
    expect(await getSettings(t.db)).toEqual({ down_payment_ppm: 150000, installment_count: 60, annual_rate_ppm: 0, rescission_threshold_ppm: 500000 });
    expect(await getMoratoriumRates(t.db)).toEqual([]);
    const page = textOf((await admin.get('/settings')).text);
    expect(page).toContain('Parámetros del parque');
    expect(page).toContain('No hay tasas registradas');
  });

  it('saves percentages as ppm and audits the change', async () => {
    const res = await submit(admin, '/settings', '/settings', { ...base, down_payment_pct: '20', installment_count: '48', annual_rate_pct: '1.5', rescission_threshold_pct: '40' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/settings?saved=1');
    expect(await getSettings(t.db)).toEqual({ down_payment_ppm: 200000, installment_count: 48, annual_rate_ppm: 15000, rescission_threshold_ppm: 400000 });
    const audit = await t.db('audit_log').where({ action: 'settings.update' }).first();
    expect(JSON.parse(audit.details)).toEqual({
      down_payment_ppm: [150000, 200000], installment_count: [60, 48], annual_rate_ppm: [0, 15000], rescission_threshold_ppm: [500000, 400000],
    });
  });

  it('adds moratorium rates with their effective dates, past ones too, sorted', async () => {
    let res = await submit(admin, '/settings', '/settings', { ...base, moratorium_monthly_pct: '0.90', moratorium_effective_from: '2026-07-01', moratorium_ordinance: 'O.M. 012-2026-MPI' });
    expect(res.status).toBe(303);
    res = await submit(admin, '/settings', '/settings', { ...base, moratorium_monthly_pct: '1.2', moratorium_effective_from: '2018-01-01' });
    expect(res.status).toBe(303);
    expect(await getMoratoriumRates(t.db)).toEqual([
      { effective_from: '2018-01-01', monthly_rate_ppm: 12000 },
      { effective_from: '2026-07-01', monthly_rate_ppm: 9000 },
    ]);
    const page = textOf((await admin.get('/settings')).text);
    expect(page).toContain('Tasa vigente hoy: 0.9% mensual (desde el 01/07/2026)');
    expect(page).toContain('01/07/2026 0.9% O.M. 012-2026-MPI admin');
    expect(page).toContain('01/01/2018 1.2%');
    expect(await t.db('audit_log').where({ action: 'moratorium.add' })).toHaveLength(2);
  });

  it('accepts the same rate on a recorded date without a new row, and refuses another rate on it (409)', async () => {
    const before = await countRates();
    const same = await submit(admin, '/settings', '/settings', { ...base, moratorium_monthly_pct: '0.9', moratorium_effective_from: '2026-07-01' });
    expect(same.status).toBe(303);
    expect(await countRates()).toBe(before);
    const other = await submit(admin, '/settings', '/settings', { ...base, down_payment_pct: '25', moratorium_monthly_pct: '1.5', moratorium_effective_from: '2026-07-01' });
    expect(other.status).toBe(409);
    expect(other.text).toMatch(/id="e-moratorium_effective_from">Ya hay otra tasa registrada con esa fecha/);
    expect(await countRates()).toBe(before);
    // the whole form is one transaction: the down payment change was not kept either
    expect((await getSettings(t.db)).down_payment_ppm).toBe(150000);
  });

  it('refuses bad values next to their field (400, nothing written)', async () => {
    const before = await getSettings(t.db);
    const cases: [Record<string, string>, string][] = [
      [{ down_payment_pct: 'quince' }, 'down_payment_pct'],
      [{ down_payment_pct: '100' }, 'down_payment_pct'],
      [{ installment_count: '0' }, 'installment_count'],
      [{ installment_count: '12.5' }, 'installment_count'],
      [{ annual_rate_pct: '-1' }, 'annual_rate_pct'],
      [{ rescission_threshold_pct: '0' }, 'rescission_threshold_pct'],
      [{ moratorium_monthly_pct: '1.2' }, 'moratorium_effective_from'],
      [{ moratorium_effective_from: '2026-01-01' }, 'moratorium_monthly_pct'],
    ];
    for (const [change, field] of cases) {
      const res = await submit(admin, '/settings', '/settings', { ...base, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.text, JSON.stringify(change)).toContain(`id="e-${field}"`);
    }
    expect(await getSettings(t.db)).toEqual(before);
  });

  it('is for the administrator only', async () => {
    const manager = await login(t.app, 'gerente');
    expect((await manager.get('/settings')).status).toBe(403);
  });
});
