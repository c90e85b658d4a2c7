// Every page of the payments area speaks Spanish and English in full: no i18n key shows through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, textOf, type TestApp, type Agent } from '../support/app.ts';
import payments from '../../src/web/locales/payments.ts';
import { pay, reverse, sale, setRates } from '../service/sales-fixtures.ts';

let t: TestApp;
let c: { id: number };
const KEY = /\b(payments|receipts|statement|delinquency|acceleration|rescission)\.[a-z_.0-9+-]+/;

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  c = await sale(t.db, { date: '2026-03-05', today: t.today });
  await pay(t.db, c.id, '2026-03-05', 1_500_000, t.today);
  const r = await pay(t.db, c.id, '2026-04-05', 141_667, t.today, 'deposit');
  await reverse(t.db, r, 'prueba', t.today);
});
afterAll(async () => { await t.close(); });

const pages = () => [
  `/contracts/${c.id}/payments/new`, `/contracts/${c.id}/payments/new?date=2026-11-25&amount=100.00&method=cash`,
  '/receipts/R001-00000001', '/receipts/R001-00000002', `/contracts/${c.id}/statement`, `/contracts/${c.id}`,
  '/delinquency', `/contracts/${c.id}/acceleration/new`, `/contracts/${c.id}/rescission/new`,
];

describe('words of the payments area', () => {
  it('has the same keys in Spanish and English', () => {
    expect(Object.keys(payments.en).sort()).toEqual(Object.keys(payments.es).sort());
  });

  for (const lang of ['es', 'en'] as const) {
    it(`renders every page in ${lang} without a missing key`, async () => {
      const agent: Agent = await login(t.app, 'gerente');
      if (lang === 'en') await agent.get('/lang/en?next=/');
      for (const url of pages()) {
        const res = await agent.get(url);
        expect([url, res.status]).toEqual([url, 200]);
        const text = textOf(res.text);
        expect([url, KEY.exec(text)?.[0] ?? null]).toEqual([url, null]);
        expect(text).toContain(lang === 'es' ? 'Cerrar sesión' : 'Log out');
      }
    });
  }
});
