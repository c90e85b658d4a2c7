// The type of a document from its first bytes, and the names it is kept and offered under.
import { describe, expect, it } from 'vitest';
import { cleanFileName, contentDisposition, downloadName, formatBytes, sniffFileType } from '../../src/domain/file-type.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('sniffFileType', () => {
  it('knows PDF, JPEG and PNG by their signatures', () => {
    expect(sniffFileType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffFileType(bytes(0xff, 0xd8, 0xff, 0xdb))).toBe('image/jpeg');
    expect(sniffFileType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00))).toBe('image/png');
  });

  it('refuses everything else, whatever it is called: programs, HTML, text, a cut signature, nothing', () => {
    for (const content of [
      bytes(0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01), // ELF
      new TextEncoder().encode('MZ\x90\x00'), // Windows .exe
      new TextEncoder().encode('<!doctype html><script>alert(1)</script>'),
      new TextEncoder().encode(' %PDF-1.4'), // not at the start
      new TextEncoder().encode('%PDF'), // "%PDF-" cut short
      bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a), // PNG cut short
      bytes(0xff, 0xd8), // JPEG cut short
      bytes(0x47, 0x49, 0x46, 0x38, 0x39, 0x61), // GIF89a: an image, but not one we take
      bytes(),
    ]) expect(sniffFileType(content)).toBeNull();
  });
});

describe('file names', () => {
  it('keeps the last part of what the browser sent, without control characters, at most 200 characters', () => {
    expect(cleanFileName('C:\\Users\\ana\\Escritorio\\Resolución Nº 12.pdf')).toBe('Resolución Nº 12.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc\td.pdf')).toBe('abcd.pdf');
    expect(cleanFileName('   ')).toBe('documento');
    expect(cleanFileName('..')).toBe('documento');
    expect(cleanFileName(`${'ñ'.repeat(250)}.pdf`)).toBe('ñ'.repeat(200));
  });

  it('offers a download under the name with the extension of its real type', () => {
    expect(downloadName('acta.pdf', 'application/pdf')).toBe('acta.pdf');
    expect(downloadName('FOTO.JPEG', 'image/jpeg')).toBe('FOTO.JPEG');
    expect(downloadName('acta.pdf', 'image/png')).toBe('acta.pdf.png');
    expect(downloadName('voucher', 'image/jpeg')).toBe('voucher.jpg');
  });

  it('writes Content-Disposition with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('inline', 'plano.png')).toBe(`inline; filename="plano.png"; filename*=UTF-8''plano.png`);
    expect(contentDisposition('attachment', 'Resolución "Nº 12" (final).pdf'))
      .toBe(`attachment; filename="Resolucion _No 12_ (final).pdf"; filename*=UTF-8''Resoluci%C3%B3n%20%22N%C2%BA%2012%22%20%28final%29.pdf`);
    expect(contentDisposition('inline', '契約.pdf')).toBe(`inline; filename="__.pdf"; filename*=UTF-8''%E5%A5%91%E7%B4%84.pdf`);
  });

  it('says sizes as people read them', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(340 * 1024)).toBe('340 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MB');
  });
});
