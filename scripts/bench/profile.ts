/**
 * Reads the V8 CPU profiles a server wrote under --cpu-prof and says where its time went, per
 * scenario: the profile's clock is the machine's monotonic clock, the same one
 * process.hrtime() reads in the coordinator, so a scenario's start and end cut the samples.
 *
 * Also runnable on its own: tsx scripts/bench/profile.ts file.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Spans of the run on the monotonic clock, in microseconds (see monotonicUs), summed as one. */
export interface Window {
  label: string;
  spans: [fromUs: number, toUs: number][];
}

export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where a function lives: a package, Kaca's own code, Node's internals, or V8's bookkeeping. */
function placeOf(cf: CallFrame): string {
  const url = cf.url;
  if (url === '') return cf.functionName.startsWith('(') ? cf.functionName : 'native (V8 builtins, C++)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node core';
  const path = url.replace(/^file:\/\//, '').replace(ROOT, '');
  return path.startsWith('server/') ? 'kaca server' : path.startsWith('scripts/') ? 'bench scripts' : path;
}

function shortName(cf: CallFrame): string {
  const path = cf.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(ROOT, '');
  return `${cf.functionName || '(anonymous)'} ${path ? `${path}:${cf.lineNumber + 1}` : ''}`.trim();
}

export interface WindowSummary {
  label: string;
  sampledMs: number;
  /** sampled time not idle: on a machine with more runnable threads than cores, this includes time the thread waited for a core */
  busyMs: number;
  /** share of the window's samples by place, busiest first; (idle) is time with nothing to run */
  byPlace: { place: string; ms: number; pct: number }[];
  /** busiest functions by self time, idle excluded */
  topFunctions: { fn: string; ms: number; pct: number }[];
}

export function summarizeProfile(profile: CpuProfile, windows: Window[], top = 12): WindowSummary[] {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  return windows.map((w) => {
    const byPlace = new Map<string, number>();
    const byFn = new Map<string, number>();
    let t = profile.startTime;
    let total = 0;
    let busy = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i];
      if (!w.spans.some(([from, to]) => t >= from && t <= to)) continue;
      // a sample stands for the interval until the next one
      const dt = profile.timeDeltas[i + 1] ?? 0;
      const cf = frames.get(profile.samples[i])!;
      const place = placeOf(cf);
      byPlace.set(place, (byPlace.get(place) ?? 0) + dt);
      total += dt;
      if (place !== '(idle)') {
        busy += dt;
        const fn = shortName(cf);
        byFn.set(fn, (byFn.get(fn) ?? 0) + dt);
      }
    }
    const ms = (us: number) => Math.round(us / 100) / 10;
    const pct = (us: number, of: number) => Math.round((us / Math.max(1, of)) * 1000) / 10;
    return {
      label: w.label,
      sampledMs: ms(total),
      busyMs: ms(busy),
      byPlace: [...byPlace].sort((a, b) => b[1] - a[1]).map(([place, us]) => ({ place, ms: ms(us), pct: pct(us, total) })),
      topFunctions: [...byFn]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([fn, us]) => ({ fn, ms: ms(us), pct: pct(us, busy) })),
    };
  });
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

export function formatSummaries(title: string, summaries: WindowSummary[]): string {
  const lines: string[] = [];
  for (const s of summaries) {
    lines.push(`${title}: ${s.label} (${s.sampledMs} ms sampled, ${s.busyMs} ms busy)`);
    lines.push('  by place:');
    for (const p of s.byPlace.slice(0, 10)) lines.push(`    ${String(p.pct).padStart(5)}%  ${String(p.ms).padStart(8)} ms  ${p.place}`);
    lines.push('  busiest functions (self time, share of busy time):');
    for (const f of s.topFunctions) lines.push(`    ${String(f.pct).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.fn}`);
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx scripts/bench/profile.ts file.cpuprofile [top]\n');
    process.exit(2);
  }
  const p = readProfile(file);
  process.stdout.write(formatSummaries(file, summarizeProfile(p, [{ label: 'whole profile', spans: [[p.startTime, p.endTime]] }], Number(top ?? 25))));
}
