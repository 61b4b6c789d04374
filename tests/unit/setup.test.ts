import { describe, expect, it } from 'vitest';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { buildCatalog } from '../../server/src/domain/catalog.js';
import { dealPaper } from '../../server/src/domain/deal.js';
import { KacaError } from '../../server/src/domain/errors.js';
import { assertSittingEditable, assertTemplateEditable, checkRetire, rosterGroupProblems } from '../../server/src/domain/setup.js';
import { smallTemplate, syntheticBank } from '../helpers/bank.js';

const refusal = (f: () => void) => {
  try {
    f();
  } catch (e) {
    if (e instanceof KacaError) return { code: e.code, message: e.message };
    throw e;
  }
  return null;
};

const template = smallTemplate();
// section A needs 4 per paper and has 6; B needs 3 and has 4
const bank = syntheticBank([
  { section: 'A', topics: ['t1'], perStratum: 6 },
  { section: 'B', topics: ['w1'], perStratum: 4, weighted: true },
]);

describe('what may change once it exists', () => {
  it('changes a sitting only while it is scheduled', () => {
    expect(refusal(() => assertSittingEditable({ id: 's1', status: 'scheduled' }))).toBeNull();
    for (const status of ['open', 'running', 'closed'] as const) {
      expect(refusal(() => assertSittingEditable({ id: 's1', status }))).toEqual({ code: 'INVALID_STATE', message: `sitting s1 is ${status}: a sitting can be changed only before it opens` });
    }
  });

  it('never changes a built-in template, nor one a sitting uses', () => {
    expect(refusal(() => assertTemplateEditable('mine', false, []))).toBeNull();
    expect(refusal(() => assertTemplateEditable('skd', true, []))).toEqual({ code: 'INVALID_STATE', message: 'template skd is built in and cannot be changed: save a copy under a new id' });
    expect(refusal(() => assertTemplateEditable('mine', false, ['s1', 's2']))).toEqual({ code: 'INVALID_STATE', message: 'template mine is used by sittings s1, s2: save a copy under a new id' });
  });

  it('retires questions only while no sitting deals from the bank, and never below what a scheduled sitting needs', () => {
    const users = (status: 'scheduled' | 'open' | 'running' | 'closed') => [{ id: 's1', status, template }];
    const without = (...ids: string[]) => bank.filter((q) => !ids.includes(q.id));
    const a = bank.filter((q) => q.section === 'A').map((q) => q.id);
    expect(refusal(() => checkRetire('b1', users('scheduled'), without(a[0], a[1])))).toBeNull();
    expect(refusal(() => checkRetire('b1', users('closed'), without(...a)))).toBeNull();
    expect(refusal(() => checkRetire('b1', users('open'), without(a[0])))).toEqual({ code: 'INVALID_STATE', message: 'bank b1 is in use by sitting s1 (open): retire questions before a sitting opens or after it closes' });
    expect(refusal(() => checkRetire('b1', users('running'), without(a[0])))?.code).toBe('INVALID_STATE');
    expect(refusal(() => checkRetire('b1', users('scheduled'), without(a[0], a[1], a[2])))).toEqual({
      code: 'BANK_TOO_SMALL',
      message: 'sitting s1 could no longer be dealt: the bank cannot fill the template: section A needs 4 questions but the bank has 3 (short by 1)',
    });
  });

  it('deals no retired question, and still scores papers that hold one', () => {
    const retired = new Set(bank.filter((q) => q.section === 'A').slice(0, 2).map((q) => q.id));
    const catalog = buildCatalog(template, bank, retired);
    for (let i = 0; i < 50; i++) {
      const ids = dealPaper(catalog.plan, 'seed', `R${i}`).items.map((x) => x.questionId);
      expect(ids.filter((id) => retired.has(id))).toEqual([]);
    }
    for (const id of retired) expect(catalog.questions.get(id)).toBeDefined();
  });

  it('names each candidate whose group a new template does not know', () => {
    expect(rosterGroupProblems(SKD_TEMPLATE, [{ registrationNumber: '1', group: 'papua' }, { registrationNumber: '2', group: 'x' }])).toEqual([
      'candidate 2: group "x" is not in template skd: use one of umum, cumlaude, diaspora, disabilitas, papua, daerah-tertinggal, cumlaude-diaspora, khusus-2024 (or leave it empty for umum)',
    ]);
  });
});
