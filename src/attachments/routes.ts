// Documents attached to records: `POST <record page>/attachments` (multipart `file`, `title`) adds one
// and answers 303 to the record's page; `GET /attachments/<id>` serves it to whoever may see the record;
// `POST <record page>/attachments/<id>/withdraw` (`reason`) withdraws one. A refused upload answers 400
// (413 for a file over MAX_ATTACHMENT_MB) with the record's page again and the message next to the field.
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { get, post, translateErrors, type RouteDef } from '../web/routing.ts';
import { FormError, notFound, parseInput, type FieldErrors, type Message } from '../web/errors.ts';
import { requiredText } from '../web/fields.ts';
import { flash } from '../web/flash.ts';
import { actorOf } from '../web/actor.ts';
import { contentDisposition, downloadName } from '../domain/file-type.ts';
import { showPage as contractPage } from '../contracts/routes.ts';
import { showPage as firmPage } from '../firms/routes.ts';
import { showReceipt as receiptPage } from '../payments/routes.ts';
import { showSpending as spendingPage } from '../fund/routes.ts';
import { show as lotPage } from '../lots/routes.ts';
import { attachDocument, MAX_REASON, MAX_TITLE, withdrawDocument } from './service.ts';
import { findAttachment } from './queries.ts';
import { COLUMN_OF, recordFor, recordParamOf, UPLOADERS, type RecordKind } from './records.ts';
import { filesDirOf, readContent } from './store.ts';

/** Each record's page (its URL, the name of its parameter) and the handler that renders it. */
const RECORD_PAGES: Record<RecordKind, { path: string; param: string; render: RequestHandler }> = {
  contract: { path: '/contracts/:id', param: 'id', render: contractPage },
  firm: { path: '/firms/:ruc', param: 'ruc', render: firmPage },
  receipt: { path: '/receipts/:number', param: 'number', render: receiptPage },
  spending: { path: '/finance/spending/:id', param: 'id', render: spendingPage },
  lot: { path: '/lots/:code', param: 'code', render: lotPage },
};

// ---- receiving the file ----------------------------------------------------------------------

// The upload is parsed before the CSRF check, as the lots import does (the token travels in the
// multipart body; routing.ts runs `before` after the role check, so only a role that may upload gets
// this far). The bytes stay in memory (at most MAX_ATTACHMENT_MB) until they are checked.
const parsers = new Map<number, RequestHandler>();
function parserFor(maxBytes: number): RequestHandler {
  let p = parsers.get(maxBytes);
  if (!p) {
    p = multer({
      storage: multer.memoryStorage(),
      // Browsers send the file's name in UTF-8 ("Resolución Nº 12.pdf").
      defParamCharset: 'utf8',
      limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 6, fieldSize: 16 * 1024 },
    }).single('file');
    parsers.set(maxBytes, p);
  }
  return p;
}

interface UploadRefusal { status: 400 | 413; message: Message }

const receiveFile: RequestHandler = (req, res, next) => {
  const maxMb = req.ctx.config.MAX_ATTACHMENT_MB;
  parserFor(maxMb * 1024 * 1024)(req, res, (err: unknown) => {
    if (!err) return next();
    // Over the size limit: 413, said next to the file field. Anything else the parser refused (two
    // files, another field name, a broken body): 400, said there too. CSRF is still checked after.
    const code = err instanceof multer.MulterError ? err.code : null;
    const refusal: UploadRefusal = code === 'LIMIT_FILE_SIZE'
      ? { status: 413, message: { key: 'attachments.errors.too_large', params: { max: maxMb } } }
      : { status: 400, message: code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE' ? 'attachments.errors.one_file' : 'attachments.errors.form' };
    res.locals.uploadRefusal = refusal;
    next();
  });
};

// ---- the record's page again, with the messages ------------------------------------------------

/**
 * Renders the record's page with `status` and the messages next to the fields of the documents
 * section (views/partials/attachments.hbs reads them from the page's root: attachmentErrors…).
 */
async function renderRefused(req: Request, res: Response, kind: RecordKind, status: number, fields: FieldErrors, withdrawId?: number) {
  res.locals.attachmentErrors = translateErrors(req.lang, fields);
  const given = (name: string) => (typeof req.body?.[name] === 'string' ? req.body[name] as string : '');
  res.locals.attachmentValues = withdrawId === undefined ? { title: given('title') } : { reason: given('reason') };
  res.locals.attachmentWithdrawId = withdrawId ?? null;
  res.status(status);
  await RECORD_PAGES[kind].render(req, res, () => undefined);
}

// ---- upload ------------------------------------------------------------------------------------

const titleForm = z.object({ title: requiredText(MAX_TITLE) });

function upload(kind: RecordKind): RequestHandler {
  const param = RECORD_PAGES[kind].param;
  return async (req, res) => {
    // The record first: one the user may not see is a 404 whatever the file.
    const record = await recordFor(req.ctx.db, kind, String(req.params[param]), req.user);
    const fields: FieldErrors = {};
    let status: 400 | 413 = 400;
    let title = '';
    try {
      title = parseInput(titleForm, req.body).title;
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      Object.assign(fields, err.fields);
    }
    const refusal = res.locals.uploadRefusal as UploadRefusal | undefined;
    if (refusal) {
      fields.file = refusal.message;
      status = refusal.status;
    } else if (!req.file) {
      fields.file = 'attachments.errors.no_file';
    }
    try {
      if (Object.keys(fields).length) throw new FormError(400, fields);
      await attachDocument(req.ctx.db, {
        filesDir: filesDirOf(req.ctx.config), maxBytes: req.ctx.config.MAX_ATTACHMENT_MB * 1024 * 1024, record, title,
        file: { content: req.file!.buffer, name: req.file!.originalname }, actor: actorOf(req), today: req.ctx.clock.today(),
      });
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      return renderRefused(req, res, kind, refusal ? status : err.status, err.fields);
    }
    flash(req, { key: 'attachments.flash.attached', params: { title } });
    res.redirect(303, record.path);
  };
}

// ---- withdrawal ---------------------------------------------------------------------------------

const withdrawForm = z.object({ reason: requiredText(MAX_REASON) });

function withdraw(kind: RecordKind): RequestHandler {
  const param = RECORD_PAGES[kind].param;
  return async (req, res) => {
    const record = await recordFor(req.ctx.db, kind, String(req.params[param]), req.user);
    const id = /^\d{1,9}$/.test(String(req.params.attachment)) ? Number(req.params.attachment) : NaN;
    const row = Number.isSafeInteger(id) ? await findAttachment(req.ctx.db, id) : undefined;
    // A document of another record, through this record's URL: there is no such document here.
    if (!row || row.record_type !== kind || String(row[COLUMN_OF[kind]]) !== String(record.value)) throw notFound();
    try {
      const { reason } = parseInput(withdrawForm, req.body);
      await withdrawDocument(req.ctx.db, { id: row.id, reason, user: req.user, actor: actorOf(req), today: req.ctx.clock.today() });
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      return renderRefused(req, res, kind, err.status, err.fields, row.id);
    }
    flash(req, { key: 'attachments.flash.withdrawn', params: { title: row.title } });
    res.redirect(303, record.path);
  };
}

// ---- serving -----------------------------------------------------------------------------------

/**
 * The document, to whoever may see its record (a buyer: its own firm's; never a withdrawn one). Sent
 * with the type found in its content and nosniff, so that a browser never reads it as anything else,
 * and a Content-Security-Policy `sandbox` that gives it no script and no access to this site. Images
 * open in the browser (inline); PDFs are offered as a download (attachment), to be opened in the
 * person's PDF reader: a PDF can carry scripts and forms, and Chromium refuses to show a PDF at all
 * under a sandbox policy, so a PDF is kept out of the site's pages altogether.
 */
const serve: RequestHandler = async (req, res) => {
  const id = /^\d{1,9}$/.test(String(req.params.id)) ? Number(req.params.id) : NaN;
  const row = Number.isSafeInteger(id) ? await findAttachment(req.ctx.db, id) : undefined;
  if (!row) throw notFound();
  const { kind, param } = await recordParamOf(req.ctx.db, row);
  await recordFor(req.ctx.db, kind, param, req.user);
  // Withdrawn: still there for staff (listed as withdrawn), no longer given to a buyer.
  if (row.withdrawn_at && req.user?.role === 'buyer') throw notFound();
  const etag = `"${row.sha256}"`;
  res.setHeader('Content-Type', row.content_type);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Disposition', contentDisposition(row.content_type === 'application/pdf' ? 'attachment' : 'inline', downloadName(row.file_name, row.content_type)));
  res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
  // Private: a shared cache must not keep it; the browser asks again (and gets 304 while it is the same).
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('ETag', etag);
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  const content = await readContent(filesDirOf(req.ctx.config), row.sha256);
  res.setHeader('Content-Length', String(content.length));
  res.status(200).end(content);
};

// ---- the table ---------------------------------------------------------------------------------

const uploadRoutes: RouteDef[] = (Object.keys(RECORD_PAGES) as RecordKind[]).flatMap((kind) => [
  { ...post(`${RECORD_PAGES[kind].path}/attachments`, UPLOADERS[kind], upload(kind)), before: [receiveFile] },
  post(`${RECORD_PAGES[kind].path}/attachments/:attachment/withdraw`, UPLOADERS[kind], withdraw(kind)),
]);

export const routes: RouteDef[] = [
  get('/attachments/:id', 'user', serve),
  ...uploadRoutes,
];
