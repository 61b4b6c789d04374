import { z } from 'zod';

/**
 * Item analysis and answer-similarity replies (docs/analysis.md, docs/protocol.md "Analysis"):
 * admin routes only. Nothing here ever goes to the public board or to a candidate.
 */

const id = <T extends z.ZodType>(name: string, schema: T): T => schema.meta({ id: name }) as T;
const share = z.number().min(0).max(1);
const nullableShare = share.nullable();
/** the candidate's id in Kaca (a number) */
const candidateId = z.union([z.number().int(), z.string()]);

const SharesSchema = z.object({ all: share, upper: nullableShare, lower: nullableShare });
const OptionStatsSchema = SharesSchema.extend({
  option: z.number().int().describe('bank index of the option (0 = A), the same on every shuffled paper'),
  isKey: z.boolean(),
  points: z.number().nullable(),
});
const ITEM_FLAGS = ['negative-discrimination', 'distractor-beats-key', 'very-hard', 'very-easy'] as const;

export const AnalysedItemSchema = z.object({
  questionId: z.string(),
  section: z.string(),
  excerpt: z.string(),
  n: z.number().int().describe('candidates whose paper held the item'),
  max: z.number(),
  meanScore: z.number(),
  facility: z.number().describe('p: mean of score / max'),
  rItemRest: z.number().nullable().describe('corrected item-total (item-rest) correlation; null without variance'),
  groupSize: z.number().int().describe('size of each of the upper and lower 27% groups'),
  options: z.array(OptionStatsSchema),
  blank: SharesSchema,
  time: z.object({ n: z.number().int(), meanMs: z.number(), medianMs: z.number() }).nullable(),
  flags: z.array(z.enum(ITEM_FLAGS)),
});

export const SectionReportSchema = z.object({
  section: z.string(),
  kind: z.enum(['keyed', 'weighted']),
  candidates: z.number().int(),
  reliability: z.object({
    method: z.enum(['KR-20', 'alpha']),
    value: z.number().nullable(),
    acrossPapers: z.number().nullable(),
    k: z.number(),
    itemVarianceSum: z.number(),
    totalVariance: z.number(),
    formVariance: z.number(),
  }),
  totals: z.object({
    mean: z.number(),
    sd: z.number(),
    min: z.number(),
    max: z.number(),
    binWidth: z.number(),
    bins: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
  }),
  items: z.array(AnalysedItemSchema),
});

export const ItemAnalysisSchema = id(
  'ItemAnalysis',
  z.object({
    bankId: z.string(),
    live: z.boolean().describe('figures of a sitting under way, as committed so far'),
    sittings: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(['scheduled', 'open', 'running', 'closed']), candidates: z.number().int() })),
    sections: z.array(SectionReportSchema),
    computedAt: z.number().int(),
    computeMs: z.number().int(),
  }),
);
export type ItemAnalysisOut = z.infer<typeof ItemAnalysisSchema>;

const DirectedSchema = z.object({
  source: candidateId,
  copier: candidateId,
  sourceWrong: z.number().int(),
  matches: z.number().int(),
  p: z.number(),
  expected: z.number(),
  probability: z.number(),
  log10Probability: z.number(),
});
export const PairSchema = z.object({
  room: z.string(),
  a: candidateId,
  b: candidateId,
  adjacent: z.boolean(),
  seatDistance: z.number().nullable(),
  shared: z.number().int(),
  identicalAnswers: z.number().int(),
  identicalWrong: z.number().int(),
  bothBlank: z.number().int(),
  aToB: DirectedSchema,
  bToA: DirectedSchema,
  probability: z.number().describe('min(1, 2 x the smaller directed probability)'),
  flagged: z.boolean(),
});
export const EvidenceSchema = z.object({
  questionId: z.string(),
  option: z.number().int(),
  aAnsweredAt: z.number().nullable(),
  bAnsweredAt: z.number().nullable(),
  lagMs: z.number().nullable(),
});
export const FlaggedPairSchema = PairSchema.extend({ evidence: z.array(EvidenceSchema), aLater: z.number().int(), bLater: z.number().int() });

export const SimilarityQuerySchema = z.object({
  alpha: z.coerce.number().gt(0).max(0.1).default(0.001).describe('per-pair false-positive rate to flag at'),
  correction: z.enum(['none', 'bonferroni']).default('none'),
  format: z.enum(['json', 'csv']).default('json'),
});

export const SimilaritySchema = id(
  'Similarity',
  z.object({
    sittings: z.array(z.object({ id: z.string(), name: z.string(), room: z.string() })).describe('the sittings (rooms) whose pairs were compared; a pair\'s `room` is its sitting\'s id'),
    cohort: z.number().int().describe('candidates the chance of a match was estimated from: every closed sitting of the same bank and template'),
    alpha: z.number(),
    correction: z.enum(['none', 'bonferroni']),
    threshold: z.number(),
    candidates: z.number().int(),
    pairsTested: z.number().int(),
    flagged: z.array(FlaggedPairSchema),
    closest: z.array(PairSchema),
    people: z.array(z.object({ id: z.number().int(), registrationNumber: z.string(), name: z.string(), seat: z.string().nullable(), sittingId: z.string() })),
    computedAt: z.number().int(),
    computeMs: z.number().int(),
  }),
);
export type SimilarityOutWire = z.infer<typeof SimilaritySchema>;
