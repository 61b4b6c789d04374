import { z } from 'zod';
import { SlugSchema } from './exam.js';

export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const DifficultySchema = z.enum(['easy', 'medium', 'hard']);
export type Difficulty = z.infer<typeof DifficultySchema>;

/** A question as stored and dealt (server side only: it carries the key or the weights). */
export interface Question {
  id: string;
  section: string;
  topic: string;
  difficulty?: Difficulty;
  stem: string;
  options: string[];
  /** keyed items: index into options of the correct one */
  key?: number;
  /** weighted items: one weight per option */
  weights?: number[];
}

/** One question as written in a bank file (docs/bank-format.md). */
export const BankQuestionSchema = z
  .object({
    id: SlugSchema,
    section: SlugSchema,
    topic: z.string().min(1).max(64),
    difficulty: DifficultySchema.optional(),
    stem: z.string().min(1).max(200_000),
    options: z.array(z.string().min(1).max(100_000)).min(2).max(6),
    key: z.enum(OPTION_LETTERS).optional(),
    weights: z.array(z.number().int().min(-100).max(100)).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if ((q.key === undefined) === (q.weights === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'give exactly one of key or weights' });
    }
    if (q.key !== undefined && OPTION_LETTERS.indexOf(q.key) >= q.options.length) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: `key ${q.key} names no option (${q.options.length} options)` });
    }
    if (q.weights !== undefined && q.weights.length !== q.options.length) {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `${q.weights.length} weights for ${q.options.length} options` });
    }
  });
export type BankQuestion = z.infer<typeof BankQuestionSchema>;

export const BankFileSchema = z.object({
  format: z.literal('kaca-bank@1'),
  id: SlugSchema,
  title: z.string().min(1),
  language: z.string().min(2).max(16).default('id'),
  // validated one by one so that every invalid question is reported with its id
  questions: z.array(z.unknown()).min(1),
});
export type BankFile = z.infer<typeof BankFileSchema>;
