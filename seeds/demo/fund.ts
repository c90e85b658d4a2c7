// Demo data: the reinvestment fund's infrastructure projects (water for the upper zone, power,
// paving, drainage, the machinery centre) with their budgets, and the spending charged to them
// since 2021, recorded through the fund service with their past dates. Runs after the sales and
// payments demo. First the till's cash goes to the bank at the end of every month that has ended
// ("DEP-2024-03"), as municipal finance does; then each spending is capped at what the fund holds on
// its date (and on every later day), so no spending ever needs the "beyond the fund" confirmation,
// and at what the bank holds likewise, so neither caja nor banco is ever below zero. One invoice
// entered twice is reversed. Deterministic: the same day gives the same fund.
import type { Knex } from 'knex';
import { SYSTEM } from '../../src/audit/audit.ts';
import { fixedClock, systemClock, type Clock } from '../../src/clock.ts';
import { addDays, addMonths, endOfMonth, startOfMonth, type IsoDate } from '../../src/domain/dates.ts';
import { availableOn } from '../../src/domain/fund-reports.ts';
import { cents, type Cents } from '../../src/domain/money.ts';
import { rucCheckDigit } from '../../src/domain/ruc.ts';
import { createProject, recordSpending, reverseSpending, spendingLimits, type ProjectStatus } from '../../src/fund/service.ts';
import { cashAvailableOn, recordCashDeposit } from '../../src/fund/cash-deposits.ts';
import { ACCOUNTS } from '../../src/fund/ledger.ts';
import { accountDailyEffects } from '../../src/fund/queries.ts';

interface DemoProject {
  code: string; name: string; budget_cents: number; status: ProjectStatus; description: string;
  first: IsoDate | null; // first valuation; then one every `every` months while the budget lasts
  every: number;
  share_ppm: number; // each valuation: this share of the budget (less when the fund or the budget has less)
  work: string;
}

const PROJECTS: DemoProject[] = [
  { code: 'ELEC-MT', name: 'Red eléctrica de media tensión', budget_cents: 52_000_000, status: 'done', first: '2021-09-20', every: 3,
    share_ppm: 250_000, work: 'Tendido de red de media tensión y subestación',
    description: 'Demo: red de 10 kV a lo largo de las avenidas principales y subestación compacta de 250 kVA.' },
  { code: 'AGUA-ZA', name: 'Agua potable para la zona alta', budget_cents: 78_000_000, status: 'in_progress', first: '2022-06-15', every: 3,
    share_ppm: 100_000, work: 'Reservorio elevado y redes de distribución',
    description: 'Demo: reservorio de 400 m³, línea de impulsión y redes para las manzanas de la zona alta.' },
  { code: 'PAV-VI', name: 'Pavimentación de vías internas', budget_cents: 95_000_000, status: 'in_progress', first: '2023-08-10', every: 4,
    share_ppm: 90_000, work: 'Carpeta asfáltica y veredas',
    description: 'Demo: asfaltado de 3.2 km de vías internas con veredas y señalización.' },
  { code: 'DREN-PL', name: 'Drenaje pluvial de la zona baja', budget_cents: 31_000_000, status: 'in_progress', first: '2025-03-05', every: 4,
    share_ppm: 150_000, work: 'Cunetas, alcantarillas y buzones',
    description: 'Demo: cunetas y alcantarillas para las lluvias del fenómeno El Niño.' },
  { code: 'CMAQ', name: 'Centro de maquinaria compartida', budget_cents: 64_000_000, status: 'planned', first: null, every: 0,
    share_ppm: 0, work: '',
    description: 'Demo: galpón con maquinaria de uso común para las MYPE socias de ACIPIAS (expediente técnico en elaboración).' },
];

/** Fictitious suppliers with valid RUCs (the check digit computed from the first ten digits). */
const SUPPLIERS = [
  ['2045612378', 'Constructora Costa Sur S.A.C. (demo)'],
  ['2060011223', 'Electro Moquegua E.I.R.L. (demo)'],
  ['2039988776', 'Hidráulica del Pacífico S.A. (demo)'],
  ['1043215678', 'Juan Quispe Mamani, ingeniero residente (demo)'],
].map(([stem, name]) => ({ ruc: `${stem}${rucCheckDigit(stem!)}`, name: name! }));

/** The project whose latest invoice is keyed in twice (and the copy reversed). */
const DUPLICATED = 'PAV-VI';

/** What the bank can pay on a date without going below zero then or on any later day. */
async function bankAvailableOn(knex: Knex, date: IsoDate): Promise<number> {
  return availableOn(await accountDailyEffects(knex, ACCOUNTS.bank), date);
}

/** At the end of every month that has ended, the till's cash goes to the bank: what it holds then,
 *  less anything a later void will take out of it (the deposit's own rule). */
async function depositTheTill(knex: Knex, clock: Clock, today: IsoDate): Promise<void> {
  const first = await knex('receipts').where({ method: 'cash' }).min({ d: 'date' }).first();
  if (!first?.d) return;
  for (let month = startOfMonth(String(first.d)); endOfMonth(month) <= today; month = addMonths(month, 1)) {
    const end = endOfMonth(month);
    const amount = await cashAvailableOn(knex, end);
    if (amount <= 0) continue;
    await recordCashDeposit(knex, clock, SYSTEM, { date: end, amount_cents: amount, reference: `DEP-${end.slice(0, 7)}` });
  }
}

export async function seedFund(knex: Knex): Promise<void> {
  const today = systemClock.today();
  const clock = fixedClock(today);
  const last = addDays(today, -15);

  await depositTheTill(knex, clock, today);

  const ids = new Map<string, number>();
  for (const p of PROJECTS) {
    ids.set(p.code, await createProject(knex, SYSTEM, {
      code: p.code, name: p.name, budget_cents: cents(p.budget_cents), status: p.status, description: p.description,
    }));
  }

  // Every valuation of every project, in date order, so that each one sees the fund as it was.
  const events: { project: DemoProject; date: IsoDate; n: number }[] = [];
  for (const p of PROJECTS) {
    if (!p.first) continue;
    for (let n = 0, date = p.first; date <= last; n++, date = addMonths(p.first, p.every * n)) events.push({ project: p, date, n });
  }
  events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.project.code < b.project.code ? -1 : 1));

  let doc = 100;
  let duplicate: number | null = null;
  for (const e of events) {
    const id = ids.get(e.project.code)!;
    const limits = await spendingLimits(knex, id, e.project.budget_cents, e.date);
    // Keep a tenth of what the fund holds for what comes later; never beyond the budget.
    const planned = Math.round((e.project.budget_cents * e.project.share_ppm) / 1_000_000);
    const amount = Math.min(planned, Math.floor(limits.fund_available_cents * 0.9), limits.budget_remaining_cents,
      await bankAvailableOn(knex, e.date));
    if (amount < 100_00) continue;
    const supplier = SUPPLIERS[(doc + e.project.code.length) % SUPPLIERS.length]!;
    doc += 1;
    const spendingId = await recordSpending(knex, clock, SYSTEM, id, {
      date: e.date, supplier_ruc: supplier.ruc, supplier_name: supplier.name, document_number: `F001-${String(doc).padStart(8, '0')}`,
      description: `Valorización N.º ${e.n + 1}: ${e.project.work}`, amount_cents: cents(amount) as Cents, confirm_over: false,
    });
    if (e.project.code === DUPLICATED) duplicate = spendingId; // its latest, when the fund has most
  }
  if (duplicate !== null) {
    // The same invoice keyed in twice under another number (when the fund could pay it twice): the copy is reversed.
    const original = await knex('spendings').where({ id: duplicate }).first();
    const amount = Number(original.amount_cents);
    const date = addDays(original.date, 2);
    const project = PROJECTS.find((p) => p.code === DUPLICATED)!;
    const limits = await spendingLimits(knex, ids.get(DUPLICATED)!, project.budget_cents, date);
    if (amount <= limits.fund_available_cents && amount <= limits.budget_remaining_cents && amount <= await bankAvailableOn(knex, date)) {
      const copy = await recordSpending(knex, clock, SYSTEM, ids.get(DUPLICATED)!, {
        date, supplier_ruc: original.supplier_ruc, supplier_name: original.supplier_name,
        document_number: `${original.document_number}-B`, description: original.description, amount_cents: cents(amount),
        confirm_over: false,
      });
      await reverseSpending(knex, clock, SYSTEM, copy, 'Demo: la misma factura se registró dos veces');
    }
  }
}
