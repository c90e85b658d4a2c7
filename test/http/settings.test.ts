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
    res = await submit(admin, '/settings', '/settings', { ...base, moratorium_monthly_pct: '1.2', moratorium_effective_from: '2018-01-01', moratorium_ordinance: 'O.M. 003-2018-MPI' });
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

  it('shows every refused field at once: the format checks and the ranges (issue 10 item 12)', async () => {
    const before = await getSettings(t.db);
    const res = await submit(admin, '/settings', '/settings', {
      ...base, down_payment_pct: '100', installment_count: '0', rescission_threshold_pct: '0',
      moratorium_monthly_pct: '12', moratorium_effective_from: '',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="e-down_payment_pct">La cuota inicial debe/);
    expect(res.text).toContain('id="e-installment_count"');
    expect(res.text).toContain('id="e-rescission_threshold_pct"');
    expect(res.text).toContain('id="e-moratorium_monthly_pct"');
    expect(res.text).toContain('id="e-moratorium_effective_from"');
    expect(await getSettings(t.db)).toEqual(before);
  });

  it('requires the ordinance of a new rate, with the other messages (issue 10 item 20)', async () => {
    const before = await countRates();
    const res = await submit(admin, '/settings', '/settings', {
      ...base, down_payment_pct: '100', moratorium_monthly_pct: '1.5', moratorium_effective_from: '2027-01-01', moratorium_ordinance: '',
    });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('Indique el número de la ordenanza que fija la nueva tasa');
    expect(res.text).toContain('id="e-moratorium_ordinance"');
    expect(res.text).toContain('id="e-down_payment_pct"');
    expect(await countRates()).toBe(before);
  });
});

describe('withdrawing a moratorium rate not yet in force (issue 10 item 20)', () => {
  it('marks the row withdrawn with reason and user, audits it, and the rate no longer applies', async () => {
    const added = await submit(admin, '/settings', '/settings', {
      ...base, moratorium_monthly_pct: '2', moratorium_effective_from: '2027-03-01', moratorium_ordinance: 'O.M. 020-2026-MPI',
    });
    expect(added.status).toBe(303);
    expect((await getMoratoriumRates(t.db)).map((r) => r.effective_from)).toContain('2027-03-01');
    const row = await t.db('moratorium_rates').where({ effective_from: '2027-03-01' }).first();
    const page = textOf((await admin.get('/settings')).text);
    expect(page).toContain('Aún no vigente. Retirar esta tasa…');
    const url = `/settings/moratorium/${row.id}/withdraw`;

    // without the confirmation or the reason: nothing changes, both messages on its row
    const refused = await submit(admin, '/settings', url, { reason: '' });
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain('Marque la casilla para confirmar el retiro.');
    expect(refused.text).toContain('id="e-reason"');
    expect((await t.db('moratorium_rates').where({ id: row.id }).first()).withdrawn_at).toBeNull();

    const ok = await submit(admin, '/settings', url, { reason: 'Ordenanza derogada antes de regir', confirm: '1' });
    expect(ok.status, textOf(ok.text).slice(-1500)).toBe(303);
    const after = await t.db('moratorium_rates').where({ id: row.id }).first();
    expect(after.withdrawal_reason).toBe('Ordenanza derogada antes de regir');
    expect(after.withdrawn_at).not.toBeNull();
    const adminId = (await t.db('users').where({ username: 'admin' }).first()).id;
    expect(after.withdrawn_by).toBe(adminId);
    expect((await getMoratoriumRates(t.db)).map((r) => r.effective_from)).not.toContain('2027-03-01');
    const audit = await t.db('audit_log').where({ action: 'moratorium.withdraw' }).first();
    expect(JSON.parse(audit.details)).toMatchObject({ effective_from: '2027-03-01', monthly_rate_ppm: 20000, reason: 'Ordenanza derogada antes de regir' });
    const shown = textOf((await admin.get('/settings')).text);
    expect(shown).toContain('01/03/2027 2% O.M. 020-2026-MPI');
    expect(shown).toContain('Retirada admin');
    // nothing to recompute: every account equals its replay
    const { verifyAccounts } = await import('../../src/accounts/maintain.ts');
    expect((await verifyAccounts(t.db)).differences).toEqual([]);
    // the date is free again for a rate
    const again = await submit(admin, '/settings', '/settings', {
      ...base, moratorium_monthly_pct: '1.8', moratorium_effective_from: '2027-03-01', moratorium_ordinance: 'O.M. 021-2026-MPI',
    });
    expect(again.status).toBe(303);
    expect((await getMoratoriumRates(t.db)).find((r) => r.effective_from === '2027-03-01')?.monthly_rate_ppm).toBe(18000);
  });

  it('refuses to withdraw a rate already in force (409, nothing changed)', async () => {
    const row = await t.db('moratorium_rates').where({ effective_from: '2026-07-01' }).first();
    const res = await submit(admin, '/settings', `/settings/moratorium/${row.id}/withdraw`, { reason: 'error', confirm: '1' });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('Esta tasa rige desde el 01/07/2026: ya no se puede retirar');
    expect((await t.db('moratorium_rates').where({ id: row.id }).first()).withdrawn_at).toBeNull();
  });
});
