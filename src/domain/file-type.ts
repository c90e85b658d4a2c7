// What an uploaded document is, decided from its first bytes (its "magic number"), never from its name
// or the Content-Type the browser sent: a program renamed to contrato.pdf is still a program.
// Pure functions: no I/O.

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const SIGNATURES: { type: AttachmentType; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The document's type from its content, or null when it is none of PDF, JPEG, PNG. */
export function sniffFileType(content: Uint8Array): AttachmentType | null {
  for (const s of SIGNATURES) {
    if (content.length >= s.bytes.length && s.bytes.every((b, i) => content[i] === b)) return s.type;
  }
  return null;
}

/** What a person calls the type: PDF, JPEG, PNG. */
export const TYPE_LABELS: Record<AttachmentType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

const EXTENSIONS: Record<AttachmentType, string[]> = {
  'application/pdf': ['.pdf'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/png': ['.png'],
};

export const MAX_FILE_NAME = 200;

/**
 * The name an upload is kept under: the last part of what the browser sent (no folders), without
 * control characters, at most MAX_FILE_NAME characters; blank → "documento".
 */
export function cleanFileName(raw: string): string {
  const last = raw.split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(/\s+/g, ' ').trim();
  const name = [...last].slice(0, MAX_FILE_NAME).join('').trim();
  return name === '' || name === '.' || name === '..' ? 'documento' : name;
}

/**
 * The name a download is offered under: the kept name, with the extension of its real type added
 * when the name does not end in one (a PNG uploaded as "acta.pdf" downloads as "acta.pdf.png").
 */
export function downloadName(fileName: string, type: AttachmentType): string {
  const lower = fileName.toLowerCase();
  const exts = EXTENSIONS[type];
  return exts.some((e) => lower.endsWith(e)) ? fileName : `${fileName}${exts[0]}`;
}

/**
 * A Content-Disposition value that every browser reads (RFC 6266): an ASCII `filename` fallback and
 * the exact name as `filename*=UTF-8''…` (RFC 5987 percent-encoding).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** "1.2 MB", "340 KB", "812 B": a size as a person reads it (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
