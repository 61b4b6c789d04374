import { z } from 'zod';
import { SlugSchema } from './exam.js';

export const CreateSittingSchema = z.object({
  id: SlugSchema,
  name: z.string().min(1).max(200),
  templateId: SlugSchema,
  bankId: SlugSchema,
  site: z.string().min(1).max(200),
  room: z.string().min(1).max(200),
  /** ISO date-time or epoch milliseconds */
  scheduledStart: z.union([z.iso.datetime({ offset: true }), z.number().int()]),
  /** random when omitted; fixed seeds make papers reproducible for audit */
  seed: z.string().min(1).max(200).optional(),
  requireToken: z.boolean().default(true),
  requireAdmission: z.boolean().default(false),
  /** offer a few unscored sample questions before the clock starts */
  practice: z.boolean().default(false),
  /**
   * What the public board shows of scores: 'on-finish' (progress while candidates sit, scores and
   * verdict as each finishes) or 'live' (every answer's score at once: only for a public tryout
   * whose items are not secret).
   */
  revealPolicy: z.enum(['on-finish', 'live']).default('on-finish'),
  /** the room's seats as a grid, for the proctor's seat map (candidates' `seat` numbers it in reading order, or "row-col") */
  roomRows: z.number().int().min(1).max(100).optional(),
  roomCols: z.number().int().min(1).max(100).optional(),
  /** the site's time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT) */
  timezone: z.enum(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']).default('Asia/Jakarta'),
  /** a drand round fixed now whose randomness is mixed into the seed at the start (docs/verifiability.md) */
  beaconRound: z.number().int().positive().optional(),
  tokenIntervalMinutes: z.number().positive().max(24 * 60).optional(),
  /** formation -> vacancies, for the next-stage cut-off */
  vacancies: z.record(z.string(), z.number().int().min(0)).default({}),
});
export type CreateSitting = z.infer<typeof CreateSittingSchema>;

export const CandidateInputSchema = z.object({
  registrationNumber: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'registration number: 1-40 characters A-Z 0-9 . _ -'),
  name: z.string().trim().min(1).max(200),
  formation: z.string().trim().min(1).max(200),
  group: z.string().trim().min(1).max(64).default('umum'),
  extraMinutes: z.number().int().min(0).max(600).default(0),
  photoUrl: z.string().regex(/^\/media\/[A-Za-z0-9._\-/]+$/).optional(),
  /** seat or PC number in the room */
  seat: z.string().trim().min(1).max(20).optional(),
});
export type CandidateInput = z.infer<typeof CandidateInputSchema>;

export const AccountInputSchema = z.object({
  username: z.string().regex(/^[a-z0-9._-]{3,40}$/, 'username: 3-40 characters a-z 0-9 . _ -'),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(8).max(200),
  role: z.enum(['admin', 'proctor']),
  sittings: z.array(SlugSchema).default([]),
});
export type AccountInput = z.infer<typeof AccountInputSchema>;
