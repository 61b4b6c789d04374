/**
 * npx tsx scripts/board-speed.ts [--candidates 2000] [--rounds 200]
 *
 * What one push of a busy sitting's public board costs the event loop, without sockets: every
 * candidate of a demo sitting logs in, starts and answers a few questions, then the script builds
 * the ranked board (what a viewer joining gets, and what each push ranks) again and again with a
 * handful of candidates changed in between, as a sitting does between two pushes.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseConfig } from '../server/src/config.js';
import { ExamEngine } from '../server/src/engine/engine.js';
import { demoStore } from '../tests/helpers/store.js';

const { values } = parseArgs({ options: { candidates: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '200' } } });
const N = Number(values.candidates);
const ROUNDS = Number(values.rounds);

const d = await demoStore(N);
const engine = new ExamEngine(d.store, parseConfig({ dataDir: d.dir, logLevel: 'silent', answersPerSecond: 1e9, scoreboardNameMask: 'first-word' }), Date.now);
await engine.start();
const ids = d.store.repos.candidates.listBySitting('demo').map((c) => c.id);
for (const c of d.creds.candidates) await engine.login.login({ registrationNumber: c.registrationNumber, pin: c.pin });
for (const id of ids) await engine.candidates.start(id);
let seq = 0;
const answer = (id: number, item: number) => engine.candidates.answer(id, { seq: ++seq, item, choice: item % 4 });
for (const id of ids) for (let item = 0; item < 5; item++) await answer(id, item);
// a quarter of the hall finishes, so the board has scores to rank
for (const id of ids.filter((_, i) => i % 4 === 0)) await engine.candidates.finish(id);

const times: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // what changes between two pushes of a busy hall: a few dozen candidates answer
  for (let k = 0; k < 30; k++) await answer(ids[(r * 31 + k * 7) % ids.length], 5 + (r % 20)).catch(() => undefined);
  const t = performance.now();
  engine.views.scoreboardSnapshot('demo');
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(2);
process.stdout.write(`board of ${N} candidates: p50 ${at(50)} ms, p90 ${at(90)} ms, max ${at(100)} ms per build (${ROUNDS} builds)\n`);
await engine.stop();
await d.close();
