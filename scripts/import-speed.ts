/**
 * The event loop during a large HTTP bank import: a real server process (`kaca start`, production
 * mode) gets a ~50 MB bank uploaded (by curl, so that the sending does not slow this process's
 * own clock) while this process asks /api/health every 10 ms. Prints the
 * server's own event-loop delay over the import (GET /api/admin/metrics: monitorEventLoopDelay,
 * 10 ms resolution, read just before and right after) and the health replies' latency seen by the
 * client. A benchmark, not a test (CONVENTIONS.md).
 *
 * A bystander process that does nothing but measure its own event-loop delay runs alongside: on a
 * shared machine, a delay the bystander sees too is the machine's, not the server's.
 *
 * With --profile the server runs with --cpu-prof, and the longest stretches its main thread was
 * busy (running code or collecting garbage) during the imports are printed: a delay longer than
 * any of them was the machine's other threads holding the CPU, not work on the event loop.
 *
 *   npx tsx scripts/import-speed.ts [--megabytes 50] [--runs 3] [--profile]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { parseConfig } from '../server/src/config.js';
import { createAccount, ensureBuiltIns } from '../server/src/services/admin.js';
import { openStore } from '../server/src/services/store.js';
import { readBankBytes } from '../question-bank/formats.js';
import { tempDir } from '../tests/helpers/tmp.js';
import { bigSkdBank } from './bench/big-bank.js';
import { startServerProcess, stopProcess } from './bench/server-process.js';

const run = promisify(execFile);
const { values } = parseArgs({ options: { megabytes: { type: 'string', default: '50' }, runs: { type: 'string', default: '3' }, profile: { type: 'boolean', default: false } } });
const megabytes = Number(values.megabytes);
const tmp = tempDir('kaca-import-');
const password = 'import-speed-password';
const store = openStore(parseConfig({ dataDir: tmp.dir, logLevel: 'silent' }));
await ensureBuiltIns(store, Date.now());
await createAccount(store, { username: 'admin', displayName: 'Admin', password, role: 'admin', sittings: [] }, Date.now());
const skd = store.repos.templates.get('skd')!;
await store.close();

const t0 = performance.now();
const banks = Array.from({ length: Number(values.runs) }, (_, r) => bigSkdBank(`besar-${r}`, megabytes, `seed-${r}`));
const bytes = Buffer.byteLength(banks[0].doc);
process.stdout.write(`generated ${banks.length} banks of ${(bytes / 2 ** 20).toFixed(1)} MB, ${banks[0].questions} questions each, in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

// what the same work costs when done on one thread: the block an import on the event loop would cause
const v0 = performance.now();
const inline = readBankBytes(Buffer.from(banks[0].doc), 'bank.json', { template: skd });
process.stdout.write(`reading and validating it on one thread takes ${Math.round(performance.now() - v0)} ms (${inline.report.errors.length} errors, ${inline.report.warnings.length} warnings)\n`);

const profiles = join(tmp.dir, 'profiles');
if (values.profile) mkdirSync(profiles);
const { child, url } = await startServerProcess(tmp.dir, { NODE_ENV: 'production' }, values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : []);
let importsFrom = 0;
try {
  const login = (await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).json()) as { session: string };
  const auth = { authorization: `Bearer ${login.session}` };
  const metrics = async () => ((await (await fetch(`${url}/api/admin/metrics`, { headers: auth })).json()) as { eventLoopDelayMs: { p50: number; p99: number; max: number }; eventLoopUtilization: number; memory: { rss: number } });
  const health = async (stop: () => boolean) => {
    const pings: number[] = [];
    while (!stop()) {
      const s = performance.now();
      await fetch(`${url}/api/health`);
      pings.push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 10));
    }
    return pings.sort((a, b) => a - b);
  };
  const line = (what: string, m: Awaited<ReturnType<typeof metrics>>, pings: number[]) =>
    `  ${what}: server event-loop delay p50 ${m.eventLoopDelayMs.p50} ms, p99 ${m.eventLoopDelayMs.p99} ms, max ${m.eventLoopDelayMs.max} ms, loop busy ${(m.eventLoopUtilization * 100).toFixed(1)}%; ` +
    `${pings.length} health replies, p50 ${pings[Math.floor(pings.length / 2)].toFixed(1)} ms, max ${pings[pings.length - 1].toFixed(1)} ms; server RSS ${Math.round(m.memory.rss / 2 ** 20)} MB`;

  // the noise floor: the same server idle for 3 s with the same pings
  await metrics();
  const until = performance.now() + 3000;
  const idle = await health(() => performance.now() > until);
  process.stdout.write(line('idle, 3 s', await metrics(), idle) + '\n');

  importsFrom = performance.now();
  // the machine's own noise over the same imports
  const BYSTANDER = `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 }); h.enable(); setInterval(() => {}, 1000);
process.on('SIGTERM', () => { const ms = (n) => (n / 1e6).toFixed(1); console.log(\`p50 \${ms(h.percentile(50))} ms, p99 \${ms(h.percentile(99))} ms, max \${ms(h.max)} ms\`); process.exit(0); });`;
  const bystander = spawn(process.execPath, ['-e', BYSTANDER], { stdio: ['ignore', 'pipe', 'inherit'] });
  let bystanderSaw = '';
  bystander.stdout.on('data', (d) => (bystanderSaw += d));
  for (const [k, bank] of banks.entries()) {
    const file = join(tmp.dir, `bank-${k}.json`);
    writeFileSync(file, bank.doc);
    await metrics(); // resets the histogram
    let done = false;
    const pinger = health(() => done);
    const s = performance.now();
    const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', '-X', 'POST', '-H', `authorization: ${auth.authorization}`, '-H', 'content-type: application/json', '--data-binary', `@${file}`, `${url}/api/admin/banks?template=skd&name=bank.json`], { maxBuffer: 64 * 2 ** 20 });
    const took = performance.now() - s;
    done = true;
    const pings = await pinger;
    const m = await metrics();
    const [body, status] = stdout.trim().split('\n');
    if (status !== '201') throw new Error(`import failed: ${status} ${body.slice(0, 500)}`);
    const stored = JSON.parse(body) as { bank: { questions: number } };
    process.stdout.write(line(`${(bytes / 2 ** 20).toFixed(1)} MB, ${stored.bank.questions} questions, imported in ${Math.round(took)} ms`, m, pings) + '\n');
  }
  await new Promise((resolve) => {
    bystander.once('exit', resolve);
    bystander.kill('SIGTERM');
  });
  process.stdout.write(`  a bystander process on the same machine over the imports: event-loop delay ${bystanderSaw.trim()}\n`);
  if (values.profile) {
    await stopProcess(child);
    longestBusy(join(profiles, readdirSync(profiles).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\./.test(f))!), performance.now() - importsFrom);
  }
} finally {
  await stopProcess(child);
  tmp.cleanup();
}

/** The longest runs of consecutive non-idle samples of the main thread over its last `lastMs`. */
function longestBusy(file: string, lastMs: number): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const frame = (id: number) => {
    const path: string[] = [];
    for (let at: number | undefined = id; at !== undefined && path.length < 3; at = parents.get(at)) {
      const c = nodes.get(at)!.callFrame;
      if (c.functionName !== '(root)') path.push(`${c.functionName || '(anonymous)'} ${c.url.split('/').pop()}:${c.lineNumber + 1}`);
    }
    return path.join(' < ');
  };
  const from = p.endTime - lastMs * 1000;
  const runs: { ms: number; ids: number[] }[] = [];
  let t = p.startTime;
  let start: number | null = null;
  let ids: number[] = [];
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i];
    const name = nodes.get(id)!.callFrame.functionName;
    const idle = name === '(idle)' || name === '(program)';
    if (!idle) {
      if (start === null) [start, ids] = [t, []];
      ids.push(id);
    } else if (start !== null) {
      if (start >= from) runs.push({ ms: (t - start) / 1000, ids });
      start = null;
    }
  });
  runs.sort((a, b) => b.ms - a.ms);
  process.stdout.write(`  main thread during the imports: longest busy stretches ${runs.slice(0, 5).map((r) => `${r.ms.toFixed(1)} ms`).join(', ')}\n`);
  const counts = new Map<string, number>();
  for (const id of runs[0]?.ids ?? []) counts.set(frame(id), (counts.get(frame(id)) ?? 0) + 1);
  for (const [f, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6)) process.stdout.write(`    ${n} samples: ${f}\n`);
}
