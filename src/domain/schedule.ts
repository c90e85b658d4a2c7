// The payment plan of a sale: row 0 is the down payment (due on the contract date), rows 1..n
// the monthly installments. Pure: terms in, rows out, exact to the céntimo.
import { cents, divRoundHalfUp, MAX_AMOUNT_CENTS, percentOf, type Cents } from './money.ts';
import { addMonths, type IsoDate } from './dates.ts';

/**
 * Bounds of the terms, which the forms enforce with a message. Together they keep every figure
 * of a schedule a safe integer: a whole park (80 ha, MAX_AREA_DM2) at the highest price per m² costs
 * S/ 8,000,000,000.00 ≤ MAX_AMOUNT_CENTS, and 600 months of interest at 100% a year on the largest
 * amount add up to less than 5·10^13 céntimos.
 */
export const MAX_PRICE_PER_M2_CENTS = 1_000_000; // S/ 10,000.00 per m²
export const MAX_INSTALLMENTS = 600; // fifty years
export const MAX_RATE_PPM = 1_000_000; // 100% a year

export interface SaleTerms {
  price_cents: number;
  date: IsoDate; // contract date: row 0 falls due on it, row k on date + k months
  down_payment_ppm: number; // 150000 = 15%
  installment_count: number; // 60 = five years
  annual_rate_ppm: number; // 0 = no interest
}

export interface ScheduleRow {
  n: number;
  due_date: IsoDate;
  principal_cents: Cents;
  interest_cents: Cents;
  installment_cents: Cents; // principal + interest
  balance_cents: Cents; // principal still owed after this row
}

export interface Schedule {
  down_payment_cents: Cents;
  financed_cents: Cents;
  rows: ScheduleRow[];
}

const MONTHS_PER_YEAR_PPM = 12n * 1_000_000n; // monthly rate r = annual_ppm / 12,000,000

/** Price of a lot: area (dm²) × price per m² (céntimos), rounded half-up to the céntimo. */
export function listPrice(area_dm2: number, price_per_m2_cents: number): Cents {
  return cents(Number(divRoundHalfUp(BigInt(area_dm2) * BigInt(price_per_m2_cents), 100n)));
}

export function buildSchedule(terms: SaleTerms): Schedule {
  const { price_cents, date, down_payment_ppm, installment_count: n, annual_rate_ppm: a } = terms;
  if (!Number.isSafeInteger(price_cents) || price_cents <= 0 || price_cents > MAX_AMOUNT_CENTS) throw new RangeError('price out of range');
  if (!Number.isInteger(n) || n < 1 || n > MAX_INSTALLMENTS) throw new RangeError('installment_count out of range');
  if (down_payment_ppm < 0 || down_payment_ppm > 1_000_000) throw new RangeError('down payment out of range');
  if (!Number.isInteger(a) || a < 0 || a > MAX_RATE_PPM) throw new RangeError('rate out of range');

  const down = percentOf(price_cents, down_payment_ppm);
  const financed = cents(price_cents - down);
  const rows: ScheduleRow[] = [{
    n: 0, due_date: date, principal_cents: down, interest_cents: cents(0),
    installment_cents: down, balance_cents: financed,
  }];

  let balance = BigInt(financed);
  const level = levelInstallment(BigInt(financed), BigInt(a), n);
  for (let k = 1; k <= n; k++) {
    // Interest on the outstanding balance, rounded half-up each month.
    const interest = a === 0 ? 0n : divRoundHalfUp(balance * BigInt(a), MONTHS_PER_YEAR_PPM);
    // The last installment takes the difference so that the principal adds up exactly.
    const principal = k === n ? balance : level - interest;
    if (principal < 0n) throw new RangeError('installment does not cover the interest');
    balance -= principal;
    rows.push({
      n: k, due_date: addMonths(date, k), principal_cents: cents(Number(principal)),
      interest_cents: cents(Number(interest)), installment_cents: cents(Number(principal + interest)),
      balance_cents: cents(Number(balance)),
    });
  }

  const principalTotal = rows.reduce((s, r) => s + r.principal_cents, 0);
  if (principalTotal !== price_cents || balance !== 0n) {
    throw new Error(`schedule does not add up: ${principalTotal} ≠ ${price_cents}`);
  }
  return { down_payment_cents: down, financed_cents: financed, rows };
}

/**
 * The equal monthly installment, rounded half-up to the céntimo.
 * Without interest: financed ÷ n. With interest (French plan), r = a/12e6:
 *   F·r / (1 − (1+r)^−n) = F·a·A^n / (12e6·(A^n − B^n)),  A = 12e6 + a, B = 12e6,
 * which BigInt computes exactly, with no floating point anywhere.
 */
function levelInstallment(financed: bigint, a: bigint, n: number): bigint {
  if (a === 0n) return divRoundHalfUp(financed, BigInt(n));
  const B = MONTHS_PER_YEAR_PPM;
  const An = (B + a) ** BigInt(n);
  const Bn = B ** BigInt(n);
  return divRoundHalfUp(financed * a * An, B * (An - Bn));
}
