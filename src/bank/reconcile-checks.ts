// The bank's part of closing a month: every statement of an active bank account whose period ends in the
// month (or covers its last day) has a saved reconciliation with difference 0 whose figures still hold
// (recomputed now and compared); and some statement covers the month's last day.
import type { Db } from '../db/knex.ts';
import { endOfMonth, formatDate, formatMonth, startOfMonth } from '../domain/dates.ts';
import { formatSoles } from '../domain/money.ts';
import { reconciliationFigures } from '../domain/bank-matching.ts';
import { findStatement, savedReconciliations } from './matching-queries.ts';
import { computeReconciliation } from './matching-view.ts';

export interface BankCheck { key: string; ok: boolean; detail: string }

/** `month` is 'YYYY-MM'. One check per statement concerned, and one per account without a statement of the month's end. */
export async function bankChecksForMonth(db: Db, month: string): Promise<BankCheck[]> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`bad month ${month}`);
  const first = startOfMonth(`${month}-01`);
  const last = endOfMonth(first);
  const monthName = formatMonth(first, 'es');
  const out: BankCheck[] = [];
  const accounts = await db('bank_accounts').where({ status: 'active' }).orderBy('id');
  for (const a of accounts as Record<string, unknown>[]) {
    const accountId = Number(a.id);
    const name = `${a.name} (${a.bank_name} ${a.account_number})`;
    const statements = await db('bank_statements').where({ bank_account_id: accountId })
      .andWhere((w) => w.whereBetween('period_to', [first, last]).orWhere((c) => c.where('period_from', '<=', last).andWhere('period_to', '>=', last)))
      .orderBy([{ column: 'period_to' }, { column: 'id' }]).select('id');
    const covers = await db('bank_statements').where({ bank_account_id: accountId })
      .andWhere('period_from', '<=', last).andWhere('period_to', '>=', last).first('id');
    if (!covers) {
      out.push({ key: `bank:${accountId}:statement`, ok: false, detail: `${name}: falta el extracto de ${monthName} (ninguno cubre el ${formatDate(last)}).` });
    }
    for (const s of statements as { id: number }[]) {
      const statement = (await findStatement(db, Number(s.id)))!;
      const key = `bank:${accountId}:reconciliation:${statement.id}`;
      const period = `extracto #${statement.id} del ${formatDate(statement.period_from)} al ${formatDate(statement.period_to)}`;
      const [saved] = await savedReconciliations(db, statement.id);
      if (!saved) {
        out.push({ key, ok: false, detail: `${name}: el ${period} no tiene conciliación bancaria guardada.` });
        continue;
      }
      if (saved.difference_cents !== 0) {
        out.push({ key, ok: false, detail: `${name}: la conciliación del ${period} guardada tiene una diferencia de ${formatSoles(saved.difference_cents)}.` });
        continue;
      }
      const now = reconciliationFigures(await computeReconciliation(db, statement));
      const then = reconciliationFigures(saved);
      const changed = (Object.keys(now) as (keyof typeof now)[]).filter((k) => now[k] !== then[k]);
      if (changed.length) {
        out.push({ key, ok: false, detail: `${name}: la conciliación del ${period} ya no corresponde a los libros (cambió: ${changed.join(', ')}); revísela y guárdela de nuevo.` });
      } else {
        out.push({ key, ok: true, detail: `${name}: ${period} conciliado (guardado por ${saved.saved_by_name ?? '—'}).` });
      }
    }
  }
  return out;
}
