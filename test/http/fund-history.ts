// A generated history for the finance tests, through the services and HTTP routes that users use:
// sales, payments (one backdated, one reversed), a rescission with refund, a partial down payment,
// a lot turned over to the ministry, and projects with spending (one over budget, one reversed).
// Every expected figure below is worked out by hand in the comments.
import type { Db } from '../../src/db/knex.ts';
import { rescindContract } from '../../src/delinquency/service.ts';
import { ACTOR, pay, reverse, sale, setRates } from '../service/sales-fixtures.ts';
import { csrfFrom, submit, type Agent } from '../support/app.ts';

export const TODAY = '2026-11-25';

export interface History {
  contracts: { a: number; b: number; c: number; d: number; e: number };
  projects: { water: number; paving: number };
  spendings: { water1: number; paving1: number; pavingReversed: number; waterOver: number };
  voidedReceipt: string;
}

/** Sales and payments (manager's side), through the contracts, payments and delinquency services. */
export async function salesHistory(db: Db): Promise<History['contracts'] & { voidedReceipt: string }> {
  await setRates(db, [['2010-01-01', 12000]]);
  // A: S/ 100,000 on 2025-05-10. Receipts 15,000 + 1,416.67 + 3,000 + 1,416.67 (entered late with its
  // earlier date) + 20,000 valid; a 1,416.67 deposit reversed today.
  const a = await sale(db, { date: '2025-05-10', today: TODAY });
  await pay(db, a.id, '2025-05-10', 1_500_000, TODAY, 'transfer');
  await pay(db, a.id, '2025-06-10', 141_667, TODAY);
  const wrong = await pay(db, a.id, '2025-07-10', 141_667, TODAY, 'deposit');
  await pay(db, a.id, '2025-09-01', 300_000, TODAY);
  await pay(db, a.id, '2025-08-10', 141_667, TODAY);
  await pay(db, a.id, '2026-01-10', 2_000_000, TODAY, 'transfer');
  await reverse(db, wrong, 'Depósito duplicado', TODAY);
  // B: down payment and 1,500, then rescinded on 2026-10-01: 16,500 received − 3,000 − 500 = 13,000 refunded.
  const b = await sale(db, { date: '2025-02-20', today: TODAY });
  await pay(db, b.id, '2025-02-20', 1_500_000, TODAY);
  await pay(db, b.id, '2025-04-01', 150_000, TODAY);
  await rescindContract(db, b.id, {
    resolution_number: 'R.A. 77-2026', resolution_date: '2026-10-01', compensation_cents: 300_000, penalty_cents: 50_000,
  }, TODAY, ACTOR);
  // C: S/ 50,000 paid at once by deposit on 2026-03-03.
  const c = await sale(db, { date: '2026-03-03', today: TODAY, area_dm2: 50_000 });
  await pay(db, c.id, '2026-03-03', 5_000_000, TODAY, 'deposit');
  // D: a partial down payment of 7,000 in cash on 2026-06-01 (not recognized as a receivable yet).
  const d = await sale(db, { date: '2026-06-01', today: TODAY });
  await pay(db, d.id, '2026-06-01', 700_000, TODAY);
  // E: a lot that turned out to be the ministry's: 15,000 + 1,416.67 in cash, never to the fund.
  const e = await sale(db, { date: '2026-02-01', today: TODAY, owner: 'ministry' });
  await pay(db, e.id, '2026-02-01', 1_500_000, TODAY);
  await pay(db, e.id, '2026-03-01', 141_667, TODAY);
  return { a: a.id, b: b.id, c: c.id, d: d.id, e: e.id, voidedReceipt: wrong };
}

export const idFrom = (location: string | undefined) => Number(/\/(\d+)$/.exec(location ?? '')?.[1]);

/** Projects and spending (finance's side), through the HTTP forms. */
export async function fundHistory(finance: Agent): Promise<Pick<History, 'projects' | 'spendings'>> {
  const project = async (code: string, name: string, budget: string) => {
    const res = await submit(finance, '/finance/projects/new', '/finance/projects',
      { code, name, budget, status: 'in_progress', description: `Obra ${name}` });
    if (res.status !== 303) throw new Error(`project ${code}: ${res.status}`);
    return idFrom(res.headers.location);
  };
  const water = await project('AGUA-ZA', 'Agua potable para la zona alta', '60000.00');
  const paving = await project('PAV-01', 'Pavimentación de la avenida principal', '30000.00');
  const spend = async (projectId: number, data: Record<string, string>) => {
    const res = await submit(finance, `/finance/projects/${projectId}/spending/new`, `/finance/projects/${projectId}/spending`, {
      supplier_ruc: '20512333797', supplier_name: 'Constructora Ilo S.A.C.', description: 'Valorización de obra', ...data,
    });
    if (res.status !== 303) throw new Error(`spending ${JSON.stringify(data)}: ${res.status}`);
    return idFrom(res.headers.location);
  };
  const water1 = await spend(water, { date: '2026-04-15', amount: '25000.00', document_number: 'F001-00000101' });
  const paving1 = await spend(paving, { date: '2026-07-20', amount: '12000.00', document_number: 'F001-00000102' });
  const pavingReversed = await spend(paving, { date: '2026-08-05', amount: '5000.00', document_number: 'F001-00000103' });
  const page = await finance.get(`/finance/spending/${pavingReversed}`);
  const rev = await finance.post(`/finance/spending/${pavingReversed}/reverse`).type('form')
    .send({ _csrf: csrfFrom(page.text), reason: 'Factura registrada dos veces' });
  if (rev.status !== 303) throw new Error(`reverse: ${rev.status}`);
  // 60,000 − 25,000 = 35,000 left in the water budget: 40,000 goes over it, confirmed.
  const waterOver = await spend(water, { date: '2026-11-20', amount: '40000.00', document_number: 'F001-00000104', confirm_over: '1' });
  return { projects: { water, paving }, spendings: { water1, paving1, pavingReversed, waterOver } };
}

/** Hand-worked figures of that history (céntimos). */
export const EXPECTED = {
  // Municipal receipts before 2026: A 15,000 + 1,416.67 + 1,416.67 (voided later) + 3,000 + 1,416.67; B 15,000 + 1,500.
  fundAt2025End: 1_500_000 + 141_667 + 141_667 + 300_000 + 141_667 + 1_500_000 + 150_000,
  // 2026 receipt entries on municipal lots: A 20,000, C 50,000, D 7,000.
  collections2026: 2_000_000 + 5_000_000 + 700_000,
  voided2026: -141_667,
  refunds2026: -1_300_000,
  spendingWater: -6_500_000,
  spendingPaving: -1_200_000,
  // 38,750.01 + 77,000 − 1,416.67 − 13,000 − 65,000 − 12,000
  fundNow: 3_875_001 + 7_700_000 - 141_667 - 1_300_000 - 6_500_000 - 1_200_000,
  // Valid receipts of 2026, all lots: A 20,000; C 50,000; D 7,000; E 15,000 + 1,416.67.
  receipts2026: 2_000_000 + 5_000_000 + 700_000 + 1_500_000 + 141_667,
};
