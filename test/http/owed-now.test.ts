// Issue 10 item 18: the buyer's statement (and the contract page) put what matters first: the next
// installment, what is overdue (late fees included) and the balance, above the long schedule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, textOf, type TestApp } from '../support/app.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';

let t: TestApp;
let contract: { id: number };

beforeAll(async () => {
  t = await testApp({ today: '2026-11-25' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  // S/ 100,000 on 10/06/2026: down payment and installment 1 paid; installments 2-5 overdue on 25/11
  // (S/ 1,416.67 each, late fees S/ 138.27: see test/http/portal-fixtures.ts); the next one falls on 10/12.
  contract = await sale(t.db, { date: '2026-06-10', today: t.today });
  await pay(t.db, contract.id, '2026-06-10', 1_500_000, t.today, 'transfer');
  await pay(t.db, contract.id, '2026-07-10', 141_667, t.today);
});
afterAll(async () => { await t.close(); });

describe('what is owed, first', () => {
  it('the statement says the next installment and the overdue amount before the schedule', async () => {
    const agent = await login(t.app, 'gerente');
    const page = textOf((await agent.get(`/contracts/${contract.id}/statement`)).text);
    const first = page.indexOf('Próxima cuota S/ 1,416.67 vence el 10/12/2026');
    expect(first).toBeGreaterThan(0);
    expect(page).toContain('Vencido (incluye mora) S/ 5,804.95');
    expect(first).toBeLessThan(page.indexOf('Al Aplicar'));
    expect(first).toBeLessThan(page.indexOf('Cronograma'));
  });

  it('so does the contract page, above the parties and the schedule', async () => {
    const agent = await login(t.app, 'gerente');
    const page = textOf((await agent.get(`/contracts/${contract.id}`)).text);
    const first = page.indexOf('Próxima cuota S/ 1,416.67 vence el 10/12/2026');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(page.indexOf('Partes'));
  });
});
