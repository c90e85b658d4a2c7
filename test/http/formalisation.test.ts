// The formalisation track over HTTP: minuta → escritura pública → inscrita en SUNARP, in order (409 out of
// order or in the wrong contract status, 400 for missing fields), the rows and events it writes, the contract
// page's track, and the managers' list of paid-off contracts whose title is not registered yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type Agent, type TestApp } from '../support/app.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';

const TODAY = '2026-11-25';
let t: TestApp;
let manager: Agent;
const c = {} as Record<'paid' | 'live' | 'waiting', { id: number; firm_ruc: string; lot_code: string }>;

const post = (id: number, data: Record<string, string>) =>
  submit(manager, `/contracts/${id}/formalisation/new`, `/contracts/${id}/formalisation`, data);
const errorOf = (html: string, field: string) => new RegExp(`id="e-${field}">([^<]*)<`).exec(html)?.[1];
const steps = () => t.db('formalisation_steps').count({ n: '*' }).first().then((r) => Number(r!.n));

const minuta = { stage: 'minuta', stage_date: '2025-03-01', resolution_number: 'R.G. 031-2025-GDE-MPI', resolution_date: '2025-02-20' };
const escritura = { stage: 'escritura', stage_date: '2025-04-10', resolution_number: 'R.G. 044-2025-GDE-MPI', resolution_date: '2025-04-02',
  notary: 'Notaría Valdivia, Ilo' };
const inscrita = { stage: 'inscrita', stage_date: '2025-06-18', resolution_number: 'R.G. 070-2025-GDE-MPI', resolution_date: '2025-06-18',
  registry_entry: 'P. 11023456, asiento C00002', notes: 'Título 2025-01234567' };

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  c.paid = await sale(t.db, { date: '2025-01-15', today: TODAY }); // CV-2025-0001, paid off on 2025-02-01
  await pay(t.db, c.paid.id, '2025-01-15', 1_500_000, TODAY);
  await pay(t.db, c.paid.id, '2025-02-01', 8_500_000, TODAY);
  c.live = await sale(t.db, { date: '2026-06-10', today: TODAY }); // active
  await pay(t.db, c.live.id, '2026-06-10', 1_500_000, TODAY);
  c.waiting = await sale(t.db, { date: '2026-11-01', today: TODAY }); // awaiting its down payment
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('refusals, nothing written', () => {
  it('400 for missing fields, each next to its field', async () => {
    const res = await post(c.paid.id, {});
    expect(res.status).toBe(400);
    expect(errorOf(res.text, 'stage')).toBe('Elija una de las opciones.');
    expect(errorOf(res.text, 'stage_date')).toBe('Este campo es obligatorio.');
    expect(errorOf(res.text, 'resolution_number')).toBe('Este campo es obligatorio.');
    expect(errorOf(res.text, 'resolution_date')).toBe('Este campo es obligatorio.');
    const bad = await post(c.paid.id, { ...minuta, stage_date: '2026-11-26', resolution_date: '2025-01-14' });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.text, 'stage_date')).toBe('La fecha no puede ser posterior a hoy.');
    expect(errorOf(bad.text, 'resolution_date')).toBe('La fecha no puede ser anterior a la del contrato (15/01/2025).');
    expect(await steps()).toBe(0);
  });

  it('409 out of order: an escritura or an inscription before the minuta', async () => {
    const e = await post(c.paid.id, escritura);
    expect(e.status).toBe(409);
    expect(errorOf(e.text, 'stage')).toBe('Primero debe registrarse la minuta.');
    const i = await post(c.paid.id, inscrita);
    expect(i.status).toBe(409);
    expect(errorOf(i.text, 'stage')).toBe('Primero debe registrarse la escritura pública.');
    expect(await steps()).toBe(0);
  });

  it('409 in the wrong status: no minuta while awaiting the down payment; no escritura before the payoff', async () => {
    const w = await post(c.waiting.id, { ...minuta, stage_date: TODAY, resolution_date: TODAY });
    expect(w.status).toBe(409);
    expect(errorOf(w.text, 'stage')).toBe('El contrato CV-2026-0002 no está vigente ni pagado: no admite minuta.');
    // An active contract may sign its minuta…
    const m = await post(c.live.id, { ...minuta, stage_date: '2026-07-01', resolution_date: '2026-06-30' });
    expect(m.status).toBe(303);
    // …but not its escritura.
    const e = await post(c.live.id, { ...escritura, stage_date: TODAY, resolution_date: TODAY });
    expect(e.status).toBe(409);
    expect(errorOf(e.text, 'stage')).toBe('El contrato CV-2026-0001 no está pagado en su totalidad: la escritura y la inscripción lo requieren.');
    expect(await steps()).toBe(1);
  });
});

describe('the three stages of a paid-off contract', () => {
  it('minuta, then escritura (not dated before the minuta), each 303 to the contract', async () => {
    const m = await post(c.paid.id, minuta);
    expect(m.status).toBe(303);
    expect(m.headers.location).toBe(`/contracts/${c.paid.id}`);
    const early = await post(c.paid.id, { ...escritura, stage_date: '2025-02-28' });
    expect(early.status).toBe(400);
    expect(errorOf(early.text, 'stage_date')).toBe('No puede ser anterior a la etapa previa (01/03/2025).');
    expect((await post(c.paid.id, escritura)).status).toBe(303);
    const again = await post(c.paid.id, minuta);
    expect(again.status).toBe(409);
    expect(errorOf(again.text, 'stage')).toBe('Esta etapa ya está registrada.');
  });

  it('the managers see it among the paid-off contracts without a registered title, from the home page', async () => {
    const home = await manager.get('/');
    expect(home.text).toContain('<dt>Pagados sin título inscrito</dt><dd><a href="/contracts?status=paid_off&amp;title=pending">1</a></dd>');
    const list = textOf((await manager.get('/contracts?status=paid_off&title=pending')).text);
    expect(list).toContain('Contratos pagados sin título inscrito');
    expect(list).toContain('1 contratos');
    expect(list).toContain('CV-2025-0001');
    expect(list).not.toContain('CV-2026-0001');
  });

  it('the inscription needs its registry entry (400), then closes the track', async () => {
    const { registry_entry: _, ...without } = inscrita;
    const r = await post(c.paid.id, without);
    expect(r.status).toBe(400);
    expect(errorOf(r.text, 'registry_entry')).toBe('Indique la partida y el asiento de la inscripción.');
    expect((await post(c.paid.id, inscrita)).status).toBe(303);
    const rows = await t.db('formalisation_steps').where({ contract_id: c.paid.id }).orderBy('id')
      .select('stage', 'stage_date', 'resolution_number', 'resolution_date', 'notary', 'registry_entry', 'notes', 'recorded_by');
    expect(rows).toEqual([
      { stage: 'minuta', stage_date: '2025-03-01', resolution_number: 'R.G. 031-2025-GDE-MPI', resolution_date: '2025-02-20', notary: null, registry_entry: null, notes: null, recorded_by: 2 },
      { stage: 'escritura', stage_date: '2025-04-10', resolution_number: 'R.G. 044-2025-GDE-MPI', resolution_date: '2025-04-02', notary: 'Notaría Valdivia, Ilo', registry_entry: null, notes: null, recorded_by: 2 },
      { stage: 'inscrita', stage_date: '2025-06-18', resolution_number: 'R.G. 070-2025-GDE-MPI', resolution_date: '2025-06-18', notary: null, registry_entry: 'P. 11023456, asiento C00002', notes: 'Título 2025-01234567', recorded_by: 2 },
    ]);
    expect(await t.db('contract_events').where({ contract_id: c.paid.id }).orderBy('id').select('kind', 'date')).toEqual([
      { kind: 'created', date: '2025-01-15' }, { kind: 'activated', date: '2025-01-15' }, { kind: 'paid_off', date: '2025-02-01' },
      { kind: 'formalisation_minuta', date: '2025-03-01' }, { kind: 'formalisation_escritura', date: '2025-04-10' },
      { kind: 'formalisation_inscrita', date: '2025-06-18' },
    ]);
    expect(await t.db('audit_log').where({ action: 'contract.formalisation' }).count({ n: '*' })).toEqual([{ n: 4 }]);
  });

  it('the contract page shows the track; the list and the home page no longer count it', async () => {
    const page = textOf((await manager.get(`/contracts/${c.paid.id}`)).text);
    expect(page).toContain('Formalización del título '
      + 'Minuta — 01/03/2025 · Res. R.G. 031-2025-GDE-MPI (20/02/2025) '
      + 'Escritura pública — 10/04/2025 · Res. R.G. 044-2025-GDE-MPI (02/04/2025) · Notaría: Notaría Valdivia, Ilo '
      + 'Inscrita en SUNARP — 18/06/2025 · Res. R.G. 070-2025-GDE-MPI (18/06/2025) · Partida/asiento: P. 11023456, asiento C00002 Título 2025-01234567');
    expect(page).toContain('18/06/2025 Título inscrito en SUNARP R.G. 070-2025-GDE-MPI gerente');
    expect(page).not.toContain('el título aún no está inscrito');
    const form = textOf((await manager.get(`/contracts/${c.paid.id}/formalisation/new`)).text);
    expect(form).toContain('El título está inscrito: no quedan etapas por registrar.');
    expect(textOf((await manager.get('/contracts?status=paid_off&title=pending')).text)).toContain('0 contratos');
    expect((await manager.get('/')).text).toContain('title=pending">0</a>');
    const live = textOf((await manager.get(`/contracts/${c.live.id}`)).text);
    expect(live).toContain('Minuta — 01/07/2026');
    expect(live).toContain('Escritura pública — pendiente');
  });
});
