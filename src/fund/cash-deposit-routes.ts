// Routes of the deposits of the till's cash in the bank (finance and admin only), gathered into the
// fund's table in routes.ts. Fixed paths come before the `:id` routes they share a prefix with.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { get, post, formAction, sendCsv, FINANCE, type RouteDef } from '../web/routing.ts';
import { notFound, parseForm, parseInput } from '../web/errors.ts';
import { eventDate, isoDate, positiveSoles, requiredText } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { t } from '../web/i18n.ts';
import { cents } from '../domain/money.ts';
import { isIsoDate } from '../domain/dates.ts';
import { ACCOUNTS, accountBalance } from './ledger.ts';
import { findCashDeposit, listAccounts, listCashDeposits, loadEntriesById } from './queries.ts';
import { cashAvailableOn, cashDepositProblems, recordCashDeposit, reverseCashDeposit } from './cash-deposits.ts';
import { cashDepositsCsv } from './csv.ts';

const depositForm = z.object({ date: eventDate(), amount: positiveSoles(), reference: requiredText(64) });
const reverseForm = z.object({ reason: requiredText(500) });

const idParam = (req: Request) => {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  return id;
};

/** The list, newest first, with what caja and banco hold today. */
const showCashDeposits: RequestHandler = async (req, res) => {
  const db = req.ctx.db;
  const today = req.ctx.clock.today();
  const [deposits, cash, bank] = await Promise.all([
    listCashDeposits(db), accountBalance(db, ACCOUNTS.cash, today), accountBalance(db, ACCOUNTS.bank, today),
  ]);
  const valid = deposits.filter((d) => d.status === 'valid');
  res.render('fund/cash-deposits', {
    title: t(req.lang, 'fund.deposits.title'), nav: 'cash-deposits', today,
    deposits: [...deposits].reverse(), balances: { cash_cents: cents(cash), bank_cents: cents(bank) },
    valid_count: valid.length, valid_total_cents: cents(valid.reduce((s, d) => s + d.amount_cents, 0)),
  });
};

const cashDepositsCsvRoute: RequestHandler = async (req, res) => {
  sendCsv(res, `depositos-de-caja-${req.ctx.clock.today()}.csv`, cashDepositsCsv(await listCashDeposits(req.ctx.db)));
};

/** The form's locals: what the till can give on the date asked (today when none or not a past date). */
async function formLocals(req: Request, date?: unknown) {
  const today = req.ctx.clock.today();
  const on = typeof date === 'string' && isIsoDate(date) && date <= today ? date : today;
  return {
    title: t(req.lang, 'fund.deposits.new'), nav: 'cash-deposits',
    available_cents: await cashAvailableOn(req.ctx.db, on), availableDate: on,
  };
}

/** The form; ?date= shows what the till can give on that date before anything is entered. */
const newCashDeposit: RequestHandler = async (req, res) => {
  const locals = await formLocals(req, req.query.date);
  res.render('fund/cash-deposit-form', { ...locals, values: { date: locals.availableDate } });
};

const doRecordCashDeposit = formAction({
  view: 'fund/cash-deposit-form',
  locals: (req) => formLocals(req, req.body?.date),
  act: async (req) => {
    const input = await parseForm(depositForm, req.body, async (v) => {
      const errors = await cashDepositProblems(req.ctx.db, { date: v.date, reference: v.reference }, req.ctx.clock.today());
      return errors.fields;
    });
    const id = await recordCashDeposit(req.ctx.db, req.ctx.clock, actorOf(req), {
      date: input.date, amount_cents: input.amount, reference: input.reference,
    });
    return `/finance/cash-deposits/${id}`;
  },
});

/** The deposit with its entry (and its reversal's), each line named by its account, debits first. */
async function depositLocals(req: Request) {
  const deposit = await findCashDeposit(req.ctx.db, idParam(req));
  if (!deposit) throw notFound();
  const ids = [deposit.entry_id, ...(deposit.reversal_entry_id === null ? [] : [deposit.reversal_entry_id])];
  const [entries, accounts] = await Promise.all([loadEntriesById(req.ctx.db, ids), listAccounts(req.ctx.db)]);
  const account = new Map(accounts.map((a) => [a.code, a]));
  return {
    title: t(req.lang, 'fund.deposits.one', { id: deposit.id }), nav: 'cash-deposits', deposit,
    entries: entries.map((e) => ({
      ...e,
      lines: [...e.lines].sort((x, y) => y.debit_cents - x.debit_cents).map((l) => ({ ...l, account: account.get(l.account_code) })),
    })),
  };
}

const showCashDeposit: RequestHandler = async (req, res) => {
  res.render('fund/cash-deposit', { ...(await depositLocals(req)), values: {} });
};

const doReverseCashDeposit = formAction({
  view: 'fund/cash-deposit',
  locals: depositLocals,
  act: async (req) => {
    const id = idParam(req);
    const input = parseInput(reverseForm, req.body);
    await reverseCashDeposit(req.ctx.db, req.ctx.clock, actorOf(req), id, input.reason);
    return `/finance/cash-deposits/${id}`;
  },
});

export const cashDepositRoutes: RouteDef[] = [
  get('/finance/cash-deposits', FINANCE, showCashDeposits),
  get('/finance/cash-deposits.csv', FINANCE, cashDepositsCsvRoute),
  get('/finance/cash-deposits/new', FINANCE, newCashDeposit),
  post('/finance/cash-deposits', FINANCE, doRecordCashDeposit),
  get('/finance/cash-deposits/:id', FINANCE, showCashDeposit),
  post('/finance/cash-deposits/:id/reverse', FINANCE, doReverseCashDeposit),
];
