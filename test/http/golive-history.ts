// A generated go-live: a park with lots and firms, and the two CSV files of its paper history (contracts
// and receipts), with the paper balance of each contract computed here, independently of the app, by the
// pure domain functions (buildSchedule, computeStatement) as a clerk with the rules would have.
import type { Db } from '../../src/db/knex.ts';
import { buildSchedule, listPrice } from '../../src/domain/schedule.ts';
import { computeStatement, type PaymentIn, type RatePeriod } from '../../src/domain/statement.ts';
import { addDays, addMonths, type IsoDate } from '../../src/domain/dates.ts';
import { toSolesString } from '../../src/domain/money.ts';
import { rucCheckDigit } from '../../src/domain/ruc.ts';
import { rng } from '../support/rng.ts';
import { insertFirm, insertLot } from '../support/sales.ts';

export const TODAY = '2026-11-25';
export const CUTOFF = '2026-10-31';
/** The moratorium rates in force over the history: 1.2% a month, 0.9% from mid-2023. */
export const RATES: RatePeriod[] = [{ effective_from: '2015-01-01', monthly_rate_ppm: 12000 }, { effective_from: '2023-07-01', monthly_rate_ppm: 9000 }];

export const CONTRACT_HEADER = 'paper_number,lot_code,firm_ruc,firm_name,date,price,price_reason,down_payment_pct,installments,annual_rate_pct,member_number,member_joined_on,representative_name,representative_dni,sector,paper_balance';
export const RECEIPT_HEADER = 'paper_contract_number,paper_number,date,amount,method,reference';

export const rucOf = (n: number, prefix = '20') => { const s = `${prefix}${String(n).padStart(8, '0')}`; return `${s}${rucCheckDigit(s)}`; };

export interface GeneratedHistory {
  contracts: string; // the CSV text
  receipts: string;
  /** paper number → the balance on CUTOFF as computed here. */
  balances: Map<string, number>;
  contractCount: number;
  receiptCount: number;
  newFirms: number;
  /** The date of receipt RP-000001 (the first of the first contract). */
  firstReceiptDate: IsoDate;
}

/** Lots G-01… (municipal, available) and firms: `existing` members in the app already. */
export async function goLivePark(db: Db, opts: { lots: number; existingFirms: number }): Promise<void> {
  for (let i = 1; i <= opts.lots; i++) {
    await insertLot(db, { code: `G-${String(i).padStart(2, '0')}`, area_dm2: 80_000 + i * 1_250, price_per_m2_cents: 7_000 + i * 37 });
  }
  for (let i = 1; i <= opts.existingFirms; i++) {
    await insertFirm(db, rucOf(500 + i), `Empresa Existente ${i} S.A.C.`, { number: `AC-${500 + i}`, joined_on: '2012-01-10' });
  }
  await db('moratorium_rates').delete();
  for (const r of RATES) await db('moratorium_rates').insert({ ...r, created_at: new Date().toISOString() });
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",;\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * `count` contracts of `receiptsEach` receipts, on lots G-01…: contracts of existing firms and of new ones
 * (created from the file), list and negotiated prices, the park's terms and others (a French plan), down
 * payments in one receipt or two, installments paid late or short (late fees), by cash, deposit and
 * transfer. No receipt overpays: each is at most one installment, so that the total stays below the price.
 */
export function generateHistory(opts: { count: number; receiptsEach: number; existingFirms: number; seed: number; lotArea: (i: number) => { area_dm2: number; price_per_m2_cents: number } }): GeneratedHistory {
  const random = rng(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const contracts: string[] = [CONTRACT_HEADER];
  const receipts: string[] = [RECEIPT_HEADER];
  const balances = new Map<string, number>();
  let receiptSerial = 0;
  let newFirms = 0;
  let receiptCount = 0;
  let firstReceiptDate = '';
  for (let i = 1; i <= opts.count; i++) {
    const paper = `CP-${String(i).padStart(4, '0')}`;
    const lot = `G-${String(i).padStart(2, '0')}`;
    // Signed between 2019 and 2021, on any day (the 29th-31st too: short months).
    const date: IsoDate = addDays('2019-01-03', Math.floor(random() * 1000));
    const existing = i % 5 !== 0 && i <= opts.existingFirms * 2;
    let ruc: string; let name: string; let member = ''; let joined = ''; let rep = ''; let dni = ''; let sector = '';
    if (existing) {
      const k = ((i - 1) % opts.existingFirms) + 1;
      ruc = rucOf(500 + k);
      name = `Empresa Existente ${k} S.A.C.`;
    } else {
      newFirms += 1;
      ruc = rucOf(9000 + i, i % 2 ? '20' : '10');
      name = `Nueva Empresa ${i}, Ilo`;
      member = `AC-${9000 + i}`;
      joined = i % 3 ? addDays(date, -30) : '';
      rep = `Representante ${i}`;
      dni = String(40000000 + i * 7);
      sector = pick(['metalmecanica', 'carpinteria', 'pesquera', '']);
    }
    const { area_dm2, price_per_m2_cents } = opts.lotArea(i);
    const list = listPrice(area_dm2, price_per_m2_cents);
    const negotiated = i % 7 === 0;
    const price = negotiated ? Math.round(list * 0.9) : list;
    const french = i % 6 === 0;
    const terms = french
      ? { down_payment_ppm: 200_000, installment_count: 72, annual_rate_ppm: 60_000 }
      : { down_payment_ppm: 150_000, installment_count: 60, annual_rate_ppm: 0 };
    const schedule = buildSchedule({ price_cents: price, date, ...terms });

    const payments: PaymentIn[] = [];
    const dated: { date: IsoDate; amount: number }[] = [];
    const down = schedule.down_payment_cents;
    if (i % 4 === 0) { // the down payment in two receipts: the contract starts when the second is paid
      const first = Math.round(down * 0.6);
      dated.push({ date, amount: first }, { date: addDays(date, 9), amount: down - first });
    } else {
      dated.push({ date, amount: down });
    }
    const installment = schedule.rows[1]!.installment_cents;
    for (let k = 1; dated.length < opts.receiptsEach; k++) {
      const due = addMonths(date, k);
      // Mostly on time, some late (late fees), some short; never more than one installment.
      const late = random() < 0.3 ? Math.floor(random() * 50) : 0;
      const day = addDays(due, late - Math.floor(random() * 4));
      const share = random() < 0.15 ? 0.5 + random() * 0.4 : 1;
      const prev = dated[dated.length - 1]!.date;
      dated.push({ date: day < prev ? prev : day, amount: Math.max(1, Math.floor(installment * share)) });
    }
    for (const d of dated) {
      receiptSerial += 1;
      if (receiptSerial === 1) firstReceiptDate = d.date;
      const method = pick(['cash', 'deposit', 'transfer'] as const);
      const ref = method === 'cash' ? '' : `${method === 'deposit' ? 'BN' : 'BCP'}-${100000 + receiptSerial}`;
      receipts.push([paper, `RP-${String(receiptSerial).padStart(6, '0')}`, d.date, toSolesString(d.amount), method, ref].map(csvCell).join(','));
      payments.push({ id: receiptSerial, date: d.date, amount_cents: d.amount });
      receiptCount += 1;
    }
    const statement = computeStatement({
      schedule: schedule.rows.map((r) => ({ n: r.n, due_date: r.due_date, principal_cents: r.principal_cents, interest_cents: r.interest_cents })),
      payments: payments.filter((p) => p.date <= CUTOFF), rates: RATES, as_of: CUTOFF,
    });
    balances.set(paper, statement.outstanding_cents);
    const pct = (ppm: number) => String(ppm / 10_000);
    contracts.push([
      paper, lot, ruc, name, i % 2 ? date : date.split('-').reverse().join('/'),
      negotiated ? toSolesString(price) : '', negotiated ? 'Acuerdo de Concejo' : '',
      french ? pct(terms.down_payment_ppm) : '', french ? String(terms.installment_count) : '', french ? pct(terms.annual_rate_ppm) : '',
      member, joined, rep, dni, sector, toSolesString(statement.outstanding_cents),
    ].map(csvCell).join(','));
  }
  return { contracts: `${contracts.join('\r\n')}\r\n`, receipts: `${receipts.join('\r\n')}\r\n`, balances, contractCount: opts.count, receiptCount, newFirms, firstReceiptDate };
}

/** The lots goLivePark makes, by number. */
export const goLiveLot = (i: number) => ({ area_dm2: 80_000 + i * 1_250, price_per_m2_cents: 7_000 + i * 37 });
