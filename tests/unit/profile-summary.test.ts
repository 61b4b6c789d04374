import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../scripts/bench/profile.js';

/** The benchmark's CPU-profile summary: samples cut by scenario span, grouped by where the code lives. */
describe('CPU profile summary', () => {
  const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(idle)', '') },
      { id: 2, callFrame: frame('submitAnswer', `file://${process.cwd()}/server/src/services/engine.ts`) },
      { id: 3, callFrame: frame('encode', 'file:///x/node_modules/socket.io-parser/build/cjs/index.js') },
      { id: 4, callFrame: frame('(garbage collector)', '') },
    ],
    startTime: 1_000_000,
    endTime: 1_010_000,
    // a sample every 1 ms: t = 1,001,000 ... 1,010,000
    samples: [2, 2, 3, 1, 1, 4, 2, 3, 3, 1],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  };

  it('counts only the samples inside the spans, by place and by function', () => {
    const [all, firstHalf, split] = summarizeProfile(profile, [
      { label: 'all', spans: [[0, Infinity]] },
      { label: 'first half', spans: [[1_001_000, 1_005_000]] },
      { label: 'two spans', spans: [[1_001_000, 1_002_000], [1_007_000, 1_008_000]] },
    ]);
    // the last sample has no following delta: nine 1 ms intervals in all
    expect(all.sampledMs).toBe(9);
    expect(all.busyMs).toBe(7);
    expect(Object.fromEntries(all.byPlace.map((p) => [p.place, p.ms]))).toEqual({ 'kaca server': 3, 'socket.io-parser': 3, '(idle)': 2, '(garbage collector)': 1 });
    expect(all.topFunctions[0].fn).toMatch(/^(submitAnswer server\/src\/services\/engine\.ts:10|encode socket\.io-parser\/build\/cjs\/index\.js:10)$/);
    expect(all.topFunctions.find((f) => f.fn.startsWith('(idle)'))).toBeUndefined();
    expect(firstHalf.sampledMs).toBe(5);
    expect(Object.fromEntries(firstHalf.byPlace.map((p) => [p.place, p.ms]))).toEqual({ 'kaca server': 2, 'socket.io-parser': 1, '(idle)': 2 });
    expect(split.sampledMs).toBe(4);
    expect(split.busyMs).toBe(4);
    expect(split.topFunctions.map((f) => [f.fn.split(' ')[0], f.pct])).toEqual([
      ['submitAnswer', 75],
      ['encode', 25],
    ]);
  });
});
