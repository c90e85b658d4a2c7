// Demo data: the park's bank account (ledger 1102, inserted by its migration) gets a demo number and
// the column mapping of a Banco de la Nación-like CSV export, the one docs/examples/extracto-banco-ejemplo.csv
// follows: three title lines, then `Fecha;Fecha valor;Descripción;Nro. Operación;Oficina;Cargo;Abono;Saldo`,
// dates DD/MM/YYYY, amounts 1,234.56. Last month's statement is imported as the bank would send it (every
// movement of 1102 that month, but the last deposit still in transit, plus the bank's fee), so that finance
// finds proposals to accept, a fee to explain and a reconciliation to save in the demo.
import type { Knex } from 'knex';
import type { BankMapping } from '../../src/domain/bank-csv.ts';
import { SYSTEM } from '../../src/audit/audit.ts';
import { systemClock } from '../../src/clock.ts';
import { addMonths, endOfMonth, startOfMonth, type IsoDate } from '../../src/domain/dates.ts';
import type { Cents } from '../../src/domain/money.ts';
import { importStatement } from '../../src/bank/statements.ts';

export const DEMO_BANK_MAPPING: BankMapping = {
  date: 'Fecha', description: 'Descripción', reference: 'Nro. Operación', debit: 'Cargo', credit: 'Abono', amount: null,
  balance: 'Saldo', date_format: 'DD/MM/YYYY', decimal: 'dot', delimiter: 'auto', skip_rows: 3,
};

export async function seedBank(knex: Knex): Promise<void> {
  await knex('bank_accounts').where({ ledger_account_code: '1102', account_number: 'POR-DEFINIR' }).update({
    name: 'Cuenta corriente del parque (demo)', account_number: '04-068-000123', mapping: JSON.stringify(DEMO_BANK_MAPPING),
  });
}

const DEMO_FEE_CENTS = 1_250;
const soles = (c: number) => (c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ddmmyyyy = (d: IsoDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
const cell = (v: string) => v.replace(/;/g, ',');

/** Last month's statement of the demo account, built from the books' own movements on 1102 and imported. */
export async function seedBankStatement(knex: Knex, today: IsoDate = systemClock.today()): Promise<number | null> {
  const from = startOfMonth(addMonths(today, -1));
  const to = endOfMonth(from);
  const rows = await knex('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account_code', '1102').whereBetween('e.date', [from, to]).orderBy([{ column: 'e.date' }, { column: 'e.id' }])
    .select('e.date', 'e.source_type', 'e.source_id', 'l.debit_cents', 'l.credit_cents') as
    { date: string; source_type: string; source_id: string; debit_cents: number; credit_cents: number }[];
  if (rows.length === 0) return null;
  const [before] = await knex('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .where('l.account_code', '1102').andWhere('e.date', '<', from).sum({ d: 'l.debit_cents', c: 'l.credit_cents' });
  let balance = Number(before?.d ?? 0) - Number(before?.c ?? 0);
  // The month's last receipt by deposit or transfer reaches the bank next month: in transit.
  const lastReceipt = rows.map((r) => r.source_type).lastIndexOf('receipt');
  const lines: string[] = [];
  let n = 0;
  for (const [i, r] of rows.entries()) {
    if (i === lastReceipt) continue;
    const amount = Number(r.debit_cents) - Number(r.credit_cents);
    let description = 'MOVIMIENTO';
    let reference = '';
    if (r.source_type === 'receipt') {
      const rec = await knex('receipts as x').join('contracts as c', 'c.id', 'x.contract_id').join('firms as f', 'f.ruc', 'c.firm_ruc')
        .where('x.id', Number(r.source_id)).first('x.method', 'x.reference', 'f.name');
      description = `${rec.method === 'transfer' ? 'TRANSF. INTERBANCARIA RECIBIDA' : 'DEPOSITO EN CUENTA - VENTANILLA'} ${String(rec.name).toUpperCase()}`;
      reference = String(rec.reference ?? '');
    } else if (r.source_type === 'cash_deposit') {
      const d = await knex('cash_deposits').where({ id: Number(r.source_id) }).first('reference');
      description = 'DEPOSITO EFECTIVO CAJA MUNICIPAL';
      reference = String(d.reference);
    } else if (r.source_type === 'spending' || r.source_type === 'spending_reversal') {
      const sp = await knex('spendings').where({ id: Number(r.source_id) }).first('document_number', 'supplier_name');
      description = `${amount < 0 ? 'PAGO A PROVEEDOR' : 'EXTORNO PAGO A PROVEEDOR'} ${sp?.document_number ?? ''} ${String(sp?.supplier_name ?? '').toUpperCase()}`;
      reference = `CH-${String(600 + (n += 1)).padStart(6, '0')}`;
    }
    balance += amount;
    const date = ddmmyyyy(r.date);
    lines.push([date, date, cell(description), cell(reference), '0680', amount < 0 ? soles(-amount) : '', amount > 0 ? soles(amount) : '', soles(balance)].join(';'));
  }
  balance -= DEMO_FEE_CENTS;
  lines.push([ddmmyyyy(to), ddmmyyyy(to), 'COMISION MANTENIMIENTO DE CUENTA', '', '0680', soles(DEMO_FEE_CENTS), '', soles(balance)].join(';'));
  const text = [
    'BANCO DE LA NACION - ESTADO DE CUENTA (DEMO: datos ficticios)',
    'Cuenta corriente 04-068-000123 - MUNICIPALIDAD PROVINCIAL DE ILO - PARQUE INDUSTRIAL',
    `Moneda: SOLES;Del ${ddmmyyyy(from)} al ${ddmmyyyy(to)}`,
    'Fecha;Fecha valor;Descripción;Nro. Operación;Oficina;Cargo;Abono;Saldo',
    ...lines,
  ].join('\r\n') + '\r\n';
  return importStatement(knex, SYSTEM, today, {
    account: '04-068-000123', file_name: `extracto-${from.slice(0, 7)}-demo.csv`, bytes: Buffer.from(text, 'utf8'),
    opening_cents: null, closing_cents: null as Cents | null, period_from: from, period_to: to,
  });
}
