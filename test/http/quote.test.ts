import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { testApp, textOf, type TestApp } from '../support/app.ts';
import { insertLot } from '../support/sales.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  // 1,000.00 m² at S/ 100.00 per m² → list price S/ 100,000.00
  await insertLot(t.db, { code: 'C-07', area_dm2: 100_000, price_per_m2_cents: 10_000 });
});
afterAll(async () => { await t.close(); });

describe('GET /quote.csv', () => {
  it('gives the exact 0% schedule for S/ 100,000.00 on 2026-01-31, without a login', async () => {
    const res = await request(t.app).get('/quote.csv?price=100000.00&date=2026-01-31');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('n,due_date,principal,interest,installment,balance');
    expect(lines).toHaveLength(62); // header + down payment + 60 installments
    expect(lines[1]).toBe('0,2026-01-31,15000.00,0.00,15000.00,85000.00');
    expect(lines[2]).toBe('1,2026-02-28,1416.67,0.00,1416.67,83583.33');
    expect(lines[3]).toBe('2,2026-03-31,1416.67,0.00,1416.67,82166.66');
    expect(lines[60]).toBe('59,2030-12-31,1416.67,0.00,1416.67,1416.47');
    expect(lines[61]).toBe('60,2031-01-31,1416.47,0.00,1416.47,0.00');
  });

  it('takes the list price of a lot code', async () => {
    const res = await request(t.app).get('/quote.csv?lot=C-07&date=2026-01-31');
    expect(res.status).toBe(200);
    expect(res.text.split('\n')[1]).toBe('0,2026-01-31,15000.00,0.00,15000.00,85000.00');
  });

  it('applies rate, months and down when given (12% over 12 months, 20% down)', async () => {
    const res = await request(t.app).get('/quote.csv?price=10000&date=2026-03-15&rate=12&months=12&down=20');
    expect(res.status).toBe(200);
    const lines = res.text.trim().split('\n');
    expect(lines).toHaveLength(14);
    expect(lines[1]).toBe('0,2026-03-15,2000.00,0.00,2000.00,8000.00');
    // French plan at 1% a month: 8000 × 0.01 / (1 − 1.01^−12) = 710.790… → 710.79; interest 80.00
    expect(lines[2]).toBe('1,2026-04-15,630.79,80.00,710.79,7369.21');
    expect(lines[13]!.endsWith(',0.00')).toBe(true);
    const principal = lines.slice(1).reduce((s, l) => s + Math.round(Number(l.split(',')[2]) * 100), 0);
    expect(principal).toBe(1_000_000);
  });

  it('refuses bad parameters with 400 and a plain-text message naming the parameter', async () => {
    const noPrice = await request(t.app).get('/quote.csv?date=2026-01-31');
    expect(noPrice.status).toBe(400);
    expect(noPrice.headers['content-type']).toContain('text/plain');
    expect(noPrice.text).toMatch(/^price: /);

    // "100,000" is now read as a hundred thousand (comma thousands, as screens show amounts).
    const badPrice = await request(t.app).get('/quote.csv?price=100.000&date=2026-01-31');
    expect(badPrice.status).toBe(400);
    expect(badPrice.text).toContain('price: Monto ambiguo');

    const badDate = await request(t.app).get('/quote.csv?price=1000&date=2026-02-30');
    expect(badDate.status).toBe(400);
    expect(badDate.text).toMatch(/^date: /);

    const badMonths = await request(t.app).get('/quote.csv?price=1000&date=2026-01-31&months=0');
    expect(badMonths.status).toBe(400);
    expect(badMonths.text).toMatch(/^months: /);

    const badDown = await request(t.app).get('/quote.csv?price=1000&date=2026-01-31&down=100');
    expect(badDown.status).toBe(400);
    expect(badDown.text).toMatch(/^down: /);

    const badLot = await request(t.app).get('/quote.csv?lot=Z-99&date=2026-01-31');
    expect(badLot.status).toBe(400);
    expect(badLot.text).toMatch(/^lot: /);
  });
});

describe('GET /quote', () => {
  it('shows the form with the park terms to anyone', async () => {
    const res = await request(t.app).get('/quote');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain('Simulador de plan de pagos');
    expect(text).toContain('Vigente: 15');
    expect(text).toContain('Vigente: 60');
  });

  it('shows the down payment, the financed amount and the whole schedule on the page', async () => {
    const res = await request(t.app).get('/quote?price=100000.00&date=2026-01-31');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain('Cuota inicial (15%) S/ 15,000.00');
    expect(text).toContain('Saldo financiado S/ 85,000.00');
    expect(text).toContain('60 cuotas mensuales de S/ 1,416.67');
    expect(text).toContain('60 31/01/2031 S/ 1,416.47 S/ 0.00 S/ 1,416.47 S/ 0.00');
    expect(res.text.replace(/&#x3D;/g, '=')).toContain('href="/quote.csv?price=100000.00&amp;date=2026-01-31"');
  });

  it('puts the message next to the bad field with status 400', async () => {
    const res = await request(t.app).get('/quote?price=abc&date=2026-01-31');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="e-price">Escriba un monto en soles/);
  });
});
