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

async function awaitingDownPayment(db: Db, today: IsoDate) {
  const rows = await db('contracts as c').join('lots as l', 'l.id', 'c.lot_id').join('firms as f', 'f.ruc', 'c.firm_ruc')
    .where('c.status', 'awaiting_down_payment').orderBy('c.date')
    .select('c.id', 'c.number', 'c.date', 'c.down_payment_cents', 'l.code as lot_code', 'f.name as firm_name');
  return rows.map((r) => ({ ...r, days_waiting: daysBetween(r.date, today) }));
}

export async function staffDashboard(db: Db, today: IsoDate, role: string) {
  const [lots, awaiting, delinquency, licences] = await Promise.all([
    lotCounts(db), awaitingDownPayment(db, today), delinquencyReport(db, today, null),
    licencesExpiringBy(db, addDays(today, 30)),
  ]);
  const seesFund = role === 'admin' || role === 'finance';
  return {
    today, lots, awaiting,
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
