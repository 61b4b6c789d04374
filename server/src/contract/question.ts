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

/**
 * One question as written in a bank file (docs/bank-format.md): the shape of each field. Rules
 * that tie fields together (key within the options, weights per option, what the section's
 * scoring needs) are checked in domain/bank.ts, where the template is known. Stems and options
 * are trimmed: leading and trailing whitespace never shows, and every format then stores the
 * same text.
 */
export const BankQuestionSchema = z
  .object({
    id: SlugSchema,
    section: SlugSchema,
    topic: z.string().trim().min(1).max(64),
    difficulty: DifficultySchema.optional(),
    stem: z.string().trim().min(1, 'the stem is empty').max(200_000),
    options: z.array(z.string().trim().min(1, 'the option is empty').max(100_000)).min(2, 'give at least 2 options').max(6, 'give at most 6 options (A-F)'),
    key: z.enum(OPTION_LETTERS).optional(),
    weights: z
      .array(
        z
          .number({ error: (iss) => (iss.input === '' || iss.input === undefined ? 'the weight is missing' : `weight ${JSON.stringify(iss.input)} is not a number`) })
          .int({ error: (iss) => `weight ${String(iss.input)} is not a whole number` })
          // their own words: the number's message above would call 500 "not a number"
          .min(-100, { error: (iss) => `weight ${String(iss.input)} is below -100` })
          .max(100, { error: (iss) => `weight ${String(iss.input)} is above 100` }),
      )
      .optional(),
  })
  .strict();
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
