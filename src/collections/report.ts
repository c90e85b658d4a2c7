// The cobranza page and its CSV: the contracts to collect on a date (late ones by default, or every live
// one) with the firm's phone and e-mail, what is overdue, the last letter and when the next one is due.
// Figures from the maintained portfolio; each listed contract's rows from its maintained account.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { toSolesString } from '../domain/money.ts';
import { portfolioOn } from '../accounts/portfolio.ts';
import { getCollectionSettings } from '../settings/collections.ts';
import type { LetterLevel } from '../domain/collections.ts';
import { dueFor, lettersByContract, type CollectionContract, type LetterRow } from './service.ts';

export interface CollectionLine {
  contract_id: number; contract: string; firm_ruc: string; firm_name: string; phone: string | null; email: string | null; lot_code: string;
  oldest_due_date: IsoDate | null; days_late: number; unpaid_installments: number;
  overdue_cents: number; late_fee_cents: number;
  last_letter: LetterRow | null;
  due_now: LetterLevel | null; // a letter the daily run would issue today
  next: { level: LetterLevel; date: IsoDate } | null;
  notes: { date: IsoDate; note: string; username: string | null }[];
}

export async function collectionsReport(db: Db, as_of: IsoDate, show: 'late' | 'all'): Promise<CollectionLine[]> {
  const settings = await getCollectionSettings(db);
  const lines = (await portfolioOn(db, as_of, { live: true })).filter((l) => l.status === 'active')
    .filter((l) => show === 'all' || l.figures.delinquency.oldest_due_date !== null);
  const ids = lines.map((l) => l.contract_id);
  const firms = new Map<string, { phone: string | null; email: string | null }>(
    (await db('firms').whereIn('ruc', [...new Set(lines.map((l) => l.firm_ruc))]).select('ruc', 'phone', 'email'))
      .map((f: { ruc: string; phone: string | null; email: string | null }) => [f.ruc, { phone: f.phone, email: f.email }]));
  const letters = await lettersByContract(db, ids);
  const notes = new Map<number, CollectionLine['notes']>();
  for (const n of await db('collection_notes as n').leftJoin('users as u', 'u.id', 'n.created_by').whereIn('n.contract_id', ids)
    .orderBy('n.id', 'desc').select('n.contract_id', 'n.date', 'n.note', 'u.username')) {
    const list = notes.get(Number(n.contract_id)) ?? [];
    list.push({ date: n.date, note: n.note, username: n.username ?? null });
    notes.set(Number(n.contract_id), list);
  }
  const out: CollectionLine[] = [];
  for (const l of lines) {
    const f = firms.get(l.firm_ruc) ?? { phone: null, email: null };
    const c: CollectionContract = {
      id: l.contract_id, number: l.number, status: l.status, accelerated_on: l.accelerated_on, firm_ruc: l.firm_ruc,
      firm_name: l.firm_name, firm_email: f.email, firm_phone: f.phone, lot_code: l.lot_code,
    };
    const { due } = await dueFor(db, c, as_of, settings);
    const d = l.figures.delinquency;
    out.push({
      contract_id: l.contract_id, contract: l.number, firm_ruc: l.firm_ruc, firm_name: l.firm_name, phone: f.phone, email: f.email,
      lot_code: l.lot_code, oldest_due_date: d.oldest_due_date, days_late: d.days_late, unpaid_installments: d.unpaid_overdue_count,
      overdue_cents: l.figures.overdue_cents, late_fee_cents: l.figures.late_fee_unpaid_cents,
      last_letter: letters.get(l.contract_id)?.at(-1) ?? null,
      due_now: due.letter?.level ?? null, next: due.letter ? { level: due.letter.level, date: as_of } : due.next,
      notes: notes.get(l.contract_id) ?? [],
    });
  }
  // The longest delay first.
  return out.sort((a, b) => b.days_late - a.days_late || a.contract.localeCompare(b.contract));
}

export const COLLECTIONS_CSV_COLUMNS = ['contract', 'firm_ruc', 'firm_name', 'phone', 'email', 'lot_code', 'oldest_due_date', 'days_late',
  'unpaid_installments', 'overdue', 'late_fee', 'last_letter', 'last_letter_level', 'last_letter_date', 'next_letter_level', 'next_letter_date', 'last_note_date'];

export function collectionsCsv(lines: CollectionLine[]): string[][] {
  return [COLLECTIONS_CSV_COLUMNS, ...lines.map((l) => [
    l.contract, l.firm_ruc, l.firm_name, l.phone ?? '', l.email ?? '', l.lot_code, l.oldest_due_date ?? '', String(l.days_late),
    String(l.unpaid_installments), toSolesString(l.overdue_cents), toSolesString(l.late_fee_cents),
    l.last_letter?.number ?? '', l.last_letter ? String(l.last_letter.level) : '', l.last_letter?.date ?? '',
    l.next ? String(l.next.level) : '', l.next?.date ?? '', l.notes[0]?.date ?? '',
  ])];
}
