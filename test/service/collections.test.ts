// The daily run on a fixed clock over simulated days of a late contract: exactly the reminders and letters
// expected, on the expected days, with exact amounts; a second run the same day issues nothing; a missed
// day is caught up without a stale reminder; the outbox holds the messages with their recipients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app.ts';
import { sale, setRates, pay, ACTOR } from './sales-fixtures.ts';
import { runCollections, sendLetterNow, type RunResult } from '../../src/collections/service.ts';
import { addDays } from '../../src/domain/dates.ts';

type Day = { date: string; r: RunResult };
async function runDays(t: TestApp, from: string, to: string, skip: string[] = []): Promise<Day[]> {
  const out: Day[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (skip.includes(d)) continue;
    out.push({ date: d, r: await runCollections(t.db, d) });
  }
  return out;
}
const issued = (days: Day[]) => days.flatMap(({ date, r }) => [
  ...r.reminders.map((m) => `${date} reminder ${m.contract} #${m.n} ${m.due_date} ${m.amount_cents}`),
  ...r.letters.map((l) => `${date} ${l.number} level ${l.level} ${l.contract} ${l.total_cents}`),
]);

describe('a late contract over two and a half months', () => {
  let t: TestApp;
  let c: { id: number; firm_ruc: string };
  let number: string;
  beforeAll(async () => {
    t = await testApp({ today: '2026-06-10' });
    await setRates(t.db, [['2010-01-01', 12000]]); // 1.2% a month
    c = await sale(t.db, { date: '2026-06-10', today: '2026-06-10' }); // 60 × 1,416.67 from 10/07/2026
    await pay(t.db, c.id, '2026-06-10', 1_500_000, '2026-06-10'); // the down payment only
    await t.db('firms').where({ ruc: c.firm_ruc }).update({ email: 'cobros@empresa.pe' });
    number = (await t.db('contracts').where({ id: c.id }).first('number')).number;
  });
  afterAll(async () => { await t.close(); });

  it('issues exactly these, on these days', async () => {
    const days = await runDays(t, '2026-07-01', '2026-09-15');
    expect(issued(days)).toEqual([
      `2026-07-05 reminder ${number} #1 2026-07-10 141667`,
      // 141,667 × 1.2% × 5/30 = 283.33 → S/ 2.83 of late fees
      `2026-07-15 CC-2026-0001 level 1 ${number} ${141_667 + 283}`,
      `2026-08-05 reminder ${number} #2 2026-08-10 141667`,
      // 30 days: 1,700.00 on installment 1; installment 2 falls due the next day
      `2026-08-09 CC-2026-0002 level 2 ${number} ${141_667 + 1_700}`,
      `2026-09-05 reminder ${number} #3 2026-09-10 141667`,
      // three unpaid on 11/09: 63, 32 and 1 days of late fees
      `2026-09-11 CC-2026-0003 level 3 ${number} ${3 * 141_667 + 3_570 + 1_813 + 57}`,
    ]);
  });

  it('a second run on the same day issues nothing', async () => {
    const r = await runCollections(t.db, '2026-09-11');
    expect(r.letters).toEqual([]);
    expect(r.reminders).toEqual([]);
  });

  it('stores the letters with their installments and late fees to their date, in the history and the outbox', async () => {
    const letters = await t.db('collection_letters').orderBy('id');
    expect(letters.map((l) => [l.number, l.level, l.date, l.episode_due_date, Number(l.overdue_cents), Number(l.late_fee_cents), Number(l.total_cents), l.email])).toEqual([
      ['CC-2026-0001', 1, '2026-07-15', '2026-07-10', 141_667, 283, 141_950, 'cobros@empresa.pe'],
      ['CC-2026-0002', 2, '2026-08-09', '2026-07-10', 141_667, 1_700, 143_367, 'cobros@empresa.pe'],
      ['CC-2026-0003', 3, '2026-09-11', '2026-07-10', 425_001, 5_440, 430_441, 'cobros@empresa.pe'],
    ]);
    expect(JSON.parse(letters[2]!.items)).toEqual([
      { n: 1, due_date: '2026-07-10', unpaid_cents: 141_667, late_fee_cents: 3_570, total_cents: 145_237 },
      { n: 2, due_date: '2026-08-10', unpaid_cents: 141_667, late_fee_cents: 1_813, total_cents: 143_480 },
      { n: 3, due_date: '2026-09-10', unpaid_cents: 141_667, late_fee_cents: 57, total_cents: 141_724 },
    ]);
    const events = await t.db('contract_events').where({ contract_id: c.id, kind: 'collection_letter' }).orderBy('id');
    expect(events.map((e) => [e.date, JSON.parse(e.details).number])).toEqual([
      ['2026-07-15', 'CC-2026-0001'], ['2026-08-09', 'CC-2026-0002'], ['2026-09-11', 'CC-2026-0003']]);
    const lot = (await t.db('lots').join('contracts', 'contracts.lot_id', 'lots.id').where('contracts.id', c.id).first('lots.code')).code;
    const mail = (await t.db("mail_outbox").orderBy("id") as Record<string, string>[]).map((m): Record<string, string> => ({ ...m, text_body: String(m.text_body).replace(/\u00a0/g, " ") }));
    expect(mail.map((m) => [m.idempotency_key, m.kind, m.to_address, m.subject, m.status])).toEqual([
      [`reminder:${c.id}:1:2026-07-10`, 'reminder', 'cobros@empresa.pe', `Recordatorio: la cuota 1 del contrato ${number} vence el 10/07/2026`, 'pending'],
      ['letter:CC-2026-0001', 'letter', 'cobros@empresa.pe', `Recordatorio de cobranza CC-2026-0001: contrato ${number}, lote ${lot}`, 'pending'],
      [`reminder:${c.id}:2:2026-08-10`, 'reminder', 'cobros@empresa.pe', `Recordatorio: la cuota 2 del contrato ${number} vence el 10/08/2026`, 'pending'],
      ['letter:CC-2026-0002', 'letter', 'cobros@empresa.pe', expect.stringMatching(/^Segundo aviso de cobranza CC-2026-0002: contrato /), 'pending'],
      [`reminder:${c.id}:3:2026-09-10`, 'reminder', 'cobros@empresa.pe', `Recordatorio: la cuota 3 del contrato ${number} vence el 10/09/2026`, 'pending'],
      ['letter:CC-2026-0003', 'letter', 'cobros@empresa.pe', expect.stringMatching(/^Último aviso de cobranza CC-2026-0003: contrato /), 'pending'],
    ]);
    expect(mail[5]!.text_body).toContain('Cuota 2, vencida el 10/08/2026: S/ 1,416.67 + mora S/ 18.13 = S/ 1,434.80');
    expect(mail[5]!.text_body).toContain('Total a pagar al 11/09/2026: S/ 4,304.41');
    expect(mail[5]!.text_body).toContain('art. 1561');
    expect(mail[1]!.text_body).not.toContain('art. 1561');
  });

  it('send now issues nothing more when every level of the episode is out (409)', async () => {
    await expect(sendLetterNow(t.db, c.id, '2026-09-12', ACTOR)).rejects.toMatchObject({ status: 409 });
  });
});

describe('a day missed', () => {
  let t: TestApp;
  let c: { id: number; firm_ruc: string };
  beforeAll(async () => {
    t = await testApp({ today: '2026-06-10' });
    await setRates(t.db, [['2010-01-01', 12000]]);
    c = await sale(t.db, { date: '2026-06-10', today: '2026-06-10' });
    await pay(t.db, c.id, '2026-06-10', 1_500_000, '2026-06-10');
    await t.db('firms').where({ ruc: c.firm_ruc }).update({ email: 'pagos@empresa.pe' });
  });
  afterAll(async () => { await t.close(); });

  it('is caught up on the next run without the stale reminder, with the letter the contract is at', async () => {
    // Server down from 04/08 to 10/08: the reminder of the 10/08 installment (05/08…10/08) is never sent,
    // the level-2 letter due on 09/08 comes on 11/08, with the late fees to that day.
    const days = await runDays(t, '2026-07-01', '2026-08-20', ['2026-08-04', '2026-08-05', '2026-08-06', '2026-08-07', '2026-08-08', '2026-08-09', '2026-08-10']);
    const n = (await t.db('contracts').where({ id: c.id }).first('number')).number;
    expect(issued(days)).toEqual([
      `2026-07-05 reminder ${n} #1 2026-07-10 141667`,
      `2026-07-15 CC-2026-0001 level 1 ${n} ${141_667 + 283}`,
      // 32 days on installment 1 (1,813.34 → 1,813), 1 day on installment 2 (56.67 → 57)
      `2026-08-11 CC-2026-0002 level 2 ${n} ${2 * 141_667 + 1_813 + 57}`,
    ]);
    expect(await t.db('mail_outbox').where({ kind: 'reminder' }).pluck('idempotency_key')).toEqual([`reminder:${c.id}:1:2026-07-10`]);
  });

  it('a payment of the oldest installment starts a new episode: level 1 again for the next one', async () => {
    await pay(t.db, c.id, '2026-08-21', 141_667 + 5_000, '2026-08-21');
    const days = await runDays(t, '2026-08-21', '2026-08-25');
    expect(issued(days).map((s) => s.replace(/ \d+$/, ''))).toEqual([`2026-08-21 CC-2026-0003 level 1 ${(await t.db('contracts').where({ id: c.id }).first('number')).number}`]);
    const l = await t.db('collection_letters').where({ number: 'CC-2026-0003' }).first();
    expect(l.episode_due_date).toBe('2026-08-10');
  });
});
