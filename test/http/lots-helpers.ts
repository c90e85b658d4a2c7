// Shared by the lots HTTP tests: form errors as a person reads them, lot counts, uploads.
import { csrfFrom, textOf, type Agent } from '../support/app.ts';
import type { Db } from '../../src/db/knex.ts';

/** The message shown under a form field (the `field` partial's <p class="error" id="e-…">). */
export function fieldError(html: string, name: string): string | null {
  const m = new RegExp(`<p class="error" id="e-${name}">([\\s\\S]*?)</p>`).exec(html);
  return m?.[1] === undefined ? null : textOf(m[1]);
}

export async function countRows(db: Db, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = await db(table).where(where).count<{ n: number }[]>({ n: '*' });
  return Number(row[0]?.n ?? 0);
}

/** Uploads a CSV through the import form, as a browser does (multipart, token from the page). */
export async function uploadCsv(agent: Agent, content: string | Buffer, filename = 'lotes.csv') {
  const page = await agent.get('/lots/import/new');
  if (page.status !== 200) throw new Error(`GET /lots/import/new answered ${page.status}`);
  return agent.post('/lots/import').field('_csrf', csrfFrom(page.text))
    .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), { filename, contentType: 'text/csv' });
}

export const HEADER = 'code,block,area_m2,owner,land_use,status,price_per_m2';
