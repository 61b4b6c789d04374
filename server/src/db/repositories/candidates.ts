import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { candidates } from '../schema.js';

export type CandidateRow = typeof candidates.$inferSelect;
export type NewCandidate = typeof candidates.$inferInsert;

export function candidateRepository(db: Db) {
  const markSession = db
    .update(candidates)
    .set({ sessionGeneration: sql`${sql.placeholder('generation')}`, failedLogins: 0 })
    .where(eq(candidates.id, sql.placeholder('id')))
    .prepare();
  return {
    insertMany(rows: NewCandidate[]): void {
      db.transaction((tx) => {
        for (let i = 0; i < rows.length; i += 500) tx.insert(candidates).values(rows.slice(i, i + 500)).run();
      });
    },
    get(id: number): CandidateRow | undefined {
      return db.select().from(candidates).where(eq(candidates.id, id)).get();
    },
    byRegistration(sittingId: string, registrationNumber: string): CandidateRow | undefined {
      return db
        .select()
        .from(candidates)
        .where(and(eq(candidates.sittingId, sittingId), eq(candidates.registrationNumber, registrationNumber)))
        .get();
    },
    /** Every sitting a registration number is on (login without naming the sitting). */
    allByRegistration(registrationNumber: string): CandidateRow[] {
      return db.select().from(candidates).where(eq(candidates.registrationNumber, registrationNumber)).all();
    },
    listBySitting(sittingId: string): CandidateRow[] {
      return db.select().from(candidates).where(eq(candidates.sittingId, sittingId)).orderBy(candidates.registrationNumber).all();
    },
    countBySitting(sittingId: string): number {
      return db.select({ n: sql<number>`count(*)` }).from(candidates).where(eq(candidates.sittingId, sittingId)).get()?.n ?? 0;
    },
    recordFailedLogin(id: number, lockAfter: number, now: number): CandidateRow {
      return db
        .update(candidates)
        .set({
          failedLogins: sql`${candidates.failedLogins} + 1`,
          lockedAt: sql`CASE WHEN ${candidates.failedLogins} + 1 >= ${lockAfter} THEN coalesce(${candidates.lockedAt}, ${now}) ELSE ${candidates.lockedAt} END`,
        })
        .where(eq(candidates.id, id))
        .returning()
        .get();
    },
    clearFailedLogins(id: number): void {
      db.update(candidates).set({ failedLogins: 0 }).where(eq(candidates.id, id)).run();
    },
    /** A proctor's reset: unlock, and invalidate the live session by bumping its generation. */
    resetLogin(id: number): CandidateRow {
      return db
        .update(candidates)
        .set({ failedLogins: 0, lockedAt: null, loginGeneration: sql`${candidates.loginGeneration} + 1` })
        .where(eq(candidates.id, id))
        .returning()
        .get();
    },
    /** A session was issued in this login generation (one live login per candidate). */
    markSession(id: number, generation: number): void {
      markSession.run({ id, generation });
    },
    setPinHash(id: number, pinHash: string): void {
      db.update(candidates).set({ pinHash }).where(eq(candidates.id, id)).run();
    },
  };
}
