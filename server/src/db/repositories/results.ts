import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { results } from '../schema.js';

export type ResultRow = typeof results.$inferSelect;

/** Results are written once, by the core through the writer; this reads them. */
export function resultRepository(db: Db) {
  return {
    get(candidateId: number): ResultRow | undefined {
      return db.select().from(results).where(eq(results.candidateId, candidateId)).get();
    },
    bySitting(sittingId: string): ResultRow[] {
      return db.select().from(results).where(eq(results.sittingId, sittingId)).all();
    },
  };
}
