import { z } from 'zod';
import { SlugSchema } from './exam.js';
import { label, labelProblem } from './label.js';

// What an admin client sends (docs/protocol.md, "Admin API"). The replies are in contract/http.ts.

const TIMEZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;

const Grid = z.number().int().min(1).max(100);

/** The fields of a sitting an admin sets, without defaults (an update gives only what changes). */
const SittingFields = {
  name: label(200),
  templateId: SlugSchema,
  bankId: SlugSchema,
  site: label(200),
  room: label(200),
  /** ISO date-time with an offset, or epoch milliseconds */
  /** an ISO time with its offset, or epoch milliseconds; between the years 2000 and 2200 either way */
  scheduledStart: z.union([z.iso.datetime({ offset: true }), z.number().int()]).refine((v) => {
    const ms = typeof v === 'number' ? v : Date.parse(v);
    return ms >= Date.UTC(2000, 0, 1) && ms < Date.UTC(2200, 0, 1);
  }, 'give a time between the years 2000 and 2200'),
  /** candidates must give the room's rotating token (shown on the proctor console) before their PIN */
  requireToken: z.boolean(),
  /** candidates wait after login until a proctor admits them (identity check) */
  requireAdmission: z.boolean(),
  /** offer a few unscored sample questions before the clock starts */
  practice: z.boolean(),
  /**
   * What the public board shows of scores: 'on-finish' (progress while candidates sit, scores and
   * verdict as each finishes) or 'live' (every answer's score at once: only for a public tryout
   * whose items are not secret).
   */
  revealPolicy: z.enum(['on-finish', 'live']),
  /** the room's seats as a grid, for the seat map and the roster's seat check */
  roomRows: Grid.nullable(),
  roomCols: Grid.nullable(),
  /** the site's time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT) */
  timezone: z.enum(TIMEZONES),
  /** a drand round fixed now whose randomness is mixed into the seed at the start (docs/verifiability.md) */
  beaconRound: z.number().int().positive().nullable(),
  /** minutes between token rotations (KACA_TOKEN_INTERVAL_MINUTES when not given) */
  tokenIntervalMinutes: z.number().min(1).max(24 * 60),
  /** formation -> vacancies, for the next-stage cut-off */
  vacancies: z.record(z.string().trim().min(1).max(200), z.number().int().min(0)).superRefine((v, ctx) => {
    // a formation's name is a label too; as a key, its problem is named here (a key's own check says only "Invalid key in record")
    for (const key of Object.keys(v)) {
      const problem = labelProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  }),
};

export const CreateSittingSchema = z
  .object({
    id: SlugSchema,
    ...SittingFields,
    /** random when omitted; fixed seeds make papers reproducible for audit */
    seed: z.string().min(1).max(200).optional(),
    requireToken: SittingFields.requireToken.default(true),
    requireAdmission: SittingFields.requireAdmission.default(false),
    practice: SittingFields.practice.default(false),
    revealPolicy: SittingFields.revealPolicy.default('on-finish'),
    roomRows: SittingFields.roomRows.optional(),
    roomCols: SittingFields.roomCols.optional(),
    timezone: SittingFields.timezone.default('Asia/Jakarta'),
    beaconRound: SittingFields.beaconRound.optional(),
    tokenIntervalMinutes: SittingFields.tokenIntervalMinutes.optional(),
    vacancies: SittingFields.vacancies.default({}),
  })
  .refine((s) => (s.roomRows == null) === (s.roomCols == null), { path: ['roomCols'], message: 'give both room rows and columns, or neither' });
export type CreateSitting = z.infer<typeof CreateSittingSchema>;

/** A scheduled sitting's changes: any field, only those given change (null clears the grid or beacon). */
export const UpdateSittingSchema = z
  .object(SittingFields)
  .partial()
  .strict()
  .refine((s) => Object.keys(s).length > 0, { message: 'give at least one field to change' });
export type UpdateSitting = z.infer<typeof UpdateSittingSchema>;

export const CandidateInputSchema = z.object({
  registrationNumber: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'registration number: 1-40 characters A-Z 0-9 . _ -'),
  name: label(200),
  formation: label(200),
  /** a group of the sitting's template (domain/groups.ts); empty = the template's default */
  group: z.string().trim().max(64).optional(),
  extraMinutes: z.number().int().min(0).max(600).default(0),
  photoUrl: z.string().optional(),
  /** seat or PC number in the room */
  seat: label(20).optional(),
});
export type CandidateInput = z.input<typeof CandidateInputSchema>;

export const AccountInputSchema = z.object({
  username: z.string().regex(/^[a-z0-9._-]{3,40}$/, 'username: 3-40 characters a-z 0-9 . _ -'),
  displayName: label(200),
  password: z.string().min(8).max(200),
  role: z.enum(['admin', 'proctor']),
  sittings: z.array(SlugSchema).default([]),
});
export type AccountInput = z.infer<typeof AccountInputSchema>;

export const AccountPatchSchema = z
  .object({
    password: z.string().min(8).max(200).optional(),
    disabled: z.boolean().optional(),
    displayName: label(200).optional(),
    /** sittings this proctor may run from now on (added to those assigned) */
    assignSittings: z.array(SlugSchema).max(1000).optional(),
    /** sittings taken away from this proctor */
    unassignSittings: z.array(SlugSchema).max(1000).optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'give at least one field to change' });
export type AccountPatch = z.infer<typeof AccountPatchSchema>;

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');

/** The upload's query: how to read the bytes in the body. */
export const BankUploadQuerySchema = z.object({
  /** check against this template (its sections, scoring, option counts and weight sets) */
  template: SlugSchema.optional(),
  /** auto: told from `name` (.json kaca, .csv, .zip qti) */
  format: z.enum(['auto', 'kaca', 'csv', 'qti']).default('auto'),
  /** the file's name: its extension tells the format, its stem is the id when the file has none */
  name: z.string().min(1).max(255).default('bank.json'),
  id: SlugSchema.optional(),
  title: label(200).optional(),
  language: z.string().min(2).max(16).optional(),
  /** QTI: the section of items that name none */
  section: SlugSchema.optional(),
  /** check only: the report, nothing stored */
  dryRun: flag.default(false),
});
export type BankUploadQuery = z.infer<typeof BankUploadQuerySchema>;

export const QuestionQuerySchema = z.object({
  /** words in the id, topic, stem or options (tags are searched too) */
  q: z.string().trim().max(200).optional(),
  section: z.string().max(64).optional(),
  topic: z.string().max(64).optional(),
  status: z.enum(['all', 'active', 'retired']).default('all'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type QuestionQuery = z.infer<typeof QuestionQuerySchema>;

export const RetireSchema = z.object({
  questionIds: z.array(SlugSchema).min(1).max(10_000),
  /** false brings retired questions back */
  retired: z.boolean().default(true),
  reason: z.string().trim().min(3, 'give a reason (at least 3 characters)').max(1000),
});
export type Retire = z.infer<typeof RetireSchema>;

export const AuditQuerySchema = z.object({
  sittingId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  /** entries with a smaller id than this (the previous page's `next`) */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
