// `npm run build` (src/build.mjs): compiles src/, migrations/ and seeds/ to plain JavaScript in dist/ (tsc with
// tsconfig.build.json), so that `npm start` runs node on it with no transpiling at run time.
// `--if-stale` (used by prestart) skips the compile when dist/ was built from the files as they are now,
// so that a start after the first one costs no compile. No type check here: `npm test` does it.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-stamp.json');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'src/build.mjs'];

/** Every input with its modification time: a changed, added or removed file changes this. */
function inputs() {
  const files = [...CONFIGS];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) files.push(rel);
    }
  };
  for (const dir of ['src', 'migrations', 'seeds']) walk(dir);
  return Object.fromEntries(files.sort().map((f) => [f, fs.statSync(path.join(root, f)).mtimeMs]));
}

const before = inputs();
if (process.argv.includes('--if-stale') && fs.existsSync(stampFile)) {
  const stamp = fs.readFileSync(stampFile, 'utf8');
  if (stamp === JSON.stringify(before)) process.exit(0);
}

fs.rmSync(dist, { recursive: true, force: true }); // no stale file (a removed migration) survives
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const started = Date.now();
const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) {
  console.error('build: tsc failed; nothing was started');
  process.exit(run.status ?? 1);
}
fs.writeFileSync(stampFile, JSON.stringify(before));
console.log(`build: dist/ compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
