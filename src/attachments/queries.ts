// SQL of the attachments: rows only.
import type { Db } from '../db/knex.ts';
import type { AttachmentType } from '../domain/file-type.ts';
import type { RecordRef } from './records.ts';

export interface AttachmentRow {
  id: number;
  record_type: string;
  contract_id: number | null;
  firm_ruc: string | null;
  receipt_id: number | null;
  spending_id: number | null;
  lot_id: number | null;
  title: string;
  file_name: string;
  content_type: AttachmentType;
  size_bytes: number;
  sha256: string;
  uploaded_by: number | null;
  uploaded_by_name: string | null;
  uploaded_at: string;
  withdrawn_at: string | null;
  withdrawn_by: number | null;
  withdrawn_by_name: string | null;
  withdrawal_reason: string | null;
}

export async function findAttachment(db: Db, id: number): Promise<AttachmentRow | undefined> {
  return db('attachments').where({ id }).first();
}

/** A record's documents, oldest first (withdrawn ones included: the caller decides what to show). */
export async function attachmentsOf(db: Db, record: Pick<RecordRef, 'kind' | 'column' | 'value'>): Promise<AttachmentRow[]> {
  return db('attachments').where({ record_type: record.kind, [record.column]: record.value }).orderBy('id');
}

/** Every distinct stored file the rows name, with its size (for backup and restore). */
export async function storedFiles(db: Db): Promise<{ sha256: string; size_bytes: number }[]> {
  return db('attachments').distinct('sha256', 'size_bytes').orderBy('sha256');
}
