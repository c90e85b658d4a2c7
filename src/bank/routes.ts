// Routes of the bank statements (finance and admin): the bank accounts with their column mapping,
// the statements with the upload form, and one statement's page. Fixed paths before `:id` routes.
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { receiveUpload } from '../web/upload.ts';
import { z } from 'zod';
import { get, post, formAction, translateErrors, FINANCE, type RouteDef } from '../web/routing.ts';
import { FormError, notFound, parseInput, type FieldErrors } from '../web/errors.ts';
import { optionalIsoDate, requiredText } from '../web/fields.ts';
import { actorOf } from '../web/actor.ts';
import { t, translate } from '../web/i18n.ts';
import { readSoles, sum, type Cents } from '../domain/money.ts';
import {
  columnRef, columnText, DATE_FORMATS, DECIMAL_FORMATS, DELIMITERS, mappingFromJson, MAX_SKIP_ROWS, type BankMapping, type Msg,
} from '../domain/bank-csv.ts';
import { findStatement, listBankAccounts, listStatements, statementLines, type BankAccountRow } from './queries.ts';
import { createBankAccount, getBankAccount, updateBankAccount } from './accounts.ts';
import { importStatement, StatementRefused } from './statements.ts';

// ---- input ---------------------------------------------------------------------------------

/** A column: its header (up to 120 characters) or its position (1–200); blank when optional. */
const column = (required: boolean) => z.string().trim().max(120, 'errors.too_long').optional()
  .refine((v) => !required || !!v, 'errors.required')
  .refine((v) => !v || !/^\d+$/.test(v) || (Number(v) >= 1 && Number(v) <= 200), 'bank.errors.position');

const accountForm = z.object({
  name: requiredText(120),
  bank_name: requiredText(120),
  account_number: requiredText(40),
  col_date: column(true),
  col_description: column(true),
  col_reference: column(false),
  amount_mode: z.enum(['debit_credit', 'signed'], { message: 'errors.choice' }),
  col_debit: column(false),
  col_credit: column(false),
  col_amount: column(false),
  col_balance: column(false),
  date_format: z.enum(DATE_FORMATS, { message: 'errors.choice' }),
  decimal: z.enum(DECIMAL_FORMATS, { message: 'errors.choice' }),
  delimiter: z.enum(DELIMITERS, { message: 'errors.choice' }),
  skip_rows: z.string().trim().regex(/^\d{1,2}$/, 'errors.integer').transform(Number)
    .refine((n) => n <= MAX_SKIP_ROWS, { message: 'errors.integer_range', params: { min: 0, max: MAX_SKIP_ROWS } }),
}).superRefine((v, ctx) => {
  // One signed column, or both debit and credit.
  if (v.amount_mode === 'signed' && !v.col_amount) ctx.addIssue({ code: 'custom', path: ['col_amount'], message: 'bank.errors.amount_column' });
  if (v.amount_mode === 'debit_credit') {
    if (!v.col_debit) ctx.addIssue({ code: 'custom', path: ['col_debit'], message: 'bank.errors.debit_column' });
    if (!v.col_credit) ctx.addIssue({ code: 'custom', path: ['col_credit'], message: 'bank.errors.credit_column' });
  }
});
type AccountForm = z.infer<typeof accountForm>;

const mappingOf = (f: AccountForm): BankMapping => ({
  date: columnRef(f.col_date)!, description: columnRef(f.col_description)!, reference: columnRef(f.col_reference),
  debit: f.amount_mode === 'signed' ? null : columnRef(f.col_debit), credit: f.amount_mode === 'signed' ? null : columnRef(f.col_credit),
  amount: f.amount_mode === 'signed' ? columnRef(f.col_amount) : null, balance: columnRef(f.col_balance),
  date_format: f.date_format, decimal: f.decimal, delimiter: f.delimiter, skip_rows: f.skip_rows,
});

/** A balance as typed: soles (see readSoles), a minus sign for an overdrawn account; blank → null. */
const balance = () => z.string().trim().max(40, 'errors.too_long').optional().transform((v, ctx): Cents | null => {
  if (!v) return null;
  const negative = /^[-\u2212]/.test(v);
  const r = readSoles(negative ? v.slice(1) : v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.error === 'ambiguous' ? 'errors.amount_ambiguous' : 'errors.amount' });
    return z.NEVER;
  }
  return (negative ? -r.cents : r.cents) as Cents;
});

const uploadForm = z.object({
  account: requiredText(60),
  opening_balance: balance(),
  closing_balance: balance(),
  period_from: optionalIsoDate(),
  period_to: optionalIsoDate(),
});

const listQuery = z.object({ account: z.string().regex(/^\d{1,9}$/).transform(Number).optional().catch(undefined) });

const idParam = (req: Request) => {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  return id;
};

// ---- bank accounts -------------------------------------------------------------------------

const formChoices = {
  dateFormats: DATE_FORMATS, delimiters: DELIMITERS.map((value) => ({ value, key: `bank.delimiter.${value === ',' ? 'comma' : value === ';' ? 'semicolon' : value}` })),
  decimals: DECIMAL_FORMATS.map((value) => ({ value, key: `bank.decimal.${value}` })),
};

/** The form's values of a saved account (or the defaults of a new one). */
function accountValues(account: BankAccountRow | null): Record<string, string> {
  const m = mappingFromJson(account?.mapping);
  return {
    name: account?.name ?? '', bank_name: account?.bank_name ?? '', account_number: account?.account_number ?? '',
    col_date: columnText(m.date), col_description: columnText(m.description), col_reference: columnText(m.reference),
    amount_mode: m.amount !== null ? 'signed' : 'debit_credit',
    col_debit: columnText(m.debit), col_credit: columnText(m.credit), col_amount: columnText(m.amount), col_balance: columnText(m.balance),
    date_format: m.date_format, decimal: m.decimal, delimiter: m.delimiter, skip_rows: String(m.skip_rows),
  };
}

const showAccounts: RequestHandler = async (req, res) => {
  const accounts = (await listBankAccounts(req.ctx.db)).map((a) => ({ ...a, mapped: a.mapping !== null }));
  res.render('bank/accounts', { title: t(req.lang, 'bank.accounts.title'), nav: 'bank-statements', accounts });
};

const newAccount: RequestHandler = (req, res) => {
  res.render('bank/account-form', { title: t(req.lang, 'bank.accounts.new'), nav: 'bank-statements', isNew: true, ...formChoices, values: accountValues(null) });
};

const doCreateAccount = formAction({
  view: 'bank/account-form',
  locals: (req) => ({ title: t(req.lang, 'bank.accounts.new'), nav: 'bank-statements', isNew: true, ...formChoices }),
  act: async (req) => {
    const f = parseInput(accountForm, req.body);
    await createBankAccount(req.ctx.db, actorOf(req), { name: f.name, bank_name: f.bank_name, account_number: f.account_number, mapping: mappingOf(f) });
    return '/finance/bank-accounts';
  },
});

const editAccount: RequestHandler = async (req, res) => {
  const account = await getBankAccount(req.ctx.db, idParam(req));
  res.render('bank/account-form', { title: t(req.lang, 'bank.accounts.edit', { name: account.name }), nav: 'bank-statements', account, ...formChoices, values: accountValues(account) });
};

const doUpdateAccount = formAction({
  view: 'bank/account-form',
  locals: async (req) => {
    const account = await getBankAccount(req.ctx.db, idParam(req));
    return { title: t(req.lang, 'bank.accounts.edit', { name: account.name }), nav: 'bank-statements', account, ...formChoices };
  },
  act: async (req) => {
    const id = idParam(req);
    await getBankAccount(req.ctx.db, id);
    const f = parseInput(accountForm, req.body);
    await updateBankAccount(req.ctx.db, actorOf(req), id, { name: f.name, bank_name: f.bank_name, account_number: f.account_number, mapping: mappingOf(f) });
    return '/finance/bank-accounts';
  },
});

// ---- statements ----------------------------------------------------------------------------

// The upload is parsed before the CSRF check (the token travels in the multipart body). A file
// over the limit is not an exception: the form says so, with status 400.
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } }).single('file');
const receiveFile = receiveUpload(upload, 'bank.errors.too_large');

async function statementsLocals(req: Request, accountId?: number) {
  const [accounts, statements] = await Promise.all([listBankAccounts(req.ctx.db), listStatements(req.ctx.db, accountId)]);
  const active = accounts.filter((a) => a.status === 'active');
  return {
    title: t(req.lang, 'bank.statements.title'), nav: 'bank-statements', accounts: active, statements,
    filterAccount: accountId === undefined ? null : accounts.find((a) => a.id === accountId) ?? null,
    values: { account: String(accountId ?? active[0]?.id ?? '') },
  };
}

const showStatements: RequestHandler = async (req, res) => {
  const q = parseInput(listQuery, req.query);
  res.render('bank/statements', await statementsLocals(req, q.account));
};

/** A message naming a mapped column ("date") says it in the reader's words ("Fecha"). */
function fieldNamed(req: Request, message: Msg): Msg {
  if (typeof message === 'string' || typeof message.params?.field !== 'string') return message;
  return { ...message, params: { ...message.params, field: t(req.lang, `bank.mapping.${message.params.field}`) } };
}

/** Renders the upload form again with every refusal: fields next to their input, the file's lines listed. */
async function refuse(req: Request, res: Response, status: number, fields: FieldErrors, lines: StatementRefused['lines'] = [], existingId: number | null = null) {
  const locals = await statementsLocals(req);
  res.status(status).render('bank/statements', {
    ...locals, values: { ...locals.values, ...(req.body ?? {}) }, errors: translateErrors(req.lang, fields), hasErrors: true, existingId,
    lines: lines.map((l) => ({ line: l.line, column: l.column, message: translate(req.lang, fieldNamed(req, l.message)) })),
  });
}

const doImport: RequestHandler = async (req, res) => {
  let fields: FieldErrors = {};
  let input: z.infer<typeof uploadForm> | null = null;
  try {
    input = parseInput(uploadForm, req.body);
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    fields = { ...err.fields };
  }
  if (res.locals.uploadError) fields.file = res.locals.uploadError;
  else if (!req.file || req.file.size === 0) fields.file = 'bank.errors.no_file';
  if (!input || Object.keys(fields).length > 0) return refuse(req, res, 400, fields);
  try {
    const id = await importStatement(req.ctx.db, actorOf(req), req.ctx.clock.today(), {
      account: input.account, file_name: req.file!.originalname || 'extracto.csv', bytes: req.file!.buffer,
      opening_cents: input.opening_balance, closing_cents: input.closing_balance, period_from: input.period_from, period_to: input.period_to,
    });
    res.redirect(303, `/finance/bank-statements/${id}`);
  } catch (err) {
    if (err instanceof StatementRefused) return refuse(req, res, err.status, err.fields, err.lines, err.existingId);
    if (err instanceof FormError) return refuse(req, res, err.status, err.fields);
    throw err;
  }
};

const STATUS_KEYS: Record<string, string> = { unmatched: 'bank.line.unmatched', matched: 'bank.line.matched', explained: 'bank.line.explained' };

const showStatement: RequestHandler = async (req, res) => {
  const statement = await findStatement(req.ctx.db, idParam(req));
  if (!statement) throw notFound();
  const lines = (await statementLines(req.ctx.db, statement.id)).map((l) => ({
    ...l, debit_cents: l.amount_cents < 0 ? -l.amount_cents : null, credit_cents: l.amount_cents > 0 ? l.amount_cents : null,
    status_key: STATUS_KEYS[l.status] ?? l.status, earlier: l.statement_id !== statement.id ? l.statement_id : null,
  }));
  const debits = sum(lines.map((l) => l.debit_cents ?? 0));
  const credits = sum(lines.map((l) => l.credit_cents ?? 0));
  res.render('bank/statement', {
    title: t(req.lang, 'bank.statement.title', { id: statement.id }), nav: 'bank-statements', statement, lines,
    totals: { debits, credits, net: credits - debits }, sha_short: statement.file_sha256.slice(0, 12),
  });
};

export const routes: RouteDef[] = [
  get('/finance/bank-accounts', FINANCE, showAccounts),
  get('/finance/bank-accounts/new', FINANCE, newAccount),
  post('/finance/bank-accounts', FINANCE, doCreateAccount),
  get('/finance/bank-accounts/:id', FINANCE, editAccount),
  post('/finance/bank-accounts/:id', FINANCE, doUpdateAccount),
  get('/finance/bank-statements', FINANCE, showStatements),
  { ...post('/finance/bank-statements', FINANCE, doImport), before: [receiveFile] },
  get('/finance/bank-statements/:id', FINANCE, showStatement),
];
