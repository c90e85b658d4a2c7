// What is confirmed is what was shown (issue 11): the confirm step of a sale and of a payment posts the
// form with the values its preview was computed from (previewed_*). A form changed after the preview
// writes nothing and answers 409 with the message and the new preview; the same values (compared
// parsed: '1,000.00' is '1000', 'a-3' is 'A-03') confirm → 303. A POST without previewed_* acts at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, csrfFrom, textOf, type Agent, type TestApp } from '../support/app.ts';
import { insertFirm, insertLot, saleCounts, validRuc } from '../support/sales.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';
import type { Db } from '../../src/db/knex.ts';
import { previewedFrom, STALE_PREVIEW } from '../support/previewed.ts';

let t: TestApp;
let manager: Agent;
const FIRM = validRuc('2051233379');
const STALE = STALE_PREVIEW;

/** Rows of every table a sale or a payment writes: a refused confirmation leaves them all as they were. */
async function counts(db: Db) {
  const n = async (table: string) => Number((await db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);
  return {
    ...await saleCounts(db), receipts: await n('receipts'), journal_entries: await n('journal_entries'),
    journal_lines: await n('journal_lines'), audit_log: await n('audit_log'), lots_available: Number((await db('lots').where({ status: 'available' }).count<{ n: number }[]>({ n: '*' }))[0]!.n),
  };
}

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  manager = await login(t.app, 'gerente');
  // 1,000.00 m² and 800.00 m² at S/ 100.00: S/ 100,000.00 and S/ 80,000.00
  await insertLot(t.db, { code: 'A-03', area_dm2: 100_000, price_per_m2_cents: 10_000 });
  await insertLot(t.db, { code: 'A-04', area_dm2: 80_000, price_per_m2_cents: 10_000 });
  await insertLot(t.db, { code: 'A-05', area_dm2: 50_000, price_per_m2_cents: 10_000 });
  await insertFirm(t.db, FIRM, 'Metálicas del Sur Demo S.A.C.', { number: 'AC-101' });
});
afterAll(async () => { await t.close(); });

describe('confirming a sale', () => {
  it('previews A-03, is sent with A-04 at another price: 409, nothing signed, the new preview shown; then confirms A-04', async () => {
    const preview = await manager.get(`/contracts/new?lot_code=A-03&firm_ruc=${FIRM}&date=2026-11-20&price=&price_reason=&member_number=&joined_on=&preview=1`);
    expect(preview.status).toBe(200);
    const shown = previewedFrom(preview.text);
    expect(shown).toEqual({
      previewed_lot_code: 'A-03', previewed_firm_ruc: FIRM, previewed_date: '2026-11-20', previewed_price: '',
      previewed_price_reason: '', previewed_member_number: '', previewed_joined_on: '',
    });
    const before = await counts(t.db);
    const res = await manager.post('/contracts').type('form').send({
      _csrf: csrfFrom(preview.text), lot_code: 'A-04', firm_ruc: FIRM, date: '2026-11-20', price: '70000.00',
      price_reason: 'Acuerdo de concejo 12-2026', member_number: '', joined_on: '', ...shown,
    });
    expect(res.status).toBe(409);
    const text = textOf(res.text);
    expect(text).toContain(STALE);
    // At the top: above the form.
    expect(res.text.indexOf('class="alert alert-warn stale-preview"')).toBeLessThan(res.text.indexOf('id="sale-form"'));
    // The new preview, of what the form holds now.
    expect(text).toContain('Lote A-04 · 800.00 m²');
    expect(text).toContain('Precio de lista S/ 80,000.00');
    expect(text).toContain('Precio S/ 70,000.00 Pactado');
    expect(text).toContain('Cuota inicial (15%) S/ 10,500.00');
    expect(await counts(t.db)).toEqual(before);
    expect(await t.db('contracts').count({ n: '*' })).toEqual([{ n: 0 }]);

    // One more click confirms the new preview.
    const again = previewedFrom(res.text);
    expect(again).toMatchObject({ previewed_lot_code: 'A-04', previewed_price: '70000.00', previewed_price_reason: 'Acuerdo de concejo 12-2026' });
    const ok = await manager.post('/contracts').type('form').send({
      _csrf: csrfFrom(res.text), lot_code: 'A-04', firm_ruc: FIRM, date: '2026-11-20', price: '70000.00',
      price_reason: 'Acuerdo de concejo 12-2026', member_number: '', joined_on: '', ...again,
    });
    expect(ok.status).toBe(303);
    const c = await t.db('contracts as c').join('lots as l', 'l.id', 'c.lot_id')
      .select('c.number', 'c.price_cents', 'c.list_price_cents', 'c.date', 'c.firm_ruc', 'l.code', 'l.status');
    expect(c).toEqual([{ number: 'CV-2026-0001', price_cents: 7_000_000, list_price_cents: 8_000_000, date: '2026-11-20', firm_ruc: FIRM, code: 'A-04', status: 'awaiting_down_payment' }]);
    expect((await t.db('lots').where({ code: 'A-03' }).first()).status).toBe('available');
  });

  it('compares parsed values: "a-3" and "95,000.00" as previewed confirm "A-03" at "95000"', async () => {
    const preview = await manager.get(`/contracts/new?lot_code=a-3&firm_ruc=${FIRM}&date=2026-11-21&price=95%2C000.00&price_reason=Descuento&preview=1`);
    expect(preview.status).toBe(200);
    const shown = previewedFrom(preview.text);
    expect(shown).toMatchObject({ previewed_lot_code: 'a-3', previewed_price: '95,000.00' });
    const res = await manager.post('/contracts').type('form').send({
      _csrf: csrfFrom(preview.text), lot_code: 'A-03', firm_ruc: FIRM, date: '2026-11-21', price: '95000', price_reason: ' Descuento ', ...shown,
    });
    expect(res.status).toBe(303);
    const c = await t.db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').where('l.code', 'A-03').first('c.number', 'c.price_cents', 'c.price_reason');
    expect(c).toEqual({ number: 'CV-2026-0002', price_cents: 9_500_000, price_reason: 'Descuento' });
  });

  it('takes a missing previewed copy as blank: a confirmation naming only the lot is out of date (409)', async () => {
    const page = await manager.get('/contracts/new');
    const before = await counts(t.db);
    const res = await manager.post('/contracts').type('form').send({
      _csrf: csrfFrom(page.text), lot_code: 'A-05', firm_ruc: FIRM, date: '2026-11-22', previewed_lot_code: 'A-05',
    });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain(STALE);
    expect(textOf(res.text)).toContain('Lote A-05 · 500.00 m²');
    expect(await counts(t.db)).toEqual(before);
  });

  it('signs at once without any previewed field (scripts, docs/interfaces.md)', async () => {
    const page = await manager.get('/contracts/new');
    const res = await manager.post('/contracts').type('form').send({ _csrf: csrfFrom(page.text), lot_code: 'A-05', firm_ruc: FIRM, date: '2026-11-22' });
    expect(res.status).toBe(303);
    expect((await t.db('contracts').orderBy('id', 'desc').first()).number).toBe('CV-2026-0003');
  });

  it('a changed form whose new values are refused gets the refusal next to the field (409, the lot is taken), nothing signed', async () => {
    const preview = await manager.get('/contracts/new');
    const before = await counts(t.db);
    const res = await manager.post('/contracts').type('form').send({
      _csrf: csrfFrom(preview.text), lot_code: 'A-04', firm_ruc: FIRM, date: '2026-11-20', previewed_lot_code: 'A-03',
      previewed_firm_ruc: FIRM, previewed_date: '2026-11-20',
    });
    // A-04 was sold above: the refusal, not a preview to confirm.
    expect(res.status).toBe(409);
    expect(res.text).toContain('id="e-lot_code"');
    expect(res.text).not.toContain('id="preview"');
    expect(await counts(t.db)).toEqual(before);
  });
});

describe('confirming a payment', () => {
  let id = 0;
  beforeAll(async () => {
    const c = await sale(t.db, { date: '2026-06-10', today: t.today });
    id = c.id;
    await pay(t.db, id, '2026-06-10', 1_500_000, t.today, 'transfer');
  });

  it('previews S/ 3,000.00, is sent with S/ 2,500.00: 409, nothing recorded, the new preview; then records S/ 2,500.00', async () => {
    const form = await manager.get(`/contracts/${id}/payments/new`);
    const token = /name="form_token" value="([0-9a-f]{32})"/.exec(form.text)![1]!;
    const preview = await manager.get(`/contracts/${id}/payments/new?form_token=${token}&date=2026-09-01&amount=3000.00&method=deposit&reference=BN-0045821`);
    expect(preview.status).toBe(200);
    const shown = previewedFrom(preview.text);
    expect(shown).toEqual({ previewed_date: '2026-09-01', previewed_amount: '3000.00', previewed_method: 'deposit', previewed_reference: 'BN-0045821' });
    expect(textOf(preview.text)).toContain('El pago de S/ 3,000.00 del 01/09/2026');

    const before = await counts(t.db);
    const res = await manager.post(`/contracts/${id}/payments`).type('form').send({
      _csrf: csrfFrom(preview.text), form_token: token, date: '2026-09-01', amount: '2500.00', method: 'deposit', reference: 'BN-0045821', ...shown,
    });
    expect(res.status).toBe(409);
    const text = textOf(res.text);
    expect(text).toContain(STALE);
    expect(text).toContain('El pago de S/ 2,500.00 del 01/09/2026');
    // Installment 1 (due 10/07) is 53 days late on 01/09: 141667 × 0.012 × 53/30 = 3003.34 → S/ 30.03.
    expect(text).toContain('Cuota 1 10/07/2026 S/ 30.03 S/ 0.00 S/ 1,416.67 S/ 1,446.70');
    expect(await counts(t.db)).toEqual(before);
    expect(previewedFrom(res.text)).toEqual({ ...shown, previewed_amount: '2500.00' });
    expect(res.text).toContain(`name="form_token" value="${token}"`);

    // Confirmed as shown, the amount typed another way: '2,500' is '2500.00'.
    const ok = await manager.post(`/contracts/${id}/payments`).type('form').send({
      _csrf: csrfFrom(res.text), form_token: token, date: '2026-09-01', amount: '2,500', method: 'deposit', reference: 'BN-0045821',
      ...previewedFrom(res.text),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/receipts/R001-00000002');
    const r = await t.db('receipts').where({ number: 'R001-00000002' }).first();
    expect(r).toMatchObject({ contract_id: id, date: '2026-09-01', amount_cents: 250_000, method: 'deposit', reference: 'BN-0045821', status: 'valid' });
    expect((await counts(t.db)).receipts).toBe(before.receipts + 1);
  });

  it('a changed method or reference is a change too (409)', async () => {
    const form = await manager.get(`/contracts/${id}/payments/new`);
    const token = /name="form_token" value="([0-9a-f]{32})"/.exec(form.text)![1]!;
    const before = await counts(t.db);
    const res = await manager.post(`/contracts/${id}/payments`).type('form').send({
      _csrf: csrfFrom(form.text), form_token: token, date: '2026-09-02', amount: '100.00', method: 'cash', reference: '',
      previewed_date: '2026-09-02', previewed_amount: '100', previewed_method: 'transfer', previewed_reference: 'OP-1',
    });
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain(STALE);
    expect(await counts(t.db)).toEqual(before);
  });

  it('records at once without any previewed field (scripts)', async () => {
    const form = await manager.get(`/contracts/${id}/payments/new`);
    const token = /name="form_token" value="([0-9a-f]{32})"/.exec(form.text)![1]!;
    const res = await manager.post(`/contracts/${id}/payments`).type('form').send({
      _csrf: csrfFrom(form.text), form_token: token, date: '2026-09-02', amount: '100.00', method: 'cash',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/receipts/R001-00000003');
  });
});
