// The suites that need a program outside npm: found or not, and the one command that installs it.
// `npm test` on a machine with only Node passes and says loudly what it could not run (see
// test/support/skipped-suites.ts); with REQUIRE_ALL_SUITES=1 (.ci/run) a missing program fails the run.
import fs from 'node:fs';
import path from 'node:path';

export interface SystemSuite {
  /** What is not run without the program. */
  what: string;
  /** The program's name, as a person would look for it. */
  program: string;
  /** The one command that makes it run. */
  enable: string;
  /** Test files that need it as a whole (left out of the run without it). */
  files: string[];
  found: boolean;
}

/** An executable file of that name on the PATH (as execFile looks it up), or at that absolute path. */
export function findProgram(name: string): string | null {
  const candidates = path.isAbsolute(name) ? [name] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, name));
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch { /* not there */ }
  }
  return null;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'; // as test/support/browser.ts launches it
export const HAS_CHROMIUM = findProgram(CHROMIUM) !== null;
export const HAS_HLEDGER = findProgram('hledger') !== null;
/** Poppler's pdftotext/pdfinfo/pdftoppm read the PDFs Chromium prints (test/browser/papers.test.ts). */
export const HAS_POPPLER = findProgram('pdftotext') !== null && findProgram('pdfinfo') !== null && findProgram('pdftoppm') !== null;
/** PostgreSQL for `npm run test:pg`: a server given by TEST_DATABASE_URL, or Debian's package to start a throwaway one. */
export const HAS_POSTGRESQL = Boolean(process.env.TEST_DATABASE_URL) || fs.existsSync('/usr/lib/postgresql')
  && fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));

/** REQUIRE_ALL_SUITES=1: a suite that cannot run is a failure, not a skip (.ci/run sets it). */
export const REQUIRE_ALL_SUITES = process.env.REQUIRE_ALL_SUITES === '1';

export const SYSTEM_SUITES: SystemSuite[] = [
  {
    what: 'browser tests in real Chromium (every file in test/browser/)', program: 'Chromium', enable: 'apt-get install -y chromium',
    files: ['test/browser/**'], found: HAS_CHROMIUM,
  },
  {
    what: 'the printed papers read back from their PDFs (test/browser/papers.test.ts: "Página X de Y", totals once)', program: 'poppler-utils (pdftotext)',
    enable: 'apt-get install -y poppler-utils', files: ['test/browser/papers.test.ts'], found: HAS_POPPLER,
  },
  {
    what: 'hledger reading the exported journal (test/http/fund-hledger.test.ts, and one test each in test/http/cash-deposits.test.ts, acts.test.ts, assignment.test.ts, bank-matching.test.ts and golive-import.test.ts)',
    program: 'hledger', enable: 'apt-get install -y hledger', files: ['test/http/fund-hledger.test.ts'], found: HAS_HLEDGER,
  },
  {
    what: 'the HTTP, service and CLI tests on PostgreSQL (`npm run test:pg`, never part of `npm test`)', program: 'PostgreSQL',
    enable: 'apt-get install -y postgresql   (or TEST_DATABASE_URL=postgres://… a server where that user may CREATE DATABASE)',
    files: [], found: HAS_POSTGRESQL,
  },
];

/** The banner that says what was not run and how to run it; empty when everything can run. */
export function skippedBanner(): string {
  const missing = SYSTEM_SUITES.filter((s) => !s.found);
  if (missing.length === 0) return '';
  const bar = '!'.repeat(100);
  const lines = missing.flatMap((s) => [`  SKIPPED: ${s.what}`, `           ${s.program} is not installed. To run them: ${s.enable}`]);
  return [bar, `!! NOT EVERYTHING WAS TESTED: ${missing.length} suite${missing.length > 1 ? 's' : ''} need${missing.length > 1 ? '' : 's'} a program this machine lacks.`,
    ...lines, '  (.ci/run installs all of them and fails instead of skipping: REQUIRE_ALL_SUITES=1.)', bar].join('\n');
}
