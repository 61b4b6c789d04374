/**
 * Login storm: N candidates log in within one second against a real server process.
 * Reports p50/p99/max login-to-paper (HTTP login, socket connect, state, exam start with the
 * paper) and the server's RSS per connected candidate.
 *
 *   npx tsx scripts/login-storm.ts [--candidates 2000] [--workers 2] [--spread 1000] [--questions 10000]
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedBench } from './bench/seed.js';
import { runWorker, startServerProcess, stopProcess } from './bench/server-process.js';
import { rssKb, summarize } from './bench/stats.js';

export interface StormResult {
  candidates: number;
  loginToPaperMs: ReturnType<typeof summarize>;
  errors: number;
  errorCodes: Record<string, number>;
  rssBeforeKb: number;
  rssConnectedKb: number;
  rssPerCandidateKb: number;
}

export async function loginStorm(opts: { candidates: number; workers: number; spreadMs: number; questions: number; holdMs?: number }): Promise<StormResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kaca-storm-'));
  try {
    const seed = seedBench(dir, { candidates: opts.candidates, questions: opts.questions });
    const server = await startServerProcess(dir);
    try {
      // warm the bank and the deal plan the way the first real login would
      await fetch(`${server.url}/api/sittings/${seed.sittingId}/scoreboard`);
      await new Promise((r) => setTimeout(r, 500));
      const rssBefore = rssKb(server.child.pid!);
      const startAt = Date.now() + 4000;
      const slices = Array.from({ length: opts.workers }, (_, w) => seed.candidates.filter((_, i) => i % opts.workers === w));
      let ready = 0;
      let rssConnected = NaN;
      const readyAll = new Promise<void>((resolve) => {
        const workers = slices.map((candidates) =>
          runWorker({ url: server.url, candidates, startAt, spreadMs: opts.spreadMs, mode: 'login', durationMs: 0, holdMs: opts.holdMs ?? 3000 }, (line) => {
            if (line.type === 'ready' && ++ready === opts.workers) {
              rssConnected = rssKb(server.child.pid!);
              resolve();
            }
          }),
        );
        void Promise.all(workers.map((w) => w.done)).then((all) => {
          collected.push(...all.flat());
          resolve();
        });
      });
      const collected: Record<string, unknown>[] = [];
      await readyAll;
      // wait for the workers to exit and hand over their lines
      while (collected.filter((l) => l.type === 'done').length < opts.workers) await new Promise((r) => setTimeout(r, 100));
      const late = Math.max(0, ...collected.filter((l) => l.type === 'armed').map((l) => l.lateMs as number));
      if (late > 0) throw new Error(`a load worker started ${late} ms late: the storm was not measured`);
      const logins = collected.filter((l) => l.type === 'login') as unknown as { loginMs: number[]; errors: string[]; connected: number }[];
      const all = logins.flatMap((l) => l.loginMs);
      const errors = logins.flatMap((l) => l.errors);
      const connectedCount = logins.reduce((a, l) => a + l.connected, 0);
      const errorCodes: Record<string, number> = {};
      for (const e of errors) errorCodes[e] = (errorCodes[e] ?? 0) + 1;
      return {
        candidates: opts.candidates,
        loginToPaperMs: summarize(all),
        errors: errors.length,
        errorCodes,
        rssBeforeKb: rssBefore,
        rssConnectedKb: rssConnected,
        rssPerCandidateKb: Math.round(((rssConnected - rssBefore) / Math.max(1, connectedCount)) * 10) / 10,
      };
    } finally {
      await stopProcess(server.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/scripts\//, 'scripts/'));
if (isMain) {
  const { values } = parseArgs({ options: { candidates: { type: 'string', default: '2000' }, workers: { type: 'string', default: '2' }, spread: { type: 'string', default: '1000' }, questions: { type: 'string', default: '10000' } } });
  loginStorm({ candidates: Number(values.candidates), workers: Number(values.workers), spreadMs: Number(values.spread), questions: Number(values.questions) }).then(
    (r) => {
      process.stdout.write(`login storm: ${r.candidates} candidates in ${values.spread} ms\n`);
      process.stdout.write(`  login-to-paper ms: p50 ${r.loginToPaperMs.p50}  p99 ${r.loginToPaperMs.p99}  max ${r.loginToPaperMs.max}\n`);
      process.stdout.write(`  errors: ${r.errors} ${JSON.stringify(r.errorCodes)}\n`);
      process.stdout.write(`  server RSS: ${r.rssBeforeKb} KB idle, ${r.rssConnectedKb} KB connected, ${r.rssPerCandidateKb} KB per candidate\n`);
      process.stdout.write(JSON.stringify(r) + '\n');
      process.exitCode = r.errors > 0 ? 1 : 0;
    },
    (e: Error) => {
      process.stderr.write(`login storm failed: ${e.stack}\n`);
      process.exitCode = 1;
    },
  );
}
