import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { candidates } from '../schema.js';

export type CandidateRow = typeof candidates.$inferSelect;
export type NewCandidate = typeof candidates.$inferInsert;

export function candidateRepository(db: Db) {
  const saveLoginState = db
    .update(candidates)
    .set({
      failedLogins: sql`${sql.placeholder('failedLogins')}`,
      lockedAt: sql`${sql.placeholder('lockedAt')}`,
      loginGeneration: sql`${sql.placeholder('loginGeneration')}`,
      sessionGeneration: sql`${sql.placeholder('sessionGeneration')}`,
    })
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
    /** The roster in registration order, ids only. */
    idsBySitting(sittingId: string): number[] {
      return db.select({ id: candidates.id }).from(candidates).where(eq(candidates.sittingId, sittingId)).orderBy(candidates.registrationNumber).all().map((r) => r.id);
    },
    /** The login fields as the engine holds them: failed logins, lock, generations. */
    saveLoginState(id: number, s: Pick<CandidateRow, 'failedLogins' | 'lockedAt' | 'loginGeneration' | 'sessionGeneration'>): void {
      saveLoginState.run({ id, failedLogins: s.failedLogins, lockedAt: s.lockedAt, loginGeneration: s.loginGeneration, sessionGeneration: s.sessionGeneration });
    },
    setPinHash(id: number, pinHash: string): void {
      db.update(candidates).set({ pinHash }).where(eq(candidates.id, id)).run();
    },
  };
}
