// Demo data: the park's bank account (ledger 1102, inserted by its migration) gets a demo number and
// the column mapping of a Banco de la Nación-like CSV export, the one docs/examples/extracto-banco-ejemplo.csv
// follows: three title lines, then `Fecha;Fecha valor;Descripción;Nro. Operación;Oficina;Cargo;Abono;Saldo`,
// dates DD/MM/YYYY, amounts 1,234.56. No statement is imported: finance tries the upload itself.
import type { Knex } from 'knex';
import type { BankMapping } from '../../src/domain/bank-csv.ts';

export const DEMO_BANK_MAPPING: BankMapping = {
  date: 'Fecha', description: 'Descripción', reference: 'Nro. Operación', debit: 'Cargo', credit: 'Abono', amount: null,
  balance: 'Saldo', date_format: 'DD/MM/YYYY', decimal: 'dot', delimiter: 'auto', skip_rows: 3,
};

export async function seedBank(knex: Knex): Promise<void> {
  await knex('bank_accounts').where({ ledger_account_code: '1102', account_number: 'POR-DEFINIR' }).update({
    name: 'Cuenta corriente del parque (demo)', account_number: '04-068-000123', mapping: JSON.stringify(DEMO_BANK_MAPPING),
  });
}
