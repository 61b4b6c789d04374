// Builds what `npm start` runs: the server bundle (dist/, by esbuild; type-checking is `npm run
// typecheck`'s job) and the browser apps (Vite). With --if-stale, only what is missing or older
// than its sources, so the two README commands are all a fresh clone needs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ifStale = process.argv.includes('--if-stale');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) if (e !== 'dist' && e !== 'node_modules') t = Math.max(t, newest(join(path, e)));
  return t;
}
const stale = (out, sources) => !ifStale || !existsSync(out) || statSync(out).mtimeMs < Math.max(...sources.map((s) => newest(join(root, s))));

const SERVER_SOURCES = ['server/src', 'question-bank', 'scripts/cli.ts', 'scripts/cli', 'package-lock.json'];
if (stale(join(root, 'dist/kaca.js'), SERVER_SOURCES)) {
  process.stdout.write('building the server...\n');
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: root,
    entryPoints: {
      kaca: 'scripts/cli.ts',
      'writer-thread': 'server/src/db/writer-thread.ts',
      'pg-writer-thread': 'server/src/db/pg-writer-thread.ts',
      'pg-reader-thread': 'server/src/db/pg-reader-thread.ts',
      'log-thread': 'server/src/services/log-thread.ts',
      'tree-thread': 'server/src/services/tree-thread.ts',
      'bank-thread': 'server/src/services/bank-thread.ts',
    },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // dependencies stay in node_modules (the native better-sqlite3 among them)
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

const APPS = [
  { dir: 'exam-client', out: 'exam-client/dist/index.html' },
  { dir: 'proctor-console', out: 'proctor-console/dist/proctor/index.html' },
];
for (const app of APPS) {
  if (!stale(join(root, app.out), [app.dir, 'server/src/contract'])) continue;
  process.stdout.write(`building ${app.dir}...\n`);
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', app.dir, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
