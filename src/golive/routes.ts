// Go-live import (issue 14): the form, the dry run, the import and its page. Managers only.
//   GET  /contracts/import/new
//   POST /contracts/import   multipart: contracts, receipts (files), cutoff_date, dry_run=1
//        dry run → 200 with its page; import → 303 /contracts/imports/<id>; refused → 400 listing every line.
//   GET  /contracts/imports/:id
import type { Request, RequestHandler, Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import multer from 'multer';
import { receiveUpload } from '../web/upload.ts';
import { ROOT_DIR } from '../db/knex.ts';
import { z } from 'zod';
import { get, post, MANAGERS, translateErrors, type RouteDef } from '../web/routing.ts';
import { FormError, notFound, parseInput } from '../web/errors.ts';
import { optionalIsoDate } from '../web/fields.ts';
import { t, translate } from '../web/i18n.ts';
import { actorOf } from '../web/actor.ts';
import { CONTRACT_COLUMNS, MAX_FILE_BYTES, RECEIPT_COLUMNS, type LineProblem } from './csv.ts';
import { findImport, importPaperContracts, ImportRefused, listImports, type ContractFigures, type ImportReport } from './service.ts';

// The files are parsed before the CSRF check (the token travels in the multipart body). A file over the
// limit is not an exception: the form says so, with status 400.
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 2, fields: 5 } })
  .fields([{ name: 'contracts', maxCount: 1 }, { name: 'receipts', maxCount: 1 }]);
const receiveFiles = receiveUpload(upload, 'golive.errors.too_large');

const importForm = z.object({
  dry_run: z.enum(['1'], { message: 'errors.choice' }).optional(),
  cutoff_date: optionalIsoDate(),
});

const columns = { contractColumns: CONTRACT_COLUMNS.join(','), receiptColumns: RECEIPT_COLUMNS.join(',') };

// The example files of the README (docs/examples/), shown on the form as they are.
let examples: { contracts: string; receipts: string } | null = null;
const exampleFiles = () => (examples ??= {
  contracts: fs.readFileSync(path.join(ROOT_DIR, 'docs/examples/contratos.csv'), 'utf8'),
  receipts: fs.readFileSync(path.join(ROOT_DIR, 'docs/examples/recibos.csv'), 'utf8'),
});

async function formLocals(req: Request) {
  return { title: t(req.lang, 'golive.title'), ...columns, examples: exampleFiles(), imports: await listImports(req.ctx.db) };
}

const problemsView = (req: Request, problems: LineProblem[]) => problems.map((p) => ({
  file: t(req.lang, `golive.file.${p.file}`), line: p.line, column: p.column, message: translate(req.lang, p.message),
}));

/** The figures' table: totals, and which lines differ from paper. */
function figuresView(contracts: ContractFigures[]) {
  const withPaper = contracts.filter((c) => c.paper_balance_cents !== null);
  return {
    rows: contracts.map((c) => ({ ...c, differs: c.difference_cents !== null && c.difference_cents !== 0 })),
    differing: contracts.filter((c) => c.difference_cents !== null && c.difference_cents !== 0).length,
    with_paper: withPaper.length,
    total_balance_cents: contracts.reduce((s, c) => s + c.balance_cents, 0),
    total_paper_cents: withPaper.reduce((s, c) => s + c.paper_balance_cents!, 0),
    total_paid_cents: contracts.reduce((s, c) => s + c.paid_cents, 0),
    total_receipts: contracts.reduce((s, c) => s + c.receipts, 0),
  };
}

function reportView(req: Request, report: ImportReport) {
  return {
    report, figures: figuresView(report.contracts),
    problems: problemsView(req, report.problems), warnings: problemsView(req, report.warnings),
    seconds: (report.elapsed_ms / 1000).toFixed(1),
  };
}

const newImport: RequestHandler = async (req, res) => {
  res.render('golive/new', await formLocals(req));
};

const doImport: RequestHandler = async (req: Request, res: Response) => {
  const files = (req.files ?? {}) as Record<string, Express.Multer.File[] | undefined>;
  const contracts = files.contracts?.[0];
  const receipts = files.receipts?.[0];
  const refuse = async (status: number, fields: Record<string, string>, extra: Record<string, unknown> = {}) => {
    res.status(status).render('golive/new', { ...await formLocals(req), values: req.body ?? {}, errors: fields, hasErrors: true, ...extra });
  };
  if (res.locals.uploadError) return refuse(400, { _form: t(req.lang, res.locals.uploadError) });
  let form: z.infer<typeof importForm>;
  try {
    form = parseInput(importForm, req.body);
    if (!contracts || contracts.size === 0) throw new FormError(400, { contracts: 'golive.errors.no_file' });
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    return refuse(400, translateErrors(req.lang, err.fields));
  }
  const dryRun = form.dry_run === '1';
  try {
    const report = await importPaperContracts(req.ctx.db, {
      contracts: { name: contracts.originalname, bytes: contracts.buffer },
      receipts: receipts && receipts.size > 0 ? { name: receipts.originalname, bytes: receipts.buffer } : null,
      cutoff_date: form.cutoff_date, dry_run: dryRun,
    }, actorOf(req), req.ctx.clock.today());
    if (dryRun) {
      res.render('golive/dry-run', { ...await formLocals(req), title: t(req.lang, 'golive.dry_run.title'), values: req.body ?? {}, ...reportView(req, report) });
      return;
    }
    res.redirect(303, `/contracts/imports/${report.import_id}`);
  } catch (err) {
    if (err instanceof FormError) return refuse(400, translateErrors(req.lang, err.fields));
    if (!(err instanceof ImportRefused)) throw err;
    return refuse(400, {}, { refused: true, ...reportView(req, err.report) });
  }
};

const showImport: RequestHandler = async (req, res) => {
  const id = /^\d{1,9}$/.test(String(req.params.id)) ? Number(req.params.id) : NaN;
  const imp = Number.isSafeInteger(id) ? await findImport(req.ctx.db, id) : undefined;
  if (!imp) throw notFound();
  res.render('golive/show', { title: t(req.lang, 'golive.show.title', { id: imp.id }), imp, figures: figuresView(imp.contracts) });
};

export const routes: RouteDef[] = [
  get('/contracts/import/new', MANAGERS, newImport),
  { ...post('/contracts/import', MANAGERS, doImport), before: [receiveFiles] },
  get('/contracts/imports/:id', MANAGERS, showImport),
];
