// The go-live import: the park's paper contracts and receipts replayed through the same services as a
// sale and a payment entered by hand (signContract, recordPayment: late fees, allocation, activation,
// ledger postings, the fund, the maintained account), all in ONE transaction: all or nothing.
//
//  1. the files are read line by line (csv.ts), every problem kept;
//  2. the lines are checked against the park (lots, firms, ACIPIAS, paper numbers already imported);
//  3. every line that passed is replayed in date order (a contract before the receipts of its day),
//     each service call a savepoint of the outer transaction: a refusal of the services (an overpayment,
//     a lot that turned out sold…) is mapped back to its file, line and column, and the replay goes on;
//  4. per contract, the app's balance on the cut-off date beside the paper's.
// A dry run, or any problem, rolls the transaction back at the end: the dry run's figures are exactly
// what the import writes, since they come from the same code on the same data.
import crypto from 'node:crypto';
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, type Message } from '../web/errors.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { signContract } from '../contracts/service.ts';
import { findContractView } from '../contracts/queries.ts';
import { recordPayment } from '../payments/service.ts';
import { accountOf } from '../payments/account.ts';
import { createFirm } from '../firms/service.ts';
import { currentBatch, forgetKept, inBatch } from '../db/batch-scope.ts';
import { parseContractsCsv, parseReceiptsCsv, type ContractLine, type ImportFile, type LineProblem, type ReceiptLine } from './csv.ts';

export interface UploadedCsv { name: string; bytes: Uint8Array }

export interface ImportInput {
  contracts: UploadedCsv;
  receipts: UploadedCsv | null; // a park may import contracts without receipts (all awaiting their down payment)
  cutoff_date: IsoDate | null; // the date the paper balances were written (default today)
  dry_run: boolean;
}

/** One contract of the file after the replay: the app's balance on the cut-off date beside the paper's. */
export interface ContractFigures {
  line: number;
  paper_number: string;
  contract_id: number;
  number: string; // CV-YYYY-NNNN
  lot_code: string;
  firm_ruc: string;
  firm_name: string;
  date: IsoDate;
  price_cents: number;
  status: string;
  receipts: number;
  paid_cents: number; // receipts to the cut-off date
  late_fee_unpaid_cents: number; // late fees owed on the cut-off date (part of the balance)
  balance_cents: number; // everything owed on the cut-off date: installments not paid + unpaid late fees
  paper_balance_cents: number | null;
  difference_cents: number | null; // balance − paper balance
}

export interface FileFacts { name: string; sha256: string; bytes: number }

export interface ImportReport {
  dry_run: boolean;
  import_id: number | null;
  cutoff_date: IsoDate;
  files: { contracts: FileFacts; receipts: FileFacts | null };
  contracts: ContractFigures[];
  problems: LineProblem[];
  warnings: LineProblem[];
  firms_created: number;
  receipts_imported: number;
  /** Receipts of a contract line that was refused: not replayed (their contract does not exist). */
  receipts_skipped: number;
  elapsed_ms: number;
}

/** An import refused: nothing was written; the report lists every problem. */
export class ImportRefused extends Error {
  constructor(public readonly report: ImportReport) {
    super(`import refused: ${report.problems.length} problems`);
  }
}

/** Thrown inside the transaction to roll it back with the report (a dry run, or problems). */
class RollBack extends Error {
  constructor(public readonly report: ImportReport) { super('rolled back'); }
}

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');
const facts = (f: UploadedCsv): FileFacts => ({ name: f.name.slice(0, 255), sha256: sha256(f.bytes), bytes: f.bytes.length });
const LIVE = ['awaiting_down_payment', 'active', 'paid_off'];
const CHUNK = 500;
const foldName = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('es');

async function inChunks<T>(values: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(...await read(values.slice(i, i + CHUNK)));
  return out;
}

/** Where each field of a service's refusal goes in the file. */
const SALE_FIELDS: Record<string, string | null> = {
  lot_code: 'lot_code', firm_ruc: 'firm_ruc', date: 'date', price: 'price', price_reason: 'price_reason',
  member_number: 'member_number', joined_on: 'member_joined_on', _form: null,
};
const FIRM_FIELDS: Record<string, string | null> = {
  ruc: 'firm_ruc', name: 'firm_name', representative_name: 'representative_name', representative_dni: 'representative_dni',
  sector: 'sector', _form: null,
};
const PAYMENT_FIELDS: Record<string, string | null> = { date: 'date', amount: 'amount', method: 'method', reference: 'reference', _form: null };

function refusalsOf(err: FormError, file: ImportFile, line: number, fields: Record<string, string | null>): LineProblem[] {
  return Object.entries(err.fields).map(([field, message]) => ({ file, line, column: fields[field] ?? (field === '_form' ? null : field), message }));
}

interface FirmPlan {
  ruc: string;
  exists: boolean;
  name: string;
  representative_name: string | null;
  representative_dni: string | null;
  sector: string | null;
  member_number: string | null;
  member_joined_on: IsoDate | null;
  created: boolean;
  failed: boolean;
}

/**
 * Imports (or, with dry_run, only tries) the two files. Returns the report of an import written or of a
 * dry run; throws ImportRefused (nothing written) when a line has a problem and it was not a dry run.
 */
export async function importPaperContracts(db: Db, input: ImportInput, actor: Actor, today: IsoDate): Promise<ImportReport> {
  const started = performance.now();
  const cutoff = input.cutoff_date ?? today;
  if (cutoff > today) throw new FormError(400, { cutoff_date: 'errors.future_date' });
  const contractsFile = parseContractsCsv(input.contracts.bytes, today);
  const receiptsFile = input.receipts ? parseReceiptsCsv(input.receipts.bytes, today) : { lines: [], problems: [], fatal: false };
  const report: ImportReport = {
    dry_run: input.dry_run, import_id: null, cutoff_date: cutoff,
    files: { contracts: facts(input.contracts), receipts: input.receipts ? facts(input.receipts) : null },
    contracts: [], problems: [...contractsFile.problems, ...receiptsFile.problems], warnings: [],
    firms_created: 0, receipts_imported: 0, receipts_skipped: 0, elapsed_ms: 0,
  };
  const finish = () => {
    report.problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === 'contracts' ? -1 : 1));
    report.warnings.sort((a, b) => a.line - b.line);
    report.elapsed_ms = Math.round(performance.now() - started);
    return report;
  };
  // A file that could not be read at all (its header, its encoding as a whole): nothing to check it against.
  if (contractsFile.fatal || receiptsFile.fatal) {
    if (input.dry_run) return finish();
    throw new ImportRefused(finish());
  }

  try {
    return await db.transaction(async (trx) => {
      const plan = await checkAgainstPark(trx, contractsFile.lines, contractsFile.paper_numbers, receiptsFile.lines, report);
      const [row] = await trx('imports').insert({
        imported_by: actor.id, imported_by_name: actor.username, imported_at: new Date().toISOString(), cutoff_date: cutoff,
        contracts_file_name: report.files.contracts.name, contracts_sha256: report.files.contracts.sha256,
        receipts_file_name: report.files.receipts?.name ?? null, receipts_sha256: report.files.receipts?.sha256 ?? null,
      }).returning('id');
      const importId = Number(typeof row === 'object' ? row.id : row);
      // One batch: the rates, the closes and each contract's account are read once, not for every receipt.
      const made = await inBatch(() => replay(trx, importId, plan, report, actor, today));
      report.contracts = await figures(trx, made, cutoff);
      report.elapsed_ms = Math.round(performance.now() - started);
      if (report.problems.length > 0 || input.dry_run) throw new RollBack(finish());
      await trx('imports').where({ id: importId }).update({
        contract_count: report.contracts.length, receipt_count: report.receipts_imported, firm_count: report.firms_created,
        elapsed_ms: report.elapsed_ms, summary: JSON.stringify(report.contracts),
      });
      await audit(trx, actor, 'import.create', 'import', importId, {
        cutoff_date: cutoff, contracts_file: report.files.contracts, receipts_file: report.files.receipts,
        contracts: report.contracts.length, receipts: report.receipts_imported, firms_created: report.firms_created,
      });
      report.import_id = importId;
      return finish();
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
    if (input.dry_run) return err.report;
    throw new ImportRefused(err.report);
  }
}

interface Plan {
  contracts: ContractLine[]; // the lines to replay
  receipts: ReceiptLine[];
  firms: Map<string, FirmPlan>;
}

/** The checks against the park and across the two files. Problems go to the report; returns what to replay. */
async function checkAgainstPark(trx: Db, contracts: ContractLine[], contractPapers: Set<string>, receipts: ReceiptLine[],
  report: ImportReport): Promise<Plan> {
  const problems = report.problems;
  const refused = new Set<number>(); // contract lines
  const problem = (file: ImportFile, line: number, column: string | null, message: Message) => {
    problems.push({ file, line, column, message });
    if (file === 'contracts') refused.add(line);
  };
  // Paper contract numbers: unique in the file, and not imported before.
  const byPaper = new Map<string, ContractLine>();
  for (const c of contracts) {
    const first = byPaper.get(c.paper_number);
    if (first) problem('contracts', c.line, 'paper_number', { key: 'golive.errors.paper_repeated', params: { number: c.paper_number, line: first.line } });
    else byPaper.set(c.paper_number, c);
  }
  const imported = await inChunks([...byPaper.keys()], (chunk) => trx('contracts').whereIn('paper_number', chunk).select('paper_number', 'number'));
  for (const r of imported as { paper_number: string; number: string }[]) {
    problem('contracts', byPaper.get(r.paper_number)!.line, 'paper_number', { key: 'golive.errors.paper_imported', params: { number: r.paper_number, contract: r.number } });
  }

  // Lots: known, municipal, available, and in one line of the file only (a lot has one live contract at a time).
  const lots = new Map((await trx('lots').select('id', 'code', 'block', 'number', 'owner', 'status'))
    .map((l: { id: number; code: string; block: string; number: number; owner: string; status: string }) => [`${l.block}-${Number(l.number)}`, l]));
  const byLot = new Map<string, ContractLine[]>();
  for (const c of contracts) byLot.set(c.lot_key, [...(byLot.get(c.lot_key) ?? []), c]);
  for (const [key, lines] of byLot) {
    const lot = lots.get(key);
    for (const c of lines) {
      if (!lot) { problem('contracts', c.line, 'lot_code', { key: 'golive.errors.lot_unknown', params: { code: c.lot_code } }); continue; }
      if (lot.owner !== 'municipal') problem('contracts', c.line, 'lot_code', { key: 'contracts.lot_ministry', params: { code: lot.code } });
      else if (lot.status !== 'available') {
        const live = await trx('contracts').where({ lot_id: lot.id }).whereIn('status', LIVE).first('number');
        problem('contracts', c.line, 'lot_code', live
          ? { key: 'golive.errors.lot_sold', params: { code: lot.code, contract: live.number } }
          : { key: 'contracts.lot_not_available', params: { code: lot.code } });
      }
      if (lines.length > 1) {
        const others = lines.filter((o) => o !== c).map((o) => o.line).join(', ');
        problem('contracts', c.line, 'lot_code', { key: 'golive.errors.lot_twice', params: { code: lot.code, lines: others } });
      }
    }
  }

  // Firms: an existing one keeps its name (a different name in the file is a warning); a new one is created
  // from its first line, with its representative; a firm that is not an active ACIPIAS member needs a number.
  const rucs = [...new Set(contracts.map((c) => c.firm_ruc))];
  const firms = new Map((await inChunks(rucs, (chunk) => trx('firms').whereIn('ruc', chunk).select('ruc', 'name')))
    .map((f: { ruc: string; name: string }) => [f.ruc, f]));
  const members = new Map((await inChunks(rucs, (chunk) => trx('memberships').whereIn('firm_ruc', chunk).select('firm_ruc', 'member_number', 'status')))
    .map((m: { firm_ruc: string; member_number: string; status: string }) => [m.firm_ruc, m]));
  const plans = new Map<string, FirmPlan>();
  const byDate = [...contracts].sort((a, b) => (a.date === b.date ? a.line - b.line : a.date < b.date ? -1 : 1));
  for (const c of byDate) {
    const existing = firms.get(c.firm_ruc);
    let p = plans.get(c.firm_ruc);
    if (!p) {
      p = { ruc: c.firm_ruc, exists: Boolean(existing), name: existing?.name ?? c.firm_name, representative_name: null,
        representative_dni: null, sector: null, member_number: null, member_joined_on: null, created: false, failed: false };
      plans.set(c.firm_ruc, p);
    }
    if (foldName(c.firm_name) !== foldName(p.name)) {
      report.warnings.push({ file: 'contracts', line: c.line, column: 'firm_name', message: { key: existing ? 'golive.warnings.name_differs' : 'golive.warnings.name_differs_file', params: { ruc: c.firm_ruc, name: p.name, given: c.firm_name } } });
    }
    p.representative_name ??= c.representative_name;
    p.representative_dni ??= c.representative_dni;
    p.sector ??= c.sector;
    if (c.member_number) {
      if (p.member_number && p.member_number !== c.member_number) {
        problem('contracts', c.line, 'member_number', { key: 'golive.errors.member_differs', params: { ruc: c.firm_ruc, number: p.member_number } });
      }
      p.member_number ??= c.member_number;
      p.member_joined_on ??= c.member_joined_on;
    }
  }
  for (const p of plans.values()) {
    const first = byDate.find((c) => c.firm_ruc === p.ruc)!;
    if (!p.exists) {
      if (!p.representative_name) problem('contracts', first.line, 'representative_name', { key: 'golive.errors.new_firm_needs', params: { ruc: p.ruc } });
      if (!p.representative_dni) problem('contracts', first.line, 'representative_dni', { key: 'golive.errors.new_firm_needs', params: { ruc: p.ruc } });
      // Its other lines wait for it: named once, on the line to fix.
      if (!p.representative_name || !p.representative_dni) p.failed = true;
    }
    const m = members.get(p.ruc);
    if (m && m.status !== 'active') {
      for (const c of contracts.filter((x) => x.firm_ruc === p.ruc)) {
        problem('contracts', c.line, 'firm_ruc', { key: 'contracts.firm_member_inactive', params: { number: m.member_number } });
      }
    } else if (!m && !p.member_number) {
      problem('contracts', first.line, 'member_number', { key: 'golive.errors.member_needed', params: { ruc: p.ruc } });
      p.failed = true;
    }
    // Enrolled with its first contract: by its date, unless the file says when it joined.
    p.member_joined_on ??= first.date;
  }

  // Receipts: unique paper numbers, not imported before, of a contract of the file, not before it.
  const receiptPapers = new Map<string, ReceiptLine>();
  const keep: ReceiptLine[] = [];
  const dropped = new Set<number>();
  for (const r of receipts) {
    const first = receiptPapers.get(r.paper_number);
    if (first) { problems.push({ file: 'receipts', line: r.line, column: 'paper_number', message: { key: 'golive.errors.paper_repeated', params: { number: r.paper_number, line: first.line } } }); dropped.add(r.line); }
    else receiptPapers.set(r.paper_number, r);
  }
  const importedReceipts = await inChunks([...receiptPapers.keys()], (chunk) => trx('receipts').whereIn('paper_number', chunk).select('paper_number', 'number'));
  for (const r of importedReceipts as { paper_number: string; number: string }[]) {
    const line = receiptPapers.get(r.paper_number)!.line;
    problems.push({ file: 'receipts', line, column: 'paper_number', message: { key: 'golive.errors.receipt_imported', params: { number: r.paper_number, receipt: r.number } } });
    dropped.add(line);
  }
  for (const r of receipts) {
    if (dropped.has(r.line)) continue;
    const c = byPaper.get(r.paper_contract_number);
    if (!c) {
      if (contractPapers.has(r.paper_contract_number)) { report.receipts_skipped += 1; continue; } // its contract's line was refused
      problems.push({ file: 'receipts', line: r.line, column: 'paper_contract_number', message: { key: 'golive.errors.contract_unknown', params: { number: r.paper_contract_number } } });
      continue;
    }
    if (r.date < c.date) {
      problems.push({ file: 'receipts', line: r.line, column: 'date', message: { key: 'payments.error.before_contract', params: { date: formatDate(c.date) } } });
      continue;
    }
    keep.push(r);
  }

  const replayed = contracts.filter((c) => !refused.has(c.line) && byPaper.get(c.paper_number) === c);
  const live = new Set(replayed.map((c) => c.paper_number));
  const receiptsToReplay = keep.filter((r) => live.has(r.paper_contract_number));
  report.receipts_skipped += keep.length - receiptsToReplay.length;
  return { contracts: replayed, receipts: receiptsToReplay, firms: plans };
}

interface Made { line: ContractLine; id: number; receipts: number }

/** Every line in date order through the services (a contract before the receipts of its day). */
async function replay(trx: Db, importId: number, plan: Plan, report: ImportReport, actor: Actor, today: IsoDate): Promise<Made[]> {
  type Step = { date: IsoDate; order: number; line: number; contract?: ContractLine; receipt?: ReceiptLine };
  const steps: Step[] = [
    ...plan.contracts.map((c) => ({ date: c.date, order: 0, line: c.line, contract: c })),
    ...plan.receipts.map((r) => ({ date: r.date, order: 1, line: r.line, receipt: r })),
  ].sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.order !== b.order ? a.order - b.order : a.line - b.line));

  const made = new Map<string, Made>(); // paper contract number → the contract made
  const failed = new Set<string>();
  for (const step of steps) {
    if (step.contract) {
      currentBatch()?.views.clear(); // a sale changes its lot: the contracts kept are read again
      const c = step.contract;
      const firm = plan.firms.get(c.firm_ruc)!;
      if (firm.failed) { failed.add(c.paper_number); continue; }
      if (!firm.exists && !firm.created) {
        try {
          await createFirm(trx, {
            ruc: firm.ruc, name: firm.name, representative_name: firm.representative_name ?? '', representative_dni: firm.representative_dni ?? '',
            sector: firm.sector ?? 'otros', phone: null, email: null, address: null, licence_number: null, licence_issued_on: null,
            licence_expires_on: null,
          }, actor);
          firm.created = true;
          report.firms_created += 1;
        } catch (err) {
          if (!(err instanceof FormError)) throw err;
          forgetKept();
          report.problems.push(...refusalsOf(err, 'contracts', c.line, FIRM_FIELDS));
          firm.failed = true;
          failed.add(c.paper_number);
          continue;
        }
      }
      try {
        const id = await signContract(trx, {
          lot_code: c.lot_code, firm_ruc: c.firm_ruc, date: c.date, price_cents: c.price_cents,
          // A price other than the lot's list price is the paper's: that is the written reason, unless the file gives one.
          price_reason: c.price_reason ?? `Precio del contrato en papel N° ${c.paper_number}`,
          member_number: firm.member_number, joined_on: firm.member_joined_on,
          terms: { down_payment_ppm: c.down_payment_ppm ?? undefined, installment_count: c.installment_count ?? undefined,
            annual_rate_ppm: c.annual_rate_ppm ?? undefined },
        }, actor, today);
        const now = new Date().toISOString();
        await trx('contracts').where({ id }).update({ paper_number: c.paper_number, import_id: importId });
        currentBatch()?.views.clear();
        await trx('contract_events').insert({
          contract_id: id, kind: 'imported', date: c.date, recorded_by: actor.id, recorded_at: now,
          details: JSON.stringify({ paper_number: c.paper_number, import_id: importId, line: c.line }),
        });
        await audit(trx, actor, 'contract.import', 'contract', id, { paper_number: c.paper_number, import_id: importId, line: c.line });
        made.set(c.paper_number, { line: c, id, receipts: 0 });
      } catch (err) {
        if (!(err instanceof FormError)) throw err;
        forgetKept();
        report.problems.push(...refusalsOf(err, 'contracts', c.line, SALE_FIELDS));
        failed.add(c.paper_number);
      }
    } else {
      const r = step.receipt!;
      const m = made.get(r.paper_contract_number);
      if (!m) { report.receipts_skipped += 1; continue; } // its contract was refused by the services
      try {
        await recordPayment(trx, m.id, { date: r.date, amount_cents: r.amount_cents, method: r.method, reference: r.reference, form_token: null },
          today, actor, { paper_number: r.paper_number, import_id: importId });
        m.receipts += 1;
        report.receipts_imported += 1;
      } catch (err) {
        if (!(err instanceof FormError)) throw err;
        forgetKept();
        report.problems.push(...refusalsOf(err, 'receipts', r.line, PAYMENT_FIELDS));
      }
    }
  }
  return [...made.values()].sort((a, b) => a.line.line - b.line.line);
}

/** Per contract made, its account on the cut-off date as the app keeps it, beside the paper's balance. */
async function figures(trx: Db, made: Made[], cutoff: IsoDate): Promise<ContractFigures[]> {
  const out: ContractFigures[] = [];
  for (const m of made) {
    const c = (await findContractView(trx, m.id))!;
    const { statement } = await accountOf(trx, c, cutoff);
    const balance = statement.outstanding_cents;
    const paper = m.line.paper_balance_cents;
    out.push({
      line: m.line.line, paper_number: m.line.paper_number, contract_id: c.id, number: c.number, lot_code: c.lot_code,
      firm_ruc: c.firm_ruc, firm_name: c.firm_name, date: c.date, price_cents: c.price_cents, status: c.status,
      receipts: m.receipts, paid_cents: statement.total_paid_cents, late_fee_unpaid_cents: statement.late_fee_unpaid_cents,
      balance_cents: balance, paper_balance_cents: paper, difference_cents: paper === null ? null : balance - paper,
    });
  }
  return out;
}

/** An import as recorded, with what it made (its page). */
export async function findImport(db: Db, id: number) {
  const row = await db('imports').where({ id }).first();
  if (!row) return undefined;
  return {
    ...row, id: Number(row.id), contract_count: Number(row.contract_count), receipt_count: Number(row.receipt_count),
    firm_count: Number(row.firm_count), elapsed_ms: row.elapsed_ms === null ? null : Number(row.elapsed_ms),
    contracts: (row.summary ? JSON.parse(String(row.summary)) : []) as ContractFigures[],
  };
}

/** The imports done, newest first. */
export async function listImports(db: Db) {
  return db('imports').orderBy('id', 'desc').limit(50)
    .select('id', 'imported_at', 'imported_by_name', 'cutoff_date', 'contracts_file_name', 'receipts_file_name', 'contract_count', 'receipt_count');
}
