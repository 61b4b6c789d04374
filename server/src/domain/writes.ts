import type { AttemptState } from '../contract/candidate.js';
import type { SittingStatus } from './catalog.js';
import type { PaperItem } from './deal.js';
import type { SectionScores } from './scoring.js';

/**
 * What the core asks to be stored, as plain records. The database layer (db/apply-writes.ts)
 * writes them with drizzle, whose schema checks at compile time that every record fits its
 * table. Values are absolute (the state the core already decided), never increments, so a unit
 * retried after a failed batch cannot count anything twice.
 */
export type AnswerKind = 'select' | 'change' | 'clear' | 'flag' | 'unflag';

export type AnswerRecord = {
  candidateId: number;
  item: number;
  kind: AnswerKind;
  /** shown position chosen (select/change), null otherwise */
  choice: number | null;
  /** bank index of the chosen option, for audit without re-dealing */
  optionIndex: number | null;
  clientSeq: number;
  serverTs: number;
  scoreDelta: number;
};

export type AttemptRecord = {
  candidateId: number;
  state: AttemptState;
  admittedAt: number | null;
  startedAt: number | null;
  durationMs: number;
  extensionMs: number;
  pausedMs: number;
  pausedSince: number | null;
  endedAt: number | null;
  endReason: string | null;
};

export type LoginRecord = {
  candidateId: number;
  failedLogins: number;
  lockedAt: number | null;
  loginGeneration: number;
  sessionGeneration: number | null;
};

type ResultRecord = {
  candidateId: number;
  sittingId: string;
  sections: SectionScores;
  total: number;
  thresholdSet: string;
  passed: boolean;
  receiptId: string;
  finishedAt: number;
  endReason: string;
};

export type AuditRecord = {
  at: number;
  actorId: number | null;
  actorName: string;
  actorRole: string;
  sittingId: string | null;
  candidateId: number | null;
  action: string;
  reason: string;
  details: unknown;
};

type SittingStatusRecord = {
  sittingId: string;
  status: SittingStatus;
  openedAt: number | null;
  startedAt: number | null;
  closedAt: number | null;
};

export type Write =
  | { kind: 'answer'; record: AnswerRecord }
  | { kind: 'attempt'; record: AttemptRecord }
  | { kind: 'login'; record: LoginRecord }
  /** a dealt paper is written once; a second write for the same candidate is ignored */
  | { kind: 'paper'; candidateId: number; items: PaperItem[]; dealtAt: number }
  /** a result is written once; a second write is ignored */
  | { kind: 'result'; record: ResultRecord }
  | { kind: 'audit'; record: AuditRecord }
  | { kind: 'sitting-status'; record: SittingStatusRecord };
