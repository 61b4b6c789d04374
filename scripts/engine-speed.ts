/**
 * npx tsx scripts/engine-speed.ts [--candidates 500] [--seconds 8]
 *
 * The engine's share of an answer, without sockets: every candidate of a demo sitting answers in
 * a closed loop straight into engine.candidates.answer (parse, queue, decide, commit on the
 * writer thread with its log leaf, ack), and the script reports answers per second and the
 * event loop's busy time per answer. What the socket layer adds is the same for Kaca as for the
 * bare echo of `npm run bench`; this is the part that is Kaca's own. Run it under
 * `node --cpu-prof --import tsx` to see where that time goes.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseConfig } from '../server/src/config.js';
import { ExamEngine } from '../server/src/engine/engine.js';
import { demoStore } from '../tests/helpers/store.js';

const { values } = parseArgs({ options: { candidates: { type: 'string', default: '500' }, seconds: { type: 'string', default: '8' } } });
const N = Number(values.candidates);
const SECONDS = Number(values.seconds);

const d = await demoStore(N);
const engine = new ExamEngine(d.store, parseConfig({ dataDir: d.dir, logLevel: 'silent', answersPerSecond: 1e9 }), Date.now);
await engine.start();
const ids = d.store.repos.candidates.listBySitting('demo').map((c) => c.id);
for (const c of d.creds.candidates) await engine.login.login({ registrationNumber: c.registrationNumber, pin: c.pin });
const papers = new Map<number, number[]>();
for (const id of ids) {
  await engine.candidates.start(id);
  const e = engine.registry.examinee(id);
  papers.set(id, Array.from({ length: e.paper!.length }, (_, i) => e.paper!.optionCount(i)));
}

let answers = 0;
let running = true;
const elu0 = performance.eventLoopUtilization();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  ids.map(async (id) => {
    const counts = papers.get(id)!;
    let seq = 0;
    while (running) {
      const item = seq % counts.length;
      await engine.candidates.answer(id, { seq: ++seq, item, choice: (seq * 7) % counts[item] });
      answers++;
      if (performance.now() - t0 > SECONDS * 1000) running = false;
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
const elu = performance.eventLoopUtilization(elu0);
const cpu = process.cpuUsage(cpu0);
const cpuUs = cpu.user + cpu.system;
console.log(
  `${N} candidates, ${seconds.toFixed(1)} s: ${Math.round(answers / seconds)} answers/s; event loop ${(elu.utilization * 100).toFixed(0)}% busy, ${((elu.active * 1000) / answers).toFixed(1)} us per answer; the process (every thread) ${(cpuUs / answers).toFixed(1)} us CPU per answer; ${engine.stats().writer.batches} commits`,
);
await engine.stop();
await d.close();
