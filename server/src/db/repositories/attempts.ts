import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { attempts, candidates } from '../schema.js';

export type AttemptRow = typeof attempts.$inferSelect;
export type AttemptState = 'waiting' | 'admitted' | 'in_progress' | 'finished' | 'terminated';

// Wrapped in sql`` because drizzle types update().set() placeholders only as SQL.
const p = (name: string) => sql`${sql.placeholder(name)}`;

export function attemptRepository(db: Db) {
  // Prepared once: every start, pause, extension and finish of every candidate goes through here.
  const save = db
    .update(attempts)
    .set({
      state: p('state'),
      admittedAt: p('admittedAt'),
      startedAt: p('startedAt'),
      durationMs: p('durationMs'),
      extensionMs: p('extensionMs'),
      pausedMs: p('pausedMs'),
      pausedSince: p('pausedSince'),
      endedAt: p('endedAt'),
      endReason: p('endReason'),
    })
    .where(eq(attempts.candidateId, p('candidateId')))
    .prepare();
  const insert = db
    .insert(attempts)
    .values({ candidateId: p('candidateId'), state: p('state'), admittedAt: p('admittedAt'), durationMs: p('durationMs') })
    .onConflictDoNothing()
    .prepare();
  return {
    /** Writes the whole attempt row. */
    save(row: AttemptRow): void {
      save.run(row);
    },
    /** A new attempt at login: nothing started yet. */
    create(row: Pick<AttemptRow, 'candidateId' | 'state' | 'admittedAt' | 'durationMs'>): void {
      insert.run(row);
    },
    insert(row: typeof attempts.$inferInsert): void {
      db.insert(attempts).values(row).onConflictDoNothing().run();
    },
    get(candidateId: number): AttemptRow | undefined {
      return db.select().from(attempts).where(eq(attempts.candidateId, candidateId)).get();
    },
    update(candidateId: number, patch: Partial<Omit<AttemptRow, 'candidateId'>>): void {
      db.update(attempts).set(patch).where(eq(attempts.candidateId, candidateId)).run();
    },
    listBySitting(sittingId: string): AttemptRow[] {
      const ids = db.select({ id: candidates.id }).from(candidates).where(eq(candidates.sittingId, sittingId));
      return db.select().from(attempts).where(inArray(attempts.candidateId, ids)).all();
    },
  };
}
