// The e-mails that acts queue (in their own transaction, through enqueueMail): the portal invitation,
// the receipt notice and the password-reset link. Spanish texts, amounts as S/ 1,234.56, dates as
// dd/mm/yyyy, links absolute on BASE_URL.
import type { Db } from '../db/knex.ts';
import { mailBaseUrl } from '../config.ts';
import { formatDate } from '../domain/dates.ts';
import { formatSoles, type Cents } from '../domain/money.ts';
import { enqueueMail } from './outbox.ts';

const SIGNATURE = 'Municipalidad Provincial de Ilo · Parque Industrial de Ilo\nEste mensaje se envió automáticamente; no responda a esta dirección.';
const METHODS: Record<string, string> = { cash: 'efectivo', deposit: 'depósito bancario', transfer: 'transferencia' };

/** A clock reading as dd/mm/yyyy hh:mm (Lima, UTC−5, no daylight saving). */
function limaDateTime(iso: string): string {
  const d = new Date(Date.parse(iso) - 5 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** The invitation link, e-mailed to the invited contact (record: the user invited). */
export async function queueInvitationMail(trx: Db, inv: { invitation_id: number; user_id: number; email: string; token: string;
  firm_name: string; expires_at: string }, now: Date): Promise<number | null> {
  const link = `${mailBaseUrl()}/invitations/${inv.token}`;
  return enqueueMail(trx, {
    key: `invitation:${inv.invitation_id}`, kind: 'invitation', to: [inv.email],
    subject: 'Acceso al portal del Parque Industrial de Ilo',
    text: [
      'Estimado(a):',
      '',
      'Se le invitó al portal del Parque Industrial de Ilo, donde verá los contratos, pagos y deudas de su empresa:',
      inv.firm_name,
      '',
      'Para crear su contraseña abra este enlace:',
      '',
      link,
      '',
      `El enlace sirve una sola vez y vence el ${limaDateTime(inv.expires_at)} (hora de Lima). Si vence, pida una nueva invitación a la gerencia del parque.`,
      '',
      SIGNATURE,
    ].join('\n'),
    record_type: 'user', record_id: inv.user_id,
  }, now);
}

/** The notice of a receipt just recorded, to the firm's e-mail and its portal users (record: the receipt). */
export async function queueReceiptNotice(trx: Db, number: string, now: Date = new Date()): Promise<number | null> {
  const r = await trx('receipts as r').join('contracts as c', 'c.id', 'r.contract_id').join('firms as f', 'f.ruc', 'c.firm_ruc')
    .join('lots as l', 'l.id', 'c.lot_id').where('r.number', number)
    .first('r.number', 'r.date', 'r.amount_cents', 'r.method', 'r.reference', 'c.number as contract_number', 'c.firm_ruc',
      'f.name as firm_name', 'f.email as firm_email', 'l.code as lot_code');
  if (!r) throw new Error(`receipt ${number} not found`);
  const users = await trx('users').where({ firm_ruc: r.firm_ruc, role: 'buyer' }).where('active', true).whereNotNull('email')
    .whereNotNull('password_hash').orderBy('id').pluck('email');
  const to = [...new Set([r.firm_email, ...users].filter(Boolean).map((a: string) => a.trim().toLowerCase()))];
  const amount = formatSoles(Number(r.amount_cents) as Cents).replace(/\u00a0/g, ' '); // plain text: a plain space
  return enqueueMail(trx, {
    key: `receipt:${number}:notice`, kind: 'receipt', to,
    subject: `Pago recibido: recibo ${number} por ${amount}`,
    text: [
      `Estimados señores de ${r.firm_name} (RUC ${r.firm_ruc}):`,
      '',
      `Registramos su pago del ${formatDate(r.date)} por ${amount} (${METHODS[r.method] ?? r.method}${r.reference ? `, ref. ${r.reference}` : ''})`,
      `al contrato ${r.contract_number}, lote ${r.lot_code}. Recibo de ingresos N.º ${number}.`,
      '',
      `Vea e imprima el recibo: ${mailBaseUrl()}/receipts/${number}`,
      `Su estado de cuenta y lo que falta pagar están en el portal: ${mailBaseUrl()}/portal`,
      '',
      SIGNATURE,
    ].join('\n'),
    record_type: 'receipt', record_id: number,
  }, now);
}

/** The password-reset link (record: the user). */
export async function queuePasswordResetMail(trx: Db, reset: { id: number; user_id: number; email: string; token: string; expires_at: string },
  now: Date): Promise<number | null> {
  return enqueueMail(trx, {
    key: `password_reset:${reset.id}`, kind: 'password_reset', to: [reset.email],
    subject: 'Restablecer su contraseña del Parque Industrial de Ilo',
    text: [
      'Estimado(a):',
      '',
      'Alguien (probablemente usted) pidió restablecer la contraseña de su cuenta en el sistema del Parque Industrial de Ilo.',
      'Para elegir una nueva contraseña abra este enlace:',
      '',
      `${mailBaseUrl()}/password/reset/${reset.token}`,
      '',
      `El enlace sirve una sola vez y vence el ${limaDateTime(reset.expires_at)} (hora de Lima).`,
      'Si usted no lo pidió, ignore este mensaje: su contraseña no cambia.',
      '',
      SIGNATURE,
    ].join('\n'),
    record_type: 'user', record_id: reset.user_id,
  }, now);
}
