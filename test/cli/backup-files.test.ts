// `npm run cli -- backup <file>` carries the attached documents in <file>.files/, and `restore <file>`
// puts them back in FILES_DIR after checking every one (SQLite only; PostgreSQL: pg_dump + a copy of FILES_DIR).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { createDb, migrate } from '../../src/db/knex.ts';
import { attachDocument } from '../../src/attachments/service.ts';
import { SYSTEM } from '../../src/audit/audit.ts';
import { isPg } from '../support/app.ts';
import { insertFirm, validRuc } from '../support/sales.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

let dir: string;
const out: string[] = [];

describe.skipIf(isPg)('backup and restore with attached documents (CLI)', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ilo-cli-files-'));
    process.env.DATABASE_URL = path.join(dir, 'park.sqlite');
    const db = createDb(process.env.DATABASE_URL);
    try {
      await migrate(db);
      const ruc = validRuc('2060000001');
      await insertFirm(db, ruc, 'Metalmecánica Andina S.A.C.');
      const record = { kind: 'firm' as const, column: 'firm_ruc' as const, value: ruc, param: ruc, path: `/firms/${ruc}`, contract_id: null };
      for (const [title, content, name] of [['Licencia', PNG, 'licencia.png'], ['Poder', PDF, 'poder.pdf'], ['Licencia (otra vez)', PNG, 'copia.png']] as const) {
        await attachDocument(db, { filesDir: path.join(dir, 'files'), maxBytes: 1024 * 1024, record, title, file: { content, name }, actor: SYSTEM, today: '2026-11-25' });
      }
    } finally {
      await db.destroy();
    }
    vi.spyOn(console, 'log').mockImplementation((m: unknown) => { out.push(String(m)); });
    vi.spyOn(console, 'error').mockImplementation((m: unknown) => { out.push(String(m)); });
  });
  afterAll(() => {
    vi.restoreAllMocks();
    delete process.env.DATABASE_URL;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const stored = (root: string, b: Buffer) => path.join(root, sha(b).slice(0, 2), sha(b));

  it('backup writes the two distinct files beside the copy; restore brings them back into FILES_DIR', async () => {
    const backup = path.join(dir, 'copias', 'ilo.sqlite');
    out.length = 0;
    expect(await runCli(['backup', backup]), out.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`^Backup written to ${backup} \\(\\d+ bytes, integrity ok\\); 2 attached files in ${backup}\\.files/ \\(SHA-256 checked\\)\\.$`));
    for (const b of [PNG, PDF]) expect(fs.readFileSync(stored(`${backup}.files`, b)).equals(b)).toBe(true);

    // The live files are lost (a new disk): the restore puts them back.
    fs.rmSync(path.join(dir, 'files'), { recursive: true });
    out.length = 0;
    expect(await runCli(['restore', backup]), out.join('\n')).toBe(0);
    expect(out.join('\n')).toContain(`; 2 attached files checked and in ${path.join(dir, 'files')}. The previous database was kept as`);
    for (const b of [PNG, PDF]) expect(sha(fs.readFileSync(stored(path.join(dir, 'files'), b)))).toBe(sha(b));
  });

  it('restore refuses a backup whose files were altered, exit 1 naming the file, and changes nothing', async () => {
    const backup = path.join(dir, 'copias', 'ilo.sqlite');
    fs.writeFileSync(stored(`${backup}.files`, PDF), 'otro contenido');
    const before = fs.readdirSync(dir).filter((f) => f.includes('before-restore')).length;
    out.length = 0;
    expect(await runCli(['restore', backup])).toBe(1);
    expect(out.join('\n')).toContain(`do not match its database (1 of 2); nothing was restored:\n  SHA-256 differs: ${stored(`${backup}.files`, PDF)}`);
    expect(fs.readdirSync(dir).filter((f) => f.includes('before-restore')).length).toBe(before);
  });
});
