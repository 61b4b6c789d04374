import { describe, expect, it } from 'vitest';
import { LivePaper } from '../../server/src/domain/paper.js';
import { evaluate, scoreChoice, scorePaper, sectionMaximums, thresholdSetFor } from '../../server/src/domain/scoring.js';
import { SKD_TEMPLATE, ExamTemplateSchema } from '../../server/src/contract/exam.js';
import type { Question } from '../../server/src/contract/question.js';
import { deal } from '../../server/src/domain/deal.js';
import { syntheticBank } from '../helpers/bank.js';

const keyed: Question = { id: 'k', section: 'TWK', topic: 't', stem: 's', options: ['a', 'b', 'c', 'd', 'e'], key: 2 };
const weighted: Question = { id: 'w', section: 'TKP', topic: 't', stem: 's', options: ['a', 'b', 'c', 'd', 'e'], weights: [3, 5, 1, 2, 4] };

describe('scoring rules', () => {
  it('keyed 5/0/0: correct, wrong and blank', () => {
    const rule = { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } as const;
    expect(scoreChoice(keyed, rule, 2)).toBe(5);
    expect(scoreChoice(keyed, rule, 0)).toBe(0);
    expect(scoreChoice(keyed, rule, null)).toBe(0);
  });
  it('keyed with negative marking: wrong costs, blank does not', () => {
    const rule = { kind: 'keyed', correct: 4, wrong: -1, blank: 0 } as const;
    expect(scoreChoice(keyed, rule, 2)).toBe(4);
    expect(scoreChoice(keyed, rule, 4)).toBe(-1);
    expect(scoreChoice(keyed, rule, null)).toBe(0);
  });
  it('weighted: each option its weight, blank the rule blank', () => {
    const rule = { kind: 'weighted', blank: 0 } as const;
    expect([0, 1, 2, 3, 4].map((i) => scoreChoice(weighted, rule, i))).toEqual([3, 5, 1, 2, 4]);
    expect(scoreChoice(weighted, rule, null)).toBe(0);
  });
  it('scores a paper through the candidate option shuffle', () => {
    const bank = syntheticBank([
      { section: 'TWK', topics: ['a'], perStratum: 40 },
      { section: 'TIU', topics: ['a'], perStratum: 40 },
      { section: 'TKP', topics: ['a'], perStratum: 50, weighted: true },
    ]);
    const questions = new Map(bank.map((q) => [q.id, q]));
    const paper = deal(bank, SKD_TEMPLATE, 's', 'c');
    // choose the shown position of the key (keyed) or of weight 5 (weighted) everywhere
    const best = new Map(paper.items.map((it, i) => {
      const q = questions.get(it.questionId)!;
      const bankIdx = q.key ?? q.weights!.indexOf(5);
      return [i, it.optionOrder.indexOf(bankIdx)] as const;
    }));
    expect(scorePaper(SKD_TEMPLATE, paper.items, questions, best)).toEqual({ TWK: 150, TIU: 175, TKP: 225 });
    expect(sectionMaximums(SKD_TEMPLATE, LivePaper.from(paper.items, questions))).toEqual({ TWK: 150, TIU: 175, TKP: 225 });
    expect(scorePaper(SKD_TEMPLATE, paper.items, questions, new Map())).toEqual({ TWK: 0, TIU: 0, TKP: 0 });
  });
});

describe('threshold sets', () => {
  it('general set: every section must meet its minimum', () => {
    expect(evaluate(SKD_TEMPLATE, { TWK: 65, TIU: 80, TKP: 166 }).passed).toBe(true);
    const r = evaluate(SKD_TEMPLATE, { TWK: 150, TIU: 75, TKP: 225 });
    expect(r.passed).toBe(false);
    expect(r.total).toBe(450);
    expect(r.failures).toEqual([{ on: 'TIU', required: 80, actual: 75 }]);
  });
  it('a 2024 special-group candidate passes on total and TIU while failing the general set', () => {
    const scores = { TWK: 60, TIU: 65, TKP: 170 }; // total 295, TWK under 65
    expect(evaluate(SKD_TEMPLATE, scores, 'umum').passed).toBe(false);
    const special = evaluate(SKD_TEMPLATE, scores, 'disabilitas');
    expect(special.thresholdSet).toBe('khusus-2024');
    expect(special.passed).toBe(true);
    expect(evaluate(SKD_TEMPLATE, { TWK: 60, TIU: 55, TKP: 200 }, 'papua').failures).toEqual([{ on: 'TIU', required: 60, actual: 55 }]);
    expect(evaluate(SKD_TEMPLATE, { TWK: 50, TIU: 60, TKP: 170 }, 'papua').failures).toEqual([{ on: 'total', required: 286, actual: 280 }]);
  });
  it('cum laude / diaspora: total >= 311 and TIU >= 85', () => {
    expect(evaluate(SKD_TEMPLATE, { TWK: 60, TIU: 85, TKP: 166 }, 'cumlaude').passed).toBe(true);
    expect(evaluate(SKD_TEMPLATE, { TWK: 60, TIU: 85, TKP: 165 }, 'diaspora').passed).toBe(false);
  });
  it('unknown groups fall back to the default set', () => {
    expect(thresholdSetFor(SKD_TEMPLATE, 'no-such-group').id).toBe('umum');
  });
  it('the shipped SKD template is as in DOMAIN.md', () => {
    expect(SKD_TEMPLATE.sections.map((s) => [s.id, s.questionCount])).toEqual([['TWK', 30], ['TIU', 35], ['TKP', 45]]);
    expect(SKD_TEMPLATE.durationMinutes).toBe(100);
    expect(SKD_TEMPLATE.tieBreak).toEqual(['TKP', 'TIU', 'TWK']);
  });
  it('rejects templates that refer to unknown sections or sets', () => {
    const bad = ExamTemplateSchema.safeParse({ ...SKD_TEMPLATE, tieBreak: ['XYZ'], defaultThresholdSet: 'nope' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['tieBreak.0', 'defaultThresholdSet']));
  });
});
