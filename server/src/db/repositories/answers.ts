import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { answerEvents, candidates } from '../schema.js';

export type AnswerEventRow = typeof answerEvents.$inferSelect;

/**
 * Answer events are append-only evidence: they are written by the core through the writer
 * (db/apply-writes.ts) and only read here; database triggers refuse any UPDATE or DELETE.
 */
export function answerRepository(db: Db) {
  return {
    byCandidate(candidateId: number): AnswerEventRow[] {
      return db.select().from(answerEvents).where(eq(answerEvents.candidateId, candidateId)).orderBy(asc(answerEvents.id)).all();
    },
    bySitting(sittingId: string): AnswerEventRow[] {
      const ids = db.select({ id: candidates.id }).from(candidates).where(eq(candidates.sittingId, sittingId));
      return db.select().from(answerEvents).where(inArray(answerEvents.candidateId, ids)).orderBy(asc(answerEvents.id)).all();
    },
  };
}
