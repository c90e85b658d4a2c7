// The staff home page: what needs attention today (down payments awaited, late payers who may be
// accelerated or rescinded, licences about to expire) and the park and fund at a glance.
import type { RequestHandler } from 'express';
import type { Db } from '../db/knex.ts';
import { addDays, daysBetween, type IsoDate } from '../domain/dates.ts';
import { delinquencyReport } from '../delinquency/report.ts';
import { licencesExpiringBy } from '../firms/queries.ts';
import { accountBalance, ACCOUNTS } from '../fund/ledger.ts';
import { t } from '../web/i18n.ts';
import { titlePendingCount } from '../contracts/formalisation.ts';
import { getFollowUpSettings } from '../settings/service.ts';

async function lotCounts(db: Db) {
  const rows = await db('lots').select('owner', 'status').count<{ owner: string; status: string; n: number }[]>({ n: '*' })
    .groupBy('owner', 'status');
  const of = (owner: string, status?: string) => rows
    .filter((r) => r.owner === owner && (!status || r.status === status)).reduce((s, r) => s + Number(r.n), 0);
  return {
    municipal_available: of('municipal', 'available'),
    awaiting: of('municipal', 'awaiting_down_payment'),
    under_contract: of('municipal', 'under_contract'),
    paid_off: of('municipal', 'paid_off'),
    ministry: of('ministry'),
  };
}

/**
 * Contracts awaiting their down payment, in one query: all of them, or with `deadlineDays` those past the
 * deadline (contract date + deadline days < today, i.e. signed before today − deadline), which a
 * resolution may withdraw.
 */
async function awaitingDownPayment(db: Db, today: IsoDate, deadlineDays?: number) {
  const q = db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').join('firms as f', 'f.ruc', 'c.firm_ruc')
    .where('c.status', 'awaiting_down_payment');
  if (deadlineDays !== undefined) q.andWhere('c.date', '<', addDays(today, -deadlineDays));
  const rows = await q.orderBy('c.date').orderBy('c.id')
    .select('c.id', 'c.number', 'c.date', 'c.down_payment_cents', 'l.code as lot_code', 'f.name as firm_name', 'f.ruc as firm_ruc',
      // Part of the down payment received: such a sale is no longer withdrawn but rescinded.
      db.raw("coalesce((select sum(r.amount_cents) from receipts r where r.contract_id = c.id and r.status = 'valid'), 0) as received_cents"));
  return rows.map((r) => ({
    ...r, down_payment_cents: Number(r.down_payment_cents), received_cents: Number(r.received_cents),
    days_waiting: daysBetween(r.date, today),
  }));
}

export async function staffDashboard(db: Db, today: IsoDate, role: string) {
  const { down_payment_deadline_days: deadline } = await getFollowUpSettings(db);
  const [lots, awaiting, lateDown, delinquency, licences] = await Promise.all([
    lotCounts(db), awaitingDownPayment(db, today), awaitingDownPayment(db, today, deadline),
    delinquencyReport(db, today, null), licencesExpiringBy(db, addDays(today, 30)),
  ]);
  const seesFund = role === 'admin' || role === 'finance';
  return {
    today, lots, awaiting,
    late_down: { deadline_days: deadline, contracts: lateDown, may_withdraw: role === 'admin' || role === 'manager' },
    delinquency: {
      totals: delinquency.totals.filter((t) => t.bucket !== 'current'),
      late_count: delinquency.lines.filter((l) => l.bucket !== 'current').length,
      may_act: delinquency.lines.filter((l) => l.may_act).slice(0, 10),
      overdue_cents: delinquency.lines.reduce((s, l) => s + l.overdue_cents, 0),
    },
    licences: licences.slice(0, 8).map((f) => ({ ...f, expired: (f.licence_expires_on ?? '') < today })),
    licence_count: licences.length,
    fund_balance_cents: seesFund ? -(await accountBalance(db, ACCOUNTS.fund)) : null,
    title_pending: role === 'admin' || role === 'manager' ? await titlePendingCount(db) : null,
  };
}

export const home: RequestHandler = async (req, res) => {
  if (req.user?.role === 'buyer') return res.redirect(303, '/portal');
  res.render('home', { title: t(req.lang, 'home.title'), dash: await staffDashboard(req.ctx.db, req.ctx.clock.today(), req.user!.role) });
};
