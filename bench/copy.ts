// A large park made from a generated one: the base park's contracts copied `times - 1` more times with
// all their rows (lots, firms, memberships, contracts, schedules, receipts and their allocations, the
// journal, events, rescissions, maintained accounts, audit rows, counters), every id and number remapped
// as the services would have numbered them. Exactness is then checked like any park (accounts:verify and
// the reconciliation, bench/generate.ts checkPark).
//
// The copies repeat the base histories day for day (same dates and amounts, other lots, firms, numbers).
// To keep the 80 ha, every lot's area is divided by `times` and its price per m² multiplied by it: the
// list price (area × price per m²) and so every schedule stay exactly what they were.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { blockOf, rucOf } from './generate.ts';

export async function copyPark(baseFile: string, outFile: string, times: number): Promise<void> {
  for (const f of [outFile, `${outFile}-wal`, `${outFile}-shm`]) fs.rmSync(f, { force: true });
  const base = new Database(baseFile);
  await base.backup(outFile);
  base.close();
  const db = new Database(outFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -200000');
  const one = (sql: string): number => Number((db.prepare(sql).get() as { v: number | null }).v ?? 0);
  const C = one('SELECT max(id) AS v FROM contracts');
  const L = one('SELECT max(id) AS v FROM lots');
  const R = one('SELECT max(id) AS v FROM receipts');
  const Rc = one(`SELECT max(correlative) AS v FROM receipts WHERE series = 'R001'`);
  const E = one('SELECT max(id) AS v FROM journal_entries');
  const JL = one('SELECT max(id) AS v FROM journal_lines');
  const CE = one('SELECT max(id) AS v FROM contract_events');
  const RS = one('SELECT max(id) AS v FROM rescissions');
  const A = one('SELECT max(id) AS v FROM audit_log');
  const firms = db.prepare('SELECT ruc FROM firms ORDER BY ruc').pluck().all() as string[];
  const F = firms.length;
  if (one('SELECT count(*) AS v FROM lots') !== L || one('SELECT count(*) AS v FROM contracts') !== C) throw new Error('base ids not contiguous');
  if (one(`SELECT count(*) AS v FROM journal_entries WHERE source_type NOT IN
      ('receipt','receipt_void','receipt_adjustment','contract_activation','contract_deactivation','rescission')`) !== 0) {
    throw new Error('the base park has journal entries of a kind the copy does not know');
  }
  const areaOk = one(`SELECT count(*) AS v FROM lots WHERE area_dm2 % ${times} <> 0`) === 0;

  const tx = db.transaction(() => {
    db.exec(`CREATE TEMP TABLE k_list (k INTEGER PRIMARY KEY);
      CREATE TEMP TABLE firm_map (k INTEGER, old_ruc TEXT, new_ruc TEXT, idx INTEGER, PRIMARY KEY (k, old_ruc));
      CREATE TEMP TABLE lot_map (k INTEGER, old_id INTEGER, code TEXT, block TEXT, number INTEGER, PRIMARY KEY (k, old_id));
      CREATE TEMP TABLE year_seq (year INTEGER PRIMARY KEY, s INTEGER);
      CREATE TEMP TABLE entry_ref (entry_id INTEGER PRIMARY KEY, contract_id INTEGER, receipt_id INTEGER);
      CREATE TEMP TABLE audit_ref (audit_id INTEGER PRIMARY KEY, contract_id INTEGER, receipt_id INTEGER);`);
    const insK = db.prepare('INSERT INTO k_list VALUES (?)');
    const insF = db.prepare('INSERT INTO firm_map VALUES (?, ?, ?, ?)');
    const insL = db.prepare('INSERT INTO lot_map VALUES (?, ?, ?, ?, ?)');
    const lots = db.prepare('SELECT id FROM lots ORDER BY id').pluck().all() as number[];
    for (let k = 1; k < times; k++) {
      insK.run(k);
      firms.forEach((ruc, j) => insF.run(k, ruc, rucOf(k * F + j + 1), k * F + j + 1));
      for (const id of lots) {
        const i = k * L + id - 1;
        const number = (i % 500) + 1;
        insL.run(k, id, `${blockOf(i)}-${String(number).padStart(3, '0')}`, blockOf(i), number);
      }
    }
    db.exec(`INSERT INTO year_seq SELECT year, max(seq) FROM contracts GROUP BY year;
      INSERT INTO entry_ref
        SELECT e.id, r.contract_id, r.id FROM journal_entries e JOIN receipts r ON r.id = CAST(e.source_id AS INTEGER)
          WHERE e.source_type IN ('receipt','receipt_void','receipt_adjustment')
        UNION ALL SELECT e.id, CAST(e.source_id AS INTEGER), NULL FROM journal_entries e
          WHERE e.source_type IN ('contract_activation','contract_deactivation')
        UNION ALL SELECT e.id, s.contract_id, NULL FROM journal_entries e JOIN rescissions s ON s.id = CAST(e.source_id AS INTEGER)
          WHERE e.source_type = 'rescission';
      INSERT INTO audit_ref
        SELECT a.id, CAST(a.entity_id AS INTEGER), NULL FROM audit_log a WHERE a.entity = 'contract'
        UNION ALL SELECT a.id, r.contract_id, r.id FROM audit_log a JOIN receipts r ON r.number = a.entity_id WHERE a.entity = 'receipt';`);

    // New numbers: contracts per year after the base's last, receipts after the base's last correlative.
    const cnum = (alias: string) => `'CV-' || ${alias}.year || '-' || printf('%04d', ${alias}.seq + k.k * ys.s)`;
    const rnum = (alias: string) => `'R001-' || printf('%08d', ${alias}.correlative + k.k * ${Rc})`;
    db.exec(`
      INSERT INTO firms (ruc, name, representative_name, representative_dni, sector, phone, email, address, licence_number,
          licence_issued_on, licence_expires_on, created_at, updated_at)
        SELECT m.new_ruc, 'Empresa Bench ' || m.idx || ' S.A.C.', 'Representante ' || m.idx, f.representative_dni, f.sector, f.phone,
          'bench' || m.idx || '@example.invalid', 'Parque Industrial de Ilo, oficina ' || m.idx, f.licence_number, f.licence_issued_on,
          f.licence_expires_on, f.created_at, f.updated_at
        FROM firms f JOIN firm_map m ON m.old_ruc = f.ruc;
      INSERT INTO memberships (firm_ruc, member_number, joined_on, status)
        SELECT m.new_ruc, 'B-' || m.idx, s.joined_on, s.status FROM memberships s JOIN firm_map m ON m.old_ruc = s.firm_ruc;
      INSERT INTO lots (id, code, block, number, area_dm2, land_use, owner, price_per_m2_cents, status, outline, created_at, updated_at)
        SELECT l.id + m.k * ${L}, m.code, m.block, m.number, l.area_dm2, l.land_use, l.owner, l.price_per_m2_cents, l.status, l.outline,
          l.created_at, l.updated_at
        FROM lots l JOIN lot_map m ON m.old_id = l.id;
      INSERT INTO contracts (id, number, year, seq, lot_id, firm_ruc, date, list_price_cents, price_cents, price_reason, down_payment_ppm,
          down_payment_cents, financed_cents, installment_count, annual_rate_ppm, rescission_threshold_ppm, status, activated_on, paid_off_on,
          accelerated_on, acceleration_resolution, rescinded_on, rescission_resolution, created_by, created_at)
        SELECT c.id + k.k * ${C}, ${cnum('c')}, c.year, c.seq + k.k * ys.s, c.lot_id + k.k * ${L}, fm.new_ruc, c.date, c.list_price_cents,
          c.price_cents, c.price_reason, c.down_payment_ppm, c.down_payment_cents, c.financed_cents, c.installment_count, c.annual_rate_ppm,
          c.rescission_threshold_ppm, c.status, c.activated_on, c.paid_off_on, c.accelerated_on,
          CASE WHEN c.acceleration_resolution IS NULL THEN NULL ELSE c.acceleration_resolution || '-' || k.k END,
          c.rescinded_on, CASE WHEN c.rescission_resolution IS NULL THEN NULL ELSE c.rescission_resolution || '-' || k.k END,
          c.created_by, c.created_at
        FROM contracts c CROSS JOIN k_list k JOIN year_seq ys ON ys.year = c.year JOIN firm_map fm ON fm.k = k.k AND fm.old_ruc = c.firm_ruc;
      INSERT INTO schedule_rows (contract_id, n, due_date, principal_cents, interest_cents, installment_cents, balance_cents)
        SELECT s.contract_id + k.k * ${C}, s.n, s.due_date, s.principal_cents, s.interest_cents, s.installment_cents, s.balance_cents
        FROM schedule_rows s CROSS JOIN k_list k;
      INSERT INTO receipts (id, number, series, correlative, contract_id, date, amount_cents, method, reference, form_token, recorded_by,
          recorded_by_name, created_at, status, void_reason, voided_by, voided_at)
        SELECT r.id + k.k * ${R}, ${rnum('r')}, r.series, r.correlative + k.k * ${Rc}, r.contract_id + k.k * ${C}, r.date, r.amount_cents,
          r.method, CASE WHEN r.reference IS NULL THEN NULL ELSE r.reference || '-' || k.k END, NULL, r.recorded_by, r.recorded_by_name,
          r.created_at, r.status, r.void_reason, r.voided_by, r.voided_at
        FROM receipts r CROSS JOIN k_list k;
      INSERT INTO receipt_allocations (receipt_id, n, late_fee_cents, interest_cents, principal_cents)
        SELECT a.receipt_id + k.k * ${R}, a.n, a.late_fee_cents, a.interest_cents, a.principal_cents FROM receipt_allocations a CROSS JOIN k_list k;
      INSERT INTO rescissions (id, contract_id, resolution_number, resolution_date, received_cents, compensation_cents, penalty_cents,
          returned_cents, recorded_by, recorded_at)
        SELECT s.id + k.k * ${RS}, s.contract_id + k.k * ${C}, s.resolution_number || '-' || k.k, s.resolution_date, s.received_cents,
          s.compensation_cents, s.penalty_cents, s.returned_cents, s.recorded_by, s.recorded_at
        FROM rescissions s CROSS JOIN k_list k;
      INSERT INTO journal_entries (id, date, description, source_type, source_id, reverses_entry_id, created_by, created_at)
        SELECT e.id + k.k * ${E}, e.date,
          replace(replace(e.description, coalesce(r.number, '#none#'), coalesce(${rnum('r')}, '')), c.number, ${cnum('c')}),
          e.source_type,
          CAST(CASE WHEN e.source_type IN ('receipt','receipt_void','receipt_adjustment') THEN CAST(e.source_id AS INTEGER) + k.k * ${R}
            WHEN e.source_type = 'rescission' THEN CAST(e.source_id AS INTEGER) + k.k * ${RS}
            ELSE CAST(e.source_id AS INTEGER) + k.k * ${C} END AS TEXT),
          CASE WHEN e.reverses_entry_id IS NULL THEN NULL ELSE e.reverses_entry_id + k.k * ${E} END, e.created_by, e.created_at
        FROM journal_entries e CROSS JOIN k_list k JOIN entry_ref x ON x.entry_id = e.id JOIN contracts c ON c.id = x.contract_id
          JOIN year_seq ys ON ys.year = c.year LEFT JOIN receipts r ON r.id = x.receipt_id
        ORDER BY k.k, e.id;
      INSERT INTO journal_lines (id, entry_id, account_code, debit_cents, credit_cents, contract_id, project_id)
        SELECT l.id + k.k * ${JL}, l.entry_id + k.k * ${E}, l.account_code, l.debit_cents, l.credit_cents,
          CASE WHEN l.contract_id IS NULL THEN NULL ELSE l.contract_id + k.k * ${C} END, l.project_id
        FROM journal_lines l CROSS JOIN k_list k;
      INSERT INTO contract_events (id, contract_id, kind, date, details, recorded_by, recorded_at)
        SELECT e.id + k.k * ${CE}, e.contract_id + k.k * ${C}, e.kind, e.date,
          CASE e.kind
            WHEN 'created' THEN json_set(e.details, '$.number', ${cnum('c')}, '$.lot', lm.code, '$.firm_ruc', fm.new_ruc)
            WHEN 'receipt_voided' THEN json_set(e.details, '$.receipt', (SELECT 'R001-' || printf('%08d', r.correlative + k.k * ${Rc})
              FROM receipts r WHERE r.number = json_extract(e.details, '$.receipt')))
            ELSE e.details END,
          e.recorded_by, e.recorded_at
        FROM contract_events e CROSS JOIN k_list k JOIN contracts c ON c.id = e.contract_id JOIN year_seq ys ON ys.year = c.year
          JOIN firm_map fm ON fm.k = k.k AND fm.old_ruc = c.firm_ruc JOIN lot_map lm ON lm.k = k.k AND lm.old_id = c.lot_id;
      INSERT INTO contract_accounts (contract_id, valid_from, scheduled_outstanding_cents, total_paid_cents, principal_paid_cents,
          interest_paid_cents, late_fee_closed_cents, late_fee_paid_cents, down_payment_paid, paid_off, paid_off_on, first_open_due_date, updated_at)
        SELECT a.contract_id + k.k * ${C}, a.valid_from, a.scheduled_outstanding_cents, a.total_paid_cents, a.principal_paid_cents,
          a.interest_paid_cents, a.late_fee_closed_cents, a.late_fee_paid_cents, a.down_payment_paid, a.paid_off, a.paid_off_on,
          a.first_open_due_date, a.updated_at
        FROM contract_accounts a CROSS JOIN k_list k;
      INSERT INTO account_rows (contract_id, n, due_date, scheduled_due_date, principal_cents, interest_cents, principal_paid_cents,
          interest_paid_cents, late_fee_cents, late_fee_paid_cents, accrued_to, paid_on, unpaid_cents)
        SELECT a.contract_id + k.k * ${C}, a.n, a.due_date, a.scheduled_due_date, a.principal_cents, a.interest_cents, a.principal_paid_cents,
          a.interest_paid_cents, a.late_fee_cents, a.late_fee_paid_cents, a.accrued_to, a.paid_on, a.unpaid_cents
        FROM account_rows a CROSS JOIN k_list k;
      INSERT INTO account_allocations (receipt_id, n, contract_id, late_fee_cents, interest_cents, principal_cents)
        SELECT a.receipt_id + k.k * ${R}, a.n, a.contract_id + k.k * ${C}, a.late_fee_cents, a.interest_cents, a.principal_cents
        FROM account_allocations a CROSS JOIN k_list k;
      INSERT INTO audit_log (id, at, user_id, username, action, entity, entity_id, details, ip)
        SELECT a.id + k.k * ${A}, a.at, a.user_id, a.username, a.action, a.entity,
          CASE WHEN a.entity = 'contract' THEN CAST(x.contract_id + k.k * ${C} AS TEXT) ELSE ${rnum('r')} END,
          replace(replace(coalesce(a.details, ''), coalesce(r.number, '#none#'), coalesce(${rnum('r')}, '')), c.number, ${cnum('c')}),
          a.ip
        FROM audit_log a CROSS JOIN k_list k JOIN audit_ref x ON x.audit_id = a.id JOIN contracts c ON c.id = x.contract_id
          JOIN year_seq ys ON ys.year = c.year LEFT JOIN receipts r ON r.id = x.receipt_id
        ORDER BY k.k, a.id;
      UPDATE counters SET last_value = last_value * ${times} WHERE name LIKE 'CV-%';
      UPDATE counters SET last_value = ${Rc * times} WHERE name = 'receipt:R001';`);
    if (areaOk) db.exec(`UPDATE lots SET area_dm2 = area_dm2 / ${times}, price_per_m2_cents = price_per_m2_cents * ${times}`);
  });
  tx();
  const check = (sql: string, want: number, what: string) => { const got = one(sql); if (got !== want) throw new Error(`${what}: ${got} ≠ ${want}`); };
  check('SELECT count(*) AS v FROM contracts', C * times, 'contracts');
  check('SELECT count(*) AS v FROM journal_entries', E * times, 'journal entries');
  check('SELECT count(*) AS v FROM audit_log WHERE id > ' + A, one(`SELECT count(*) AS v FROM audit_log WHERE id <= ${A} AND entity IN ('contract','receipt')`) * (times - 1), 'audit rows');
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
