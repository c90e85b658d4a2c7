import type { Knex } from 'knex';

// The accounts a bank statement line explained without a book counterpart posts against the bank (1102):
// the bank's fees and charges are an expense of the municipality (6391), never the fund's, so that every
// sol collected on a municipal lot stays in the reinvestment fund; the interest the bank pays is income
// (7721), not the fund's, since the fund is fed only by lot collections; a bank error or a movement not
// yet identified waits in a suspense account (1691, partidas por regularizar) until it is cleared up.
// Codes follow the Peruvian chart (PCGE: 639 otros servicios, 772 rendimientos ganados, 169 otras cuentas
// por cobrar diversas).
const ACCOUNTS = [
  { code: '6391', name: 'gastos:gastos bancarios', label_es: 'Gastos bancarios (comisiones y cargos del banco)', label_en: 'Bank charges (fees and charges of the bank)', type: 'expense' },
  { code: '7721', name: 'ingresos:intereses bancarios', label_es: 'Intereses bancarios ganados', label_en: 'Bank interest earned', type: 'income' },
  { code: '1691', name: 'activo:partidas bancarias por regularizar', label_es: 'Partidas bancarias por regularizar (errores del banco, movimientos por identificar)', label_en: 'Bank items to be cleared up (bank errors, unidentified movements)', type: 'asset' },
];

export async function up(knex: Knex): Promise<void> {
  await knex('accounts').insert(ACCOUNTS);
}

export async function down(knex: Knex): Promise<void> {
  await knex('accounts').whereIn('code', ACCOUNTS.map((a) => a.code)).delete();
}
