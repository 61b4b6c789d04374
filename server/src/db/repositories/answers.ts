import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { answerEvents, candidates } from '../schema.js';

export type AnswerEventRow = typeof answerEvents.$inferSelect;

/**
 * Answer events are append-only evidence: they are written by the core through the writer
 * (db/apply-writes.ts) and only read here; database triggers refuse any UPDATE or DELETE.
 */
export function answerRepository(db: Db) {
  /** a sitting's events in the order stored (its leaves are numbered as they commit; rows from before the log first) */
  const ofSitting = (sittingId: string) => eq(answerEvents.sittingId, sittingId);
  const inOrder = [asc(answerEvents.logIdx), asc(answerEvents.id)] as const;
  return {
    /**
     * A candidate's events, read from their sitting's range (no index by candidate: see
     * schema.ts), so this costs a read of the sitting. The engine replays a whole sitting at once
     * (streamBySitting) and reads one candidate only when it must.
     */
    byCandidate(candidateId: number): AnswerEventRow[] {
      const sittingId = db.select({ s: candidates.sittingId }).from(candidates).where(eq(candidates.id, candidateId)).get()?.s;
      if (sittingId === undefined) return [];
      return db
        .select()
        .from(answerEvents)
        .where(and(ofSitting(sittingId), eq(answerEvents.candidateId, candidateId)))
        .orderBy(...inOrder)
        .all();
    },
    bySitting(sittingId: string): AnswerEventRow[] {
      return db
        .select()
        .from(answerEvents)
        .where(ofSitting(sittingId))
        .orderBy(...inOrder)
        .all();
    },
    /**
     * Every event of a sitting in the order stored, one at a time, as
     * [candidateId, item, kind, choice, clientSeq, serverTs, logIdx]: start-up replays a hall's
     * events without holding them all as objects (a million of them took seconds and hundreds of MB).
     */
    *streamBySitting(sittingId: string): Generator<[number, number, AnswerEventRow['kind'], number | null, number, number, number | null]> {
      const query = db
        .select({ c: answerEvents.candidateId, i: answerEvents.item, k: answerEvents.kind, ch: answerEvents.choice, s: answerEvents.clientSeq, t: answerEvents.serverTs, l: answerEvents.logIdx })
        .from(answerEvents)
        .where(ofSitting(sittingId))
        .orderBy(...inOrder)
        .toSQL();
      yield* db.$client.prepare(query.sql).raw().iterate(...(query.params as unknown[])) as Iterable<[number, number, AnswerEventRow['kind'], number | null, number, number, number | null]>;
    },
  };
}
