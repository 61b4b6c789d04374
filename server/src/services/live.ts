import type { Question } from '../contract/question.js';
import type { AttemptState } from '../contract/candidate.js';
import type { ProctorAlert } from '../contract/proctor.js';
import type { CandidateRow } from '../db/repositories/candidates.js';
import type { PaperItem } from '../domain/deal.js';
import type { Clock } from '../domain/timing.js';
import type { SectionScores } from '../domain/scoring.js';
import type { CandidateResult } from '../contract/candidate.js';

/**
 * A candidate's paper held compactly: shared question objects plus a byte per option
 * position, so a hall of thousands of candidates stays small in memory.
 */
export class LivePaper {
  readonly width = 6;
  constructor(
    readonly questions: Question[],
    private readonly order: Uint8Array,
  ) {}

  static from(items: PaperItem[], questions: ReadonlyMap<string, Question>): LivePaper {
    const order = new Uint8Array(items.length * 6).fill(255);
    const qs = items.map((it, i) => {
      const q = questions.get(it.questionId);
      if (!q) throw new Error(`paper refers to question ${it.questionId}, which is not in the bank`);
      it.optionOrder.forEach((o, k) => (order[i * 6 + k] = o));
      return q;
    });
    return new LivePaper(qs, order);
  }

  get length(): number {
    return this.questions.length;
  }
  optionCount(i: number): number {
    return this.questions[i].options.length;
  }
  /** bank option index shown at position `shown` of item i */
  bankIndex(i: number, shown: number): number {
    return this.order[i * 6 + shown];
  }
  optionOrder(i: number): number[] {
    return Array.from({ length: this.optionCount(i) }, (_, k) => this.order[i * 6 + k]);
  }
  items(): PaperItem[] {
    return this.questions.map((q, i) => ({ questionId: q.id, section: q.section, optionOrder: this.optionOrder(i) }));
  }
}

export interface LiveAttempt {
  state: AttemptState;
  admittedAt: number | null;
  clock: Clock;
  endedAt: number | null;
  endReason: string | null;
}

/** Everything the server keeps in memory about one candidate of an open sitting. */
export interface LiveCandidate {
  row: CandidateRow;
  attempt: LiveAttempt | null;
  paper: LivePaper | null;
  /** shown choice per item, -1 = blank */
  answers: Int8Array;
  flags: Uint8Array;
  lastSeq: number;
  scores: SectionScores;
  answered: number;
  flagged: number;
  connections: number;
  lastActivity: number | null;
  alerts: Map<ProctorAlert['kind'], ProctorAlert>;
  result: CandidateResult | null;
  /** units submitted to the writer and not yet settled */
  pending: number;
  /** a commit failed: memory may differ from the disk until the candidate is reloaded */
  stale: boolean;
}
