import { describe, expect, it } from 'vitest';
import { rankAll, rankBoard, rankFormation, type RankEntry } from '../../server/src/domain/ranking.js';
import { rankedRows } from '../../server/src/domain/public-view.js';
import type { ScoreRow } from '../../server/src/contract/scoreboard.js';
import { SavedTemplateSchema, SKD_TEMPLATE } from '../../server/src/contract/exam.js';

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
  it('a formation named like a property every object has gets the default vacancy, not that property', () => {
    // with `vacancies[formation] ?? 1` this formation's quota was NaN and the results route failed
    const byF = rankAll([e('a', 100, 100, 200, true, 'constructor'), e('b', 100, 100, 190, true, 'constructor'), e('c', 100, 100, 180, true, 'toString')], TB, {});
    expect(byF.get('constructor')!.map((r) => [r.entry.id, r.advances])).toEqual([['a', true], ['b', true]]);
    expect(byF.get('toString')!.map((r) => [r.entry.id, r.advances])).toEqual([['c', true]]);
    expect(rankAll([e('a', 100, 100, 200, true, 'constructor'), e('b', 100, 100, 190, true, 'constructor')], TB, { constructor: 0 }, 1).get('constructor')!.map((r) => r.advances)).toEqual([false, false]);
  });
  it('an id that would read an object property is refused in a template being saved', () => {
    const r = SavedTemplateSchema.safeParse({ ...SKD_TEMPLATE, thresholdSets: [...SKD_TEMPLATE.thresholdSets, { id: 'toString', name: 'x', sectionMinimums: {} }], groups: { ...SKD_TEMPLATE.groups, constructor: 'umum' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'thresholdSets.3.id: toString is a reserved name (a property every object has): choose another',
      'groups.constructor: constructor is a reserved name (a property every object has): choose another',
    ]);
    expect(SavedTemplateSchema.safeParse(SKD_TEMPLATE).success).toBe(true);
  });
});

describe('the public board', () => {
  const row = (id: number, formation: string, total: number, tkp: number, ranked = true) => ({ id, formation, sections: { TKP: tkp, TIU: 0, TWK: total - tkp }, total, ranked, key: `R${id}` });
  it('ranks within each formation by total then the tie-break, terminated unranked, in display order', () => {
    const out = rankBoard([row(1, 'F1', 300, 150), row(2, 'F2', 400, 100), row(3, 'F1', 300, 160), row(4, 'F1', 500, 100, false), row(5, 'F1', 300, 160), row(6, 'F1', 100, 50)], TB);
    expect(out.map((r) => [r.entry.id, r.rank])).toEqual([
      [3, 1],
      [5, 1],
      [1, 3],
      [6, 4],
      [4, null],
      [2, 1],
    ]);
  });

  it('ranks passers only, as the results do: a finished candidate who failed, a terminated one and a hidden score are unranked', () => {
    const r = (id: number, total: number | null, passed: boolean | null, status: ScoreRow['status']): ScoreRow => ({
      id,
      registrationNumber: `R${id}`,
      name: 'X',
      formation: 'F1',
      sections: total === null ? null : { TWK: 0, TIU: 0, TKP: total },
      total,
      passed,
      thresholdSet: 'umum',
      answered: 110,
      itemCount: 110,
      status,
    });
    const out = rankedRows([r(1, 200, false, 'finished'), r(2, 480, true, 'finished'), r(3, 520, false, 'terminated'), r(4, null, null, 'in_progress'), r(5, 450, true, 'finished'), r(6, 300, true, 'in_progress')], TB);
    expect(out.map((x) => [x.id, x.rank])).toEqual([
      [2, 1],
      [5, 2],
      [6, 3],
      [1, null],
      [3, null],
      [4, null],
    ]);
    // the final board ranks exactly whom the results rank
    const results = rankFormation(out.filter((x) => x.status === 'finished').map((x) => ({ id: x.id, formation: x.formation, sections: x.sections!, total: x.total!, passed: x.passed! })), TB, 10);
    expect(results.map((x) => [x.entry.id, x.rank])).toEqual([
      [2, 1],
      [5, 2],
      [1, null],
    ]);

    // the next push: the same row objects for whoever did not change, a new row for candidate 6
    // who overtakes everyone; ranks move for the others though their rows did not change
    const rows = [r(1, 200, false, 'finished'), r(2, 480, true, 'finished'), r(5, 450, true, 'finished'), r(6, 300, true, 'in_progress')];
    const first = rankedRows(rows, TB);
    const second = rankedRows([rows[0], rows[1], rows[2], r(6, 600, true, 'in_progress')], TB);
    expect(second.map((x) => [x.id, x.rank, x.total])).toEqual([
      [6, 1, 600],
      [2, 2, 480],
      [5, 3, 450],
      [1, null, 200],
    ]);
    // a row whose rank stayed is the very same object; one whose rank moved is a new one
    expect(second.find((x) => x.id === 1)).toBe(first.find((x) => x.id === 1));
    expect(second.find((x) => x.id === 2)).not.toBe(first.find((x) => x.id === 2));
    expect(first.map((x) => [x.id, x.rank])).toEqual([
      [2, 1],
      [5, 2],
      [6, 3],
      [1, null],
    ]);
  });
});
