// Benchmark parks: a SQLite file of N contracts with realistic histories, made through the real
// services (signContract, recordPayment, reverseReceipt, accelerateContract, rescindContract), so that
// every row is what the forms would have written. Large parks are copies of a smaller generated one
// (bench/copy.ts). Every park is checked after generation: accounts:verify and the reconciliation.
//
//   npx tsx bench/generate.ts --size 400 [--force]     → bench/.parks/park-400.sqlite
import { rng } from '../test/support/rng.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, migrate, type Db } from '../src/db/knex.ts';
import { systemClock } from '../src/clock.ts';
import { addDays, addMonths, daysBetween, type IsoDate } from '../src/domain/dates.ts';
import { cents } from '../src/domain/money.ts';
import { rucCheckDigit } from '../src/domain/ruc.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import type { Actor } from '../src/audit/audit.ts';
import { signContract } from '../src/contracts/service.ts';
import { findContractView } from '../src/contracts/queries.ts';
import { recordPayment, reverseReceipt } from '../src/payments/service.ts';
import { computeStatement, type RatePeriod } from '../src/domain/statement.ts';
import { getMoratoriumRates } from '../src/settings/service.ts';
import { accelerateContract, rescindContract, rescissionCheck } from '../src/delinquency/service.ts';
import type { Method } from '../src/payments/postings.ts';
import { verifyAccounts } from '../src/accounts/maintain.ts';
import { reconciliation } from '../src/fund/reports.ts';
import { copyPark } from './copy.ts';
import { FormError } from '../src/web/errors.ts';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PARKS_DIR = path.join(BENCH_DIR, '.parks');
/** Bump when the generator changes: cached parks of another version are made anew. */
export const GENERATOR_VERSION = 3;
export const BENCH_PASSWORD = 'Bench-Ilo-2026-pwd';
export const STAFF_USER = 'gerente';
export const FINANCE_USER = 'finanzas';
export const BUYER_USER = 'comprador';
/** Sizes above this are made by copying the park of this size (on this shared 2-core machine the services
 *  record about 30–60 payments a second, so 4,000 contracts and their 120,000 payments would take over an hour). */
export const SERVICE_LIMIT = 400;

const PARK_DM2 = 80_000_000;
const FIRST_DATE = '2021-01-04' as IsoDate;
const METHODS: Method[] = ['cash', 'deposit', 'transfer'];

export const parkFile = (size: number) => path.join(PARKS_DIR, `park-${size}.v${GENERATOR_VERSION}.sqlite`);

export function rucOf(n: number): string {
  const first10 = `20${String(n).padStart(8, '0')}`;
  return `${first10}${rucCheckDigit(first10)}`;
}

/** Two capital letters per block of 500 lots: BA, BB, … (never a demo block, never three letters). */
export function blockOf(i: number): string {
  const b = Math.floor(i / 500);
  return String.fromCharCode(66 + Math.floor(b / 26)) + String.fromCharCode(65 + (b % 26));
}

type Profile = 'on_time' | 'late' | 'partial' | 'prepay' | 'paid_off' | 'accelerate' | 'rescind' | 'backdated' | 'awaiting';

function profileOf(r: number): Profile {
  if (r < 0.50) return 'on_time';
  if (r < 0.62) return 'late';
  if (r < 0.69) return 'partial';
  if (r < 0.76) return 'prepay';
  if (r < 0.82) return 'paid_off';
  if (r < 0.86) return 'accelerate';
  if (r < 0.89) return 'rescind';
  if (r < 0.99) return 'backdated';
  return 'awaiting';
}

export interface GenStats { contracts: number; receipts: number; reversed: number; accelerated: number; rescinded: number; backdated: number; refused: number; seconds: number }

async function setup(db: Db, size: number, today: IsoDate): Promise<{ actor: Actor; lotCodes: string[]; firms: string[] }> {
  await migrate(db);
  const now = new Date().toISOString();
  const hash = await hashPassword(BENCH_PASSWORD);
  const lotCount = Math.ceil(size * 1.2);
  // Lots small enough for the 80 ha (a multiple of 10 dm², so that a copy can divide it by 10).
  const area = Math.floor(PARK_DM2 / lotCount / 10) * 10;
  const firmCount = Math.ceil(size * 0.9);
  const firms = Array.from({ length: firmCount }, (_, i) => rucOf(i + 1));
  const lotCodes: string[] = [];
  await db.transaction(async (trx) => {
    await trx('users').insert([
      { username: 'admin', role: 'admin' }, { username: STAFF_USER, role: 'manager' }, { username: FINANCE_USER, role: 'finance' },
    ].map((u) => ({ ...u, password_hash: hash, created_at: now, password_changed_at: now })));
    await trx('moratorium_rates').insert({ effective_from: '2010-01-01', monthly_rate_ppm: 12000, ordinance: 'Bench: O.M. 000-2010-MPI', created_at: now });
    const lots = [];
    for (let i = 0; i < lotCount; i++) {
      const block = blockOf(i);
      const number = (i % 500) + 1;
      const code = `${block}-${String(number).padStart(3, '0')}`;
      lotCodes.push(code);
      lots.push({
        code, block, number, area_dm2: area, land_use: ['light_industry', 'metalworking', 'carpentry', 'warehousing'][i % 4],
        owner: 'municipal', price_per_m2_cents: 8_000 + (i % 8) * 1_000, status: 'available', created_at: now, updated_at: now,
      });
    }
    for (let i = 0; i < lots.length; i += 500) await trx('lots').insert(lots.slice(i, i + 500));
    const firmRows = firms.map((ruc, i) => ({
      ruc, name: `Empresa Bench ${i + 1} S.A.C.`, representative_name: `Representante ${i + 1}`, representative_dni: '12345678',
      sector: 'metalmecanica', phone: '053 480000', email: `bench${i + 1}@example.invalid`, address: `Parque Industrial de Ilo, oficina ${i + 1}`,
      created_at: now, updated_at: now,
    }));
    for (let i = 0; i < firmRows.length; i += 400) await trx('firms').insert(firmRows.slice(i, i + 400));
    const members = firms.map((ruc, i) => ({ firm_ruc: ruc, member_number: `B-${i + 1}`, joined_on: '2015-01-01', status: 'active' }));
    for (let i = 0; i < members.length; i += 400) await trx('memberships').insert(members.slice(i, i + 400));
    // The buyer's firm is firm 1 (it gets contracts 0 and firmCount, … : several, late and on time).
    await trx('users').insert({ username: BUYER_USER, role: 'buyer', firm_ruc: firms[0], password_hash: hash, created_at: now, password_changed_at: now });
  });
  void today;
  const manager = await db('users').where({ username: STAFF_USER }).first('id', 'username');
  return { actor: { id: manager.id, username: manager.username, ip: null }, lotCodes, firms };
}

/** Generates a park of `size` contracts through the services into `file`. */
export async function generateByServices(file: string, size: number, log = console.log): Promise<GenStats> {
  const started = Date.now();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = createDb(file);
  await db.raw('PRAGMA synchronous = OFF');
  const today = systemClock.today();
  const { actor, lotCodes, firms } = await setup(db, size, today);
  const lastDate = addDays(today, -20);
  const span = daysBetween(FIRST_DATE, lastDate);
  const rates: RatePeriod[] = await getMoratoriumRates(db);
  const stats: GenStats = { contracts: 0, receipts: 0, reversed: 0, accelerated: 0, rescinded: 0, backdated: 0, refused: 0, seconds: 0 };
  let receiptSerial = 0;

  const CHUNK = 50;
  for (let start = 0; start < size; start += CHUNK) {
    // One outer transaction per chunk: every service's own transaction becomes a savepoint in it.
    await db.transaction(async (trx) => {
      for (let k = start; k < Math.min(size, start + CHUNK); k++) {
        const r = rng(k * 7919 + 17);
        // Spread the sales evenly over the years, a little jitter; lots spread over the park.
        const date = addDays(FIRST_DATE, Math.min(span, Math.floor((k * span) / Math.max(1, size - 1))));
        const lot = lotCodes[Math.floor((k * lotCodes.length) / size)]!;
        const firm = firms[k % firms.length]!;
        const id = await signContract(trx, { lot_code: lot, firm_ruc: firm, date, price_cents: null, price_reason: null, member_number: null, joined_on: null }, actor, today);
        stats.contracts += 1;
        let profile = profileOf(r());
        if (profile === 'awaiting' && daysBetween(date, today) > 400) profile = 'on_time';
        await history(trx, id, profile, r, today, actor, stats, () => ++receiptSerial, rates);
      }
    });
    if ((start / CHUNK) % 10 === 9 || start + CHUNK >= size) {
      log(`  ${Math.min(size, start + CHUNK)} contracts, ${stats.receipts} receipts, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  await db.raw('PRAGMA synchronous = FULL');
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.destroy();
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}

/** One contract's payment history after its signature. */
async function history(trx: Db, id: number, profile: Profile, r: () => number, today: IsoDate, actor: Actor, stats: GenStats,
  serial: () => number, rates: RatePeriod[]): Promise<void> {
  const contract = (await findContractView(trx, id))!;
  // What the buyer owes is worked out in memory by the replay (the amounts chosen); the services check
  // and record them with their own reads, as the form would.
  const schedule = (await trx('schedule_rows').where({ contract_id: id }).orderBy('n')
    .select('n', 'due_date', 'principal_cents', 'interest_cents')).map((x) => ({
    n: Number(x.n), due_date: x.due_date as IsoDate, principal_cents: Number(x.principal_cents), interest_cents: Number(x.interest_cents),
  }));
  const rows = schedule;
  const last = rows.length - 1;
  const paid: { id: number; date: IsoDate; amount_cents: number; number: string }[] = [];
  let fakeId = 0;
  const owed = async (n: number, date: IsoDate): Promise<number> => {
    const statement = computeStatement({ schedule, payments: paid, rates, as_of: date, accelerated_on: null });
    return statement.rows.filter((x) => x.n <= n).reduce((t, x) => t + x.outstanding_cents, 0);
  };
  const payAmount = async (amount: number, date: IsoDate): Promise<string | null> => {
    if (date > today || amount <= 0) return null;
    const s = serial();
    const method = METHODS[s % 3]!;
    try {
      const number = await recordPayment(trx, id, {
        date, amount_cents: cents(amount), method,
        reference: method === 'cash' ? null : `OP-${date.replaceAll('-', '')}-${s}`, form_token: null,
      }, today, actor);
      stats.receipts += 1;
      paid.push({ id: ++fakeId, date, amount_cents: amount, number });
      return number;
    } catch (err) {
      // Refused as the form would refuse it (nothing written: its savepoint rolled back).
      if (!(err instanceof FormError)) throw err;
      stats.refused += 1;
      return null;
    }
  };
  const payThrough = async (n: number, date: IsoDate, part = 1): Promise<string | null> => {
    if (date > today) return null;
    const o = await owed(Math.min(n, last), date);
    return payAmount(part === 1 ? o : Math.round(o * part), date);
  };

  const drop = (number: string) => { const i = paid.findIndex((p) => p.number === number); if (i >= 0) paid.splice(i, 1); };
  if (profile === 'awaiting') return;
  await payThrough(0, contract.date);
  const lag = 1 + Math.floor(r() * 6); // late: 1–6 months behind
  const stopAfter = profile === 'rescind' ? 3 + Math.floor(r() * 15) : 6 + Math.floor(r() * 30);
  const payOffAt = 12 + Math.floor(r() * 24);
  let stoppedOn: IsoDate | null = null;
  let pendingBackdate: { amount: number; date: IsoDate } | null = null;
  for (const row of rows.slice(1)) {
    const { n, due_date } = row;
    if (due_date > today) break;
    // A payment made on time at the bank but entered after the next one: a back-dated receipt.
    if (pendingBackdate) {
      await payThrough(n, due_date, 1);
      await payAmount(pendingBackdate.amount, pendingBackdate.date);
      stats.backdated += 1;
      pendingBackdate = null;
      continue;
    }
    const jitter = Math.floor(r() * 5) - 2; // some pay a day or two early or late
    switch (profile) {
      case 'on_time':
        await payThrough(n, r() < 0.85 ? due_date : addDays(due_date, Math.max(0, jitter)));
        break;
      case 'backdated':
        if (r() < 0.12 && n < last - 3 && addMonths(due_date, 1) <= today) {
          const o = await owed(n, due_date);
          pendingBackdate = { amount: o, date: due_date };
        } else {
          await payThrough(n, due_date);
        }
        break;
      case 'late':
        // 1–6 months behind, partly: pays the installment due `lag` months ago, late fees first.
        if (n > lag) await payThrough(n - lag, addDays(due_date, 3 + Math.floor(r() * 10)), r() < 0.3 ? 0.6 : 1);
        break;
      case 'partial':
        await payThrough(n, addDays(due_date, Math.max(0, jitter)), addMonths(due_date, 2) > today ? 0.5 + r() * 0.4 : r() < 0.7 ? 0.7 + r() * 0.25 : 1);
        break;
      case 'prepay':
        if (n % 3 === 1) await payThrough(n + 2, addDays(due_date, -5 + Math.max(0, jitter)) < contract.date ? due_date : addDays(due_date, -5));
        break;
      case 'paid_off':
        if (n < payOffAt) await payThrough(n, due_date);
        else { await payThrough(last, due_date); return; }
        break;
      case 'accelerate':
      case 'rescind':
        if (n <= stopAfter) await payThrough(n, due_date);
        else if (!stoppedOn) stoppedOn = due_date;
        break;
    }
  }

  // A payment recorded twice by mistake and the duplicate reversed (about 3% of contracts), or a
  // real receipt reversed months later (1%): later receipts then split differently.
  const x = r();
  if (x < 0.04 && (profile === 'on_time' || profile === 'late' || profile === 'partial' || profile === 'backdated')) {
    const receipts = await trx('receipts').where({ contract_id: id, status: 'valid' }).orderBy('id', 'desc');
    if (x < 0.03) {
      const latest = receipts[0];
      if (latest && (await owed(last, latest.date)) >= Number(latest.amount_cents)) {
        const dup = await payAmount(Number(latest.amount_cents), latest.date);
        if (dup) { await reverseReceipt(trx, dup, 'Bench: pago registrado dos veces', today, actor); stats.reversed += 1; drop(dup); }
      }
    } else if (receipts.length > 6) {
      await reverseReceipt(trx, receipts[5].number, 'Bench: depósito rechazado por el banco', today, actor);
      stats.reversed += 1;
      drop(receipts[5].number);
    }
  }

  if ((profile === 'accelerate' || profile === 'rescind') && stoppedOn) {
    // Decided once three installments are overdue: about four months after the first one missed.
    const when = addMonths(stoppedOn, 3 + Math.floor(r() * 4));
    const decided = when > today ? today : addDays(when, 1);
    const c = (await findContractView(trx, id))!;
    const check = await rescissionCheck(trx, c, decided);
    if (!check.delinquency.may_accelerate_or_rescind || c.status !== 'active') return;
    if (profile === 'rescind' && check.allowed) {
      const kept = Math.floor(check.received_cents * 0.1);
      await rescindContract(trx, id, {
        resolution_number: `RG-${id}-${decided.slice(0, 4)}`, resolution_date: decided,
        compensation_cents: kept, penalty_cents: Math.floor(kept / 2),
      }, today, actor);
      stats.rescinded += 1;
    } else {
      await accelerateContract(trx, id, { resolution_number: `RA-${id}-${decided.slice(0, 4)}`, date: decided }, today, actor);
      stats.accelerated += 1;
    }
  }
}

/** accounts:verify and the reconciliation of every year, on the park file. Throws on a difference. */
export async function checkPark(file: string, log = console.log, opts: { everyYear: boolean } = { everyYear: true }): Promise<void> {
  const db = createDb(file);
  try {
    const t0 = Date.now();
    const v = await verifyAccounts(db);
    if (v.differences.length) throw new Error(`accounts:verify: ${v.differences.length} differences, e.g. ${JSON.stringify(v.differences.slice(0, 3))}`);
    const today = systemClock.today();
    const t1 = Date.now();
    const problems: string[] = [];
    // Every year of a small park; a large one (each call loads the whole ledger) over the whole history and this year.
    const year = today.slice(0, 4);
    const periods: [string, string][] = opts.everyYear
      ? Array.from({ length: Number(year) - 2020 }, (_, i) => [`${2021 + i}-01-01`, `${2021 + i}` === year ? today : `${2021 + i}-12-31`])
      : [['2021-01-01', today], [`${year}-01-01`, today]];
    for (const [from, to] of periods) {
      const rec = await reconciliation(db, from as IsoDate, to as IsoDate);
      if (!rec.ok) problems.push(`${from}..${to}: ${JSON.stringify(rec.checks.filter((c) => c.difference_cents !== 0 || c.items.length).map((c) => ({ key: c.key, diff: c.difference_cents, items: c.items.slice(0, 3) })))}`);
    }
    if (problems.length) throw new Error(`reconciliation differs:\n${problems.join('\n')}`);
    const counts = await db.raw(`SELECT (SELECT count(*) FROM contracts) AS contracts, (SELECT count(*) FROM receipts) AS receipts,
      (SELECT count(*) FROM receipts WHERE status = 'void') AS void, (SELECT count(*) FROM journal_lines) AS lines,
      (SELECT count(*) FROM contracts WHERE status = 'rescinded') AS rescinded, (SELECT count(*) FROM contracts WHERE accelerated_on IS NOT NULL) AS accelerated,
      (SELECT count(*) FROM contracts WHERE status = 'paid_off') AS paid_off`);
    log(`  checked: accounts:verify equal on ${v.checked} contracts (${((t1 - t0) / 1000).toFixed(1)} s), reconciliation ok (${periods.map((p) => p.join('..')).join(', ')}; ${((Date.now() - t1) / 1000).toFixed(1)} s); ${JSON.stringify(counts[0])}`);
  } finally {
    await db.destroy();
  }
}

/** The park file of `size`, generated (and checked) when not cached. */
export async function ensurePark(size: number, opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<string> {
  const log = opts.log ?? console.log;
  const file = parkFile(size);
  if (!opts.force && fs.existsSync(file)) return file;
  fs.mkdirSync(PARKS_DIR, { recursive: true });
  const tmp = `${file}.tmp`;
  if (size <= SERVICE_LIMIT) {
    log(`Generating a park of ${size} contracts through the services…`);
    const s = await generateByServices(tmp, size, log);
    log(`  ${s.contracts} contracts, ${s.receipts} payments (${s.backdated} back-dated), ${s.reversed} reversed, ${s.accelerated} accelerated, ${s.rescinded} rescinded, ${s.refused} refused by the service in ${s.seconds.toFixed(1)} s`);
  } else {
    const base = await ensurePark(SERVICE_LIMIT, { log });
    const times = Math.ceil(size / SERVICE_LIMIT);
    if (times * SERVICE_LIMIT !== size) throw new Error(`a copied park must be a multiple of ${SERVICE_LIMIT}`);
    log(`Building a park of ${size} contracts: ${times} copies of the ${SERVICE_LIMIT} park…`);
    const t0 = Date.now();
    await copyPark(base, tmp, times);
    log(`  copied in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  await checkPark(tmp, log, { everyYear: size <= SERVICE_LIMIT });
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(tmp, file);
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--size');
  const sizes = at >= 0 ? [Number(args[at + 1])] : [400, 4000];
  for (const size of sizes) await ensurePark(size, { force: args.includes('--force') });
}
