import { describe, expect, it } from 'vitest';
import { integrate, rankAll, rankFormation, type RankEntry } from '../../server/src/domain/ranking.js';

const e = (id: string, TWK: number, TIU: number, TKP: number, passed = true, formation = 'F'): RankEntry => ({ id, formation, sections: { TWK, TIU, TKP }, total: TWK + TIU + TKP, passed });
const TB = ['TKP', 'TIU', 'TWK'];

describe('ranking', () => {
  it('orders by total, then TKP, then TIU, then TWK', () => {
    const ranked = rankFormation([e('a', 100, 100, 200), e('b', 90, 110, 200), e('c', 80, 100, 220), e('d', 120, 130, 200)], TB, 10);
    expect(ranked.map((r) => [r.entry.id, r.rank])).toEqual([['d', 1], ['c', 2], ['b', 3], ['a', 4]]);
  });
  it('gives equal ranks to full ties and skips after them', () => {
    const ranked = rankFormation([e('a', 100, 100, 200), e('b', 100, 100, 200), e('c', 90, 100, 200)], TB, 10);
    expect(ranked.map((r) => r.rank)).toEqual([1, 1, 3]);
  });
  it('puts failed candidates after passers, unranked and never advancing', () => {
    const ranked = rankFormation([e('fail', 150, 175, 225, false), e('p', 65, 80, 166)], TB, 1);
    expect(ranked.map((r) => [r.entry.id, r.rank, r.advances])).toEqual([['p', 1, true], ['fail', null, false]]);
  });
  it('quota 3x vacancies; everyone tied at the cut-off goes on', () => {
    // 1 vacancy -> 3 places; ranks 3,3,3 tie at the cut-off
    const list = [e('a', 100, 100, 250), e('b', 100, 100, 240), e('c', 100, 100, 230), e('d', 100, 100, 230), e('e', 100, 100, 230), e('f', 100, 100, 220)];
    const ranked = rankFormation(list, TB, 1);
    expect(ranked.map((r) => [r.entry.id, r.rank, r.advances])).toEqual([
      ['a', 1, true], ['b', 2, true], ['c', 3, true], ['d', 3, true], ['e', 3, true], ['f', 6, false],
    ]);
    // same total but the tie-break separates: no tie at the cut-off
    const split = rankFormation([e('a', 100, 100, 250), e('b', 100, 100, 240), e('c', 100, 100, 230), e('d', 101, 99, 230)], TB, 1);
    expect(split.map((r) => [r.entry.id, r.advances])).toEqual([['a', true], ['b', true], ['c', true], ['d', false]]);
  });
  it('a configurable tie-break order changes the result', () => {
    const list = [e('x', 100, 120, 200), e('y', 120, 100, 200)];
    expect(rankFormation(list, ['TKP', 'TIU', 'TWK'], 1).map((r) => r.entry.id)).toEqual(['x', 'y']);
    expect(rankFormation(list, ['TWK'], 1).map((r) => r.entry.id)).toEqual(['y', 'x']);
  });
  it('ranks each formation separately with its vacancies', () => {
    const byF = rankAll([e('a', 100, 100, 200, true, 'F1'), e('b', 100, 100, 210, true, 'F2'), e('c', 100, 100, 190, true, 'F1')], TB, { F1: 1, F2: 2 });
    expect(byF.get('F1')!.map((r) => [r.entry.id, r.rank])).toEqual([['a', 1], ['c', 2]]);
    expect(byF.get('F2')!.map((r) => [r.entry.id, r.rank])).toEqual([['b', 1]]);
  });
});

describe('SKD/SKB integration', () => {
  it('normalises each stage to 100 and weights 40/60', () => {
    expect(integrate({ score: 440, max: 550 }, { score: 80, max: 100 })).toBe(80); // 0.4*80 + 0.6*80
    expect(integrate({ score: 550, max: 550 }, { score: 0, max: 100 })).toBe(40);
    expect(integrate({ score: 275, max: 550 }, { score: 450, max: 500 })).toBe(74); // 0.4*50 + 0.6*90
    expect(integrate({ score: 550, max: 550 }, { score: 0, max: 100 }, { firstStageWeight: 0.5, secondStageWeight: 0.5 })).toBe(50);
  });
});
