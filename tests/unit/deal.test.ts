import { describe, expect, it } from 'vitest';
import { deal, dealPaper, prepareDeal } from '../../server/src/domain/deal.js';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { KacaError } from '../../server/src/domain/errors.js';
import { createRng } from '../../server/src/domain/rng.js';
import { smallTemplate, syntheticBank } from '../helpers/bank.js';

const skdBank = syntheticBank([
  { section: 'TWK', topics: ['pancasila', 'uud', 'nkri'], perStratum: 30 },
  { section: 'TIU', topics: ['verbal', 'numerik', 'figural'], perStratum: 12, difficulties: ['easy', 'medium', 'hard'] },
  { section: 'TKP', topics: ['pelayanan', 'jejaring', 'sosbud', 'tik', 'profesional'], perStratum: 27, weighted: true },
]);

describe('seeded dealing', () => {
  it('pins the exact stream of the generator (golden seed)', () => {
    const rng = createRng('golden');
    expect([rng(), rng(), rng()]).toEqual(GOLDEN_RNG);
  });

  it('deals the exact same paper for a fixed seed (golden paper)', () => {
    const bank = syntheticBank([
      { section: 'A', topics: ['t1', 't2'], perStratum: 4 },
      { section: 'B', topics: ['w'], perStratum: 5, weighted: true },
    ]);
    const paper = deal(bank, smallTemplate(), 'sitting-seed-1', '2400001');
    expect(paper.items.map((i) => `${i.questionId}:${i.optionOrder.join('')}`)).toEqual(GOLDEN_PAPER);
  });

  it('is deterministic and independent of bank order', () => {
    const a = deal(skdBank, SKD_TEMPLATE, 'seed', 'cand-1');
    const b = deal([...skdBank].reverse(), SKD_TEMPLATE, 'seed', 'cand-1');
    expect(b).toEqual(a);
    const c = deal(skdBank, SKD_TEMPLATE, 'seed', 'cand-2');
    expect(c.items.map((i) => i.questionId)).not.toEqual(a.items.map((i) => i.questionId));
    const d = deal(skdBank, SKD_TEMPLATE, 'other-seed', 'cand-1');
    expect(d.items.map((i) => i.questionId)).not.toEqual(a.items.map((i) => i.questionId));
  });

  it('fills each section in template order with the right counts and no duplicates', () => {
    const paper = deal(skdBank, SKD_TEMPLATE, 'seed', 'x');
    expect(paper.items).toHaveLength(110);
    expect(paper.items.slice(0, 30).every((i) => i.section === 'TWK')).toBe(true);
    expect(paper.items.slice(30, 65).every((i) => i.section === 'TIU')).toBe(true);
    expect(paper.items.slice(65).every((i) => i.section === 'TKP')).toBe(true);
    expect(new Set(paper.items.map((i) => i.questionId)).size).toBe(110);
  });

  it('over thousands of candidates: no duplicates, exact strata shares and near-uniform selection', () => {
    const plan = prepareDeal(skdBank, SKD_TEMPLATE);
    const byId = new Map(skdBank.map((q) => [q.id, q]));
    const counts = new Map<string, number>(skdBank.map((q) => [q.id, 0]));
    const N = 3000;
    for (let c = 0; c < N; c++) {
      const paper = dealPaper(plan, 'uniformity', `C${c}`);
      const ids = paper.items.map((i) => i.questionId);
      expect(new Set(ids).size).toBe(ids.length);
      // TWK: 30 from 3 topics of 30 each -> exactly 10 per topic, every paper
      const twkTopics = new Map<string, number>();
      for (const it of paper.items.filter((i) => i.section === 'TWK')) {
        const t = byId.get(it.questionId)!.topic;
        twkTopics.set(t, (twkTopics.get(t) ?? 0) + 1);
      }
      expect([...twkTopics.values()]).toEqual([10, 10, 10]);
      // TIU: 35 from 9 strata of 12 -> each stratum gives 3 or 4
      const tiu = new Map<string, number>();
      for (const it of paper.items.filter((i) => i.section === 'TIU')) {
        const q = byId.get(it.questionId)!;
        tiu.set(`${q.topic}/${q.difficulty}`, (tiu.get(`${q.topic}/${q.difficulty}`) ?? 0) + 1);
      }
      for (const n of tiu.values()) expect(n === 3 || n === 4).toBe(true);
      for (const id of ids) counts.set(id, counts.get(id)! + 1);
    }
    // Each question's inclusion probability is count/size of its section.
    for (const [section, count, size] of [['TWK', 30, 90], ['TIU', 35, 108], ['TKP', 45, 135]] as const) {
      const expected = (N * count) / size;
      const sd = Math.sqrt(N * (count / size) * (1 - count / size));
      for (const q of skdBank.filter((x) => x.section === section)) {
        expect(Math.abs(counts.get(q.id)! - expected)).toBeLessThan(5 * sd);
      }
      const mean = skdBank.filter((x) => x.section === section).reduce((s, q) => s + counts.get(q.id)!, 0) / size;
      expect(mean).toBeCloseTo(expected, 6);
    }
  });

  it('shuffles options per candidate and keeps the key mapping', () => {
    const orders = new Set<string>();
    for (let c = 0; c < 200; c++) {
      const paper = deal(skdBank, SKD_TEMPLATE, 'opts', `C${c}`);
      for (const it of paper.items) {
        expect([...it.optionOrder].sort()).toEqual([0, 1, 2, 3, 4]);
        const q = skdBank.find((x) => x.id === it.questionId)!;
        if (q.key !== undefined) {
          const shown = it.optionOrder.indexOf(q.key);
          expect(q.options[it.optionOrder[shown]]).toBe(q.options[q.key]);
        }
        orders.add(it.optionOrder.join(''));
      }
    }
    expect(orders.size).toBe(120); // all 5! orders occur
  });

  it('names the section and the shortfall when the bank is too small', () => {
    const small = skdBank.filter((q) => q.section !== 'TIU' || (q.topic === 'verbal' && q.difficulty === 'easy'));
    try {
      prepareDeal(small, SKD_TEMPLATE);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KacaError);
      expect((e as KacaError).code).toBe('BANK_TOO_SMALL');
      expect((e as KacaError).message).toContain('section TIU needs 35 questions but the bank has 12 (short by 23)');
      expect((e as KacaError).message).not.toContain('TWK');
    }
  });
});

const GOLDEN_RNG = [0.2551099988631904, 0.18230165145359933, 0.45072002662345767];
const GOLDEN_PAPER = [
  'A-t1-x-003:02431',
  'A-t2-x-001:24031',
  'A-t2-x-000:20413',
  'A-t1-x-001:40132',
  'B-w-x-001:03142',
  'B-w-x-004:03214',
  'B-w-x-002:13204',
];
