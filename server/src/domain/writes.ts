import type { AttemptState } from '../contract/candidate.js';
import type { LogEvent } from './log-events.js';
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
  sittingId: string;
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
  /** the beacon round's signature and randomness, entered when a sitting with a beacon round starts */
  beaconRandomness?: string | null;
  beaconSignature?: string | null;
  /** set when the sitting opens: the questions retired then, which its papers never come from */
  dealtWithout?: string[] | null;
  openedAt: number | null;
  startedAt: number | null;
  closedAt: number | null;
};

/** What a receipt says of the candidate; the writer adds the log's origin, the finish leaf and the log's size and root. */
export type ReceiptBody = {
  registrationNumber: string;
  paperHash: string;
  answersHash: string;
  /** [section, points] in template order */
  scores: [string, number][];
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
  | { kind: 'sitting-status'; record: SittingStatusRecord }
  /**
   * An event of the sitting's log: the writer numbers it, appends it and gives its index as the
   * op's value. Directly before the answer op of the same change, so the answer row keeps the
   * index (db/committer.ts).
   */
  | { kind: 'log'; sittingId: string; event: LogEvent }
  /** signs the candidate's receipt right after their finish leaf (the op before) and stores it with the result; the value is the note */
  | { kind: 'receipt'; candidateId: number; sittingId: string; body: ReceiptBody };
