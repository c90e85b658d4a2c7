// The command line: `npm run cli -- <command> [options]`.
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import path from 'node:path';
import { createDb, isPostgres, migrate } from './db/knex.ts';
import { backupTo, restoreFrom } from './db/backup.ts';
import { filesDirOf } from './attachments/store.ts';
import { createUser, setPassword } from './auth/service.ts';
import { FormError } from './web/errors.ts';
import { t } from './web/i18n.ts';
import type { Role } from './web/routing.ts';
import { writeFileSync } from 'node:fs';
import { isIsoDate } from './domain/dates.ts';
import { ledgerJournal } from './fund/reports.ts';
import { sendPending } from './mail/sender.ts';
import { transportFromConfig } from './mail/transport.ts';
import { refreshAllAccounts, verifyAccounts } from './accounts/maintain.ts';
import { runCollections } from './collections/service.ts';
import { systemClock } from './clock.ts';
import { SYSTEM } from './audit/audit.ts';
import { formatSoles } from './domain/money.ts';

const USAGE = `Usage: npm run cli -- <command>
  user:create <username> --role <admin|manager|finance|buyer> --password <pw> [--ruc <RUC>] [--email <e-mail>]
  user:password <username> --password <pw>      reset a password (logs the user out everywhere)
  backup <file>                                 online copy of the SQLite database, checked after writing, and the
                                                attached documents' files in <file>.files/ (each checked by SHA-256)
  restore <file>                                replace the database with a backup (the current one is kept beside it)
                                                and put its <file>.files/ in FILES_DIR (all checked first)
  export:ledger [--out <file>] [--from <date>] [--to <date>]
                                                the ledger as an hledger journal (to stdout without --out)
  accounts:verify                               compare every contract's maintained account with a full replay
                                                (exit 0 when all agree, else lists the contracts that differ, exit 1)
  accounts:rebuild                              make every contract's maintained account anew from its history
  mail:send                                     deliver the e-mail due in the outbox once (needs SMTP_URL);
                                                prints how many were sent, left to retry and failed
  collections:run [--date YYYY-MM-DD]           the day's reminders and collection letters (default today, Lima);
                                                running it again for the same day issues nothing new
`;

type Command = (db: ReturnType<typeof createDb>, positionals: string[], values: Record<string, string | undefined>) => Promise<string>;

const commands: Record<string, Command> = {
  async 'user:create'(db, [username], v) {
    if (!username || !v.role || !v.password) throw new Error(USAGE);
    await createUser(db, { username, role: v.role as Role, password: v.password, firm_ruc: v.ruc ?? null, email: v.email ?? null });
    return `User ${username} (${v.role}) created.`;
  },
  async 'user:password'(db, [username], v) {
    if (!username || !v.password) throw new Error(USAGE);
    await setPassword(db, username, v.password);
    return `Password of ${username} changed; its sessions were ended.`;
  },
  async backup(db, [file]) {
    if (!file) throw new Error(USAGE);
    const { bytes, files } = await backupTo(db, file, filesDirOf(loadConfig()));
    return `Backup written to ${file} (${bytes} bytes, integrity ok); ${files} attached files in ${file}.files/ (SHA-256 checked).`;
  },
  async 'export:ledger'(db, _args, v) {
    for (const d of [v.from, v.to]) if (d !== undefined && !isIsoDate(d)) throw new Error(`Not a YYYY-MM-DD date: ${d}\n${USAGE}`);
    const journal = await ledgerJournal(db, { from: v.from ?? null, to: v.to ?? null });
    if (!v.out) return journal.replace(/\n$/, '');
    writeFileSync(v.out, journal, 'utf8');
    return `Journal written to ${v.out}.`;
  },
  async 'accounts:verify'(db) {
    const { checked, differences } = await verifyAccounts(db);
    if (differences.length === 0) return `${checked} contracts checked: every maintained account equals its replay.`;
    throw new Error([`${differences.length} of ${checked} contracts differ from their replay:`,
      ...differences.map((d) => `  ${d.number}: ${d.what}`), 'Run `npm run cli -- accounts:rebuild` to make them anew.'].join('\n'));
  },
  async 'collections:run'(db, _args, v) {
    if (v.date !== undefined && !isIsoDate(v.date)) throw new Error(`Not a YYYY-MM-DD date: ${v.date}\n${USAGE}`);
    const date = v.date ?? systemClock.today();
    const r = await runCollections(db, date, SYSTEM);
    return [`Collections of ${date}: ${r.letters.length} letters, ${r.reminders.length} reminders issued.`,
      ...r.letters.map((l) => `  letter ${l.number} level ${l.level} ${l.contract} ${formatSoles(l.total_cents)} → ${l.email ?? '(no e-mail: print it)'}`),
      ...r.reminders.map((m) => `  reminder ${m.contract} installment ${m.n} due ${m.due_date} ${formatSoles(m.amount_cents)} → ${m.email}`)].join('\n');
  },
  async 'accounts:rebuild'(db) {
    const n = await db.transaction((trx) => refreshAllAccounts(trx));
    return `${n} contract accounts made anew from their history.`;
  },
  async 'mail:send'(db) {
    const config = loadConfig();
    const transport = transportFromConfig(config);
    const waiting = async () => Number((await db('mail_outbox').where({ status: 'pending' }).count<{ n: number }[]>({ n: '*' }))[0]?.n ?? 0);
    if (!transport) throw new Error(`SMTP_URL is not set: nothing was sent (${await waiting()} messages wait in the outbox).`);
    try {
      const r = await sendPending(db, transport, new Date(), config.MAIL_FROM);
      return `Mail: ${r.sent} sent, ${r.retry} to retry later, ${r.failed} failed (${await waiting()} pending).`;
    } finally {
      transport.close();
    }
  },
};

/** Commands that work on the database file itself rather than through an open connection. */
const fileCommands: Record<string, (positionals: string[]) => Promise<string>> = {
  async restore([file]) {
    if (!file) throw new Error(USAGE);
    const config = loadConfig();
    const url = config.DATABASE_URL;
    if (isPostgres(url)) throw new Error('restore is for the embedded SQLite database; for PostgreSQL use pg_restore');
    const filesDir = filesDirOf(config);
    const { safety, files } = await restoreFrom(file, path.resolve(url), filesDir);
    const db = createDb(url);
    try { await migrate(db); } finally { await db.destroy(); }
    return `Restored ${file} into ${url}; ${files} attached files checked and in ${filesDir}.${safety ? ` The previous database was kept as ${safety}.` : ''}`;
  },
};

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const fileCommand = name ? fileCommands[name] : undefined;
  if (fileCommand) {
    try {
      console.log(await fileCommand(rest));
      return 0;
    } catch (err) {
      console.error((err as Error).message);
      return 1;
    }
  }
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  const { positionals, values } = parseArgs({
    args: rest, allowPositionals: true, strict: false,
    options: { role: { type: 'string' }, password: { type: 'string' }, ruc: { type: 'string' }, email: { type: 'string' }, out: { type: 'string' },
      from: { type: 'string' }, to: { type: 'string' }, date: { type: 'string' } },
  });
  const db = createDb(loadConfig().DATABASE_URL);
  try {
    await migrate(db);
    console.log(await command(db, positionals, values as Record<string, string | undefined>));
    return 0;
  } catch (err) {
    if (err instanceof FormError) {
      console.error(Object.entries(err.fields).map(([f, m]) => `${f}: ${t('es', typeof m === 'string' ? m : m.key)}`).join('\n'));
      return 1;
    }
    console.error((err as Error).message);
    return 1;
  } finally {
    await db.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
