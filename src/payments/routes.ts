// Routes of the payments area: one table, read top to bottom.
//   GET  /contracts/:id/payments/new        payment form; with entered values, the preview   MANAGERS
//   POST /contracts/:id/payments            records it → 303 /receipts/<number>              MANAGERS
//                                           (409 + the new preview when its previewed_* differ)
//   GET  /receipts/:number                  printable receipt (a buyer: its own only)        user
//   POST /receipts/:number/reverse          voids it → 303 back to the receipt               MANAGERS
//   GET  /contracts/:id/statement[.csv]     statement of account ?as_of=                      user
import { mailOf } from '../mail/outbox.ts';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { receiptPaperLocals } from './receipt-paper.ts';
import { paperLocals } from '../identity/paper.ts';
import { getHowToPay } from '../settings/collections.ts';
import { rowsToCsv } from '../web/csv.ts';
import { formAction, get, post, sendCsv, translateErrors, MANAGERS, type RouteDef } from '../web/routing.ts';
import { FormError, notFound, parseChecked, parseInput } from '../web/errors.ts';
import { choice, eventDate, isoDate, optionalIsoDate, optionalText, positiveSoles, requiredText } from '../web/fields.ts';
import { flash } from '../web/flash.ts';
import { actorOf } from '../web/actor.ts';
import { t } from '../web/i18n.ts';
import { toSolesString } from '../domain/money.ts';
import { loadContract, type ContractView } from '../contracts/queries.ts';
import { changedSincePreview, confirmable, isConfirmation, StalePreview } from '../web/previewed.ts';
import { addContractPageSection } from '../contracts/page-sections.ts';
import { accountOf } from './account.ts';
import { newFormToken, paymentRefusals, previewContractPayment, recordPayment, reverseReceipt } from './service.ts';
import { contractPaymentsPanel, dueDatesOf, partsView, receiptPage, statementCsv, statementPage, summaryOf } from './views.ts';
import { findReceiptByToken, RECEIPT_NUMBER_RE } from './queries.ts';
import { documentsSection } from '../attachments/panel.ts';

const METHODS = ['cash', 'deposit', 'transfer'] as const;
const TOKEN_RE = /^[0-9a-f]{32}$/;

const paymentSchema = z.object({
  date: eventDate(),
  amount: positiveSoles(),
  method: choice(METHODS),
  reference: optionalText(64),
  form_token: z.string().trim().optional().transform((v) => (v && TOKEN_RE.test(v) ? v : null)),
});

/**
 * The POST requires the form's one-time token (32 hex digits, as GET …/payments/new gives it): it is
 * what makes a resubmission return the first receipt instead of writing a second. A script reads
 * the form for it, as a browser does; without it (or malformed) nothing is written (400).
 */
const paymentPostSchema = paymentSchema.extend({
  form_token: z.unknown().refine((v) => typeof v === 'string' && TOKEN_RE.test(v.trim()), 'payments.errors.form_token')
    .transform((v) => (v as string).trim()),
});

const reverseSchema = z.object({ reason: requiredText(500) });
const asOfSchema = z.object({ as_of: optionalIsoDate() });

/** A token kept from the form (preview → confirm keeps the same one), or a fresh one. */
const tokenFrom = (v: unknown) => (typeof v === 'string' && TOKEN_RE.test(v) ? v : newFormToken());

/**
 * The amounts a person usually pays, as of today, each a link that fills the form and shows its
 * preview (a GET: no script needed): what is overdue (late fees included), that plus the next
 * installment, the next installment when nothing is overdue, and the whole balance.
 */
function amountChoices(contractId: number, summary: ReturnType<typeof summaryOf>, today: string, token: string) {
  const href = (amount: number) => `/contracts/${contractId}/payments/new?${new URLSearchParams({
    form_token: token, date: today, method: 'cash', amount: toSolesString(amount) })}`;
  const out: { key: string; amount_cents: number; href: string }[] = [];
  const add = (key: string, amount: number) => {
    if (amount > 0 && !out.some((o) => o.amount_cents === amount)) out.push({ key, amount_cents: amount, href: href(amount) });
  };
  const next = summary.next_due?.amount_cents ?? 0;
  if (summary.overdue_cents > 0) {
    add('payments.choice.overdue', summary.overdue_cents);
    if (next > 0) add('payments.choice.overdue_and_next', summary.overdue_cents + next);
  } else add('payments.choice.next', next);
  add('payments.choice.balance', summary.outstanding_cents);
  return out;
}

async function paymentFormLocals(req: Request) {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const today = req.ctx.clock.today();
  const { statement } = await accountOf(req.ctx.db, contract, today);
  const summary = summaryOf(statement);
  const form_token = tokenFrom(req.body?.form_token ?? req.query.form_token);
  return {
    title: t(req.lang, 'payments.new.title'),
    contract, today, summary,
    payable: contract.status === 'awaiting_down_payment' || contract.status === 'active',
    methods: METHODS,
    form_token,
    amountChoices: amountChoices(contract.id, summary, today, form_token),
  };
}

/** What the preview section shows: how the payment would be applied, or the refusal it would get (FormError). */
async function paymentPreview(req: Request, contract: ContractView,
  input: Pick<z.infer<typeof paymentSchema>, 'date' | 'amount' | 'method' | 'reference'>) {
  const preview = await previewContractPayment(req.ctx.db, contract,
    { date: input.date, amount_cents: input.amount, method: input.method, reference: input.reference }, req.ctx.clock.today());
  return {
    parts: partsView(preview.parts, dueDatesOf(preview.after)),
    before: summaryOf(preview.before), after: summaryOf(preview.after),
  };
}

const showPaymentForm: RequestHandler = async (req, res) => {
  const locals = await paymentFormLocals(req);
  const q = req.query as Record<string, unknown>;
  const entered = q.date !== undefined || q.amount !== undefined;
  const values = entered ? { ...q } : { date: locals.today, method: 'cash' };
  if (!entered || !locals.payable) return res.render('payments/new', { ...locals, values });
  try {
    const input = await parseChecked(paymentSchema, q, (v) => paymentRefusals(locals.contract, locals.today, v));
    res.render('payments/new', { ...locals, values, input, preview: await paymentPreview(req, locals.contract, input) });
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    res.status(err.status).render('payments/new', { ...locals, values, errors: translateErrors(req.lang, err.fields), hasErrors: true });
  }
};

/**
 * Records the payment. From the preview's confirm button the form comes with its previewed_* copy:
 * if the form was changed after the preview, nothing is recorded (409) and the page shows the new preview.
 */
const createPayment = confirmable(formAction({
  view: 'payments/new',
  locals: paymentFormLocals,
  act: async (req) => {
    const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
    let input: z.infer<typeof paymentPostSchema>;
    try {
      input = await parseChecked(paymentPostSchema, req.body, (v) => paymentRefusals(contract, req.ctx.clock.today(), v));
    } catch (err) {
      // The token is a hidden field: its message goes at the top of the form.
      if (err instanceof FormError && err.fields.form_token) {
        const { form_token: message, ...rest } = err.fields;
        throw new FormError(400, { ...rest, _form: message });
      }
      throw err;
    }
    if (isConfirmation(req.body)) {
      const { date, amount, method, reference } = input;
      if ((await changedSincePreview(paymentSchema, req.body, { date, amount, method, reference })).length) {
        const preview = await paymentPreview(req, contract, input);
        throw new StalePreview('payments/new', { ...await paymentFormLocals(req), values: req.body, input, preview });
      }
    }
    // The same form sent again records nothing: say so rather than "recorded".
    const again = await findReceiptByToken(req.ctx.db, input.form_token);
    const number = await recordPayment(req.ctx.db, contract.id, {
      date: input.date, amount_cents: input.amount, method: input.method, reference: input.reference,
      form_token: input.form_token,
    }, req.ctx.clock.today(), actorOf(req));
    flash(req, again ? { key: 'flash.payment_again', params: { number } } : { key: 'flash.payment_recorded', params: { number } });
    return `/receipts/${number}`;
  },
}));

function receiptNumberParam(req: Request): string {
  const number = String(req.params.number);
  if (!RECEIPT_NUMBER_RE.test(number)) throw notFound();
  return number;
}

export const showReceipt: RequestHandler = async (req, res) => {
  const page = await receiptPage(req.ctx.db, receiptNumberParam(req), req.user);
  // Staff see whether the receipt notice went out (views/partials/mail-state.hbs).
  const mail = req.user?.role === 'buyer' ? [] : await mailOf(req.ctx.db, 'receipt', page.receipt.number);
  res.render('receipts/show', { title: page.receipt.number, ...page, ...(await receiptPaperLocals(req, page)), howToPay: await getHowToPay(req.ctx.db), mail,
    attachments: await documentsSection(req, 'receipt', page.receipt.number) });
};

const reverse = formAction({
  view: 'receipts/show',
  locals: async (req) => {
    const page = await receiptPage(req.ctx.db, receiptNumberParam(req), req.user);
    return { title: page.receipt.number, ...page, ...(await receiptPaperLocals(req, page)) };
  },
  act: async (req) => {
    const number = receiptNumberParam(req);
    const input = parseInput(reverseSchema, req.body);
    await reverseReceipt(req.ctx.db, number, input.reason, req.ctx.clock.today(), actorOf(req));
    flash(req, { key: 'flash.receipt_voided', params: { number } });
    return `/receipts/${number}`;
  },
});

async function statementFor(req: Request) {
  const contract = await loadContract(req.ctx.db, String(req.params.id), req.user);
  const { as_of } = parseInput(asOfSchema, req.query);
  return statementPage(req.ctx.db, contract, as_of ?? req.ctx.clock.today());
}

const showStatement: RequestHandler = async (req, res) => {
  const page = await statementFor(req);
  res.render('payments/statement', { title: `${t(req.lang, 'statement.title')} ${page.contract.number}`, ...page, howToPay: await getHowToPay(req.ctx.db),
    ...(await paperLocals(req, `${t(req.lang, 'statement.title')} ${page.contract.number}`)) });
};

const statementCsvRoute: RequestHandler = async (req, res) => {
  const page = await statementFor(req);
  sendCsv(res, `estado-de-cuenta-${page.contract.number}-${page.statement.as_of}.csv`, rowsToCsv(statementCsv(page.statement)));
};

// The contract page shows the payments panel (views/partials/contract-payments.hbs) from this loader.
addContractPageSection('payments', ({ db, contract, today, user }) => contractPaymentsPanel(db, contract, today, user));

export const routes: RouteDef[] = [
  get('/contracts/:id/payments/new', MANAGERS, showPaymentForm),
  post('/contracts/:id/payments', MANAGERS, createPayment),
  get('/receipts/:number', 'user', showReceipt),
  post('/receipts/:number/reverse', MANAGERS, reverse),
  get('/contracts/:id/statement', 'user', showStatement),
  get('/contracts/:id/statement.csv', 'user', statementCsvRoute),
];
