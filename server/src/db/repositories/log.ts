import { and, asc, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { LogEvent } from '../../domain/log-events.js';
import type { AnswerKind } from '../../domain/writes.js';
import type { Db } from '../client.js';
import { answerEvents, candidates, logCheckpoints, logHeads, papers, sittingLog } from '../schema.js';
import { encodeEvent } from '../sitting-log.js';

/** Sections of each candidate's paper by item, kept across the pages of one read (an export reads every leaf). */
export type SectionCache = Map<number, string[]>;

/** An answer or flag leaf as its answer_events row holds it. */
export interface AnswerLeafRow {
  i: number | null;
  candidateId: number;
  reg: string;
  item: number;
  kind: AnswerKind;
  choice: number | null;
  seq: number;
  t: number;
  delta: number;
  /** null for flags and for answers stored before nonces */
  nonce: string | null;
}

/**
 * Fills the leaves [from, from + out.length) not stored as text with those written back from
 * answer rows (the sections of each candidate's paper in `sections`), exactly as the writer
 * encoded them. Throws if one is still missing. Shared by both dialects' repositories.
 */
export function assembleLeaves(sittingId: string, from: number, out: (string | undefined)[], rows: readonly AnswerLeafRow[], sections: SectionCache): string[] {
  for (const r of rows) {
    const i = r.i!;
    const paper = sections.get(r.candidateId);
    if (!paper) throw new Error(`leaf ${i} of sitting ${sittingId}'s log is an answer of candidate ${r.candidateId}, who has no paper`);
    const event: LogEvent =
      r.kind === 'flag' || r.kind === 'unflag'
        ? { type: 'flag', t: r.t, reg: r.reg, item: r.item, flagged: r.kind === 'flag', seq: r.seq }
        : { type: 'answer', t: r.t, reg: r.reg, item: r.item, section: paper[r.item], choice: r.choice, delta: r.delta, seq: r.seq };
    out[i - from] = encodeEvent(event, i, r.nonce ?? undefined);
  }
  const hole = out.findIndex((l) => l === undefined);
  if (hole >= 0) throw new Error(`leaf ${from + hole} of sitting ${sittingId}'s log is missing from the database`);
  return out as string[];
}

/** The sitting logs, written only by the writer (db/sitting-log.ts); triggers keep leaves and checkpoints append-only. */
export function logRepository(db: Db) {
  return {
    size(sittingId: string): number {
      return db.select({ size: logHeads.size }).from(logHeads).where(eq(logHeads.sittingId, sittingId)).get()?.size ?? 0;
    },
    latestCheckpoint(sittingId: string): { size: number; note: string } | undefined {
      return db.select({ size: logCheckpoints.size, note: logCheckpoints.note }).from(logCheckpoints).where(eq(logCheckpoints.sittingId, sittingId)).orderBy(desc(logCheckpoints.size)).limit(1).get();
    },
    checkpoints(sittingId: string): string[] {
      return db
        .select({ note: logCheckpoints.note })
        .from(logCheckpoints)
        .where(eq(logCheckpoints.sittingId, sittingId))
        .orderBy(asc(logCheckpoints.size))
        .all()
        .map((r) => r.note);
    },
    /**
     * Leaves [from, to) as canonical JSON, one bounded query each so that a long read never holds
     * the connection: those stored in sitting_log, and the answers and flags written back from
     * their answer_events rows exactly as the writer encoded them. Throws if one is missing.
     */
    leaves(sittingId: string, from: number, to: number, sections: SectionCache = new Map()): string[] {
      const out = new Array<string | undefined>(Math.max(0, to - from));
      for (const r of db
        .select({ idx: sittingLog.idx, leaf: sittingLog.leaf })
        .from(sittingLog)
        .where(and(eq(sittingLog.sittingId, sittingId), gte(sittingLog.idx, from), lt(sittingLog.idx, to)))
        .all()) {
        out[r.idx - from] = r.leaf;
      }
      const rows = db
        .select({ i: answerEvents.logIdx, candidateId: answerEvents.candidateId, reg: candidates.registrationNumber, item: answerEvents.item, kind: answerEvents.kind, choice: answerEvents.choice, seq: answerEvents.clientSeq, t: answerEvents.serverTs, delta: answerEvents.scoreDelta, nonce: answerEvents.nonce })
        .from(answerEvents)
        .innerJoin(candidates, eq(candidates.id, answerEvents.candidateId))
        .where(and(eq(answerEvents.sittingId, sittingId), gte(answerEvents.logIdx, from), lt(answerEvents.logIdx, to)))
        .all();
      const missing = [...new Set(rows.map((r) => r.candidateId))].filter((id) => !sections.has(id));
      for (let k = 0; k < missing.length; k += 500) {
        for (const p of db.select({ id: papers.candidateId, items: papers.items }).from(papers).where(inArray(papers.candidateId, missing.slice(k, k + 500))).all()) {
          sections.set(p.id, p.items.map((it) => it.section));
        }
      }
      return assembleLeaves(sittingId, from, out, rows, sections);
    },
  };
}
