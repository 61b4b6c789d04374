/**
 * npx tsx scripts/writer-speed.ts [--units 40000] [--in-flight 512]
 *
 * The writer thread alone: commits answer units (an answer row, with or without its log leaf)
 * as the runner submits them under load, and prints units per second and the event loop's
 * share of it. Shows what the sitting log costs the writer.
 */
import { parseArgs } from 'node:util';
import type { WriteOp } from '../server/src/db/write-ops.js';
import { demoStore } from '../tests/helpers/store.js';

const { values } = parseArgs({ options: { units: { type: 'string', default: '40000' }, 'in-flight': { type: 'string', default: '512' } } });
const UNITS = Number(values.units);
const IN_FLIGHT = Number(values['in-flight']);

async function run(withLog: boolean): Promise<{ perSecond: number; mainCpuUsPerUnit: number }> {
  const d = await demoStore(40);
  const ids = d.store.repos.candidates.listBySitting('demo').map((c) => c.id);
  await d.store.writer.ready();
  const seq = new Map<number, number>();
  const unit = (k: number): WriteOp[] => {
    const id = ids[k % ids.length];
    const s = (seq.get(id) ?? 0) + 1;
    seq.set(id, s);
    const answer: WriteOp = { kind: 'answer', record: { candidateId: id, sittingId: 'demo', item: k % 110, kind: 'select', choice: k % 5, optionIndex: (k * 3) % 5, clientSeq: s, serverTs: 1_800_000_000_000 + k, scoreDelta: k % 2 ? 5 : 0 } };
    if (!withLog) return [answer];
    return [{ kind: 'log', sittingId: 'demo', event: { type: 'answer', t: 1_800_000_000_000 + k, reg: `R${id}`, item: k % 110, section: 'TWK', choice: k % 5, delta: k % 2 ? 5 : 0, seq: s } }, answer];
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < UNITS) await d.store.writer.submit(unit(next++));
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await d.store.close();
  d.close();
  // process.cpuUsage covers every thread: report wall rate, and the whole process's CPU per unit
  return { perSecond: Math.round(UNITS / (ms / 1000)), mainCpuUsPerUnit: Math.round((cpu.user + cpu.system) / UNITS) };
}

for (const withLog of process.env.ONLY_LOG ? [true] : [false, true, false, true]) {
  const r = await run(withLog);
  console.log(`${withLog ? 'answer + log leaf' : 'answer only     '}  ${String(r.perSecond).padStart(7)} units/s   ${r.mainCpuUsPerUnit} us CPU per unit (all threads)`);
}
