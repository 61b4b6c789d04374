import type { LogProof } from './log.js';
import { z } from 'zod';
import { ErrorCode } from './errors.js';
import { ExamTemplateSchema } from './exam.js';
import type { AuditEntry, IncidentReport, SittingInfo } from './proctor.js';
import { SCORE_STATUSES, type ScoreboardSitting, type ScoreboardSnapshot } from './scoreboard.js';

/**
 * What the HTTP API sends back, per route and status code (docs/protocol.md, "Admin API"). The
 * server serializes every reply through these schemas, so a field that is not here is never
 * sent; /docs shows them. Named schemas (`.meta({ id })`) become OpenAPI components.
 */

const id = <T extends z.ZodType>(name: string, schema: T): T => schema.meta({ id: name }) as T;
const epochMs = z.number().int().describe('epoch milliseconds');
const nullableMs = epochMs.nullable();

export const ErrorResponseSchema = id(
  'Error',
  z.object({
    error: z.object({
      code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      /** BANK_INVALID: the whole validation report; BAD_REQUEST of a roster: the whole check; RATE_LIMITED, LOGIN_LOCKED: { retryAfterMs } */
      details: z.unknown().optional(),
    }),
  }),
);
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

export const OkSchema = z.object({ ok: z.literal(true) });
export const HealthSchema = z.object({ ok: z.literal(true), time: epochMs });

export const AccountSchema = id('Account', z.object({ id: z.number().int(), username: z.string(), displayName: z.string(), role: z.enum(['admin', 'proctor']) }));
export const StaffLoginResultSchema = z.object({ session: z.string().describe('bearer token: Authorization: Bearer <session>'), account: AccountSchema });
export const AccountListItemSchema = id(
  'AccountListItem',
  AccountSchema.extend({
    disabled: z.boolean(),
    /** sittings a proctor is assigned to (admins run every sitting) */
    sittings: z.array(z.string()),
    createdAt: epochMs,
    /** locked after wrong passwords until then */
    lockedUntil: nullableMs,
  }),
);
export type AccountListItem = z.infer<typeof AccountListItemSchema>;

export const CandidateLoginResultSchema = z.object({ session: z.string().describe('auth: { session } for the /candidate namespace'), candidateId: z.number().int(), sittingId: z.string() });

export const SITTING_STATUSES = ['scheduled', 'open', 'running', 'closed'] as const;
export const SittingInfoSchema = id(
  'SittingInfo',
  z.object({
    id: z.string(),
    name: z.string(),
    site: z.string(),
    room: z.string(),
    /** scheduled: being prepared, no logins; open: logins, waiting room, admission; running: the exam can start; closed: over, results final */
    status: z.enum(SITTING_STATUSES),
    templateId: z.string(),
    bankId: z.string(),
    requireToken: z.boolean(),
    requireAdmission: z.boolean(),
    revealPolicy: z.enum(['on-finish', 'live']),
    roomRows: z.number().int().nullable(),
    roomCols: z.number().int().nullable(),
    timezone: z.string(),
    scheduledStart: epochMs,
    openedAt: nullableMs,
    startedAt: nullableMs,
    closedAt: nullableMs,
    durationMinutes: z.number(),
    sections: z.array(z.object({ id: z.string(), title: z.string() })),
    /** candidates on the roster */
    candidates: z.number().int(),
    /** the drand quicknet round mixed into the seed (starting the sitting takes its signature), or null */
    beaconRound: z.number().int().nullable(),
    /** hex SHA-256 of the dealing seed, published from the start (docs/verifiability.md) */
    seedCommitment: z.string(),
    /** the log's signing key as a C2SP verifier key, name+keyid+base64 (docs/verifiability.md) */
    verifierKey: z.string(),
    /** a sitting-wide pause holds the hall's clock (sitting:pause, until sitting:resume); only while it runs */
    paused: z.boolean(),
  }),
);

export const SittingDetailSchema = id(
  'SittingDetail',
  SittingInfoSchema.extend({
    practice: z.boolean(),
    tokenIntervalMinutes: z.number(),
    vacancies: z.record(z.string(), z.number().int()),
    createdAt: epochMs,
    proctors: z.array(AccountSchema.extend({ disabled: z.boolean() })),
    /** groups the roster may name and the threshold set each means (domain/groups.ts) */
    groups: z.array(z.object({ group: z.string(), thresholdSet: z.string(), thresholdSetName: z.string() })),
  }),
);
export type SittingDetail = z.infer<typeof SittingDetailSchema>;

export const TemplateSchema = ExamTemplateSchema.meta({ id: 'ExamTemplate' });
export const TemplateListItemSchema = id('TemplateListItem', z.object({ template: TemplateSchema, builtIn: z.boolean(), usedBy: z.array(z.string()) }));
export type TemplateListItem = z.infer<typeof TemplateListItemSchema>;

const BankProblemSchema = id(
  'BankProblem',
  z.object({
    code: z.enum(['source', 'field', 'content', 'section', 'scoring', 'key', 'weights', 'options', 'duplicate-id', 'near-duplicate']),
    questionId: z.string().nullable(),
    /** 0-based position in the file; messages say #index+1 */
    index: z.number().int().nullable(),
    field: z.string(),
    message: z.string(),
    /** CSV line or QTI item file */
    location: z.string().optional(),
    related: z.array(z.object({ questionId: z.string().nullable(), index: z.number().int() })).optional(),
  }),
);
export const BankReportSchema = id(
  'BankReport',
  z.object({
    errors: z.array(BankProblemSchema),
    warnings: z.array(BankProblemSchema),
    summary: z.object({
      bankId: z.string().nullable(),
      title: z.string().nullable(),
      template: z.string().nullable(),
      format: z.string().nullable(),
      source: z.string().nullable(),
      questions: z.number().int(),
      valid: z.number().int(),
      sections: z.record(z.string(), z.number().int()),
      errors: z.number().int(),
      warnings: z.number().int(),
    }),
  }),
);
export type BankReportOut = z.infer<typeof BankReportSchema>;
const BankFactsSchema = z.object({ id: z.string(), title: z.string(), language: z.string(), questions: z.number().int(), sections: z.record(z.string(), z.number().int()) });
export const BankUploadResultSchema = id('BankUploadResult', z.object({ stored: z.boolean().describe('false for dryRun'), bank: BankFactsSchema, report: BankReportSchema }));
export type BankUploadResult = z.infer<typeof BankUploadResultSchema>;
export const BankListItemSchema = id(
  'BankListItem',
  BankFactsSchema.extend({ createdAt: epochMs, retired: z.number().int().describe('questions dealt no more'), usedBy: z.array(z.string()).describe('sittings dealing from the bank') }),
);
export type BankListItem = z.infer<typeof BankListItemSchema>;

export const AdminQuestionSchema = id(
  'AdminQuestion',
  z.object({
    id: z.string(),
    section: z.string(),
    topic: z.string(),
    difficulty: z.enum(['easy', 'medium', 'hard']).nullable(),
    stem: z.string().describe('rich content (docs/bank-format.md)'),
    options: z.array(z.string()),
    /** keyed questions: the letter of the correct option */
    key: z.enum(['A', 'B', 'C', 'D', 'E', 'F']).nullable(),
    /** weighted questions: one weight per option */
    weights: z.array(z.number()).nullable(),
    retired: z.boolean(),
  }),
);
export type AdminQuestion = z.infer<typeof AdminQuestionSchema>;
export const QuestionPageSchema = z.object({ bankId: z.string(), total: z.number().int(), offset: z.number().int(), limit: z.number().int(), sections: z.array(z.string()), topics: z.array(z.string()), questions: z.array(AdminQuestionSchema) });
export type QuestionPage = z.infer<typeof QuestionPageSchema>;
export const RetireResultSchema = z.object({ bankId: z.string(), changed: z.number().int().describe('questions whose state changed'), retired: z.number().int().describe('retired questions in the bank now') });

const RosterRowSchema = z.object({
  line: z.number().int(),
  registrationNumber: z.string(),
  name: z.string(),
  formation: z.string(),
  group: z.string(),
  thresholdSet: z.string().nullable(),
  extraMinutes: z.number().int(),
  seat: z.string().nullable(),
  photoUrl: z.string().nullable(),
  /** every problem of the row; empty when it can be imported */
  errors: z.array(z.string()),
});
export const RosterCheckSchema = id(
  'RosterCheck',
  z.object({
    columns: z.array(z.string()),
    ignored: z.array(z.string()).describe('header cells outside the layout'),
    problems: z.array(z.string()).describe('problems with the file as a whole'),
    rows: z.array(RosterRowSchema),
    valid: z.number().int(),
    invalid: z.number().int(),
  }),
);
export type RosterCheckOut = z.infer<typeof RosterCheckSchema>;
export const IssuedPinSchema = z.object({ id: z.number().int(), registrationNumber: z.string(), name: z.string(), formation: z.string(), group: z.string(), seat: z.string().nullable(), photoUrl: z.string().nullable(), pin: z.string().describe('shown once; stored only as an HMAC') });
export const RosterImportResultSchema = id('RosterImportResult', z.object({ sittingId: z.string(), candidates: z.array(IssuedPinSchema) }));
export type RosterImportResult = z.infer<typeof RosterImportResultSchema>;
export const RosterEntrySchema = z.object({
  id: z.number().int(),
  registrationNumber: z.string(),
  name: z.string(),
  formation: z.string(),
  group: z.string(),
  seat: z.string().nullable(),
  extraMinutes: z.number().int(),
  photoUrl: z.string().nullable(),
  status: z.enum(SCORE_STATUSES),
});
export type RosterEntry = z.infer<typeof RosterEntrySchema>;

const SectionScores = z.record(z.string(), z.number());
export const ResultLineSchema = z.object({
  id: z.number().int(),
  registrationNumber: z.string(),
  name: z.string(),
  formation: z.string(),
  group: z.string(),
  sections: SectionScores,
  total: z.number(),
  /** met every minimum of the candidate's threshold set; never for a terminated attempt; null while there is no result (still sitting, absent) */
  passed: z.boolean().nullable(),
  thresholdSet: z.string().nullable(),
  status: z.enum(SCORE_STATUSES),
  receiptId: z.string().nullable(),
  /** competition rank among the formation's passers; null when not passed */
  rank: z.number().int().nullable(),
  /** within vacancies x nextStageMultiplier, ties at the cut-off included */
  advances: z.boolean(),
});
export const SittingResultsSchema = id(
  'SittingResults',
  z.object({
    sittingId: z.string(),
    sittingName: z.string(),
    sittingStatus: z.enum(['scheduled', 'open', 'running', 'closed']),
    sections: z.array(z.string()),
    formations: z.array(z.object({ formation: z.string(), vacancies: z.number().int(), quota: z.number().int(), lines: z.array(ResultLineSchema) })),
  }),
);
export type SittingResultsOut = z.infer<typeof SittingResultsSchema>;

export const AuditEntrySchema = id(
  'AuditEntry',
  z.object({ id: z.number().int(), at: epochMs, actorName: z.string(), actorRole: z.string(), sittingId: z.string().nullable(), candidateId: z.number().int().nullable(), action: z.string(), reason: z.string(), details: z.unknown() }),
);
export type AuditEntryOut = z.infer<typeof AuditEntrySchema>;
export const AuditPageSchema = z.object({
  /** each entry with the candidate it was about (registration number and name), when it was about one */
  entries: z.array(AuditEntrySchema.extend({ registrationNumber: z.string().nullable(), candidateName: z.string().nullable() })),
  next: z.number().int().nullable().describe('give as `before` for the next (older) page') });
export type AuditPage = z.infer<typeof AuditPageSchema>;
const ReportCandidateSchema = z.object({ id: z.number().int(), registrationNumber: z.string(), name: z.string(), formation: z.string(), seat: z.string().nullable() });
export const IncidentReportSchema = id(
  'IncidentReport',
  z.object({
    sitting: SittingInfoSchema,
    generatedAt: epochMs,
    /** present: admitted or ended; waiting: logged in, not admitted (only while open); absent: the rest */
    counts: z.object({ registered: z.number().int(), present: z.number().int(), waiting: z.number().int(), absent: z.number().int(), inProgress: z.number().int(), finished: z.number().int(), terminated: z.number().int() }),
    absentees: z.array(ReportCandidateSchema),
    /** every admission (one by one or many at once), as one line */
    admissions: z.object({ count: z.number().int(), first: nullableMs, last: nullableMs, by: z.array(z.string()) }),
    /** what the system saw, per candidate and kind */
    alerts: z.array(ReportCandidateSchema.extend({ kind: z.enum(['focus-lost', 'fullscreen-exited', 'login-locked', 'change-limit']), count: z.number().int(), first: epochMs, last: epochMs })),
    /** the whole audit log in order, each entry marked with the part of the report that covers it */
    entries: z.array(AuditEntrySchema.extend({ registrationNumber: z.string().nullable(), candidateName: z.string().nullable(), part: z.enum(['admission', 'alert', 'action']) })),
  }),
);

export const MetricsSchema = z.object({
  time: epochMs,
  memory: z.object({ rss: z.number(), heapUsed: z.number(), heapTotal: z.number(), external: z.number(), arrayBuffers: z.number() }),
  sockets: z.object({ candidate: z.number().int(), proctor: z.number().int(), scoreboard: z.number().int() }),
  /** share of the time since the previous read that the event loop ran code (0-1) */
  eventLoopUtilization: z.number(),
  /** since the previous read */
  eventLoopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
  /** since the previous read: answers and flags, from their handling to their ack (the group commit's wait included) */
  answerAckMs: z.object({ count: z.number().int(), p50: z.number(), p99: z.number(), max: z.number() }),
  engine: z.object({ live: z.number().int(), running: z.number().int(), writer: z.object({ batches: z.number().int(), units: z.number().int(), ops: z.number().int(), largestBatch: z.number().int() }) }),
  /** several nodes (REDIS_URL): this node's name and the sittings it runs now; null on one node */
  cluster: z.object({ node: z.string(), sittings: z.array(z.string()) }).nullable(),
});

export const ScoreboardSittingSchema = id(
  'ScoreboardSitting',
  z.object({
    id: z.string(),
    name: z.string(),
    site: z.string(),
    room: z.string(),
    status: z.enum(SITTING_STATUSES),
    scheduledStart: epochMs,
    startedAt: nullableMs,
    closedAt: nullableMs,
    /** the site's zone: times are shown in it */
    timezone: z.string(),
    /** while running: when the sitting's own time ends (start + duration + hall-wide pauses) */
    endsAt: nullableMs,
    /** the whole hall is paused */
    paused: z.boolean(),
    revealPolicy: z.enum(['on-finish', 'live']),
    sections: z.array(z.object({ id: z.string(), title: z.string(), max: z.number() })),
    tieBreak: z.array(z.string()),
    /** the template's threshold sets, the default first */
    thresholdSets: z.array(z.object({ id: z.string(), name: z.string() })),
    candidates: z.number().int(),
    /** the sitting log's public side (docs/verifiability.md) */
    log: z.object({
      origin: z.string(),
      verifierKey: z.string(),
      seedCommitment: z.string(),
      bankCommitment: z.string(),
      templateCommitment: z.string(),
      beacon: z.object({ round: z.number().int(), randomness: z.string().nullable(), signature: z.string().nullable() }).nullable(),
      /** the latest signed checkpoint (a C2SP signed note) */
      checkpoint: z.string().nullable(),
      /** the seed, once closed */
      seed: z.string().nullable(),
    }),
  }),
);
export const SittingLogSchema = id('SittingLog', ScoreboardSittingSchema.shape.log.extend({ size: z.number().int().describe('leaves in the log') }));
export const CheckpointsSchema = z.object({ checkpoints: z.array(z.string()).describe('every signed checkpoint, oldest first (C2SP signed notes)') });
export const LogProofSchema = id(
  'LogProof',
  z.object({
    sittingId: z.string(),
    leafIndex: z.number().int(),
    /** the leaf's canonical JSON */
    leaf: z.string(),
    /** the tree size the inclusion proof is for */
    size: z.number().int(),
    inclusion: z.array(z.string()).describe('RFC 9162 inclusion proof, base64 hashes'),
    /** the latest signed checkpoint */
    checkpoint: z.string(),
    checkpointSize: z.number().int(),
    consistency: z.array(z.string()).describe('consistency proof from `size` to the checkpoint, base64 hashes'),
  }),
);

export const ScoreboardSnapshotSchema = id(
  'ScoreboardSnapshot',
  z.object({
    sitting: ScoreboardSittingSchema,
    serverTime: epochMs,
    rows: z.array(
      z.object({
        id: z.number().int(),
        registrationNumber: z.string(),
        name: z.string().describe('masked per KACA_SCOREBOARD_NAME_MASK'),
        formation: z.string(),
        sections: SectionScores.nullable().describe('null while the reveal policy hides it'),
        total: z.number().nullable(),
        passed: z.boolean().nullable(),
        /** the threshold set the verdict is under */
        thresholdSet: z.string(),
        answered: z.number().int(),
        itemCount: z.number().int(),
        status: z.enum(SCORE_STATUSES),
        rank: z.number().int().nullable(),
      }),
    ),
  }),
);

/**
 * A reply schema must name every field of the type it sends: a field added to one of these types
 * and not to its schema would silently never be sent. The key sets are compared at compile time.
 */
export type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Row<T> = T extends readonly (infer R)[] ? R : never;
true satisfies SameKeys<SittingInfo, z.infer<typeof SittingInfoSchema>>;
true satisfies SameKeys<AuditEntry, z.infer<typeof AuditEntrySchema>>;
true satisfies SameKeys<IncidentReport, z.infer<typeof IncidentReportSchema>>;
true satisfies SameKeys<IncidentReport['counts'], z.infer<typeof IncidentReportSchema>['counts']>;
true satisfies SameKeys<Row<IncidentReport['entries']>, Row<z.infer<typeof IncidentReportSchema>['entries']>>;
true satisfies SameKeys<ScoreboardSitting, z.infer<typeof ScoreboardSittingSchema>>;
true satisfies SameKeys<ScoreboardSnapshot, z.infer<typeof ScoreboardSnapshotSchema>>;
true satisfies SameKeys<Row<ScoreboardSnapshot['rows']>, Row<z.infer<typeof ScoreboardSnapshotSchema>['rows']>>;
true satisfies SameKeys<LogProof, z.infer<typeof LogProofSchema>>;
