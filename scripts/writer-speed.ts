/**
 * npx tsx scripts/writer-speed.ts [--units 40000] [--in-flight 512] [--db postgres]
 *
 * The writer thread alone: commits answer units (an answer row, with or without its log leaf)
 * as the runner submits them under load, and prints units per second and the CPU per unit.
 * Shows what the sitting log costs the writer. With --db postgres the same units go to the
 * PostgreSQL writer (a fresh database on the test server, tests/helpers/postgres.ts), and the
 * CPU of its PostgreSQL backend is shown beside the process's.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { WriteOp } from '../server/src/db/write-ops.js';
import { ThreadWriter } from '../server/src/db/writer.js';
import { freshPgDatabase, TeeWriter, type PgDatabase } from '../tests/helpers/postgres.js';
import { demoStore } from '../tests/helpers/store.js';

const { values } = parseArgs({ options: { units: { type: 'string', default: '40000' }, 'in-flight': { type: 'string', default: '512' }, db: { type: 'string', default: 'sqlite' } } });
const UNITS = Number(values.units);
const IN_FLIGHT = Number(values['in-flight']);
const POSTGRES = values.db === 'postgres';

/** CPU time (us) a process has used, from /proc: the PostgreSQL backend is not this process. */
function processCpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

/** The demo sitting, on PostgreSQL as well when asked: seeded through both writers, then PostgreSQL's alone. */
async function store(): Promise<{ d: Awaited<ReturnType<typeof demoStore>>; pg: PgDatabase | null; backendPid: number | null }> {
  if (!POSTGRES) return { d: await demoStore(40), pg: null, backendPid: null };
  const pg = await freshPgDatabase('kaca_writer_speed');
  const d = await demoStore(40, (s) => new TeeWriter(s.writer, new ThreadWriter({ postgres: pg.url }, s.logKey)));
  await d.store.writer.drained();
  const tee = d.store.writer as TeeWriter;
  // from here on PostgreSQL's writer alone
  await tee.first.close();
  d.store.writer = tee.second;
  const r = await pg.client.query(`select pid from pg_stat_activity where application_name = 'kaca-writer' and datname = current_database()`);
  return { d, pg, backendPid: r.rows[0].pid as number };
}

async function run(withLog: boolean): Promise<{ perSecond: number; mainCpuUsPerUnit: number; pgCpuUsPerUnit: number | null }> {
  const { d, pg, backendPid } = await store();
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
  const pg0 = backendPid ? processCpuUs(backendPid) : 0;
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < UNITS) await d.store.writer.submit(unit(next++));
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const pgCpu = backendPid ? processCpuUs(backendPid) - pg0 : null;
  await d.close();
  await pg?.drop();
  // process.cpuUsage covers every thread: report wall rate, and the whole process's CPU per unit
  return { perSecond: Math.round(UNITS / (ms / 1000)), mainCpuUsPerUnit: Math.round((cpu.user + cpu.system) / UNITS), pgCpuUsPerUnit: pgCpu === null ? null : Math.round(pgCpu / UNITS) };
}

for (const withLog of process.env.ONLY_LOG ? [true] : [false, true, false, true]) {
  const r = await run(withLog);
  const pg = r.pgCpuUsPerUnit === null ? '' : `, PostgreSQL backend ${r.pgCpuUsPerUnit} us`;
  console.log(`${POSTGRES ? 'postgres' : 'sqlite  '}  ${withLog ? 'answer + log leaf' : 'answer only     '}  ${String(r.perSecond).padStart(7)} units/s   ${r.mainCpuUsPerUnit} us CPU per unit (all threads)${pg}`);
}
