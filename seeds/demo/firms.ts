// Demo data: 25 fictitious firms ("Demo" in every name) with valid RUCs (check digit computed),
// their representatives' DNIs, the ACIPIAS register (20 active, a few suspended or withdrawn, two
// never joined) and some provisional licences, a few expiring within the month. Goes through the
// firms service, so the demo obeys the same rules as the forms. Deterministic.
import type { Knex } from 'knex';
import { SYSTEM } from '../../src/audit/audit.ts';
import { systemClock } from '../../src/clock.ts';
import { addDays, addMonths } from '../../src/domain/dates.ts';
import { dniCheckCharacters, rucCheckDigit } from '../../src/domain/ruc.ts';
import { createFirm, recordMembership } from '../../src/firms/service.ts';
import type { MembershipStatus } from '../../src/firms/queries.ts';

interface DemoFirm {
  name: string;
  sector: string;
  representative: string;
  /** membership: status and year joined; none = never joined */
  member?: { status: MembershipStatus; joined: string; changed?: string };
  /** provisional licence expiring this many days from today (negative: expired) */
  licence_days?: number;
}

const FIRMS: DemoFirm[] = [
  { name: 'Metalmecánica Costa Sur Demo S.A.C.', sector: 'metalmecanica', representative: 'Jorge Mamani Quispe', member: { status: 'active', joined: '2012-03-15' } },
  { name: 'Carpintería El Algarrobo Demo E.I.R.L.', sector: 'carpinteria', representative: 'Rosa Flores Ticona', member: { status: 'active', joined: '2012-03-15' } },
  { name: 'Conservas Pacífico Demo S.A.', sector: 'pesquera', representative: 'Luis Coaquira Chambi', member: { status: 'active', joined: '2012-05-02' } },
  { name: 'Soldaduras Industriales Demo S.R.L.', sector: 'metalmecanica', representative: 'Carmen Huanca Apaza', member: { status: 'active', joined: '2013-01-20' } },
  { name: 'Muebles Ilo Demo E.I.R.L.', sector: 'carpinteria', representative: 'Pedro Ccallo Nina', member: { status: 'active', joined: '2013-07-08' } },
  { name: 'Agroindustrias Valle de Ilo Demo S.A.C.', sector: 'agroindustria', representative: 'Ana Condori Mendoza', member: { status: 'active', joined: '2014-02-11' } },
  { name: 'Panificadora La Ilena Demo S.R.L.', sector: 'alimentos', representative: 'Miguel Vilca Torres', member: { status: 'active', joined: '2014-09-30' } },
  { name: 'Textiles del Puerto Demo S.A.C.', sector: 'textil', representative: 'Elena Pari Gutiérrez', member: { status: 'active', joined: '2015-04-14' } },
  { name: 'Bloquetas y Ladrillos Demo E.I.R.L.', sector: 'construccion', representative: 'Raúl Cutipa Layme', member: { status: 'active', joined: '2015-06-01' } },
  { name: 'Tornería Precisión Demo S.A.C.', sector: 'metalmecanica', representative: 'Julia Choque Ramos', member: { status: 'active', joined: '2016-01-18' } },
  { name: 'Harinas Marinas Demo S.A.', sector: 'pesquera', representative: 'Óscar Yupanqui Salas', member: { status: 'active', joined: '2016-08-22' } },
  { name: 'Distribuidora Moqueguana Demo S.R.L.', sector: 'comercio', representative: 'Patricia Arias Zeballos', member: { status: 'active', joined: '2017-03-06' } },
  { name: 'Servicios Mecánicos El Puerto Demo E.I.R.L.', sector: 'servicios', representative: 'Víctor Quispe Cáceres', member: { status: 'active', joined: '2017-10-10' } },
  { name: 'Reciclados del Sur Demo S.A.C.', sector: 'reciclaje', representative: 'Gloria Ticona Ale', member: { status: 'active', joined: '2018-02-27' } },
  { name: 'Estructuras Metálicas Ilo Demo S.A.C.', sector: 'metalmecanica', representative: 'Fernando Apaza Cruz', member: { status: 'active', joined: '2018-06-19' } },
  { name: 'Aceitunas y Olivos Demo S.R.L.', sector: 'agroindustria', representative: 'Silvia Mamani Vargas', member: { status: 'active', joined: '2019-01-15' } },
  { name: 'Confecciones Brisa Marina Demo E.I.R.L.', sector: 'textil', representative: 'Hugo Chambi Pinto', member: { status: 'active', joined: '2019-05-03' } },
  { name: 'Cerrajería Industrial Demo E.I.R.L.', sector: 'metalmecanica', representative: 'Teresa Nina Calizaya', member: { status: 'active', joined: '2019-11-12' }, licence_days: 12 },
  { name: 'Embutidos Sureños Demo S.A.C.', sector: 'alimentos', representative: 'Ricardo Huamán Soto', member: { status: 'active', joined: '2020-02-24' }, licence_days: 27 },
  { name: 'Maderas Tratadas Demo S.R.L.', sector: 'carpinteria', representative: 'Lucía Condori Paredes', member: { status: 'active', joined: '2020-08-17' }, licence_days: 140 },
  { name: 'Fundición Andina Demo S.A.C.', sector: 'metalmecanica', representative: 'Alberto Pari Mendoza', member: { status: 'suspended', joined: '2014-04-04', changed: '2025-09-01' } },
  { name: 'Pinturas Industriales Demo E.I.R.L.', sector: 'construccion', representative: 'Norma Vilca Flores', member: { status: 'suspended', joined: '2016-05-23', changed: '2026-02-01' }, licence_days: -20 },
  { name: 'Transportes Costa Demo S.R.L.', sector: 'servicios', representative: 'César Ramos Ccama', member: { status: 'withdrawn', joined: '2013-03-11', changed: '2023-12-31' } },
  { name: 'Hielo y Frío Demo E.I.R.L.', sector: 'pesquera', representative: 'Marta Quispe Limache', licence_days: 5 },
  { name: 'Artesanías en Piedra Demo', sector: 'otros', representative: 'Daniel Cutipa Mamani', licence_days: 60 },
];

/** A deterministic valid RUC: 20 for companies, 10 for the sole trader; the check digit computed. */
function rucOf(i: number, name: string): string {
  const prefix = /S\.A\.|S\.R\.L\.|E\.I\.R\.L\./.test(name) ? '20' : '10';
  const stem = `${prefix}${String(60_100_000 + i * 7_919).padStart(8, '0')}`;
  return `${stem}${rucCheckDigit(stem)}`;
}

/** A deterministic DNI with its check digit, as RENIEC prints it (########-#). */
function dniOf(i: number): string {
  const dni8 = String(40_000_000 + i * 104_729).padStart(8, '0');
  return `${dni8}-${dniCheckCharacters(dni8).digit}`;
}

export const DEMO_FIRM_RUCS = FIRMS.map((f, i) => rucOf(i, f.name));

export async function seedFirms(knex: Knex): Promise<void> {
  const today = systemClock.today();
  for (const [i, f] of FIRMS.entries()) {
    const ruc = rucOf(i, f.name);
    const licenceExpires = f.licence_days === undefined ? null : addDays(today, f.licence_days);
    await createFirm(knex, {
      ruc, name: f.name, representative_name: f.representative, representative_dni: dniOf(i), sector: f.sector,
      phone: `053 ${String(480_000 + i * 137).slice(0, 6)}`, email: `contacto${i + 1}@demo-ilo.example`,
      address: `Parque Industrial de Ilo (demo), oficina ${i + 1}`,
      licence_number: licenceExpires ? `LFP-${String(i + 1).padStart(4, '0')}-DEMO` : null,
      licence_issued_on: licenceExpires ? addMonths(licenceExpires, -12) : null,
      licence_expires_on: licenceExpires,
    }, SYSTEM);
    if (!f.member) continue;
    const member = f.member;
    await knex.transaction(async (trx) => {
      const number = `AC-${String(i + 1).padStart(3, '0')}`;
      await recordMembership(trx, ruc, { member_number: number, joined_on: member.joined, status: 'active', effective_on: null, note: 'Socia fundadora (demo)' }, SYSTEM, today);
      if (member.status !== 'active') {
        await recordMembership(trx, ruc, { member_number: number, joined_on: member.joined, status: member.status, effective_on: member.changed ?? null, note: 'Demo' }, SYSTEM, today);
      }
    });
  }
}
