import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { candidates } from '../schema.js';

export type CandidateRow = typeof candidates.$inferSelect;

export function candidateRepository(db: Db) {
  return {
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
  };
}
