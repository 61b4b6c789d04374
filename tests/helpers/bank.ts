import type { Question } from '../../server/src/contract/question.js';
import type { ExamTemplate } from '../../server/src/contract/exam.js';
import { ExamTemplateSchema } from '../../server/src/contract/exam.js';

/** A synthetic bank: for each section, topics x difficulties x perStratum questions. */
export function syntheticBank(spec: { section: string; topics: string[]; perStratum: number; weighted?: boolean; difficulties?: ('easy' | 'medium' | 'hard')[] }[]): Question[] {
  const out: Question[] = [];
  for (const s of spec) {
    for (const topic of s.topics) {
      for (const difficulty of s.difficulties ?? [undefined]) {
        for (let i = 0; i < s.perStratum; i++) {
          const id = `${s.section}-${topic}-${difficulty ?? 'x'}-${String(i).padStart(3, '0')}`;
          out.push({
            id,
            section: s.section,
            topic,
            ...(difficulty ? { difficulty } : {}),
            stem: `<p>${id}</p>`,
            options: ['a', 'b', 'c', 'd', 'e'].map((o) => `${id}-${o}`),
            ...(s.weighted ? { weights: [1, 2, 3, 4, 5].map((w) => ((w + i) % 5) + 1) } : { key: i % 5 }),
          });
        }
      }
    }
  }
  return out;
}

export function smallTemplate(overrides: Partial<ExamTemplate> = {}): ExamTemplate {
  return ExamTemplateSchema.parse({
    id: 'mini',
    name: 'Mini',
    durationMinutes: 10,
    sections: [
      { id: 'A', title: 'Keyed', questionCount: 4, scoring: { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } },
      { id: 'B', title: 'Weighted', questionCount: 3, scoring: { kind: 'weighted', blank: 0 } },
    ],
    thresholdSets: [{ id: 'umum', name: 'Umum', sectionMinimums: { A: 10 } }],
    defaultThresholdSet: 'umum',
    tieBreak: ['B', 'A'],
    ...overrides,
  });
}
