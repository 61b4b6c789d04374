import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { answerEvents, candidates } from '../schema.js';

export type AnswerEventRow = typeof answerEvents.$inferSelect;
export type NewAnswerEvent = typeof answerEvents.$inferInsert;
export type AnswerKind = 'select' | 'change' | 'clear' | 'flag' | 'unflag';

/**
 * Answer events are append-only evidence: this repository can add and read them and has no
 * path that updates or deletes one (the database triggers refuse it as well). The engine's
 * answers are written by the durable writer (db/write-ops.ts), not through here.
 */
export function answerRepository(db: Db) {
  return {
    /** Appends in the caller's transaction when there is one (group commit). */
    append(rows: NewAnswerEvent[], tx: Pick<Db, 'insert'> = db): void {
      for (let i = 0; i < rows.length; i += 500) tx.insert(answerEvents).values(rows.slice(i, i + 500)).run();
    },
    byCandidate(candidateId: number): AnswerEventRow[] {
      return db.select().from(answerEvents).where(eq(answerEvents.candidateId, candidateId)).orderBy(asc(answerEvents.id)).all();
    },
    bySitting(sittingId: string): AnswerEventRow[] {
      const ids = db.select({ id: candidates.id }).from(candidates).where(eq(candidates.sittingId, sittingId));
      return db.select().from(answerEvents).where(inArray(answerEvents.candidateId, ids)).orderBy(asc(answerEvents.id)).all();
    },
  };
}
