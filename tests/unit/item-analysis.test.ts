import { describe, expect, it } from 'vitest';
import { analyseSection, type ItemEntry, type ItemStats, type SectionAnalysis, type SectionMatrix } from '../../server/src/domain/item-analysis.js';
import { ItemAnalysisAccumulator } from '../../server/src/domain/item-analysis-live.js';
import { createRng, randomInt } from '../../server/src/domain/rng.js';
import { sectionMatrix, simulateSitting } from '../../scripts/analysis/simulate.js';

type Cell = [option: number | null, score: number, timeMs?: number] | null;

/** rows: candidate -> cells per item (null = not on the paper); ids q1, q2, ... */
function matrix(kind: 'keyed' | 'weighted', max: number, rows: Record<string, Cell[]>): SectionMatrix {
  return {
    section: 'S',
    kind,
    candidates: Object.entries(rows).map(([candidateId, cells]) => ({
      candidateId,
      entries: new Map(
        cells.flatMap((cell, i): [string, ItemEntry][] =>
          cell ? [[`q${i + 1}`, { option: cell[0], score: cell[1], max, ...(cell[2] !== undefined ? { timeMs: cell[2] } : {}) }]] : [],
        ),
      ),
    })),
  };
}
const item = (a: SectionAnalysis, q: string): ItemStats => a.items.find((i) => i.questionId === q)!;
/** keyed cell with key 0: right -> option 0 and `points`, wrong -> option 1 and 0 */
const k = (right: 0 | 1, points = 1): Cell => (right ? [0, points] : [1, 0]);

// Matrix A: complete, 0/1. Totals A4 B3 C2 D2 E1 F0.
//        q1 q2 q3 q4
//   A     1  1  1  1
//   B     1  1  1  0
//   C     1  1  0  0
//   D     1  0  1  0
//   E     0  1  0  0
//   F     0  0  0  0
const A_SCORES: (0 | 1)[][] = [
  [1, 1, 1, 1],
  [1, 1, 1, 0],
  [1, 1, 0, 0],
  [1, 0, 1, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 0],
];
const matrixA = (points = 1) => matrix('keyed', points, Object.fromEntries(A_SCORES.map((r, i) => ['ABCDEF'[i], r.map((x) => k(x, points))])));

describe('item analysis by hand: matrix A (complete, keyed)', () => {
  const a = analyseSection(matrixA());

  it('facility p = right / n', () => {
    // q1 4/6, q2 4/6, q3 3/6, q4 1/6
    expect(a.items.map((i) => i.facility)).toEqual([4 / 6, 4 / 6, 3 / 6, 1 / 6]);
    expect(a.items.every((i) => i.n === 6)).toBe(true);
  });

  it('corrected point-biserial = r(item, total - item)', () => {
    // q1: x = 1 1 1 1 0 0, rest R = T - x = 3 2 1 1 1 0.
    //   n=6, Sx=4, Sxx=4, SR=8, SRR=9+4+1+1+1=16, SxR=3+2+1+1=7
    //   r = (6*7 - 4*8) / sqrt((6*4 - 16) * (6*16 - 64)) = 10 / sqrt(8*32) = 10/16 = 0.625
    expect(item(a, 'q1').rItemRest).toBeCloseTo(0.625, 12);
    // q3: x = 1 1 0 1 0 0, R = 3 2 2 1 1 0. Sx=3, Sxx=3, SR=9, SRR=9+4+4+1+1=19, SxR=3+2+1=6
    //   r = (36 - 27) / sqrt((18 - 9) * (114 - 81)) = 9 / sqrt(297) = 0.522233
    expect(item(a, 'q3').rItemRest).toBeCloseTo(9 / Math.sqrt(297), 12);
    // q4: x = 1 0 0 0 0 0, R = 3 3 2 2 1 0. Sx=1, SR=11, SRR=27, SxR=3
    //   r = (18 - 11) / sqrt((6 - 1) * (162 - 121)) = 7 / sqrt(205) = 0.488901
    expect(item(a, 'q4').rItemRest).toBeCloseTo(7 / Math.sqrt(205), 12);
  });

  it('KR-20 = k/(k-1) (1 - sum pq / var T)', () => {
    // sum pq = 2*(4/6)(2/6) + (1/2)(1/2) + (1/6)(5/6) = 16/36 + 9/36 + 5/36 = 30/36
    // totals 4 3 2 2 1 0: mean 2, var = (4+1+0+0+1+4)/6 = 10/6
    // KR-20 = 4/3 * (1 - (30/36)/(10/6)) = 4/3 * 1/2 = 2/3
    expect(a.reliability.method).toBe('KR-20');
    expect(a.reliability.k).toBe(4);
    expect(a.reliability.itemVarianceSum).toBeCloseTo(30 / 36, 12);
    expect(a.reliability.totalVariance).toBeCloseTo(10 / 6, 12);
    expect(a.reliability.value).toBeCloseTo(2 / 3, 12);
    // one paper for everyone: no spread between papers, so both figures agree
    expect(a.reliability.formVariance).toBeCloseTo(0, 12);
    expect(a.reliability.acrossPapers).toBeCloseTo(2 / 3, 12);
  });

  it('is the same on SKD points (5/0) as on 0/1', () => {
    const b = analyseSection(matrixA(5));
    b.items.forEach((it, i) => {
      expect(it.facility).toBeCloseTo(a.items[i].facility, 12);
      expect(it.rItemRest).toBeCloseTo(a.items[i].rItemRest!, 12);
    });
    expect(b.reliability.value).toBeCloseTo(2 / 3, 12);
    expect(b.totals.mean).toBe(10);
  });

  it('histogram of totals, from 0 to the paper maximum', () => {
    // totals 4 3 2 2 1 0, one bin per score
    expect(a.totals.bins.map((b) => [b.from, b.count])).toEqual([[0, 1], [1, 1], [2, 2], [3, 1], [4, 1]]);
    expect([a.totals.mean, a.totals.min, a.totals.max]).toEqual([2, 0, 4]);
    expect(a.totals.sd).toBeCloseTo(Math.sqrt(10 / 6), 12);
    // width 2: [0,2) holds 0,1; [2,4) holds 2,2,3; [4,6) holds 4
    const wide = analyseSection(matrixA(), { binWidth: 2 });
    expect(wide.totals.bins).toEqual([
      { from: 0, to: 2, count: 2 },
      { from: 2, to: 4, count: 3 },
      { from: 4, to: 6, count: 1 },
    ]);
  });
});

// Matrix B: keyed 0/1, key = option 0, four options. Totals A4 B4 C3 D3 E3 F2.
//        q1      q2        q3      q4      q5   q6
//   A    0 ✓     0 ✓       1 ✗     0 ✓     0 ✓  1
//   B    0 ✓     0 ✓       1 ✗     0 ✓     0 ✓  2
//   C    0 ✓     1 ✗       2 ✗     0 ✓     0 ✓  3
//   D    2 ✗     0 ✓       0 ✓     3 ✗     0 ✓  1
//   E    0 ✓     blank     0 ✓     1 ✗     0 ✓  1
//   F    2 ✗     3 ✗       0 ✓     1 ✗     0 ✓  2
// Groups: n = 6, g = round(0.27 * 6) = 2. Upper: A and B (the two 4s). Lower: F (the only 2)
// plus one place shared by C, D, E tied on 3, so each counts 1/3.
const R = (o: number, t?: number): Cell => [o, 1, t];
const W = (o: number | null, t?: number): Cell => [o, 0, t];
const matrixB = matrix('keyed', 1, {
  A: [R(0, 10_000), R(0, 1000), W(1), R(0), R(0), W(1)],
  B: [R(0, 20_000), R(0, 3000), W(1), R(0), R(0), W(2)],
  C: [R(0, 30_000), W(1, 2000), W(2), R(0), R(0), W(3)],
  D: [W(2, 40_000), R(0, 8000), R(0), W(3), R(0), W(1)],
  E: [R(0), W(null), R(0), W(1), R(0), W(1)],
  F: [W(2, 60_000), W(3), R(0), W(1), R(0), W(2)],
});

describe('item analysis by hand: matrix B (groups, distractors, flags)', () => {
  const b = analyseSection(matrixB);

  it("Kelley's groups, with ties at the cut sharing the places left", () => {
    const q1 = item(b, 'q1');
    expect(q1.groupSize).toBe(2);
    // upper: A 0, B 0 -> option 0: 2/2
    // lower: F 2 (weight 1), C 0, D 2, E 0 (1/3 each) -> option 0: (1/3 + 1/3)/2 = 1/3, option 2: (1 + 1/3)/2 = 2/3
    // all: option 0 4/6, option 2 2/6. Without item meta the options run to the highest chosen.
    expect(q1.options.map((o) => [o.all, o.upper, o.lower])).toEqual([
      [4 / 6, 1, 1 / 3],
      [0, 0, 0],
      [2 / 6, 0, 2 / 3],
    ]);
    expect(q1.options.map((o) => o.isKey)).toEqual([true, false, false]);
    const withMeta = analyseSection({ ...matrixB, items: new Map([['q1', { optionCount: 4 }]]) });
    expect(item(withMeta, 'q1').options[3]).toEqual({ option: 3, isKey: false, points: null, all: 0, upper: 0, lower: 0 });
    // q1: x = 1 1 1 0 1 0, R = 3 3 2 3 2 2: Sx=4, SR=15, SxR=3+3+2+2=10 -> 6*10 - 4*15 = 0
    expect(q1.rItemRest).toBe(0);
    expect(q1.flags).toEqual([]);
  });

  it('blank shares', () => {
    // q2: E left it blank; E is in the lower group with weight 1/3 -> lower blank (1/3)/2 = 1/6
    expect(item(b, 'q2').blank).toEqual({ all: 1 / 6, upper: 0, lower: 1 / 6 });
  });

  it('flags a distractor the upper group prefers and a negative discrimination', () => {
    const q3 = item(b, 'q3');
    // x = 0 0 0 1 1 1, R = 4 4 3 2 2 1: Sx=3, Sxx=3, SR=16, SRR=16+16+9+4+4+1=50, SxR=2+2+1=5
    // r = (6*5 - 3*16) / sqrt((18 - 9) * (300 - 256)) = -18 / sqrt(396) = -0.904534
    expect(q3.facility).toBe(0.5);
    expect(q3.rItemRest).toBeCloseTo(-18 / Math.sqrt(396), 12);
    // upper: A 1, B 1 -> option 1: 1, key: 0. lower: D 0, E 0 (1/3 each), F 0 (1), C 2 (1/3)
    // -> key (1/3 + 1/3 + 1)/2 = 5/6, option 2 (1/3)/2 = 1/6
    expect(q3.options[1].upper).toBe(1);
    expect(q3.options[0].upper).toBe(0);
    expect(q3.options[0].lower).toBeCloseTo(5 / 6, 12);
    expect(q3.options[2].lower).toBeCloseTo(1 / 6, 12);
    expect(q3.flags).toEqual(['negative-discrimination', 'distractor-beats-key']);
  });

  it('flags items nobody or everybody got right; r is undefined without variance', () => {
    // q5: all right, p = 1 > 0.95
    expect(item(b, 'q5')).toMatchObject({ facility: 1, rItemRest: null, flags: ['very-easy'] });
    // q6: nobody right, p = 0 < 0.1. Without meta the key is inferred from a right answer, and
    // there is none, so the distractor check has no key to compare with.
    expect(item(b, 'q6')).toMatchObject({ facility: 0, rItemRest: null, flags: ['very-hard'] });
    const withMeta = analyseSection({ ...matrixB, items: new Map([['q6', { optionCount: 4, key: 0 }]]) });
    // with the key given: upper A 1, B 2 -> options 1 and 2 at 1/2 each beat the key's 0
    expect(item(withMeta, 'q6').flags).toEqual(['distractor-beats-key', 'very-hard']);
    expect(item(withMeta, 'q6').options[0].isKey).toBe(true);
  });

  it('time spent: mean and median over the viewers who have a time', () => {
    // q1: 10, 20, 30, 40, 60 s (E has none) -> mean 32 s, median 30 s
    expect(item(b, 'q1').time).toEqual({ n: 5, meanMs: 32_000, medianMs: 30_000 });
    // q2: 1, 3, 2, 8 s -> sorted 1 2 3 8: mean 3.5 s, median (2 + 3)/2 = 2.5 s
    expect(item(b, 'q2').time).toEqual({ n: 4, meanMs: 3500, medianMs: 2500 });
    expect(item(b, 'q3').time).toBeNull();
  });

  it('does not depend on the order of candidates', () => {
    const reversed = analyseSection({ ...matrixB, candidates: [...matrixB.candidates].reverse() });
    expect(reversed).toEqual(b);
  });
});

describe('item analysis by hand: weighted (TKP) section', () => {
  // weights 1..5 by option index (option o scores o + 1)
  //        q1 q2 q3   T
  //   A     5  4  5   14
  //   B     4  4  3   11
  //   C     3  2  4    9
  //   D     2  2  2    6
  const w = (points: number): Cell => [points - 1, points];
  const a = analyseSection(
    matrix('weighted', 5, {
      A: [w(5), w(4), w(5)],
      B: [w(4), w(4), w(3)],
      C: [w(3), w(2), w(4)],
      D: [w(2), w(2), w(2)],
    }),
  );

  it("Cronbach's alpha", () => {
    // item variances: q1 (2.25+0.25+0.25+2.25)/4 = 1.25, q2 (1+1+1+1)/4 = 1, q3 1.25 -> sum 3.5
    // totals 14 11 9 6: mean 10, var (16+1+1+16)/4 = 8.5
    // alpha = 3/2 * (1 - 3.5/8.5) = 15/17 = 0.882353
    expect(a.reliability.method).toBe('alpha');
    expect(a.reliability.value).toBeCloseTo(15 / 17, 12);
  });

  it('facility and the corrected item-total correlation of a polytomous item', () => {
    const q2 = item(a, 'q2');
    // mean 3 of max 5 -> p = 0.6
    expect(q2.facility).toBeCloseTo(0.6, 12);
    // x = 4 4 2 2, R = 10 7 7 4: deviations x 1 1 -1 -1, R 3 0 0 -3
    // r = 6 / sqrt(4 * 18) = 1/sqrt(2)
    expect(q2.rItemRest).toBeCloseTo(Math.SQRT1_2, 12);
    // the best option (weight 5) plays the key's part; the distractor flag is for keyed items
    expect(item(a, 'q1').options.find((o) => o.isKey)!.option).toBe(4);
    expect(item(a, 'q1').options.map((o) => o.points)).toEqual([null, 2, 3, 4, 5]);
  });
});

describe('reliability on a sparse design, by hand', () => {
  // Each candidate sees 2 of 4 items:
  //        q1 q2 q3 q4   T
  //   A     1  1  .  .   2
  //   B     0  .  1  .   1
  //   C     .  0  .  0   0
  //   D     .  .  1  1   2
  const a = analyseSection(
    matrix('keyed', 1, {
      A: [k(1), k(1), null, null],
      B: [k(0), null, k(1), null],
      C: [null, k(0), null, k(0)],
      D: [null, null, k(1), k(1)],
    }),
  );

  it('item figures over the viewers only', () => {
    expect(a.items.map((i) => [i.n, i.facility])).toEqual([
      [2, 0.5],
      [2, 0.5],
      [2, 1],
      [2, 0.5],
    ]);
    // q1: rest scores A 2-1 = 1, B 1-0 = 1 have no variance
    expect(item(a, 'q1').rItemRest).toBeNull();
  });

  it('KR-20 on own papers, and across papers', () => {
    // item variances pq: q1 .25, q2 .25, q3 0, q4 .25
    // sum over each paper: A .5, B .25, C .5, D .25 -> mean .375 (= sum n_i s_i^2 / N = 1.5/4)
    // k = 8 entries / 4 candidates = 2; totals 2 1 0 2: mean 1.25, var 9/4 - 1.5625 = .6875
    // value = 2/1 * (1 - .375/.6875) = 10/11
    expect(a.reliability.k).toBe(2);
    expect(a.reliability.itemVarianceSum).toBeCloseTo(0.375, 12);
    expect(a.reliability.totalVariance).toBeCloseTo(0.6875, 12);
    expect(a.reliability.value).toBeCloseTo(10 / 11, 12);
    // expected totals from item means (.5 .5 1 .5): A 1, B 1.5, C 1, D 1.5 -> form variance .0625
    // one-paper alpha: 2 * (1 - .375/(.6875 - .0625)) = .8; across papers .8 * .625/.6875 = 8/11
    expect(a.reliability.formVariance).toBeCloseTo(0.0625, 12);
    expect(a.reliability.acrossPapers).toBeCloseTo(8 / 11, 12);
  });
});

describe('input checks', () => {
  it('refuses an item with two different maxima and a candidate listed twice', () => {
    const m = matrix('keyed', 1, { A: [k(1)], B: [k(0)] });
    const twoMax: SectionMatrix = { ...m, candidates: [...m.candidates, { candidateId: 'C', entries: new Map([['q1', { option: 0, score: 5, max: 5 }]]) }] };
    expect(() => analyseSection(twoMax)).toThrow(/max 1 on one paper and 5/);
    expect(() => analyseSection({ ...m, candidates: [m.candidates[0], m.candidates[0]] })).toThrow(/twice/);
  });
});

/** Deep equality where numbers may differ in the last bits (float sums in another order). */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isFinite(expected)) expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    else expect(actual, path).toBe(expected);
  } else if (expected && typeof expected === 'object') {
    expect(typeof actual, path).toBe('object');
    const keys = Object.keys(expected as object);
    expect(Object.keys(actual as object).sort(), path).toEqual(keys.sort());
    for (const key of keys) expectClose((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
  } else expect(actual, path).toEqual(expected);
}

describe('live accumulator', () => {
  it('after thousands of random updates, gives the batch figures: p and r to the bit, the rest to rounding', () => {
    const sim = simulateSitting({
      seed: 'live',
      candidates: 80,
      sections: [
        { id: 'TIU', kind: 'keyed', bankSize: 24, perPaper: 10 },
        { id: 'TKP', kind: 'weighted', bankSize: 24, perPaper: 10 },
      ],
      roomSize: 40,
      columns: 8,
    });
    const rng = createRng('live-updates');
    for (const section of ['TIU', 'TKP']) {
      const final = sectionMatrix(sim, section);
      const acc = new ItemAnalysisAccumulator(section, final.kind);
      const current = new Map<string, Map<string, ItemEntry>>();
      // Papers are dealt blank, then answers arrive, change, go blank again; some candidates
      // are reloaded whole and some leave and come back.
      for (const c of final.candidates) {
        const blank = new Map([...c.entries.keys()].map((q): [string, ItemEntry] => [q, { option: null, score: 0, max: 5 }]));
        acc.setCandidate(c.candidateId, blank);
        current.set(String(c.candidateId), new Map(blank));
      }
      for (let step = 0; step < 4000; step++) {
        const c = final.candidates[randomInt(rng, final.candidates.length)];
        const id = String(c.candidateId);
        const qs = [...c.entries.keys()];
        const q = qs[randomInt(rng, qs.length)];
        const roll = rng();
        let entry: ItemEntry;
        if (roll < 0.1) entry = { option: null, score: 0, max: 5 };
        else if (roll < 0.6) entry = c.entries.get(q)!;
        else {
          const option = randomInt(rng, 5);
          entry = { option, score: final.kind === 'keyed' ? (option === 0 ? 5 : 0) : option + 1, max: 5, timeMs: randomInt(rng, 90_000) };
        }
        acc.set(c.candidateId, q, entry);
        current.get(id)!.set(q, entry);
        if (step % 500 === 499) {
          acc.removeCandidate(c.candidateId);
          acc.setCandidate(c.candidateId, current.get(id)!);
        }
      }
      // finish on the simulated final answers
      for (const c of final.candidates) for (const [q, e] of c.entries) acc.set(c.candidateId, q, e);

      const batch = analyseSection(final);
      const live = acc.snapshot();
      for (const it of batch.items) {
        const now = acc.live(it.questionId)!;
        expect(now.n).toBe(it.n);
        expect(now.facility).toBe(it.facility);
        expect(now.rItemRest).toBe(it.rItemRest);
        const snap = live.items.find((i) => i.questionId === it.questionId)!;
        expect(snap.facility).toBe(it.facility);
        expect(snap.rItemRest).toBe(it.rItemRest);
      }
      expectClose(live, batch);
    }
  });

  it('a refused update leaves the figures as they were', () => {
    const acc = new ItemAnalysisAccumulator('S', 'keyed');
    acc.set('A', 'q1', { option: 0, score: 1, max: 1 });
    acc.set('B', 'q1', { option: 1, score: 0, max: 1 });
    const before = acc.live('q1');
    expect(() => acc.set('C', 'q1', { option: 0, score: 5, max: 5 })).toThrow(/max/);
    expect(acc.live('q1')).toEqual(before);
    acc.set('B', 'q1', null);
    expect(acc.live('q1')).toEqual({ n: 1, facility: 1, rItemRest: null });
    expect(acc.snapshot().candidates).toBe(1);
  });
});

describe('on a simulated sitting', () => {
  it('sees each item through its viewers and rates the section plausibly', () => {
    const sim = simulateSitting({ seed: 'plausible', candidates: 300, sections: [{ id: 'TWK', kind: 'keyed', bankSize: 90, perPaper: 30 }], roomSize: 30, columns: 6 });
    const m = sectionMatrix(sim, 'TWK');
    const a = analyseSection(m);
    expect(a.items.reduce((s, i) => s + i.n, 0)).toBe(300 * 30);
    expect(a.reliability.k).toBe(30);
    expect(a.reliability.value!).toBeGreaterThan(0.6);
    expect(a.reliability.value!).toBeLessThan(0.95);
    expect(a.reliability.acrossPapers!).toBeLessThanOrEqual(a.reliability.value!);
    // the model's easiest items are the ones with the highest facility
    const b = (q: string) => sim.items.get(q)!.b;
    const byDifficulty = [...a.items].sort((x, y) => b(x.questionId) - b(y.questionId));
    const mean = (list: ItemStats[]) => list.reduce((s, i) => s + i.facility, 0) / list.length;
    expect(mean(byDifficulty.slice(0, 30))).toBeGreaterThan(mean(byDifficulty.slice(60)) + 0.2);
    // and nearly every item discriminates positively
    expect(a.items.filter((i) => i.rItemRest! > 0).length).toBeGreaterThan(80);
  });
});
