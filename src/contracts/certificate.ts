// The constancia de cancelación: issued in the transaction that pays a contract off (markPaidOff calls
// issuePayoffCertificate), numbered CDC-YYYY-NNNN per year of the payoff date without gaps. It keeps what it
// certifies as issued (the valid receipts, their total, the payoff date); when a reversal reopens the
// contract it is marked void (revertContractStatus calls voidPayoffCertificate), never deleted, and the next
// payoff issues a new number.
import type { Db } from '../db/knex.ts';
import { audit, type Actor } from '../audit/audit.ts';
import type { IsoDate } from '../domain/dates.ts';
import { nextValue } from '../counters.ts';
import { notFound } from '../web/errors.ts';

export const certificateNumber = (year: number, seq: number) => `CDC-${year}-${String(seq).padStart(4, '0')}`;
export const CERTIFICATE_NUMBER_RE = /^CDC-\d{4}-\d{4,}$/;

export interface CertificateReceipt { number: string; date: IsoDate; amount_cents: number }

export interface CertificateRow {
  id: number;
  contract_id: number;
  number: string;
  year: number;
  seq: number;
  date: IsoDate;
  firm_ruc: string;
  total_paid_cents: number;
  receipts: CertificateReceipt[];
  status: 'valid' | 'void';
  issued_at: string;
  issued_by: number | null;
  voided_at: string | null;
  void_reason: string | null;
}

const toCertificate = (r: Record<string, unknown>): CertificateRow => ({
  ...(r as unknown as CertificateRow),
  id: Number(r.id), contract_id: Number(r.contract_id), year: Number(r.year), seq: Number(r.seq),
  total_paid_cents: Number(r.total_paid_cents), issued_by: r.issued_by === null ? null : Number(r.issued_by),
  receipts: JSON.parse(String(r.receipts)) as CertificateReceipt[],
});

/** Every constancia of a contract, oldest first (void ones included). */
export async function certificatesOf(db: Db, contractId: number): Promise<CertificateRow[]> {
  const rows = await db('payoff_certificates').where({ contract_id: contractId }).orderBy('id');
  return rows.map(toCertificate);
}

/**
 * Issues the contract's constancia for a payoff on `date`, inside the payoff's transaction: the valid
 * receipts as they stand (the one that paid it off included). A valid one already there is left alone.
 */
export async function issuePayoffCertificate(trx: Db, contractId: number, date: IsoDate, actor: Actor): Promise<string> {
  const existing = await trx('payoff_certificates').where({ contract_id: contractId, status: 'valid' }).first('number');
  if (existing) return String(existing.number);
  const contract = await trx('contracts').where({ id: contractId }).first('firm_ruc', 'number');
  const receipts: CertificateReceipt[] = (await trx('receipts').where({ contract_id: contractId, status: 'valid' })
    .orderBy([{ column: 'date' }, { column: 'id' }]).select('number', 'date', 'amount_cents'))
    .map((r: Record<string, unknown>) => ({ number: String(r.number), date: String(r.date), amount_cents: Number(r.amount_cents) }));
  const total = receipts.reduce((s, r) => s + r.amount_cents, 0);
  const year = Number(date.slice(0, 4));
  const seq = await nextValue(trx, `CDC-${year}`);
  const number = certificateNumber(year, seq);
  await trx('payoff_certificates').insert({
    contract_id: contractId, number, year, seq, date, firm_ruc: contract.firm_ruc, total_paid_cents: total,
    receipts: JSON.stringify(receipts), status: 'valid', issued_at: new Date().toISOString(), issued_by: actor.id,
  });
  await audit(trx, actor, 'contract.certificate_issued', 'contract', contractId, {
    contract: contract.number, certificate: number, date, total_paid_cents: total, receipts: receipts.length,
  });
  return number;
}

/** The contract is no longer paid off: its valid constancia (if any) becomes void, with the reason. */
export async function voidPayoffCertificate(trx: Db, contractId: number, reason: string, actor: Actor): Promise<void> {
  const valid = await trx('payoff_certificates').where({ contract_id: contractId, status: 'valid' }).first('id', 'number');
  if (!valid) return;
  // The payments area says why in its own words ("receipt R001-… voided: …"); the printed constancia says it in Spanish.
  const voided = /^receipt (\S+) voided: ([\s\S]*)$/.exec(reason);
  const why = voided ? `Recibo ${voided[1]} anulado: ${voided[2]}` : reason;
  await trx('payoff_certificates').where({ id: valid.id, status: 'valid' })
    .update({ status: 'void', voided_at: new Date().toISOString(), void_reason: why.slice(0, 500) });
  await audit(trx, actor, 'contract.certificate_voided', 'contract', contractId, { certificate: valid.number, reason: why });
}

/**
 * The constancia to print: the contract's valid one, or a named one (void ones print with their stamp).
 * 404 when there is none (the contract is not paid off) or the number is not this contract's.
 */
export async function certificateFor(db: Db, contractId: number, number?: string): Promise<CertificateRow> {
  const q = db('payoff_certificates').where({ contract_id: contractId });
  if (number) {
    if (!CERTIFICATE_NUMBER_RE.test(number)) throw notFound();
    q.where({ number });
  } else q.where({ status: 'valid' });
  const row = await q.first();
  if (!row) throw notFound();
  return toCertificate(row);
}
