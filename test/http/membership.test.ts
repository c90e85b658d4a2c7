import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type Agent, type TestApp } from '../support/app.ts';
import { insertFirm, validRuc, saleCounts } from '../support/sales.ts';

let t: TestApp;
let manager: Agent;
const RUC = validRuc('2055500001');
const OTHER = validRuc('2055500002');

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  manager = await login(t.app, 'gerente');
  await insertFirm(t.db, RUC, 'Soldaduras Demo E.I.R.L.');
  await insertFirm(t.db, OTHER, 'Maderas del Sur Demo', { number: 'A-0007', joined_on: '2019-03-01' });
});
afterAll(async () => { await t.close(); });

const form = (ruc: string) => `/firms/${ruc}/membership/new`;

describe('ACIPIAS membership', () => {
  it('enrols a firm the first time, with its history', async () => {
    const res = await submit(manager, form(RUC), `/firms/${RUC}/membership`, { member_number: 'A-0123', joined_on: '2024-06-10', status: 'active' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/firms/${RUC}`);
    expect(await t.db('memberships').where({ firm_ruc: RUC }).first()).toEqual({ firm_ruc: RUC, member_number: 'A-0123', joined_on: '2024-06-10', status: 'active' });
    const events = await t.db('membership_events').where({ firm_ruc: RUC });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'active', effective_on: '2024-06-10' });
  });

  it('appends each later status change to the history shown on the firm page', async () => {
    let res = await submit(manager, form(RUC), `/firms/${RUC}/membership`, { member_number: 'A-0123', joined_on: '2024-06-10', status: 'suspended', effective_on: '2025-09-01', note: 'Cuotas gremiales impagas' });
    expect(res.status).toBe(303);
    res = await submit(manager, form(RUC), `/firms/${RUC}/membership`, { member_number: 'A-0123', joined_on: '2024-06-10', status: 'active' });
    expect(res.status).toBe(303);
    const events = await t.db('membership_events').where({ firm_ruc: RUC }).orderBy('id');
    expect(events.map((e) => [e.status, e.effective_on])).toEqual([
      ['active', '2024-06-10'], ['suspended', '2025-09-01'], ['active', '2026-11-25'],
    ]);
    const page = textOf((await manager.get(`/firms/${RUC}`)).text);
    expect(page).toContain('N.º de socia A-0123');
    expect(page).toContain('01/09/2025 Suspendida Cuotas gremiales impagas gerente');
    expect(page).toContain('25/11/2026 Activa');
  });

  it('records nothing when nothing changes', async () => {
    const before = await saleCounts(t.db);
    const res = await submit(manager, form(RUC), `/firms/${RUC}/membership`, { member_number: 'A-0123', joined_on: '2024-06-10', status: 'active' });
    expect(res.status).toBe(303);
    expect(await saleCounts(t.db)).toEqual(before);
  });

  it('refuses a member number that another firm holds (409, nothing written)', async () => {
    const before = await saleCounts(t.db);
    const res = await submit(manager, form(RUC), `/firms/${RUC}/membership`, { member_number: 'A-0007', joined_on: '2024-06-10', status: 'active' });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain(`Ese número de socia ya pertenece a la empresa con RUC ${OTHER}.`);
    expect(await saleCounts(t.db)).toEqual(before);
    expect((await t.db('memberships').where({ firm_ruc: RUC }).first()).member_number).toBe('A-0123');
  });

  it('refuses a bad status, a future date and a change before joining (400)', async () => {
    const before = await saleCounts(t.db);
    const bad = await submit(manager, form(OTHER), `/firms/${OTHER}/membership`, { member_number: 'A-0007', joined_on: '2019-03-01', status: 'expelled' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="e-status"');
    const future = await submit(manager, form(OTHER), `/firms/${OTHER}/membership`, { member_number: 'A-0007', joined_on: '2026-11-26', status: 'active' });
    expect(future.status).toBe(400);
    expect(future.text).toMatch(/id="e-joined_on">La fecha no puede ser posterior a hoy/);
    const early = await submit(manager, form(OTHER), `/firms/${OTHER}/membership`, { member_number: 'A-0007', joined_on: '2019-03-01', status: 'withdrawn', effective_on: '2018-01-01' });
    expect(early.status).toBe(400);
    expect(early.text).toContain('id="e-effective_on"');
    expect(await saleCounts(t.db)).toEqual(before);
  });

  it('answers 404 for the membership of an unknown firm', async () => {
    expect((await manager.get('/firms/20000000010/membership/new')).status).toBe(404);
  });
});

describe('the member register', () => {
  it('lists members filtered by status', async () => {
    await submit(manager, form(OTHER), `/firms/${OTHER}/membership`, { member_number: 'A-0007', joined_on: '2019-03-01', status: 'withdrawn', effective_on: '2026-10-01' });
    const active = textOf((await manager.get('/members?status=active')).text);
    expect(active).toContain('Soldaduras Demo E.I.R.L.');
    expect(active).not.toContain('Maderas del Sur Demo');
    const all = textOf((await manager.get('/members')).text);
    expect(all).toContain('Maderas del Sur Demo');
    expect(all).toContain('2 socias');
  });

  it('exports exactly ruc,name,member_number,joined_on,status as CSV', async () => {
    const res = await manager.get('/members.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.text).toBe([
      'ruc,name,member_number,joined_on,status',
      `${OTHER},Maderas del Sur Demo,A-0007,2019-03-01,withdrawn`,
      `${RUC},Soldaduras Demo E.I.R.L.,A-0123,2024-06-10,active`,
      '',
    ].join('\n'));
    const active = await manager.get('/members.csv?status=active');
    expect(active.text.trim().split('\n')).toHaveLength(2);
  });
});
