import type { ExamTemplate, ScoringRule, ThresholdSet } from '../contract/exam.js';
import type { Question } from '../contract/question.js';
import type { PaperItem } from './deal.js';

export type SectionScores = Record<string, number>;

/** Points for one question given the bank index of the chosen option (null = blank). */
export function scoreChoice(question: Question, rule: ScoringRule, optionIndex: number | null): number {
  if (optionIndex === null) return rule.blank;
  if (rule.kind === 'keyed') return optionIndex === question.key ? rule.correct : rule.wrong;
  return question.weights?.[optionIndex] ?? 0;
}

/** Highest points one question can give under a rule. */
export function maxPoints(question: Question, rule: ScoringRule): number {
  if (rule.kind === 'keyed') return Math.max(rule.correct, rule.wrong, rule.blank);
  return Math.max(rule.blank, ...(question.weights ?? [0]));
}

/** Bank index of the option shown at position `shown`, or null for a blank. */
export function toBankIndex(item: PaperItem, shown: number | null): number | null {
  return shown === null ? null : item.optionOrder[shown];
}

export function emptyScores(template: ExamTemplate): SectionScores {
  return Object.fromEntries(template.sections.map((s) => [s.id, 0]));
}

/**
 * Section scores of a paper from the final choice on each item (shown positions). Items with
 * no entry are blank, which keyed rules with negative blank marks must still count.
 */
export function scorePaper(
  template: ExamTemplate,
  items: readonly PaperItem[],
  questions: ReadonlyMap<string, Question>,
  choices: ReadonlyMap<number, number | null>,
): SectionScores {
  const rules = new Map(template.sections.map((s) => [s.id, s.scoring]));
  const scores = emptyScores(template);
  items.forEach((item, i) => {
    const q = questions.get(item.questionId);
    const rule = rules.get(item.section);
    if (!q || !rule) throw new Error(`paper item ${i + 1} refers to ${item.questionId} in ${item.section}, which is not loaded`);
    scores[item.section] += scoreChoice(q, rule, toBankIndex(item, choices.get(i) ?? null));
  });
  return scores;
}

export function sectionMaximums(template: ExamTemplate, items: readonly PaperItem[], questions: ReadonlyMap<string, Question>): SectionScores {
  const rules = new Map(template.sections.map((s) => [s.id, s.scoring]));
  const max = emptyScores(template);
  for (const item of items) max[item.section] += maxPoints(questions.get(item.questionId)!, rules.get(item.section)!);
  return max;
}

export interface ThresholdFailure {
  /** a section id, or "total" */
  on: string;
  required: number;
  actual: number;
}

export interface Evaluation {
  sections: SectionScores;
  total: number;
  thresholdSet: string;
  passed: boolean;
  failures: ThresholdFailure[];
}

export function thresholdSetFor(template: ExamTemplate, group: string | null | undefined): ThresholdSet {
  const id = (group && template.groups[group]) || template.defaultThresholdSet;
  const set = template.thresholdSets.find((s) => s.id === id);
  if (!set) throw new Error(`template ${template.id} has no threshold set ${id}`);
  return set;
}

/** Pass or fail under the threshold set of the candidate's group: every minimum must be met. */
export function evaluate(template: ExamTemplate, sections: SectionScores, group?: string | null): Evaluation {
  const set = thresholdSetFor(template, group);
  const total = template.sections.reduce((sum, s) => sum + (sections[s.id] ?? 0), 0);
  const failures: ThresholdFailure[] = [];
  for (const [section, min] of Object.entries(set.sectionMinimums)) {
    const actual = sections[section] ?? 0;
    if (actual < min) failures.push({ on: section, required: min, actual });
  }
  if (set.totalMinimum !== undefined && total < set.totalMinimum) failures.push({ on: 'total', required: set.totalMinimum, actual: total });
  return { sections: { ...sections }, total, thresholdSet: set.id, passed: failures.length === 0, failures };
}
