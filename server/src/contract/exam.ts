import { z } from 'zod';
import { labelProblem } from './label.js';

/** Ids of sections, threshold sets and groups: short, URL- and CSV-safe. */
export const SlugSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1-64 characters A-Z a-z 0-9 . _ - (starting with a letter or digit)');

export const KeyedScoringSchema = z.object({
  kind: z.literal('keyed'),
  correct: z.number(),
  wrong: z.number(),
  blank: z.number(),
});
export const WeightedScoringSchema = z.object({
  kind: z.literal('weighted'),
  // Weights come from each question; a blank answer scores this.
  blank: z.number().default(0),
  /**
   * When given, every question's weights must be an ordering of exactly these values (SKD TKP:
   * 1..5, each once), so every question has the same maximum and the section's maximum is fixed.
   */
  weightSet: z.array(z.number().int().min(-100).max(100)).min(2).max(6).optional(),
});
export const ScoringRuleSchema = z.discriminatedUnion('kind', [KeyedScoringSchema, WeightedScoringSchema]);
export type ScoringRule = z.infer<typeof ScoringRuleSchema>;

export const SectionSchema = z.object({
  id: SlugSchema,
  title: z.string().min(1),
  questionCount: z.number().int().positive(),
  /** When given, every question of the section must have exactly this many options. */
  optionCount: z.number().int().min(2).max(6).optional(),
  scoring: ScoringRuleSchema,
});
export type Section = z.infer<typeof SectionSchema>;

/** A conjunction: every listed section minimum and the total minimum must be met. */
export const ThresholdSetSchema = z.object({
  id: SlugSchema,
  name: z.string().min(1),
  sectionMinimums: z.record(z.string(), z.number()).default({}),
  totalMinimum: z.number().optional(),
});
export type ThresholdSet = z.infer<typeof ThresholdSetSchema>;

export const IntegrationSchema = z.object({
  firstStageWeight: z.number().min(0).max(1),
  secondStageWeight: z.number().min(0).max(1),
});

/** The most a section can score: every question at its best; unknown for weights without a set. */
function maxSectionScore(s: Section): number | null {
  if (s.scoring.kind === 'keyed') return s.questionCount * Math.max(s.scoring.correct, s.scoring.wrong, s.scoring.blank);
  const set = s.scoring.weightSet;
  return set ? s.questionCount * Math.max(...set, s.scoring.blank) : null;
}

export const ExamTemplateSchema = z
  .object({
    id: SlugSchema,
    name: z.string().min(1),
    durationMinutes: z.number().positive(),
    sections: z.array(SectionSchema).min(1),
    thresholdSets: z.array(ThresholdSetSchema).min(1),
    /** candidate group -> threshold set id; groups not listed use defaultThresholdSet */
    groups: z.record(z.string(), SlugSchema).default({}),
    defaultThresholdSet: SlugSchema,
    /** section ids compared in order when totals tie */
    tieBreak: z.array(SlugSchema).default([]),
    /** candidates going on to the next stage = vacancies x this */
    nextStageMultiplier: z.number().positive().default(3),
    integration: IntegrationSchema.default({ firstStageWeight: 0.4, secondStageWeight: 0.6 }),
  })
  .superRefine((t, ctx) => {
    const sectionIds = new Set<string>();
    t.sections.forEach((s, i) => {
      if (sectionIds.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sections', i, 'id'], message: `duplicate section id ${s.id}` });
      sectionIds.add(s.id);
      const set = s.scoring.kind === 'weighted' ? s.scoring.weightSet : undefined;
      if (set && s.optionCount !== undefined && set.length !== s.optionCount) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'scoring', 'weightSet'], message: `${set.length} weights in the set but ${s.optionCount} options per question` });
      }
    });
    const setIds = new Set(t.thresholdSets.map((s) => s.id));
    if (!setIds.has(t.defaultThresholdSet)) {
      ctx.addIssue({ code: 'custom', path: ['defaultThresholdSet'], message: `unknown threshold set ${t.defaultThresholdSet}` });
    }
    for (const [group, setId] of Object.entries(t.groups)) {
      if (!setIds.has(setId)) ctx.addIssue({ code: 'custom', path: ['groups', group], message: `unknown threshold set ${setId}` });
    }
    t.thresholdSets.forEach((set, i) => {
      for (const sid of Object.keys(set.sectionMinimums)) {
        if (!sectionIds.has(sid)) ctx.addIssue({ code: 'custom', path: ['thresholdSets', i, 'sectionMinimums', sid], message: `unknown section ${sid}` });
      }
    });
    t.tieBreak.forEach((sid, i) => {
      if (!sectionIds.has(sid)) ctx.addIssue({ code: 'custom', path: ['tieBreak', i], message: `unknown section ${sid}` });
    });
    const w = t.integration.firstStageWeight + t.integration.secondStageWeight;
    if (Math.abs(w - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['integration'], message: 'stage weights must add up to 1' });
  });
export type ExamTemplate = z.infer<typeof ExamTemplateSchema>;
export type ExamTemplateInput = z.input<typeof ExamTemplateSchema>;

/** What a saved template may hold: a day's exam, a paper of at most 10,000 questions (as a log leaf counts them), marks of at most 1,000 a question. */
export const TEMPLATE_BOUNDS = { minutes: 24 * 60, questions: 10_000, marks: 1000, minimum: 10_000_000 } as const;

/**
 * A template as an admin saves one: within TEMPLATE_BOUNDS, and no minimum above the most a
 * section (or the paper) can score, which would fail everyone (a template copied with fewer questions or options keeps the
 * thresholds it was copied with). Stored templates are read without this rule, so one saved
 * before it still loads.
 */
export const SavedTemplateSchema = ExamTemplateSchema.superRefine((t, ctx) => {
  // bounds no real paper comes near, so no score, clock or quota can overflow (1e308 marks make
  // an Infinity that no log leaf, board or result can carry)
  const bounded = (v: number, min: number, max: number, path: (string | number)[], what: string) => {
    if (!(v >= min && v <= max)) ctx.addIssue({ code: 'custom', path, message: `${what} must be between ${min} and ${max}` });
  };
  bounded(t.durationMinutes, 1, TEMPLATE_BOUNDS.minutes, ['durationMinutes'], 'the duration in minutes');
  // an id that, as a key, would read a property every object has (a section named "constructor")
  const reserved = (id: string, path: (string | number)[]) => {
    if (id in Object.prototype) ctx.addIssue({ code: 'custom', path, message: `${id} is a reserved name (a property every object has): choose another` });
  };
  // the names people read on the board, the proctor console and printed reports: one line, read as written
  const labelled = (text: string, max: number, path: (string | number)[]) => {
    const problem = text.trim().length > max ? `give at most ${max} characters` : labelProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
  };
  labelled(t.name, 200, ['name']);
  t.sections.forEach((sec, i) => labelled(sec.title, 200, ['sections', i, 'title']));
  t.thresholdSets.forEach((set, i) => labelled(set.name, 200, ['thresholdSets', i, 'name']));
  for (const group of Object.keys(t.groups)) labelled(group, 64, ['groups', group]);
  t.sections.forEach((sec, i) => reserved(sec.id, ['sections', i, 'id']));
  t.thresholdSets.forEach((set, i) => reserved(set.id, ['thresholdSets', i, 'id']));
  for (const group of Object.keys(t.groups)) reserved(group, ['groups', group]);
  bounded(t.nextStageMultiplier, 0, 100, ['nextStageMultiplier'], 'the next-stage multiplier');
  t.sections.forEach((sec, i) => {
    bounded(sec.questionCount, 1, TEMPLATE_BOUNDS.questions, ['sections', i, 'questionCount'], 'the number of questions');
    const r = sec.scoring;
    const marks: [string, number][] = r.kind === 'keyed' ? [['correct', r.correct], ['wrong', r.wrong], ['blank', r.blank]] : [['blank', r.blank]];
    for (const [m, v] of marks) bounded(v, -TEMPLATE_BOUNDS.marks, TEMPLATE_BOUNDS.marks, ['sections', i, 'scoring', m], 'marks');
  });
  bounded(
    t.sections.reduce((n, sec) => n + sec.questionCount, 0),
    1,
    TEMPLATE_BOUNDS.questions,
    ['sections'],
    'the number of questions in a paper',
  );
  t.thresholdSets.forEach((set, i) => {
    for (const [sid, min] of Object.entries(set.sectionMinimums)) bounded(min, -TEMPLATE_BOUNDS.minimum, TEMPLATE_BOUNDS.minimum, ['thresholdSets', i, 'sectionMinimums', sid], 'a minimum');
    if (set.totalMinimum !== undefined) bounded(set.totalMinimum, -TEMPLATE_BOUNDS.minimum, TEMPLATE_BOUNDS.minimum, ['thresholdSets', i, 'totalMinimum'], 'a minimum');
  });
  const most = new Map(t.sections.map((sec) => [sec.id, maxSectionScore(sec)]));
  const total = [...most.values()].every((m) => m !== null) ? [...most.values()].reduce<number>((a, m) => a + m!, 0) : null;
  t.thresholdSets.forEach((set, i) => {
    for (const [sid, min] of Object.entries(set.sectionMinimums)) {
      const max = most.get(sid);
      if (max != null && min > max) ctx.addIssue({ code: 'custom', path: ['thresholdSets', i, 'sectionMinimums', sid], message: `minimum ${min} is more than section ${sid} can score (${max})` });
    }
    if (set.totalMinimum !== undefined && total !== null && set.totalMinimum > total) ctx.addIssue({ code: 'custom', path: ['thresholdSets', i, 'totalMinimum'], message: `minimum ${set.totalMinimum} is more than the paper can score (${total})` });
  });
});

/** SKD as set by BKN (DOMAIN.md): 110 questions, 100 minutes, thresholds 65/80/166, options A-E, TKP weights 1..5. */
export const SKD_TEMPLATE: ExamTemplate = ExamTemplateSchema.parse({
  id: 'skd',
  name: 'Seleksi Kompetensi Dasar (SKD)',
  durationMinutes: 100,
  sections: [
    { id: 'TWK', title: 'Tes Wawasan Kebangsaan', questionCount: 30, optionCount: 5, scoring: { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } },
    { id: 'TIU', title: 'Tes Intelegensia Umum', questionCount: 35, optionCount: 5, scoring: { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } },
    { id: 'TKP', title: 'Tes Karakteristik Pribadi', questionCount: 45, optionCount: 5, scoring: { kind: 'weighted', blank: 0, weightSet: [1, 2, 3, 4, 5] } },
  ],
  thresholdSets: [
    { id: 'umum', name: 'Umum', sectionMinimums: { TWK: 65, TIU: 80, TKP: 166 } },
    { id: 'cumlaude-diaspora', name: 'Lulusan cum laude / diaspora', sectionMinimums: { TIU: 85 }, totalMinimum: 311 },
    { id: 'khusus-2024', name: 'Disabilitas, Papua/Papua Barat, daerah tertinggal (2024)', sectionMinimums: { TIU: 60 }, totalMinimum: 286 },
  ],
  groups: {
    umum: 'umum',
    cumlaude: 'cumlaude-diaspora',
    diaspora: 'cumlaude-diaspora',
    disabilitas: 'khusus-2024',
    papua: 'khusus-2024',
    'daerah-tertinggal': 'khusus-2024',
  },
  defaultThresholdSet: 'umum',
  tieBreak: ['TKP', 'TIU', 'TWK'],
  nextStageMultiplier: 3,
  integration: { firstStageWeight: 0.4, secondStageWeight: 0.6 },
});
