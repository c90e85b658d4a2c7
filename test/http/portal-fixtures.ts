// Two buyer firms with their contracts, receipts and portal logins, for the portal, access-table and
// buyer-isolation tests; made through the services that the manager's forms call. Every figure the
// tests expect is worked out in the comments here (moratorium 1.2% a month from 2010, today 2026-11-25).
import type { Db } from '../../src/db/knex.ts';
import { createUser } from '../../src/auth/service.ts';
import { signContract } from '../../src/contracts/service.ts';
import { rescindContract } from '../../src/delinquency/service.ts';
import { ACTOR, pay, reverse, sale, setRates } from '../service/sales-fixtures.ts';
import { insertLot } from '../support/sales.ts';
import { PASSWORD } from '../support/app.ts';

export const TODAY = '2026-11-25';
export const BUYER_A = 'comprador-a';
export const BUYER_B = 'comprador-b';
export const FIRM_A_NAME = 'Metalmecánica Andina S.A.C.';
export const FIRM_B_NAME = 'Carpintería Costa Brava E.I.R.L.';

export interface BuyersPark {
  a: { ruc: string; active: number; paidOff: number; rescinded: number; receipts: string[] };
  b: { ruc: string; active: number; receipts: string[]; voided: string };
  lotCode: string;
}

/** A second sale to an existing firm (sale() makes a fresh firm each time): S/ 100,000 on its own lot. */
async function saleTo(db: Db, firm_ruc: string, lot_code: string, date: string): Promise<number> {
  await insertLot(db, { code: lot_code, area_dm2: 100_000, price_per_m2_cents: 10_000 });
  return signContract(db, { lot_code, firm_ruc, date, price_cents: null, price_reason: null, member_number: null, joined_on: null }, ACTOR, TODAY);
}

export async function buyersPark(db: Db): Promise<BuyersPark> {
  await setRates(db, [['2010-01-01', 12000]]);

  // Firm A, contract 1 (active): S/ 100,000 on 2026-06-10: down 15,000.00 and 60 × 1,416.67 at 0%.
  // Paid: the down payment and installment 1 (10/07). Installments 2-5 (10/08 … 10/11) are unpaid on
  // 25/11; each accrues 141,667 × 1.2% ÷ 30 = 56.6668 céntimos a day:
  //   n=2 107 days → 6,063; n=3 76 days → 4,307; n=4 46 days → 2,607; n=5 15 days → 850: 13,827 (S/ 138.27).
  // Overdue 4 × 1,416.67 + 138.27 = S/ 5,804.95; outstanding 85,000 − 1,416.67 + 138.27 = S/ 83,721.60;
  // paid 15,000 + 1,416.67 = S/ 16,416.67; next installment n=6, S/ 1,416.67 due 10/12/2026.
  const a1 = await sale(db, { date: '2026-06-10', today: TODAY });
  const ra1 = await pay(db, a1.id, '2026-06-10', 1_500_000, TODAY, 'transfer');
  const ra2 = await pay(db, a1.id, '2026-07-10', 141_667, TODAY);
  await db('firms').where({ ruc: a1.firm_ruc }).update({ name: FIRM_A_NAME });
  await db('memberships').where({ firm_ruc: a1.firm_ruc }).update({ member_number: 'AC-0417', joined_on: '2015-03-02' });

  // Firm A, contract 2 (paid off): signed 2025-01-15, down payment that day and the whole 85,000 on 01/02/2025.
  const a2 = await saleTo(db, a1.firm_ruc, 'P-01', '2025-01-15');
  const ra3 = await pay(db, a2, '2025-01-15', 1_500_000, TODAY);
  const ra4 = await pay(db, a2, '2025-02-01', 8_500_000, TODAY, 'deposit');

  // Firm A, contract 3 (rescinded): signed 2025-03-10, only the down payment; rescinded on 2025-10-01.
  const a3 = await saleTo(db, a1.firm_ruc, 'P-02', '2025-03-10');
  const ra5 = await pay(db, a3, '2025-03-10', 1_500_000, TODAY);
  await rescindContract(db, a3, { resolution_number: 'R.A. 101-2025', resolution_date: '2025-10-01', compensation_cents: 200_000, penalty_cents: 0 }, TODAY, ACTOR);

  // Firm B (active): signed 2026-03-10; down payment, installment 1, and a deposit that bounced (reversed).
  const b1 = await sale(db, { date: '2026-03-10', today: TODAY });
  const rb1 = await pay(db, b1.id, '2026-03-10', 1_500_000, TODAY);
  const rb2 = await pay(db, b1.id, '2026-04-10', 141_667, TODAY, 'transfer');
  const rb3 = await pay(db, b1.id, '2026-05-10', 141_667, TODAY, 'deposit');
  await reverse(db, rb3, 'Depósito rechazado por el banco', TODAY);
  await db('firms').where({ ruc: b1.firm_ruc }).update({ name: FIRM_B_NAME });

  await createUser(db, { username: BUYER_A, role: 'buyer', password: PASSWORD, email: 'pagos@andina.pe', firm_ruc: a1.firm_ruc });
  await createUser(db, { username: BUYER_B, role: 'buyer', password: PASSWORD, email: 'caja@costabrava.pe', firm_ruc: b1.firm_ruc });

  return {
    a: { ruc: a1.firm_ruc, active: a1.id, paidOff: a2, rescinded: a3, receipts: [ra1, ra2, ra3, ra4, ra5] },
    b: { ruc: b1.firm_ruc, active: b1.id, receipts: [rb1, rb2, rb3], voided: rb3 },
    lotCode: a1.lot_code,
  };
}
