import { describe, expect, it } from 'vitest';
import { binomialUpperTail } from '../../server/src/domain/binomial.js';
import { analyseSimilarity, type SimilarityAnswer, type SimilarityCandidate } from '../../server/src/domain/similarity.js';
import { simulateSitting, similarityInput, type SimConfig } from '../../scripts/analysis/simulate.js';

/** options per item q1, q2, ...; key is option 0 everywhere */
function cand(id: string, options: (number | null)[], extra: Partial<SimilarityCandidate> = {}, times: number[] = []): SimilarityCandidate {
  return {
    id,
    room: 'R1',
    answers: new Map(options.map((o, i): [string, SimilarityAnswer] => [`q${i + 1}`, { option: o, correct: o === 0, ...(times[i] !== undefined ? { answeredAt: times[i] } : {}) }])),
    ...extra,
  };
}

describe('binomial upper tail', () => {
  it('matches sums done by hand', () => {
    // P(X >= 8 | n = 10, p = 1/2) = (C(10,8) + C(10,9) + C(10,10)) / 2^10 = (45 + 10 + 1)/1024
    expect(binomialUpperTail(10, 8, 0.5).probability).toBeCloseTo(56 / 1024, 14);
    // P(X >= 2 | n = 3, p = 1/6) = 3 (1/6)^2 (5/6) + (1/6)^3 = 16/216
    expect(binomialUpperTail(3, 2, 1 / 6).probability).toBeCloseTo(16 / 216, 14);
    expect(binomialUpperTail(5, 0, 0.3).probability).toBe(1);
    expect(binomialUpperTail(5, 6, 0.3).probability).toBe(0);
    expect(binomialUpperTail(5, 1, 0).probability).toBe(0);
  });

  it('keeps its precision far out in the tail', () => {
    // P(X >= 200 | n = 200, p = 0.01) = 1e-400: below the smallest double, but its log is exact
    const t = binomialUpperTail(200, 200, 0.01);
    expect(t.probability).toBe(0);
    expect(t.log10).toBeCloseTo(-400, 9);
    // P(X >= 30 | n = 40, p = 0.1): the first term dominates; compare with a direct sum
    let direct = 0;
    for (let j = 30; j <= 40; j++) {
      let c = 1;
      for (let i = 0; i < j; i++) c = (c * (40 - i)) / (i + 1);
      direct += c * 0.1 ** j * 0.9 ** (40 - j);
    }
    expect(binomialUpperTail(40, 30, 0.1).probability / direct).toBeCloseTo(1, 10);
  });
});

// One room, three items, key 0 everywhere.
//         q1  q2  q3   wrong answers
//   S      1   2   0   2 (q1, q2)
//   C      1   2   3   3
//   X1     1   0   0   1
//   X2     0   2   0   1
//   X3     3   3   0   2
//   X4     0   0   0   0
const small = [cand('S', [1, 2, 0]), cand('C', [1, 2, 3]), cand('X1', [1, 0, 0]), cand('X2', [0, 2, 0]), cand('X3', [3, 3, 0]), cand('X4', [0, 0, 0])];
const pairOf = (report: ReturnType<typeof analyseSimilarity>, a: string, b: string) => report.pairs.find((p) => p.a === a && p.b === b)!;

describe('K-index by hand', () => {
  it('with everyone in one band and no prior: the plain share of the other candidates', () => {
    const r = analyseSimilarity(small, { minBand: 100, priorWeight: 0 });
    const sc = pairOf(r, 'S', 'C');
    expect([sc.shared, sc.identicalAnswers, sc.identicalWrong, sc.bothBlank]).toEqual([3, 2, 2, 0]);
    // S as source: S is wrong on q1 (option 1) and q2 (option 2): 2 trials; C matches both: m = 2.
    // Among the four others, option 1 on q1 was chosen by X1: 1/4; option 2 on q2 by X2: 1/4.
    // p = (1/4 + 1/4)/2 = 1/4; P(X >= 2 | 2, 1/4) = 1/16
    expect(sc.aToB).toMatchObject({ source: 'S', copier: 'C', sourceWrong: 2, matches: 2, p: 0.25, expected: 0.5 });
    expect(sc.aToB.probability).toBeCloseTo(1 / 16, 14);
    // C as source: wrong on q1 (1), q2 (2), q3 (3): 3 trials, S matches 2. Nobody else chose
    // option 3 on q3: 0/4. p = (1/4 + 1/4 + 0)/3 = 1/6; P(X >= 2 | 3, 1/6) = 16/216
    expect(sc.bToA).toMatchObject({ sourceWrong: 3, matches: 2 });
    expect(sc.bToA.p).toBeCloseTo(1 / 6, 14);
    expect(sc.bToA.probability).toBeCloseTo(16 / 216, 14);
    // both directions were tried: 2 x the smaller
    expect(sc.probability).toBeCloseTo(2 / 16, 14);
    expect(r.pairsTested).toBe(15);
    expect(r.flagged).toEqual([]);
  });

  it('with bands of wrong-answer counts and the prior toward the overall share', () => {
    const r = analyseSimilarity(small, { minBand: 1, priorWeight: 1 });
    const sc = pairOf(r, 'S', 'C');
    // C has 3 wrong answers, alone on 3; widened to [2, 4] it holds S and X3 (2 others >= 1).
    // S -> C, q1 option 1: in the band but for S and C only X3 (chose 3): 0 of 1. Overall among
    // X1..X4: X1 chose 1, pulled by one pseudo-viewer toward 1/4 (options 0-3 seen):
    // (1 + 1/4)/(4 + 1) = 1/4. With one pseudo-count: (0 + 1/4)/(1 + 1) = 1/8. q2 option 2: band
    // X3 chose 3: 0 of 1; overall X2: (1 + 1/4)/5 = 1/4 -> 1/8. p = 1/8; P(X >= 2 | 2, 1/8) = 1/64
    expect(sc.aToB.p).toBeCloseTo(1 / 8, 14);
    expect(sc.aToB.probability).toBeCloseTo(1 / 64, 14);
    // C -> S: S has 2 wrong; band [2, 2] holds X3 besides S (C, with 3, is outside it).
    // q1 option 1: X3 chose 3 -> 0 of 1, overall 1/4 -> 1/8; q2 option 2: likewise 1/8;
    // q3 option 3: nobody else chose it, overall (0 + 1/4)/5 = 1/20 (unlikely, not impossible),
    // band (0 + 1/20)/2 = 1/40. p = (1/8 + 1/8 + 1/40)/3 = 11/120
    // P(X >= 2 | 3, 11/120) = 3 (11/120)^2 (109/120) + (11/120)^3 = 40898/1728000
    expect(sc.bToA.p).toBeCloseTo(11 / 120, 14);
    expect(sc.bToA.probability).toBeCloseTo(40898 / 1728000, 14);
    expect(sc.probability).toBeCloseTo(2 / 64, 14);
  });

  it('flags at the threshold with evidence: the items, options and who answered first', () => {
    const times = (base: number) => [base, base + 60_000, base + 120_000];
    const withTimes = [
      cand('S', [1, 2, 0], {}, times(1000)),
      cand('C', [1, 2, 3], {}, times(31_000)),
      ...small.slice(2),
    ];
    const r = analyseSimilarity(withTimes, { alpha: 0.05, minBand: 1, priorWeight: 1 });
    expect(r.threshold).toBe(0.05);
    expect(r.flagged).toHaveLength(1);
    const f = r.flagged[0];
    expect([f.a, f.b, f.probability]).toEqual(['S', 'C', r.pairs[0].probability]);
    expect(f.evidence).toEqual([
      { questionId: 'q1', option: 1, aAnsweredAt: 1000, bAnsweredAt: 31_000, lagMs: 30_000 },
      { questionId: 'q2', option: 2, aAnsweredAt: 61_000, bAnsweredAt: 91_000, lagMs: 30_000 },
    ]);
    expect([f.aLater, f.bLater]).toEqual([0, 2]);
    // Bonferroni over the 15 pairs: 0.05/15 = 0.00333 < 0.03125, so nothing is flagged
    const strict = analyseSimilarity(withTimes, { alpha: 0.05, correction: 'bonferroni', minBand: 1, priorWeight: 1 });
    expect(strict.threshold).toBeCloseTo(0.05 / 15, 15);
    expect(strict.flagged).toEqual([]);
  });
});

describe('pairs', () => {
  it('compares only within a room, adjacent seats first', () => {
    const same = [0, 1, 0, 2];
    const r = analyseSimilarity([
      cand('a', same, { row: 0, column: 0 }),
      cand('b', same, { row: 1, column: 1 }),
      cand('c', same, { row: 0, column: 2 }),
      cand('d', same, { room: 'R2', seat: 7 }),
      cand('e', same, { room: 'R2', seat: 8 }),
      cand('f', same, { room: 'R2', seat: 'B3' }),
    ]);
    // R1: 3 pairs, R2: 3 pairs; none across rooms
    expect(r.pairsTested).toBe(6);
    expect(r.pairs.map((p) => [p.a, p.b, p.adjacent, p.seatDistance])).toEqual([
      // diagonal neighbours are adjacent (Chebyshev distance 1); so are seats 7 and 8
      ['a', 'b', true, 1],
      ['b', 'c', true, 1],
      ['d', 'e', true, 1],
      ['a', 'c', false, 2],
      ['d', 'f', false, null],
      ['e', 'f', false, null],
    ]);
  });

  it('refuses a candidate listed twice', () => {
    expect(() => analyseSimilarity([small[0], small[0]])).toThrow(/twice/);
  });
});

describe('on simulated sittings (300 candidates, rooms of 30)', () => {
  const base: Omit<SimConfig, 'seed'> = {
    candidates: 300,
    sections: [{ id: 'TIU', kind: 'keyed', bankSize: 100, perPaper: 65 }],
    roomSize: 30,
    columns: 6,
  };

  it('flags a planted copier who copies 70% of the neighbour’s answers, wrong ones included', () => {
    for (const seed of ['copy-1', 'copy-2', 'copy-3']) {
      // candidates 0 and 1 sit side by side in the first room
      const sim = simulateSitting({ ...base, seed, copiers: [{ source: 0, copier: 1, share: 0.7 }] });
      const r = analyseSimilarity(similarityInput(sim));
      const planted = r.flagged.find((p) => p.a === 'C00000' && p.b === 'C00001');
      expect(planted, seed).toBeDefined();
      expect(planted!.adjacent).toBe(true);
      expect(planted!.probability).toBeLessThan(1e-4);
      expect(planted!.evidence).toHaveLength(planted!.identicalWrong);
      // the copier answered 5-60 s after the source on what it copied: the times show who
      // followed whom, which the index itself cannot
      expect(planted!.bLater).toBeGreaterThan(planted!.aLater);
      // the planted pair is the first thing the report shows
      expect(r.flagged[0]).toBe(planted);
    }
  });

  it('on honest candidates, flags fewer pairs than alpha allows', () => {
    const alpha = 0.001;
    let pairs = 0;
    let flagged = 0;
    for (let rep = 0; rep < 5; rep++) {
      const r = analyseSimilarity(similarityInput(simulateSitting({ ...base, seed: `honest-${rep}` })), { alpha });
      pairs += r.pairsTested;
      flagged += r.flagged.length;
    }
    // 5 x 10 rooms x C(30, 2) = 21,750 pairs: alpha allows about 22 false flags
    expect(pairs).toBe(21_750);
    expect(flagged / pairs).toBeLessThan(alpha);
  });
});
