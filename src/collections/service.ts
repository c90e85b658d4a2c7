// Collections: the daily run (due-date reminders and collection letters), "send now", notes of calls.
// Each contract is handled in its own transaction: the letter (numbered CC-YYYY-NNNN without gaps), its
// line in the contract's history, its audit row and its e-mail in the outbox commit together or not at
// all. What is due comes from src/domain/collections.ts; which contracts to look at, from the maintained
// portfolio (portfolioOn), so a day's run reads no replay of contracts that owe nothing soon.
import type { Db } from '../db/knex.ts';
import { audit, SYSTEM, type Actor } from '../audit/audit.ts';
import { addDays, formatDate, type IsoDate } from '../domain/dates.ts';
import { formatSoles } from '../domain/money.ts';
import { collectionsDue, draftLetter, manualLevel, type CollectionsDue, type IssuedLetter, type LetterDraft, type LetterItem, type LetterLevel } from '../domain/collections.ts';
import { nextValue } from '../counters.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { portfolioOn } from '../accounts/portfolio.ts';
import { accountOf } from '../payments/account.ts';
import { FormError, notFound } from '../web/errors.ts';
import type { CurrentUser } from '../web/routing.ts';
import { getCollectionSettings, getHowToPay, type CollectionRunSettings, type HowToPay } from '../settings/collections.ts';

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
};

export interface CollectionContract {
  id: number; number: string; status: string; accelerated_on: IsoDate | null;
  firm_ruc: string; firm_name: string; firm_email: string | null; firm_phone: string | null; lot_code: string;
}

export interface LetterRow {
  id: number; number: string; contract_id: number; level: LetterLevel; date: IsoDate; episode_due_date: IsoDate;
  items: LetterItem[]; overdue_cents: number; late_fee_cents: number; total_cents: number; unpaid_count: number;
  trigger: string; email: string | null; mail_id: number | null; created_at: string;
}

export interface RunResult {
  date: IsoDate;
  letters: { number: string; contract: string; level: LetterLevel; total_cents: number; email: string | null }[];
  reminders: { contract: string; n: number; due_date: IsoDate; amount_cents: number; email: string }[];
}

const toLetter = (r: Record<string, unknown>): LetterRow => ({
  id: Number(r.id), number: String(r.number), contract_id: Number(r.contract_id), level: Number(r.level) as LetterLevel,
  date: String(r.date), episode_due_date: String(r.episode_due_date), items: JSON.parse(String(r.items)) as LetterItem[],
  overdue_cents: Number(r.overdue_cents), late_fee_cents: Number(r.late_fee_cents), total_cents: Number(r.total_cents),
  unpaid_count: Number(r.unpaid_count), trigger: String(r.trigger), email: (r.email as string | null) ?? null,
  mail_id: r.mail_id === null || r.mail_id === undefined ? null : Number(r.mail_id), created_at: String(r.created_at),
});

export async function collectionContract(db: Db, id: number): Promise<CollectionContract | null> {
  const c = await db('contracts as c').join('firms as f', 'f.ruc', 'c.firm_ruc').join('lots as l', 'l.id', 'c.lot_id')
    .where('c.id', id).first('c.id', 'c.number', 'c.status', 'c.accelerated_on', 'c.firm_ruc', 'f.name as firm_name',
      'f.email as firm_email', 'f.phone as firm_phone', 'l.code as lot_code');
  if (!c) return null;
  return {
    id: Number(c.id), number: String(c.number), status: String(c.status), accelerated_on: c.accelerated_on ?? null,
    firm_ruc: String(c.firm_ruc), firm_name: String(c.firm_name), firm_email: c.firm_email ?? null, firm_phone: c.firm_phone ?? null,
    lot_code: String(c.lot_code),
  };
}

/** A contract's letters, oldest first. */
export async function lettersOf(db: Db, contractId: number): Promise<LetterRow[]> {
  return (await db('collection_letters').where({ contract_id: contractId }).orderBy('id')).map(toLetter);
}

/** Letters of many contracts (the cobranza page), by contract, oldest first. */
export async function lettersByContract(db: Db, contractIds?: number[]): Promise<Map<number, LetterRow[]>> {
  const q = db('collection_letters').orderBy('id');
  if (contractIds) q.whereIn('contract_id', contractIds);
  const out = new Map<number, LetterRow[]>();
  for (const r of (await q).map(toLetter)) {
    const list = out.get(r.contract_id) ?? [];
    list.push(r);
    out.set(r.contract_id, list);
  }
  return out;
}

export const LEVEL_NAMES: Record<LetterLevel, string> = { 1: 'Recordatorio de pago', 2: 'Segundo aviso de cobranza', 3: 'Último aviso (art. 1561 del Código Civil)' };

function itemsText(items: LetterItem[]): string {
  return items.map((i) => `  Cuota ${i.n}, vencida el ${formatDate(i.due_date)}: ${formatSoles(i.unpaid_cents)} + mora ${formatSoles(i.late_fee_cents)} = ${formatSoles(i.total_cents)}`).join('\n');
}

export function howToPayText(h: HowToPay): string {
  if (!h.any) return 'Puede pagar en la caja de la Municipalidad Provincial de Ilo.';
  const lines = ['Cómo pagar:'];
  for (const b of h.banks) lines.push(`  ${b.bank}: cuenta ${b.account}${b.cci ? `, CCI ${b.cci}` : ''}`);
  if (h.office_address) lines.push(`  Caja: ${h.office_address}${h.office_hours ? ` (${h.office_hours})` : ''}`);
  else if (h.office_hours) lines.push(`  Horario de caja: ${h.office_hours}`);
  if (h.contact) lines.push(`  Consultas: ${h.contact}`);
  return lines.join('\n');
}

export const ART_1561 = 'Código Civil, art. 1561: «Cuando se ha estipulado que el precio debe pagarse por armadas en diversos plazos, '
  + 'si el comprador deja de pagar tres o más de ellas, sean o no sucesivas, el vendedor puede pedir la resolución del contrato '
  + 'o exigir al deudor el inmediato pago del saldo, dándose por vencidas las cuotas que estuvieren pendientes.»';

function letterMail(c: CollectionContract, l: { number: string; level: LetterLevel; date: IsoDate } & LetterDraft, h: HowToPay) {
  const subject = `${l.level === 3 ? 'Último aviso' : l.level === 2 ? 'Segundo aviso' : 'Recordatorio'} de cobranza ${l.number}: contrato ${c.number}, lote ${c.lot_code}`;
  const text = [
    `${c.firm_name} (RUC ${c.firm_ruc})`, '',
    `Carta de cobranza ${l.number} del ${formatDate(l.date)} — ${LEVEL_NAMES[l.level]}`,
    `Contrato ${c.number}, lote ${c.lot_code}.`, '',
    `Al ${formatDate(l.date)} figuran impagas las siguientes cuotas, con los intereses moratorios a esa fecha:`,
    itemsText(l.items), '',
    `Total a pagar al ${formatDate(l.date)}: ${formatSoles(l.total_cents)} (los intereses moratorios siguen corriendo hasta el pago).`, '',
    ...(l.level === 3 ? [ART_1561, 'Si no regulariza el pago, la Municipalidad podrá dar por vencidas todas las cuotas pendientes y exigir el saldo, o resolver el contrato.', ''] : []),
    howToPayText(h), '',
    'Puede ver esta carta en el portal del Parque Industrial. Si ya pagó, por favor no tome en cuenta este mensaje.',
    'Municipalidad Provincial de Ilo — Parque Industrial de Ilo',
  ].join('\n');
  return { subject, text };
}

/** Issues a letter of `draft` on `date` (inside trx): number, row, history, audit, outbox. */
async function issueLetter(trx: Db, c: CollectionContract, date: IsoDate, draft: LetterDraft, trigger: 'daily' | 'manual',
  actor: Actor, h: HowToPay): Promise<LetterRow> {
  const year = Number(date.slice(0, 4));
  const seq = await nextValue(trx, `collection_letter:${year}`);
  const number = `CC-${year}-${String(seq).padStart(4, '0')}`;
  const now = new Date().toISOString();
  const [row] = await trx('collection_letters').insert({
    number, contract_id: c.id, level: draft.level, date, episode_due_date: draft.episode_due_date, items: JSON.stringify(draft.items),
    overdue_cents: draft.overdue_cents, late_fee_cents: draft.late_fee_cents, total_cents: draft.total_cents, unpaid_count: draft.unpaid_count,
    trigger, email: c.firm_email, mail_id: null, created_by: actor.id, created_at: now,
  }).returning('id');
  const id = Number(typeof row === 'object' ? row.id : row);
  if (c.firm_email) {
    const mail = letterMail(c, { ...draft, number, date }, h);
    const mailId = await enqueueMail(trx, { key: `letter:${number}`, kind: 'letter', to: [c.firm_email], ...mail, record_type: 'collection_letter', record_id: number });
    if (mailId !== null) await trx('collection_letters').where({ id }).update({ mail_id: mailId });
  }
  await trx('contract_events').insert({
    contract_id: c.id, kind: 'collection_letter', date, recorded_by: actor.id, recorded_at: now,
    details: JSON.stringify({ reason: `${number} · ${LEVEL_NAMES[draft.level]} · ${formatSoles(draft.total_cents)}`, number, level: draft.level, total_cents: draft.total_cents }),
  });
  await audit(trx, actor, 'contract.collection_letter', 'contract', c.id, { number, level: draft.level, date, total_cents: draft.total_cents, trigger });
  return (await lettersOf(trx, c.id)).find((l) => l.id === id)!;
}

/** What is due for one contract on `date` (reads inside the given db/trx). */
export async function dueFor(db: Db, c: CollectionContract, date: IsoDate, settings: CollectionRunSettings):
  Promise<{ due: CollectionsDue; letters: LetterRow[]; rows: Awaited<ReturnType<typeof accountOf>>['statement']['rows'] }> {
  const { statement } = await accountOf(db, c, date);
  const letters = await lettersOf(db, c.id);
  const issued: IssuedLetter[] = letters.map((l) => ({ level: l.level, episode_due_date: l.episode_due_date, date: l.date }));
  return { due: collectionsDue(statement.rows, date, issued, settings), letters, rows: statement.rows };
}

async function runOne(trx: Db, contractId: number, date: IsoDate, actor: Actor, settings: CollectionRunSettings, h: HowToPay, out: RunResult) {
  const c = await collectionContract(trx, contractId);
  if (!c || c.status !== 'active') return;
  const { due } = await dueFor(trx, c, date, settings);
  if (c.firm_email) {
    for (const r of due.reminders) {
      const key = `reminder:${c.id}:${r.n}:${r.due_date}`;
      if (await trx('mail_outbox').where({ idempotency_key: key }).first('id')) continue;
      await enqueueMail(trx, {
        key, kind: 'reminder', to: [c.firm_email], record_type: 'contract', record_id: c.id,
        subject: `Recordatorio: la cuota ${r.n} del contrato ${c.number} vence el ${formatDate(r.due_date)}`,
        text: [`${c.firm_name} (RUC ${c.firm_ruc})`, '',
          `Le recordamos que la cuota ${r.n} de su contrato ${c.number} (lote ${c.lot_code}) vence el ${formatDate(r.due_date)}.`,
          `Importe: ${formatSoles(r.amount_cents)}. Pagada después de esa fecha, genera intereses moratorios.`, '',
          howToPayText(h), '', 'Si ya pagó, por favor no tome en cuenta este mensaje.',
          'Municipalidad Provincial de Ilo — Parque Industrial de Ilo'].join('\n'),
      });
      out.reminders.push({ contract: c.number, n: r.n, due_date: r.due_date, amount_cents: r.amount_cents, email: c.firm_email });
    }
  }
  if (due.letter) {
    const l = await issueLetter(trx, c, date, due.letter, 'daily', actor, h);
    out.letters.push({ number: l.number, contract: c.number, level: l.level, total_cents: l.total_cents, email: l.email });
  }
}

/**
 * The day's collections: for every contract live on `date` that is late or has an installment due within
 * the reminder days, the reminders and the letter due that day. Running it again for the same day
 * issues nothing new (letters are one per level and episode; reminders have a key per installment).
 */
export async function runCollections(db: Db, date: IsoDate, actor: Actor = SYSTEM): Promise<RunResult> {
  const settings = await getCollectionSettings(db);
  const h = await getHowToPay(db);
  const horizon = addDays(date, settings.reminder_days_before);
  const lines = await portfolioOn(db, date, { live: true, unpaid: true });
  const out: RunResult = { date, letters: [], reminders: [] };
  for (const l of lines) {
    const soon = (l.unpaid ?? []).some((u) => u.due_date >= date && u.due_date <= horizon);
    if (l.figures.delinquency.oldest_due_date === null && !soon) continue;
    const found = { letters: out.letters.length, reminders: out.reminders.length };
    try {
      await db.transaction((trx) => runOne(trx, l.contract_id, date, actor, settings, h, out));
    } catch (err) {
      // Another process issued the same letter or reminder at the same moment: its commit stands, ours is undone.
      if (!isUniqueViolation(err)) throw err;
      out.letters.length = found.letters;
      out.reminders.length = found.reminders;
    }
  }
  return out;
}

/** "Send now": the letter due today, or the next level (409 when the contract is not late or all are sent). */
export async function sendLetterNow(db: Db, contractId: number, date: IsoDate, actor: Actor): Promise<LetterRow> {
  const settings = await getCollectionSettings(db);
  const h = await getHowToPay(db);
  return db.transaction(async (trx) => {
    const c = await collectionContract(trx, contractId);
    if (!c) throw notFound();
    if (c.status !== 'active') throw new FormError(409, { _form: 'collections.error.not_active' });
    const { due, rows } = await dueFor(trx, c, date, settings);
    const draft = draftLetter(rows, date, 1);
    const level = draft ? manualLevel(due, draft.unpaid_count) : null;
    if (!draft || level === null) throw new FormError(409, { _form: draft ? 'collections.error.all_sent' : 'collections.error.not_late' });
    return issueLetter(trx, c, date, { ...draft, level }, 'manual', actor, h);
  }).catch((err: unknown) => {
    // The daily run issued that letter at the same moment.
    if (isUniqueViolation(err)) throw new FormError(409, { _form: 'collections.error.all_sent' });
    throw err;
  });
}

/** A note of a call (or any contact) about a contract's collection; shown on cobranza and in its history. */
export async function addCollectionNote(db: Db, contractId: number, note: string, date: IsoDate, actor: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    const c = await trx('contracts').where({ id: contractId }).first('id');
    if (!c) throw notFound();
    const now = new Date().toISOString();
    await trx('collection_notes').insert({ contract_id: contractId, date, note, created_by: actor.id, created_at: now });
    await trx('contract_events').insert({
      contract_id: contractId, kind: 'collection_note', date, recorded_by: actor.id, recorded_at: now, details: JSON.stringify({ reason: note }),
    });
    await audit(trx, actor, 'contract.collection_note', 'contract', contractId, { date, note });
  });
}

/** A letter by its number: staff see every letter, a buyer only its own firm's (404 otherwise). */
export async function letterFor(db: Db, number: string, user: CurrentUser | undefined): Promise<{ letter: LetterRow; contract: CollectionContract }> {
  const r = await db('collection_letters').where({ number }).first();
  if (!r || !user) throw notFound();
  const letter = toLetter(r);
  const contract = (await collectionContract(db, letter.contract_id))!;
  if (user.role === 'buyer' && contract.firm_ruc !== user.firm_ruc) throw notFound();
  return { letter, contract };
}

/** A firm's letters, newest first (the portal). */
export async function lettersOfFirm(db: Db, ruc: string) {
  return db('collection_letters as l').join('contracts as c', 'c.id', 'l.contract_id').where('c.firm_ruc', ruc)
    .orderBy('l.id', 'desc').select('l.number', 'l.level', 'l.date', 'l.total_cents', 'c.number as contract_number', 'c.id as contract_id');
}

/** The contract's last letter (number, level, date), or null. */
export async function lastLetterOf(db: Db, contractId: number): Promise<{ number: string; level: number; date: IsoDate } | null> {
  const r = await db('collection_letters').where({ contract_id: contractId }).orderBy('id', 'desc').first('number', 'level', 'date');
  return r ? { number: String(r.number), level: Number(r.level), date: String(r.date) } : null;
}
