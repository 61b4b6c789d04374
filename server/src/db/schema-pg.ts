import { bigint, bigserial, boolean, doublePrecision, index, integer, json, jsonb, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { AttemptState } from '../contract/candidate.js';
import type { ExamTemplate } from '../contract/exam.js';
import type { RevealPolicy, SittingStatus } from '../domain/catalog.js';
import type { PaperItem } from '../domain/deal.js';
import type { AnswerKind } from '../domain/writes.js';

/**
 * The PostgreSQL dialect of the storage (issue 16): the same tables and columns as schema.ts
 * (the SQLite dialect, the embedded default), in PostgreSQL's own types: epoch milliseconds as
 * bigint, flags as boolean, lists of strings or numbers as jsonb and any JSON holding objects as
 * json (which keeps their keys in the order written, as SQLite's text does: a result's sections
 * come back in the template's order, not jsonb's), generated ids as serial. Its migrations are in
 * server/migrations-pg (drizzle.pg.config.ts), with the same append-only triggers.
 * tests/storage/postgres-schema.test.ts keeps the two dialects table for table, column for column.
 *
 * With DATABASE_URL the server keeps its data here: the writer commits to it (db/pg-writer-thread.ts)
 * and the reader thread reads it (db/pg-reader.ts, db/repositories-pg.ts); docs/deploy.md.
 */

const ms = (name: string) => bigint(name, { mode: 'number' });

export const banks = pgTable('banks', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  language: text('language').notNull(),
  createdAt: ms('created_at').notNull(),
});

export const questions = pgTable(
  'questions',
  {
    bankId: text('bank_id')
      .notNull()
      .references(() => banks.id),
    id: text('id').notNull(),
    section: text('section').notNull(),
    topic: text('topic').notNull(),
    difficulty: text('difficulty'),
    stem: text('stem').notNull(),
    options: jsonb('options').$type<string[]>().notNull(),
    key: integer('key'),
    weights: jsonb('weights').$type<number[]>(),
    retired: boolean('retired').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.bankId, t.id] }), index('questions_bank_section').on(t.bankId, t.section)],
);

export const examTemplates = pgTable('exam_templates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  definition: json('definition').$type<ExamTemplate>().notNull(),
  createdAt: ms('created_at').notNull(),
});

export const sittings = pgTable('sittings', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  templateId: text('template_id')
    .notNull()
    .references(() => examTemplates.id),
  bankId: text('bank_id')
    .notNull()
    .references(() => banks.id),
  site: text('site').notNull(),
  room: text('room').notNull(),
  scheduledStart: ms('scheduled_start').notNull(),
  seed: text('seed').notNull(),
  status: text('status').$type<SittingStatus>().notNull(),
  requireToken: boolean('require_token').notNull(),
  requireAdmission: boolean('require_admission').notNull(),
  practice: boolean('practice').notNull().default(false),
  revealPolicy: text('reveal_policy').$type<RevealPolicy>().notNull().default('on-finish'),
  roomRows: integer('room_rows'),
  roomCols: integer('room_cols'),
  timezone: text('timezone').notNull().default('Asia/Jakarta'),
  beaconRound: bigint('beacon_round', { mode: 'number' }),
  beaconRandomness: text('beacon_randomness'),
  beaconSignature: text('beacon_signature'),
  dealtWithout: jsonb('dealt_without').$type<string[]>(),
  tokenSecret: text('token_secret').notNull(),
  tokenIntervalSec: integer('token_interval_sec').notNull(),
  vacancies: json('vacancies').$type<Record<string, number>>().notNull().default({}),
  createdAt: ms('created_at').notNull(),
  openedAt: ms('opened_at'),
  startedAt: ms('started_at'),
  closedAt: ms('closed_at'),
});

export const candidates = pgTable(
  'candidates',
  {
    id: serial('id').primaryKey(),
    sittingId: text('sitting_id')
      .notNull()
      .references(() => sittings.id),
    registrationNumber: text('registration_number').notNull(),
    name: text('name').notNull(),
    formation: text('formation').notNull(),
    groupName: text('group_name').notNull(),
    pinHash: text('pin_hash').notNull(),
    photoUrl: text('photo_url'),
    seat: text('seat'),
    extraMinutes: integer('extra_minutes').notNull().default(0),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedAt: ms('locked_at'),
    loginGeneration: integer('login_generation').notNull().default(0),
    sessionGeneration: integer('session_generation'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [uniqueIndex('candidates_sitting_reg').on(t.sittingId, t.registrationNumber), index('candidates_reg').on(t.registrationNumber)],
);

export const papers = pgTable('papers', {
  candidateId: integer('candidate_id')
    .primaryKey()
    .references(() => candidates.id),
  items: json('items').$type<PaperItem[]>().notNull(),
  dealtAt: ms('dealt_at').notNull(),
});

export const attempts = pgTable('attempts', {
  candidateId: integer('candidate_id')
    .primaryKey()
    .references(() => candidates.id),
  state: text('state').$type<AttemptState>().notNull(),
  admittedAt: ms('admitted_at'),
  startedAt: ms('started_at'),
  durationMs: ms('duration_ms').notNull(),
  extensionMs: ms('extension_ms').notNull().default(0),
  pausedMs: ms('paused_ms').notNull().default(0),
  pausedSince: ms('paused_since'),
  endedAt: ms('ended_at'),
  endReason: text('end_reason'),
});

export const answerEvents = pgTable(
  'answer_events',
  {
    // a season of millions of candidates, a few hundred changes each, outgrows 32 bits
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    candidateId: integer('candidate_id')
      .notNull()
      .references(() => candidates.id),
    item: integer('item').notNull(),
    kind: text('kind').$type<AnswerKind>().notNull(),
    choice: integer('choice'),
    optionIndex: integer('option_index'),
    // a client may count its changes in milliseconds: as wide as SQLite's integer
    clientSeq: bigint('client_seq', { mode: 'number' }).notNull(),
    serverTs: ms('server_ts').notNull(),
    scoreDelta: doublePrecision('score_delta').notNull().default(0),
    logIdx: integer('log_idx'),
    sittingId: text('sitting_id').references(() => sittings.id),
    /**
     * an answer leaf's nonce (32 hex digits, derived by the writer under a key only DATA_DIR holds):
     * the leaf's hash cannot be recomputed from what a candidate knows, so a checkpoint does not
     * confirm a guessed delta (docs/verifiability.md); null for flags and for answers stored
     * before nonces
     */
    nonce: text('nonce'),
  },
  (t) => [index('answer_events_sitting').on(t.sittingId, t.logIdx)],
);

export const results = pgTable(
  'results',
  {
    candidateId: integer('candidate_id')
      .primaryKey()
      .references(() => candidates.id),
    sittingId: text('sitting_id')
      .notNull()
      .references(() => sittings.id),
    sections: json('sections').$type<Record<string, number>>().notNull(),
    total: doublePrecision('total').notNull(),
    thresholdSet: text('threshold_set').notNull(),
    passed: boolean('passed').notNull(),
    receiptId: text('receipt_id').notNull().unique(),
    receipt: text('receipt'),
    finishedAt: ms('finished_at').notNull(),
    endReason: text('end_reason').notNull(),
  },
  (t) => [index('results_sitting').on(t.sittingId)],
);

export const accounts = pgTable('accounts', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<'admin' | 'proctor'>().notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ms('created_at').notNull(),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: ms('locked_until'),
});

export const staffSessions = pgTable(
  'staff_sessions',
  {
    id: text('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    createdAt: ms('created_at').notNull(),
    lastSeenAt: ms('last_seen_at').notNull(),
    endedAt: ms('ended_at'),
    endReason: text('end_reason'),
  },
  (t) => [index('staff_sessions_account').on(t.accountId)],
);

export const sittingProctors = pgTable(
  'sitting_proctors',
  {
    sittingId: text('sitting_id')
      .notNull()
      .references(() => sittings.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.accountId] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: serial('id').primaryKey(),
    at: ms('at').notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    sittingId: text('sitting_id'),
    candidateId: integer('candidate_id'),
    action: text('action').notNull(),
    reason: text('reason').notNull(),
    details: json('details').$type<unknown>(),
  },
  (t) => [index('audit_log_sitting').on(t.sittingId, t.at)],
);

export const sittingLog = pgTable(
  'sitting_log',
  {
    sittingId: text('sitting_id')
      .notNull()
      .references(() => sittings.id),
    idx: integer('idx').notNull(),
    leaf: text('leaf').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.idx] })],
);

export const logCheckpoints = pgTable(
  'log_checkpoints',
  {
    sittingId: text('sitting_id')
      .notNull()
      .references(() => sittings.id),
    size: integer('size').notNull(),
    root: text('root').notNull(),
    note: text('note').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.size] })],
);

export const logHeads = pgTable('log_heads', {
  sittingId: text('sitting_id')
    .primaryKey()
    .references(() => sittings.id),
  size: integer('size').notNull(),
  frontier: text('frontier').notNull(),
  checkpointSize: integer('checkpoint_size').notNull().default(0),
  /**
   * what makes this log's answer-leaf nonces its own: the seed commitment of its first leaf (a
   * key and a sitting id used again, on a fresh database, give other nonces); null for a log
   * begun before nonces, whose answer leaves have none
   */
  nonceSalt: text('nonce_salt'),
});
