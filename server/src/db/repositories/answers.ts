import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { answerEvents, candidates } from '../schema.js';

export type AnswerEventRow = typeof answerEvents.$inferSelect;

/**
 * Answer events are append-only evidence: they are written by the core through the writer
 * (db/apply-writes.ts) and only read here; database triggers refuse any UPDATE or DELETE.
 */
export function answerRepository(db: Db) {
  return {
    /** the log leaf of a candidate's change, for the ack of a retry (the unique index finds it) */
    logIndex(candidateId: number, clientSeq: number): number | null {
      return db.select({ i: answerEvents.logIdx }).from(answerEvents).where(and(eq(answerEvents.candidateId, candidateId), eq(answerEvents.clientSeq, clientSeq))).get()?.i ?? null;
    },
    byCandidate(candidateId: number): AnswerEventRow[] {
      return db.select().from(answerEvents).where(eq(answerEvents.candidateId, candidateId)).orderBy(asc(answerEvents.id)).all();
    },
    bySitting(sittingId: string): AnswerEventRow[] {
      const ids = db.select({ id: candidates.id }).from(candidates).where(eq(candidates.sittingId, sittingId));
      return db.select().from(answerEvents).where(inArray(answerEvents.candidateId, ids)).orderBy(asc(answerEvents.id)).all();
    },
    /**
     * Every event of a sitting in the order stored, one at a time, as
     * [candidateId, item, kind, choice, clientSeq, serverTs]: start-up replays a hall's events
     * without holding them all as objects (a million of them took seconds and hundreds of MB).
     */
    *streamBySitting(sittingId: string): Generator<[number, number, AnswerEventRow['kind'], number | null, number, number]> {
      const ids = db.select({ id: candidates.id }).from(candidates).where(eq(candidates.sittingId, sittingId));
      const query = db
        .select({ c: answerEvents.candidateId, i: answerEvents.item, k: answerEvents.kind, ch: answerEvents.choice, s: answerEvents.clientSeq, t: answerEvents.serverTs })
        .from(answerEvents)
        .where(inArray(answerEvents.candidateId, ids))
        .orderBy(asc(answerEvents.id))
        .toSQL();
      yield* db.$client.prepare(query.sql).raw().iterate(...(query.params as unknown[])) as Iterable<[number, number, AnswerEventRow['kind'], number | null, number, number]>;
    },
  };
}
