// The "Documentos" section of a record's page (views/partials/attachments.hbs): the documents the user
// may open, and the upload form for the role that keeps the record. A buyer does not see withdrawn
// documents; staff see them marked, with who withdrew them, when and why.
import type { Request } from 'express';
import type { Db } from '../db/knex.ts';
import { formatBytes, TYPE_LABELS } from '../domain/file-type.ts';
import type { CurrentUser } from '../web/routing.ts';
import { attachmentsOf } from './queries.ts';
import { mayUpload, recordFor, type RecordKind, type RecordRef } from './records.ts';

export interface AttachmentsPanel {
  post_url: string;
  can_upload: boolean;
  max_mb: number;
  items: {
    id: number; href: string; withdraw_url: string; title: string; file_name: string; type_label: string; size_label: string; size_bytes: number;
    sha256: string; sha_short: string; uploaded_by_name: string | null; uploaded_at: string;
    withdrawn: boolean; withdrawn_at: string | null; withdrawn_by_name: string | null; withdrawal_reason: string | null; can_withdraw: boolean;
  }[];
}

export async function attachmentsPanel(db: Db, record: RecordRef, user: CurrentUser | undefined, maxMb: number): Promise<AttachmentsPanel> {
  const buyer = user?.role === 'buyer';
  const canUpload = mayUpload(record.kind, user);
  const rows = (await attachmentsOf(db, record)).filter((r) => !(buyer && r.withdrawn_at));
  return {
    post_url: `${record.path}/attachments`,
    can_upload: canUpload,
    max_mb: maxMb,
    items: rows.map((r) => ({
      id: r.id, href: `/attachments/${r.id}`, withdraw_url: `${record.path}/attachments/${r.id}/withdraw`, title: r.title, file_name: r.file_name,
      type_label: TYPE_LABELS[r.content_type] ?? r.content_type, size_label: formatBytes(Number(r.size_bytes)), size_bytes: Number(r.size_bytes),
      sha256: r.sha256, sha_short: `${r.sha256.slice(0, 12)}…`,
      uploaded_by_name: r.uploaded_by_name, uploaded_at: r.uploaded_at,
      withdrawn: Boolean(r.withdrawn_at), withdrawn_at: r.withdrawn_at, withdrawn_by_name: r.withdrawn_by_name,
      withdrawal_reason: r.withdrawal_reason, can_withdraw: canUpload && !r.withdrawn_at,
    })),
  };
}

/** The section for the page of the record `param` names (its loader has already refused a user who may not see it). */
export async function documentsSection(req: Request, kind: RecordKind, param: string): Promise<AttachmentsPanel> {
  const record = await recordFor(req.ctx.db, kind, param, req.user);
  return attachmentsPanel(req.ctx.db, record, req.user, req.ctx.config.MAX_ATTACHMENT_MB);
}
