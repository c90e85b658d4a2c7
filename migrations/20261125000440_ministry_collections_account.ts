import type { Knex } from 'knex';

// Collections on a lot that is not municipal are owed to the Ministerio de Vivienda, never to the
// reinvestment fund: they go to this liability instead of 3101 (only municipal lots can be sold, so
// this is a guard, normally empty).
export async function up(knex: Knex): Promise<void> {
  await knex('accounts').insert({
    code: '2201', name: 'pasivo:cobranzas por cuenta del ministerio',
    label_es: 'Cobranzas por cuenta del Ministerio de Vivienda', label_en: 'Collections owed to the Ministry of Housing',
    type: 'liability',
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex('accounts').where({ code: '2201' }).delete();
}
