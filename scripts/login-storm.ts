/**
 * Login storm: N candidates log in within one second against a real server process, from
 * separate load processes. Reports p50/p99/max login-to-paper (HTTP login, socket connect,
 * state, exam start with the paper) and the server's RSS per connected candidate.
 *
 *   npx tsx scripts/login-storm.ts [--candidates 2000] [--workers 2] [--spread 1000] [--questions 10000]
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { seedBench, type BenchSeed } from './bench/seed.js';
import { LoadWorker, startServerProcess, stopProcess } from './bench/server-process.js';
import { cpuMs, rssKb, summarize } from './bench/stats.js';
import { monotonicUs } from './bench/profile.js';

export interface StormResult {
  candidates: number;
  loginToPaperMs: ReturnType<typeof summarize>;
  errors: number;
  errorCodes: Record<string, number>;
  rssBeforeKb: number;
  rssConnectedKb: number;
  rssPerCandidateKb: number;
  /** V8 heap + external after a full GC, per connected candidate */
  heapPerCandidateKb: number;
  raw: number[];
  /** the storm on the monotonic clock, in microseconds (to cut CPU profiles with) */
  span: [number, number];
  /** the server process's CPU time (every thread) during the storm, per login, in microseconds */
  cpuUsPerLogin: number;
}

interface LoginReply {
  lateMs: number;
  loginMs: number[];
  errors: string[];
  connected: number;
}

/**
 * Warms the load processes on `url`, then has them log every candidate in, spread evenly over
 * spreadMs from a common start 1.5 s ahead; the sessions stay connected under `target`
 * (see worker.ts). Used for Kaca and for the bare echo alike.
 */
export async function sendStorm(to: string | string[], candidates: BenchSeed['candidates'], workers: LoadWorker[], spreadMs: number, target?: 'kaca' | 'echo'): Promise<{ replies: LoginReply[]; span: [number, number] }> {
  // several nodes: load process i logs in and connects through node i % N
  const urls = typeof to === 'string' ? [to] : to;
  const urlOf = (i: number) => urls[i % urls.length];
  await Promise.all(workers.map((w, i) => w.send({ cmd: 'warm', url: urlOf(i) })));
  const startAt = Date.now() + 1500;
  const fromUs = monotonicUs() + (startAt - Date.now()) * 1000;
  const slices = workers.map((_, w) => candidates.filter((_, i) => i % workers.length === w));
  const replies = await Promise.all(workers.map((w, i) => w.send<LoginReply>({ cmd: 'login', url: urlOf(i), candidates: slices[i], startAt, spreadMs, target })));
  const span: [number, number] = [fromUs, monotonicUs()];
  if (process.env.KACA_BENCH_PHASES) process.stderr.write(`phases p50: ${JSON.stringify(replies.map((r) => (r as unknown as { phaseP50: unknown }).phaseP50))}\n`);
  const late = Math.max(...replies.map((r) => r.lateMs));
  if (late > 0) throw new Error(`a load worker started ${late} ms late: the storm was not measured`);
  return { replies, span };
}

/** Asks the server (started with --expose-gc) to collect, so RSS is not inflated by garbage. */
async function settledRss(child: ChildProcess): Promise<number> {
  child.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 700));
  return rssKb(child.pid!);
}

async function adminSession(url: string, seed: BenchSeed): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seed.admin) });
  return ((await r.json()) as { session: string }).session;
}

/** Heap + external memory of the server after a full GC, from the admin metrics. */
async function heapKb(url: string, session: string, server: ChildProcess): Promise<number> {
  server.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 500));
  const m = (await fetch(`${url}/api/admin/metrics`, { headers: { authorization: `Bearer ${session}` } }).then((r) => r.json())) as { memory: { heapUsed: number; external: number } };
  return Math.round((m.memory.heapUsed + m.memory.external) / 1024);
}

/** Runs a storm against a running server with the given workers; leaves the sessions connected. */
/**
 * `loginUrls` and `others`: with several nodes, every node's URL (load process i logs in through
 * node i % N) and the other nodes' processes, whose CPU counts too; memory is the first node's.
 */
export async function storm(url: string, server: ChildProcess, seed: BenchSeed, workers: LoadWorker[], spreadMs: number, loginUrls: string[] = [url], others: ChildProcess[] = []): Promise<StormResult> {
  // RSS before the load processes warm up: the warm-up's own cost is counted against the
  // candidates, so the figure errs on the high side.
  const rssBefore = await settledRss(server);
  const session = await adminSession(url, seed);
  const heapBefore = await heapKb(url, session, server);
  const cpu = () => [server, ...others].reduce((a, p) => a + cpuMs(p.pid!), 0);
  const cpu0 = cpu();
  const { replies, span } = await sendStorm(loginUrls, seed.candidates, workers, spreadMs);
  const cpuUsPerLogin = Math.round(((cpu() - cpu0) * 1000) / seed.candidates.length);
  const rssConnected = await settledRss(server);
  const heapConnected = await heapKb(url, session, server);
  const all = replies.flatMap((r) => r.loginMs);
  const errors = replies.flatMap((r) => r.errors);
  const connected = replies.reduce((a, r) => a + r.connected, 0);
  const errorCodes: Record<string, number> = {};
  for (const e of errors) errorCodes[e] = (errorCodes[e] ?? 0) + 1;
  return {
    candidates: seed.candidates.length,
    loginToPaperMs: summarize(all),
    errors: errors.length,
    errorCodes,
    rssBeforeKb: rssBefore,
    rssConnectedKb: rssConnected,
    rssPerCandidateKb: Math.round(((rssConnected - rssBefore) / Math.max(1, connected)) * 10) / 10,
    heapPerCandidateKb: Math.round(((heapConnected - heapBefore) / Math.max(1, connected)) * 10) / 10,
    raw: all,
    span,
    cpuUsPerLogin,
  };
}

export async function loginStorm(opts: { candidates: number; workers: number; spreadMs: number; questions: number }): Promise<StormResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kaca-storm-'));
  const workers = Array.from({ length: opts.workers }, () => new LoadWorker());
  try {
    const seed = await seedBench(dir, { candidates: opts.candidates, questions: opts.questions });
    const server = await startServerProcess(dir, {}, ['--expose-gc']);
    try {
      return await storm(server.url, server.child, seed, workers, opts.spreadMs);
    } finally {
      await Promise.all(workers.map((w) => w.exit()));
      await stopProcess(server.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1]?.endsWith('login-storm.ts');
if (isMain) {
  const { values } = parseArgs({ options: { candidates: { type: 'string', default: '2000' }, workers: { type: 'string', default: '2' }, spread: { type: 'string', default: '1000' }, questions: { type: 'string', default: '10000' } } });
  loginStorm({ candidates: Number(values.candidates), workers: Number(values.workers), spreadMs: Number(values.spread), questions: Number(values.questions) }).then(
    (r) => {
      process.stdout.write(`login storm: ${r.candidates} candidates in ${values.spread} ms\n`);
      process.stdout.write(`  login-to-paper ms: p50 ${r.loginToPaperMs.p50}  p99 ${r.loginToPaperMs.p99}  max ${r.loginToPaperMs.max}\n`);
      process.stdout.write(`  errors: ${r.errors} ${JSON.stringify(r.errorCodes)}\n`);
      process.stdout.write(`  server CPU per login: ${r.cpuUsPerLogin} us\n`);
      process.stdout.write(`  server RSS: ${r.rssBeforeKb} KB idle, ${r.rssConnectedKb} KB connected, ${r.rssPerCandidateKb} KB per candidate (heap ${r.heapPerCandidateKb} KB)\n`);
      const { raw, span, ...headline } = r;
      void raw;
      void span;
      process.stdout.write(JSON.stringify(headline) + '\n');
      process.exitCode = r.errors > 0 ? 1 : 0;
    },
    (e: Error) => {
      process.stderr.write(`login storm failed: ${e.stack}\n`);
      process.exitCode = 1;
    },
  );
}
