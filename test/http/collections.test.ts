// The cobranza page and its CSV, "send now", notes of calls, the printable letter (a buyer sees only its
// own), the last letter on the contract page, and "how to pay" from the settings on letters and the portal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, PASSWORD, type TestApp, type Agent } from '../support/app.ts';
import { sale, setRates, pay } from '../service/sales-fixtures.ts';
import { createUser } from '../../src/auth/service.ts';

let t: TestApp;
let manager: Agent;
let a: { id: number; firm_ruc: string; lot_code: string; number: string; name: string };
let b: { id: number; firm_ruc: string; lot_code: string; number: string; name: string };

beforeAll(async () => {
  t = await testApp({ today: '2026-07-20' });
  await setRates(t.db, [['2010-01-01', 12000]]);
  const info = async (c: { id: number; firm_ruc: string; lot_code: string }) => ({
    ...c, number: String((await t.db('contracts').where({ id: c.id }).first('number')).number),
    name: String((await t.db('firms').where({ ruc: c.firm_ruc }).first('name')).name),
  });
  a = await info(await sale(t.db, { date: '2026-06-10', today: t.today })); // installment 1 (10/07) unpaid: 10 days late
  await pay(t.db, a.id, '2026-06-10', 1_500_000, t.today);
  await t.db('firms').where({ ruc: a.firm_ruc }).update({ email: 'cobros@alfa.pe', phone: '053-481234' });
  b = await info(await sale(t.db, { date: '2026-07-01', today: t.today })); // nothing due yet
  await pay(t.db, b.id, '2026-07-01', 1_500_000, t.today);
  await createUser(t.db, { username: 'comprador_a', role: 'buyer', password: PASSWORD, firm_ruc: a.firm_ruc, email: 'a@alfa.pe' });
  await createUser(t.db, { username: 'comprador_b', role: 'buyer', password: PASSWORD, firm_ruc: b.firm_ruc, email: 'b@beta.pe' });
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

describe('GET /collections', () => {
  it('lists the late contracts with contact, figures and the letter due today', async () => {
    const res = await manager.get('/collections');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    // 10 days on 1,416.67 at 1.2% a month: 5.67 of late fees
    expect(text).toContain(`${a.number} ${a.lot_code} ${a.name} ${a.firm_ruc} 053-481234 cobros@alfa.pe 10/07/2026 10 días · 1 impagas S/ 1,422.34 Mora S/ 5.67 Ninguna hoy (nivel 1)`);
    expect(text).not.toContain(b.number);
    expect(textOf((await manager.get('/collections?show=all')).text)).toContain(`${b.number} ${b.lot_code} ${b.name}`);
  });

  it('has a CSV twin with the documented columns', async () => {
    const res = await manager.get('/collections.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text.trim().split('\n')).toEqual([
      'contract,firm_ruc,firm_name,phone,email,lot_code,oldest_due_date,days_late,unpaid_installments,overdue,late_fee,last_letter,last_letter_level,last_letter_date,next_letter_level,next_letter_date,last_note_date',
      `${a.number},${a.firm_ruc},${a.name},053-481234,cobros@alfa.pe,${a.lot_code},2026-07-10,10,1,1422.34,5.67,,,,1,2026-07-20,`,
    ]);
    const all = (await manager.get('/collections.csv?show=all')).text.trim().split('\n');
    expect(all[2]).toBe(`${b.number},${b.firm_ruc},${b.name},,,${b.lot_code},,0,0,0.00,0.00,,,,1,2026-08-06,`);
  });
});

describe('POST /collections/:id/send', () => {
  it('issues the next letter now (303), e-mails it, and the page then shows it and the next one', async () => {
    const res = await submit(manager, '/collections', `/collections/${a.id}/send`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/collections');
    const letter = await t.db('collection_letters').first();
    expect([letter.number, letter.level, letter.date, Number(letter.total_cents), letter.trigger, letter.email]).toEqual(['CC-2026-0001', 1, '2026-07-20', 142_234, 'manual', 'cobros@alfa.pe']);
    const mail = await t.db('mail_outbox').where({ id: letter.mail_id }).first();
    expect([mail.idempotency_key, mail.to_address, mail.subject]).toEqual(['letter:CC-2026-0001', 'cobros@alfa.pe', `Recordatorio de cobranza CC-2026-0001: contrato ${a.number}, lote ${a.lot_code}`]);
    const page = textOf((await manager.get('/collections')).text);
    expect(page).toContain('Carta CC-2026-0001 emitida y enviada a cobros@alfa.pe.');
    expect(page).toContain('CC-2026-0001 Recordatorio de pago · 20/07/2026 nivel 2, el 09/08/2026');
  });

  it('a contract that is not late: 409 with the message on its row, nothing written', async () => {
    const res = await submit(manager, '/collections?show=all', `/collections/${b.id}/send`, {});
    expect(res.status).toBe(409);
    expect(textOf(res.text)).toContain('Este contrato no tiene cuotas vencidas: no corresponde carta.');
    expect(await t.db('collection_letters').count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});

describe('POST /collections/:id/notes', () => {
  it('refuses an empty note (400) with the message next to the field', async () => {
    const res = await submit(manager, '/collections', `/collections/${a.id}/notes`, { note: '  ' });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain('Nota de la llamada Este campo es obligatorio.');
    expect(await t.db('collection_notes').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
  it('keeps a note: on the cobranza page and in the contract history', async () => {
    const res = await submit(manager, '/collections', `/collections/${a.id}/notes`, { note: 'Llamé: pagará el viernes.' });
    expect(res.status).toBe(303);
    expect(textOf((await manager.get('/collections')).text)).toContain('20/07/2026 gerente: Llamé: pagará el viernes.');
    const contract = textOf((await manager.get(`/contracts/${a.id}`)).text);
    expect(contract).toContain('20/07/2026 Nota de cobranza Llamé: pagará el viernes.');
    expect(contract).toContain('Carta de cobranza CC-2026-0001 · Recordatorio de pago · S/ 1,422.34');
    expect(contract).toContain('Última carta de cobranza: CC-2026-0001 · Recordatorio de pago · 20/07/2026');
    expect((await manager.get('/collections.csv')).text.trim().split('\n')[1]).toBe(
      `${a.number},${a.firm_ruc},${a.name},053-481234,cobros@alfa.pe,${a.lot_code},2026-07-10,10,1,1422.34,5.67,CC-2026-0001,1,2026-07-20,2,2026-08-09,2026-07-20`);
  });
});

describe('GET /collections/letters/:number', () => {
  it('is the letter: header, buyer, contract, installments with late fees to its date, total, how to pay, signature', async () => {
    const res = await manager.get('/collections/letters/CC-2026-0001');
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    // The letterhead (no identity set yet: the default name, the app's name as the office, no RUC yet) and the issue.
    expect(text).toContain('Municipalidad Provincial de Ilo Parque Industrial de Ilo RUC por registrar Carta de cobranza CC-2026-0001 Emitido el 20/07/2026 12:00');
    // No signing official set: the office that signs letters.
    expect(text).toContain('Sub Gerencia de Promoción Empresarial — Parque Industrial de Ilo Municipalidad Provincial de Ilo');
    expect(text).toContain(`Señores ${a.name} RUC ${a.firm_ruc} Contrato de compraventa ${a.number} · Lote ${a.lot_code}`);
    expect(text).toContain('Cuota Vencimiento Impago Mora al 20/07/2026 Total 1 10/07/2026 S/ 1,416.67 S/ 5.67 S/ 1,422.34 Total a pagar al 20/07/2026 S/ 1,416.67 S/ 5.67 S/ 1,422.34');
    expect(text).toContain('Cómo pagar Pague en la caja de la Municipalidad Provincial de Ilo.');
    expect(text).toContain('Enviada por e-mail a cobros@alfa.pe.');
    expect(text).not.toContain('1561');
    // Staff see the e-mail's state (no SMTP in tests: it waits in the outbox); the buyer does not.
    expect(text).toContain('Correo: Pendiente Carta de cobranza → cobros@alfa.pe');
  });
  it('the buyer sees its own letter in the portal and on its page; another firm\'s buyer gets 404', async () => {
    const buyerA = await login(t.app, 'comprador_a');
    expect(textOf((await buyerA.get('/portal')).text)).toContain(`Cartas de cobranza CC-2026-0001 · 20/07/2026 · Recordatorio de pago · Contrato ${a.number} · S/ 1,422.34`);
    const own = await buyerA.get('/collections/letters/CC-2026-0001');
    expect(own.status).toBe(200);
    expect(textOf(own.text)).not.toContain('Correo: Pendiente');
    const buyerB = await login(t.app, 'comprador_b');
    expect((await buyerB.get('/collections/letters/CC-2026-0001')).status).toBe(404);
    expect(textOf((await buyerB.get('/portal')).text)).toContain('No tiene cartas de cobranza.');
    expect((await manager.get('/collections/letters/CC-2026-9999')).status).toBe(404);
  });
});

describe('how to pay (settings)', () => {
  it('an admin sets bank accounts, the office and a contact; letters, portal, receipts and statements show them', async () => {
    const admin = await login(t.app, 'admin');
    const base = { down_payment_pct: '15', installment_count: '60', annual_rate_pct: '0', rescission_threshold_pct: '50' };
    const res = await submit(admin, '/settings', '/settings', {
      ...base, pay_bank_1: 'Banco de la Nación', pay_account_1: '00-123-456789', pay_cci_1: '01812300012345678912',
      pay_bank_2: 'BCP', pay_account_2: '215-9876543-0-21', pay_office_address: 'Jr. Abtao 850, Ilo', pay_office_hours: 'lun–vie 8:00–15:30',
      pay_contact: 'cobranzas@mpi.gob.pe · 053-481222', letter1_days_after: '7',
    });
    expect(res.status).toBe(303);
    const how = 'Cómo pagar Banco de la Nación · N.º de cuenta 00-123-456789 · CCI 01812300012345678912 BCP · N.º de cuenta 215-9876543-0-21 Caja: Jr. Abtao 850, Ilo (lun–vie 8:00–15:30) Contacto: cobranzas@mpi.gob.pe · 053-481222';
    expect(textOf((await manager.get('/collections/letters/CC-2026-0001')).text)).toContain(how);
    expect(textOf((await (await login(t.app, 'comprador_a')).get('/portal')).text)).toContain(how);
    expect(textOf((await manager.get(`/contracts/${a.id}/statement`)).text)).toContain(how);
    const receipt = (await t.db('receipts').where({ contract_id: a.id }).first('number')).number;
    expect(textOf((await manager.get(`/receipts/${receipt}`)).text)).toContain(how);
    expect(await t.db('settings').where({ key: 'letter1_days_after' }).first('value')).toEqual({ value: '7' });
    // A script posting only the old fields keeps working and leaves these as they are.
    expect((await submit(admin, '/settings', '/settings', base)).status).toBe(303);
    expect(await t.db('settings').where({ key: 'pay_bank_1' }).first('value')).toEqual({ value: 'Banco de la Nación' });
    // Level 2 must come after level 1.
    const bad = await submit(admin, '/settings', '/settings', { ...base, letter1_days_after: '30', letter2_days_after: '20' });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain('Carta nivel 2: días de atraso Debe ser mayor que los días de la carta de nivel 1.');
  });
});
