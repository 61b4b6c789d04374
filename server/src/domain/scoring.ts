import type { ExamTemplate, ScoringRule, ThresholdSet } from '../contract/exam.js';
import type { Question } from '../contract/question.js';
import type { PaperItem } from './deal.js';
import { LivePaper } from './paper.js';

export type SectionScores = Record<string, number>;

/** Points for one question given the bank index of the chosen option (null = blank): the only scoring rule. */
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

function emptyScores(template: ExamTemplate): SectionScores {
  return Object.fromEntries(template.sections.map((s) => [s.id, 0]));
}

export type SectionRules = ReadonlyMap<string, ScoringRule>;

export function sectionRules(template: ExamTemplate): SectionRules {
  return new Map(template.sections.map((s) => [s.id, s.scoring]));
}

/** Points of item i of a paper for the option shown at position `shown` (-1 or null = blank). */
export function scoreItem(paper: LivePaper, rules: SectionRules, i: number, shown: number | null): number {
  const q = paper.questions[i];
  return scoreChoice(q, rules.get(q.section)!, shown === null || shown < 0 ? null : paper.bankIndex(i, shown));
}

/**
 * Section scores of a paper from the choice shown on each item (-1 = blank). Live scores after
 * every answer and the final result are both this sum: there is no second way to score. Blank
 * items count too (a keyed rule may mark blanks).
 */
export function scoreSheet(template: ExamTemplate, paper: LivePaper, rules: SectionRules, answers: { get(i: number): number }): SectionScores {
  const scores = emptyScores(template);
  for (let i = 0; i < paper.length; i++) scores[paper.questions[i].section] += scoreItem(paper, rules, i, answers.get(i));
  return scores;
}

/** scoreSheet for a stored paper and its final choices by item position (audits and tests). */
export function scorePaper(template: ExamTemplate, items: readonly PaperItem[], questions: ReadonlyMap<string, Question>, choices: ReadonlyMap<number, number | null>): SectionScores {
  return scoreSheet(template, LivePaper.from(items, questions), sectionRules(template), { get: (i) => choices.get(i) ?? -1 });
}

export function sectionMaximums(template: ExamTemplate, paper: LivePaper): SectionScores {
  const rules = sectionRules(template);
  const max = emptyScores(template);
  for (const q of paper.questions) max[q.section] += maxPoints(q, rules.get(q.section)!);
  return max;
}

interface ThresholdFailure {
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

/**
 * The threshold set of a candidate's group: the template's `groups` entry, else the set named
 * like the group (domain/groups.ts: a roster may name a set directly). Rosters refuse other groups;
 * the default only covers rows stored before that check.
 */
export function thresholdSetFor(template: ExamTemplate, group: string | null | undefined): ThresholdSet {
  const named = group ? (Object.hasOwn(template.groups, group) ? template.groups[group] : template.thresholdSets.some((s) => s.id === group) ? group : undefined) : undefined;
  const id = named ?? template.defaultThresholdSet;
  const set = template.thresholdSets.find((s) => s.id === id);
  if (!set) throw new Error(`template ${template.id} has no threshold set ${id}`);
  return set;
}

export function totalOf(sections: SectionScores): number {
  let total = 0;
  for (const k in sections) total += sections[k];
  return total;
}

/**
 * Pass or fail under the threshold set of the candidate's group: every minimum must be met. A
 * terminated attempt (disqualified) never passes, whatever it scored: this is the only place
 * that says so.
 */
export function evaluate(template: ExamTemplate, sections: SectionScores, group?: string | null, endReason?: string | null): Evaluation {
  const set = thresholdSetFor(template, group);
  const total = template.sections.reduce((sum, s) => sum + (sections[s.id] ?? 0), 0);
  const failures: ThresholdFailure[] = [];
  for (const [section, min] of Object.entries(set.sectionMinimums)) {
    const actual = sections[section] ?? 0;
    if (actual < min) failures.push({ on: section, required: min, actual });
  }
  if (set.totalMinimum !== undefined && total < set.totalMinimum) failures.push({ on: 'total', required: set.totalMinimum, actual: total });
  return { sections: { ...sections }, total, thresholdSet: set.id, passed: failures.length === 0 && endReason !== 'terminated', failures };
}
