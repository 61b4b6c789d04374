// Builds the browser apps before `npm start` when a build is missing or older than its sources,
// so the two README commands are all a fresh clone needs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const APPS = [
  { dir: 'exam-client', out: 'exam-client/dist/index.html' },
  { dir: 'proctor-console', out: 'proctor-console/dist/proctor/index.html' },
].filter((a) => existsSync(join(root, a.dir, 'vite.config.ts')));

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) if (e !== 'dist' && e !== 'node_modules') t = Math.max(t, newest(join(path, e)));
  return t;
}

const contract = newest(join(root, 'server/src/contract'));
for (const app of APPS) {
  const out = join(root, app.out);
  if (existsSync(out) && statSync(out).mtimeMs >= Math.max(contract, newest(join(root, app.dir)))) continue;
  process.stdout.write(`building ${app.dir}...\n`);
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', app.dir, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
