import { z } from 'zod';
import type { Ack, ErrorBody } from './errors.js';

/** POST /api/candidate/login */
export const CandidateLoginSchema = z.object({
  registrationNumber: z.string().trim().min(1).max(40),
  pin: z.string().trim().min(1).max(20),
  /** the sitting's current token, when the sitting requires one */
  token: z.string().trim().max(20).optional(),
  /** only needed when the registration number is on more than one open sitting */
  sittingId: z.string().max(64).optional(),
});
export type CandidateLogin = z.infer<typeof CandidateLoginSchema>;

export interface CandidateLoginResult {
  /** present it as `auth: { session }` when connecting to /candidate */
  session: string;
  candidateId: number;
  sittingId: string;
}

export const AttemptStateSchema = z.enum(['waiting', 'admitted', 'in_progress', 'finished', 'terminated']);
export type AttemptState = z.infer<typeof AttemptStateSchema>;

/** One question as the candidate sees it: no key, no weights, no bank id. */
export interface CandidateItem {
  /** 0-based position in the paper; what answers refer to */
  n: number;
  section: string;
  stem: string;
  /** in the candidate's shuffled order; answers give the position in this list */
  options: string[];
}

export interface SectionInfo {
  id: string;
  title: string;
  /** first and last item positions of the section */
  from: number;
  to: number;
}

export interface CandidateResult {
  sections: Record<string, number>;
  sectionTitles: Record<string, string>;
  total: number;
  maxTotal: number;
  passed: boolean;
  thresholdSet: string;
  thresholdSetName: string;
  failures: { on: string; required: number; actual: number }[];
  receiptId: string;
  /**
   * The signed receipt (a C2SP signed note, docs/verifiability.md): registration number, paper
   * and answers hashes, section scores, the finish leaf and the log's size and root. Null for an
   * attempt that never started, which has no finish in the log.
   */
  receipt: string | null;
  finishedAt: number;
  endReason: string;
}

/**
 * An unscored sample question for the practice round. Practice items are public samples, so
 * the points of each option travel with them for immediate feedback; nothing is sent back.
 */
export interface PracticeItem {
  section: string;
  stem: string;
  options: string[];
  /** points each option would earn (keyed: the correct one only; weighted: every weight) */
  points: number[];
}

export interface CandidateState {
  sitting: { id: string; name: string; status: string; site: string; room: string };
  candidate: { registrationNumber: string; name: string; formation: string; group: string; photoUrl: string | null };
  attempt: {
    state: AttemptState;
    paused: boolean;
    remainingMs: number;
    durationMs: number;
    /** the server's clock when this was sent: the client counts down from remainingMs, never from its own clock */
    serverTime: number;
    endReason: string | null;
  };
  sections: SectionInfo[];
  /** null until the exam has started */
  items: CandidateItem[] | null;
  answers: (number | null)[];
  flags: boolean[];
  /** highest client sequence number the server has applied; continue from lastSeq + 1 */
  lastSeq: number;
  /** the item of the candidate's last stored answer or flag (0 before any): where a new PC opens the exam */
  resumeAt: number;
  /**
   * Where the candidate checks their receipt (the QR code on the result screen points there):
   * the server's public address when configured (KACA_PUBLIC_URL), else null and the client
   * uses its own origin's /verify/.
   */
  verifyUrl: string | null;
  result: CandidateResult | null;
  /** the practice round, offered before the clock starts when the sitting has one */
  practice: PracticeItem[] | null;
}

export const AnswerSubmitSchema = z.object({
  seq: z.number().int().positive(),
  item: z.number().int().min(0),
  /** shown option position, or null to clear */
  choice: z.number().int().min(0).nullable(),
});
export type AnswerSubmit = z.infer<typeof AnswerSubmitSchema>;

export const FlagSetSchema = z.object({
  seq: z.number().int().positive(),
  item: z.number().int().min(0),
  flagged: z.boolean(),
});
export type FlagSet = z.infer<typeof FlagSetSchema>;

export const ClientReportSchema = z.object({
  kind: z.enum(['focus-lost', 'focus-returned', 'fullscreen-exited', 'fullscreen-entered']),
});
export type ClientReport = z.infer<typeof ClientReportSchema>;

/** Events that take no arguments accept nothing, null or {}: anything else is malformed. */
export const EmptySchema = z.union([z.undefined(), z.null(), z.object({}).strict()]);

export interface AnswerAck {
  seq: number;
  item: number;
  choice: number | null;
  flagged: boolean;
  /** false when the seq was already applied (a retry): nothing changed */
  applied: boolean;
  savedAt: number;
  /** index of this change's leaf in the sitting's log (docs/verifiability.md); for a retry, the leaf of the first time */
  logIndex: number | null;
}

/**
 * A new clock. The proctor's reason never comes with it (it goes to the berita acara): the exam
 * client says something fixed per event, with the minutes an extension added.
 */
export interface TimePush {
  remainingMs: number;
  serverTime: number;
  paused: boolean;
  /** time:adjusted only: how much the proctor added */
  addedMs?: number;
}

/**
 * Events a candidate's client sends, with the payloads a correct client sends and the ack it gets.
 * The server takes every payload as unknown and checks it against the schemas above.
 */
export interface CandidateClientEvents {
  'exam:start': (ack: (r: Ack<CandidateState>) => void) => void;
  'answer:submit': (payload: AnswerSubmit, ack: (r: Ack<AnswerAck>) => void) => void;
  'flag:set': (payload: FlagSet, ack: (r: Ack<AnswerAck>) => void) => void;
  'exam:finish': (ack: (r: Ack<CandidateResult>) => void) => void;
  'state:get': (ack: (r: Ack<CandidateState>) => void) => void;
  'client:report': (payload: ClientReport, ack: (r: Ack<{ recorded: true }>) => void) => void;
}

export interface CandidateServerEvents {
  /** a failed event sent without an ack callback */
  'error:event': (p: { event: string; error: ErrorBody }) => void;
  'state:snapshot': (state: CandidateState) => void;
  'attempt:admitted': (state: CandidateState) => void;
  /** the sitting opened, started or closed: a candidate waiting to start may start now */
  'sitting:updated': (sitting: CandidateState['sitting']) => void;
  'time:adjusted': (t: TimePush) => void;
  'exam:paused': (t: TimePush) => void;
  'exam:resumed': (t: TimePush) => void;
  /** reason: the end reason ("terminated"), never the proctor's words */
  'exam:terminated': (p: { reason: string; result: CandidateResult }) => void;
  'exam:finished': (p: { result: CandidateResult }) => void;
  'session:revoked': (p: { reason: string }) => void;
}
