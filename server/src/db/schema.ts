import { sqliteTable, text, integer, real, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AttemptState } from '../contract/candidate.js';
import type { ExamTemplate } from '../contract/exam.js';
import type { RevealPolicy, SittingStatus } from '../domain/catalog.js';
import type { PaperItem } from '../domain/deal.js';
import type { AnswerKind } from '../domain/writes.js';

// JSON columns are TEXT in SQLite; drizzle's json mode parses and serializes them.

export const banks = sqliteTable('banks', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  language: text('language').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const questions = sqliteTable(
  'questions',
  {
    bankId: text('bank_id').notNull().references(() => banks.id),
    id: text('id').notNull(),
    section: text('section').notNull(),
    topic: text('topic').notNull(),
    difficulty: text('difficulty'),
    stem: text('stem').notNull(),
    /** rich-content strings */
    options: text('options', { mode: 'json' }).$type<string[]>().notNull(),
    key: integer('key'),
    weights: text('weights', { mode: 'json' }).$type<number[]>(),
    /** retired questions stay for the papers that used them but are dealt no more */
    retired: integer('retired', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.bankId, t.id] }), index('questions_bank_section').on(t.bankId, t.section)],
);

export const examTemplates = sqliteTable('exam_templates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** the whole ExamTemplate, validated by ExamTemplateSchema on write and on read */
  definition: text('definition', { mode: 'json' }).$type<ExamTemplate>().notNull(),
  createdAt: integer('created_at').notNull(),
});

export const sittings = sqliteTable('sittings', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  templateId: text('template_id').notNull().references(() => examTemplates.id),
  bankId: text('bank_id').notNull().references(() => banks.id),
  site: text('site').notNull(),
  room: text('room').notNull(),
  scheduledStart: integer('scheduled_start').notNull(),
  seed: text('seed').notNull(),
  status: text('status').$type<SittingStatus>().notNull(),
  requireToken: integer('require_token', { mode: 'boolean' }).notNull(),
  requireAdmission: integer('require_admission', { mode: 'boolean' }).notNull(),
  /** offer the unscored practice round before the clock starts */
  practice: integer('practice', { mode: 'boolean' }).notNull().default(false),
  /** what the public board shows of scores: on-finish (the default) or live (public tryouts only) */
  revealPolicy: text('reveal_policy').$type<RevealPolicy>().notNull().default('on-finish'),
  /** the room's seats as a grid (rows x columns) for the proctor's seat map; null: laid out in order */
  roomRows: integer('room_rows'),
  roomCols: integer('room_cols'),
  /** the site's time zone (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura): printed times use it */
  timezone: text('timezone').notNull().default('Asia/Jakarta'),
  /** public randomness mixed into the seed: a drand round fixed at creation, its value entered at the start */
  beaconRound: integer('beacon_round'),
  beaconRandomness: text('beacon_randomness'),
  /** the beacon round's signature, entered at the start: the randomness is its SHA-256, and anyone can check it */
  beaconSignature: text('beacon_signature'),
  /**
   * The bank's questions retired when the sitting opened: its papers are dealt from the rest, and
   * that rest is what its bank commitment covers, whatever is retired or restored later.
   */
  dealtWithout: text('dealt_without', { mode: 'json' }).$type<string[]>(),
  tokenSecret: text('token_secret').notNull(),
  tokenIntervalSec: integer('token_interval_sec').notNull(),
  /** formation -> vacancies */
  vacancies: text('vacancies', { mode: 'json' }).$type<Record<string, number>>().notNull().default({}),
  createdAt: integer('created_at').notNull(),
  openedAt: integer('opened_at'),
  startedAt: integer('started_at'),
  closedAt: integer('closed_at'),
});

export const candidates = sqliteTable(
  'candidates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sittingId: text('sitting_id').notNull().references(() => sittings.id),
    registrationNumber: text('registration_number').notNull(),
    name: text('name').notNull(),
    formation: text('formation').notNull(),
    groupName: text('group_name').notNull(),
    pinHash: text('pin_hash').notNull(),
    photoUrl: text('photo_url'),
    /** seat or PC number in the room ("C-12", or "12" in a grid's reading order) */
    seat: text('seat'),
    /** extra minutes granted up front (e.g. 30 for blind candidates: 130 instead of 100) */
    extraMinutes: integer('extra_minutes').notNull().default(0),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedAt: integer('locked_at'),
    /** bumped by a proctor's login reset; a session from an older generation is closed */
    loginGeneration: integer('login_generation').notNull().default(0),
    /** the generation a session was last issued in: equal to loginGeneration = logged in */
    sessionGeneration: integer('session_generation'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('candidates_sitting_reg').on(t.sittingId, t.registrationNumber), index('candidates_reg').on(t.registrationNumber)],
);

export const papers = sqliteTable('papers', {
  candidateId: integer('candidate_id').primaryKey().references(() => candidates.id),
  items: text('items', { mode: 'json' }).$type<PaperItem[]>().notNull(),
  dealtAt: integer('dealt_at').notNull(),
});

/** The candidate's exam clock and state. Answers live in answer_events, never here. */
export const attempts = sqliteTable('attempts', {
  candidateId: integer('candidate_id').primaryKey().references(() => candidates.id),
  state: text('state').$type<AttemptState>().notNull(),
  admittedAt: integer('admitted_at'),
  startedAt: integer('started_at'),
  durationMs: integer('duration_ms').notNull(),
  extensionMs: integer('extension_ms').notNull().default(0),
  pausedMs: integer('paused_ms').notNull().default(0),
  pausedSince: integer('paused_since'),
  endedAt: integer('ended_at'),
  endReason: text('end_reason'),
});

/**
 * Append-only log of every select, change, clear and flag, with the server's time. Triggers in
 * the migrations refuse UPDATE and DELETE; current answers are derived from it.
 */
export const answerEvents = sqliteTable(
  'answer_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    candidateId: integer('candidate_id').notNull().references(() => candidates.id),
    /** 0-based position in the paper */
    item: integer('item').notNull(),
    kind: text('kind').$type<AnswerKind>().notNull(),
    /** shown position chosen (select/change), null otherwise */
    choice: integer('choice'),
    /** bank index of the chosen option, for audit without re-dealing */
    optionIndex: integer('option_index'),
    clientSeq: integer('client_seq').notNull(),
    serverTs: integer('server_ts').notNull(),
    scoreDelta: real('score_delta').notNull().default(0),
    /** index of the event's leaf in the sitting's log (null for events from before the log) */
    logIdx: integer('log_idx'),
    /** the candidate's sitting (always written; null only in a database the column was added to and not yet backfilled) */
    sittingId: text('sitting_id').references(() => sittings.id),
    /**
     * an answer leaf's nonce (32 hex digits, derived by the writer under a key only DATA_DIR holds):
     * the leaf's hash cannot be recomputed from what a candidate knows, so a checkpoint does not
     * confirm a guessed delta (docs/verifiability.md); null for flags and for answers stored
     * before nonces
     */
    nonce: text('nonce'),
  },
  // One index, in the order rows are appended (a sitting's leaves are numbered as they commit):
  // each commit touches the right edge of each running sitting's range, never one page per
  // candidate, which an index by candidate costs at every commit of a busy hall. Lookups by
  // candidate read their sitting's range (answers.ts); the engine keeps what it needs in memory.
  (t) => [index('answer_events_sitting').on(t.sittingId, t.logIdx)],
);

export const results = sqliteTable(
  'results',
  {
    candidateId: integer('candidate_id').primaryKey().references(() => candidates.id),
    sittingId: text('sitting_id').notNull().references(() => sittings.id),
    /** section id -> score */
    sections: text('sections', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    total: real('total').notNull(),
    thresholdSet: text('threshold_set').notNull(),
    passed: integer('passed', { mode: 'boolean' }).notNull(),
    receiptId: text('receipt_id').notNull().unique(),
    /** the signed receipt (a C2SP signed note, docs/verifiability.md); null for results from before the log */
    receipt: text('receipt'),
    finishedAt: integer('finished_at').notNull(),
    endReason: text('end_reason').notNull(),
  },
  (t) => [index('results_sitting').on(t.sittingId)],
);

export const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<'admin' | 'proctor'>().notNull(),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  /** failed logins since the last success; each lock past the limit lasts twice the one before */
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: integer('locked_until'),
});

/**
 * Staff sessions, so that a logout, a disabled account or a new password ends them on the server.
 * The bearer token is never stored: `id` is its SHA-256.
 */
export const staffSessions = sqliteTable(
  'staff_sessions',
  {
    id: text('id').primaryKey(),
    accountId: integer('account_id').notNull().references(() => accounts.id),
    createdAt: integer('created_at').notNull(),
    /** the last request or live connection, written at most once a minute */
    lastSeenAt: integer('last_seen_at').notNull(),
    endedAt: integer('ended_at'),
    /** logout | disabled | password | expired */
    endReason: text('end_reason'),
  },
  (t) => [index('staff_sessions_account').on(t.accountId)],
);

export const sittingProctors = sqliteTable(
  'sitting_proctors',
  {
    sittingId: text('sitting_id').notNull().references(() => sittings.id),
    accountId: integer('account_id').notNull().references(() => accounts.id),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.accountId] })],
);

/** Every proctor and admin action with its reason; append-only like answer_events. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    sittingId: text('sitting_id'),
    candidateId: integer('candidate_id'),
    action: text('action').notNull(),
    reason: text('reason').notNull(),
    details: text('details', { mode: 'json' }).$type<unknown>(),
  },
  (t) => [index('audit_log_sitting').on(t.sittingId, t.at)],
);

/**
 * The sitting's tamper-evident log (docs/verifiability.md): every event that changes an attempt,
 * as canonical JSON, in order. Append-only like answer_events; `hash` is the RFC 6962 leaf hash.
 * Answers and flags, nearly all of a log, are not repeated here: their leaves are their
 * answer_events rows (log_idx), read back as the same bytes (repositories/log.ts).
 */
export const sittingLog = sqliteTable(
  'sitting_log',
  {
    sittingId: text('sitting_id').notNull().references(() => sittings.id),
    idx: integer('idx').notNull(),
    leaf: text('leaf').notNull(),
    /** base64 of the 32-byte leaf hash */
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.idx] })],
);

/** Signed checkpoints of a sitting's log (C2SP tlog-checkpoint notes), as published. */
export const logCheckpoints = sqliteTable(
  'log_checkpoints',
  {
    sittingId: text('sitting_id').notNull().references(() => sittings.id),
    size: integer('size').notNull(),
    /** base64 root hash */
    root: text('root').notNull(),
    note: text('note').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.size] })],
);

/**
 * Where each sitting's log stands: its size and the right-edge subtree roots of its Merkle tree
 * (enough to append and to compute the root without reading the leaves), updated in the same
 * transaction as the leaves, and the size of the last signed checkpoint.
 */
export const logHeads = sqliteTable('log_heads', {
  sittingId: text('sitting_id')
    .primaryKey()
    .references(() => sittings.id),
  size: integer('size').notNull(),
  /** base64 of the frontier hashes, largest subtree first, 32 bytes each */
  frontier: text('frontier').notNull(),
  checkpointSize: integer('checkpoint_size').notNull().default(0),
  /**
   * what makes this log's answer-leaf nonces its own: the seed commitment of its first leaf (a
   * key and a sitting id used again, on a fresh database, give other nonces); null for a log
   * begun before nonces, whose answer leaves have none
   */
  nonceSalt: text('nonce_salt'),
});
