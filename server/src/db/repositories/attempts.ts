import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { attempts, candidates } from '../schema.js';

export type AttemptRow = typeof attempts.$inferSelect;

export function attemptRepository(db: Db) {
  return {
    get(candidateId: number): AttemptRow | undefined {
      return db.select().from(attempts).where(eq(attempts.candidateId, candidateId)).get();
    },
    listBySitting(sittingId: string): AttemptRow[] {
      const ids = db.select({ id: candidates.id }).from(candidates).where(eq(candidates.sittingId, sittingId));
      return db.select().from(attempts).where(inArray(attempts.candidateId, ids)).all();
    },
  };
}
