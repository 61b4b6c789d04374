import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { attempts, candidates } from '../schema.js';

export type AttemptRow = typeof attempts.$inferSelect;
export type AttemptState = 'waiting' | 'admitted' | 'in_progress' | 'finished' | 'terminated';

/** The engine writes attempts through its durable writer (db/write-ops.ts); insert is for seeding. */
export function attemptRepository(db: Db) {
  return {
    insert(row: typeof attempts.$inferInsert): void {
      db.insert(attempts).values(row).onConflictDoNothing().run();
    },
    get(candidateId: number): AttemptRow | undefined {
      return db.select().from(attempts).where(eq(attempts.candidateId, candidateId)).get();
    },
    listBySitting(sittingId: string): AttemptRow[] {
      const ids = db.select({ id: candidates.id }).from(candidates).where(eq(candidates.sittingId, sittingId));
      return db.select().from(attempts).where(inArray(attempts.candidateId, ids)).all();
    },
  };
}
