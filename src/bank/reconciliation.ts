// Saving the bank reconciliation of a statement: its figures and its reconciling items as they stand,
// with who saved it and when. Every save is a new row (the history is kept) and an audit entry.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { notFound } from '../web/errors.ts';
import type { RecResult } from '../domain/bank-matching.ts';
import { findStatement } from './matching-queries.ts';
import { computeReconciliation } from './matching-view.ts';
import type { BookLineRow } from './matching-queries.ts';

/** The items as saved (JSON): each one named, in céntimos. */
export function reconciliationItems(r: RecResult, labels: Map<number, BookLineRow>) {
  return {
    in_transit: r.in_transit.map((l) => ({
      journal_line_id: l.id, entry_id: l.entry_id, date: l.date, amount_cents: l.amount_cents, label: labels.get(l.id)?.label ?? l.description,
    })),
    not_recorded: r.not_recorded.map((l) => ({
      statement_line_id: l.id, date: l.date, description: l.description, reference: l.reference, amount_cents: l.amount_cents,
    })),
    voided: r.voided.map(([a, b]) => [a.id, b.id]),
    in_transit_in_cents: r.in_transit_in_cents, in_transit_out_cents: r.in_transit_out_cents,
    not_recorded_in_cents: r.not_recorded_in_cents, not_recorded_out_cents: r.not_recorded_out_cents,
    adjusted_cents: r.adjusted_cents,
  };
}

export async function saveReconciliation(db: Db, actor: Actor, statementId: number): Promise<number> {
  return db.transaction(async (trx) => {
    const statement = await findStatement(trx, statementId);
    if (!statement) throw notFound();
    const r = await computeReconciliation(trx, statement);
    const fields = {
      statement_id: statementId, as_of: r.as_of, statement_balance_cents: r.statement_balance_cents,
      book_balance_cents: r.book_balance_cents, in_transit_cents: r.in_transit_cents, not_recorded_cents: r.not_recorded_cents,
      difference_cents: r.difference_cents,
    };
    const [row] = await trx('bank_reconciliations').insert({
      ...fields, items: JSON.stringify(reconciliationItems(r, r.labels)), saved_by: actor.id, saved_by_name: actor.username,
      saved_at: new Date().toISOString(),
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await audit(trx, actor, 'bank.reconciliation_save', 'bank_statement', statementId, { reconciliation_id: id, ...fields });
    return id;
  });
}
