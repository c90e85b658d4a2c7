// Adding a document to a record, and withdrawing one. The file is checked (not empty, not too large,
// a PDF, JPEG or PNG by its content) before anything is written; then its bytes are put in FILES_DIR
// (whole, under their hash), and only then is the row written, in one transaction with its audit entry
// (and, on a contract, an event in its history). Nothing is deleted: a withdrawn document stays listed.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { cleanFileName, sniffFileType, type AttachmentType } from '../domain/file-type.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { FormError, HttpError, notFound, type Message } from '../web/errors.ts';
import type { CurrentUser } from '../web/routing.ts';
import { storeContent } from './store.ts';
import { findAttachment } from './queries.ts';
import { mayUpload, recordFor, recordParamOf, type RecordRef } from './records.ts';

export const MAX_TITLE = 200;
export const MAX_REASON = 500;

export interface UploadedFile {
  content: Buffer;
  /** The name the browser sent (only kept for the download name; it decides nothing). */
  name: string;
}

/** Why a file is refused (an i18n message for the file field), or null when it is a document we keep. */
export function fileProblem(file: UploadedFile | null | undefined, maxBytes: number): Message | null {
  if (!file) return 'attachments.errors.no_file';
  if (file.content.length === 0) return 'attachments.errors.empty';
  if (file.content.length > maxBytes) return { key: 'attachments.errors.too_large', params: { max: Math.floor(maxBytes / (1024 * 1024)) } };
  if (!sniffFileType(file.content)) return 'attachments.errors.type';
  return null;
}

/** Attaches `file` to `record` under `title`. Returns the new attachment's id. */
export async function attachDocument(db: Db, opts: {
  filesDir: string; maxBytes: number; record: RecordRef; title: string; file: UploadedFile; actor: Actor; today: IsoDate;
}): Promise<number> {
  const { record, file, actor } = opts;
  const title = opts.title.trim();
  const problems: Record<string, Message> = {};
  if (!title) problems.title = 'errors.required';
  else if ([...title].length > MAX_TITLE) problems.title = 'errors.too_long';
  const problem = fileProblem(file, opts.maxBytes);
  if (problem) problems.file = problem;
  if (Object.keys(problems).length) throw new FormError(400, problems);
  const type = sniffFileType(file.content) as AttachmentType;
  const fileName = cleanFileName(file.name);

  // The bytes first, whole: a row never names a file that is not there.
  const { sha256 } = await storeContent(opts.filesDir, file.content);
  const now = new Date().toISOString();
  return db.transaction(async (trx) => {
    const [row] = await trx('attachments').insert({
      record_type: record.kind, [record.column]: record.value,
      title, file_name: fileName, content_type: type, size_bytes: file.content.length, sha256,
      uploaded_by: actor.id, uploaded_by_name: actor.username, uploaded_at: now,
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    const details = { attachment_id: id, title, file_name: fileName, content_type: type, size_bytes: file.content.length, sha256 };
    await audit(trx, actor, `${record.kind}.document_attached`, record.kind, record.param, details);
    if (record.contract_id !== null) {
      await trx('contract_events').insert({
        contract_id: record.contract_id, kind: 'document_attached', date: opts.today,
        details: JSON.stringify({ attachment_id: id, title, file_name: fileName }), recorded_by: actor.id, recorded_at: now,
      });
    }
    return id;
  });
}

/**
 * Withdraws a document (it stays listed as withdrawn, with who, when and why; buyers no longer get
 * it). Returns the record's page. 404 for no such document, 403 for a role that may not add documents
 * to that record, 409 when it is withdrawn already.
 */
export async function withdrawDocument(db: Db, opts: {
  id: number; reason: string; user: CurrentUser | undefined; actor: Actor; today: IsoDate;
}): Promise<string> {
  const reason = opts.reason.trim();
  return db.transaction(async (trx) => {
    const row = await findAttachment(trx, opts.id);
    if (!row) throw notFound();
    const { kind, param } = await recordParamOf(trx, row);
    const record = await recordFor(trx, kind, param, opts.user);
    if (!mayUpload(kind, opts.user)) throw new HttpError(403, 'errors.forbidden');
    if (!reason) throw new FormError(400, { reason: 'errors.required' });
    if ([...reason].length > MAX_REASON) throw new FormError(400, { reason: 'errors.too_long' });
    if (row.withdrawn_at) throw new FormError(409, { reason: 'attachments.errors.already_withdrawn' });
    const now = new Date().toISOString();
    await trx('attachments').where({ id: row.id }).whereNull('withdrawn_at').update({
      withdrawn_at: now, withdrawn_by: opts.actor.id, withdrawn_by_name: opts.actor.username, withdrawal_reason: reason,
    });
    await audit(trx, opts.actor, `${kind}.document_withdrawn`, kind, record.param, { attachment_id: row.id, title: row.title, reason });
    if (record.contract_id !== null) {
      await trx('contract_events').insert({
        contract_id: record.contract_id, kind: 'document_withdrawn', date: opts.today,
        details: JSON.stringify({ attachment_id: row.id, title: row.title, reason }), recorded_by: opts.actor.id, recorded_at: now,
      });
    }
    return record.path;
  });
}
