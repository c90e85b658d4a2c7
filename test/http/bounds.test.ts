// Issue 10, items 1, 2 and 13: every amount, rate, area and count is bounded at the edge with a
// message next to the field, so that nothing beyond a safe integer of céntimos reaches the rules
// (before, such a lot was accepted and /lots, its page, /contracts/new and /quote answered 500).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { login, submit, testApp, textOf, type Agent, type TestApp } from '../support/app.ts';
import { countRows, fieldError, HEADER, uploadCsv } from './lots-helpers.ts';

let t: TestApp;
let gerente: Agent;
let admin: Agent;
beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  gerente = await login(t.app, 'gerente');
  admin = await login(t.app, 'admin');
});
afterAll(async () => { await t.close(); });

const lot = { code: 'Z-01', area_m2: '800000', land_use: 'metalworking', owner: 'municipal', price_per_m2: '10000' };

describe('lots: area and price per m² are bounded', () => {
  it('refuses an area beyond the park and a price per m² beyond S/ 10,000.00, each next to its field, writing nothing', async () => {
    const res = await submit(gerente, '/lots/new', '/lots', { ...lot, area_m2: '999999999.99', price_per_m2: '9999999999999.99' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'area_m2')).toBe('El área no puede pasar de 800,000.00 m² (el parque entero).');
    expect(fieldError(res.text, 'price_per_m2')).toBe('El monto no puede pasar de S/ 10,000.00.');
    expect(await countRows(t.db, 'lots')).toBe(0);
  });

  it('accepts the largest lot at the highest price, and every page that prices it answers', async () => {
    const res = await submit(gerente, '/lots/new', '/lots', lot);
    expect(res.status).toBe(303);
    for (const url of ['/lots', '/lots/Z-01', '/contracts/new']) {
      expect((await gerente.get(url)).status, url).toBe(200);
    }
    const quote = await request(t.app).get('/quote?lot=Z-01&date=2026-11-25');
    expect(quote.status).toBe(200);
    expect(textOf(quote.text)).toContain('S/ 8,000,000,000.00');
  });

  it('refuses the same on edit', async () => {
    const res = await submit(gerente, '/lots/Z-01/edit', '/lots/Z-01', { ...lot, price_per_m2: '10000.01' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'price_per_m2')).toBe('El monto no puede pasar de S/ 10,000.00.');
  });

  it('refuses them in a CSV import, line by line', async () => {
    const res = await uploadCsv(gerente, `${HEADER}\nY-01,Y,999999999.99,municipal,metalworking,,10\nY-02,Y,100,municipal,metalworking,,9999999999999.99\n`);
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain('999999999.99');
    expect(text).toContain('9999999999999.99');
    expect(await countRows(t.db, 'lots', { block: 'Y' })).toBe(0);
  });
});

describe('the public quote is bounded', () => {
  it('answers 400 with messages for a huge price, a rate over 100% and months over 600', async () => {
    const res = await request(t.app).get('/quote?price=9999999999999.99&rate=999&months=9999&date=2026-11-25');
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain('El monto no puede pasar de S/ 10,000,000,000.00.');
    expect(text).toContain('Escriba un número entre 1 y 600.');
  });

  it('quotes the largest amount at 100% over 600 months without failing', async () => {
    const res = await request(t.app).get('/quote?price=10000000000&rate=100&months=600&date=2026-11-25');
    expect(res.status).toBe(200);
    const csv = await request(t.app).get('/quote.csv?price=10000000000&rate=100&months=600&date=2026-11-25');
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\n')).toHaveLength(602);
  });

  it('answers 400 in plain text on the CSV too', async () => {
    const res = await request(t.app).get('/quote.csv?price=99999999999999999999&date=2026-11-25');
    expect(res.status).toBe(400);
    expect(res.text.replace(/\u00a0/g, ' ')).toContain('price: El monto no puede pasar de S/ 10,000,000,000.00.');
  });
});

describe('settings are bounded', () => {
  it('refuses an annual rate over 100% and more than 600 installments next to their fields', async () => {
    const res = await submit(admin, '/settings', '/settings', {
      down_payment_pct: '15', installment_count: '60000', annual_rate_pct: '999', rescission_threshold_pct: '50',
    });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'installment_count')).toBe('Escriba un número entre 1 y 600.');
    expect(fieldError(res.text, 'annual_rate_pct')).toBe('El porcentaje no puede pasar de 100 %.');
  });
});

describe('amounts typed as a person in Peru types them (item 13)', () => {
  it('the quote takes "S/ 18,049.50" and refuses "1.234,5" as ambiguous', async () => {
    const ok = await request(t.app).get(`/quote?price=${encodeURIComponent('S/ 18,049.50')}&date=2026-11-25`);
    expect(ok.status).toBe(200);
    expect(textOf(ok.text)).toContain('S/ 18,049.50');
    const bad = await request(t.app).get(`/quote?price=${encodeURIComponent('1.234,5')}&date=2026-11-25`);
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain('Monto ambiguo');
    const neg = await request(t.app).get('/quote?price=-5&date=2026-11-25');
    expect(neg.status).toBe(400);
    expect(textOf(neg.text)).toContain('El monto debe ser mayor que cero.');
  });
});
