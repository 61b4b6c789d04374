import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { sittingProctors, sittings } from '../schema.js';

export type SittingRow = typeof sittings.$inferSelect;

export function sittingRepository(db: Db) {
  return {
    get(id: string): SittingRow | undefined {
      return db.select().from(sittings).where(eq(sittings.id, id)).get();
    },
    list(): SittingRow[] {
      return db.select().from(sittings).orderBy(sittings.scheduledStart).all();
    },
    isProctorOf(sittingId: string, accountId: number): boolean {
      return !!db
        .select()
        .from(sittingProctors)
        .where(and(eq(sittingProctors.sittingId, sittingId), eq(sittingProctors.accountId, accountId)))
        .get();
    },
    sittingIdsOf(accountId: number): string[] {
      return db.select({ id: sittingProctors.sittingId }).from(sittingProctors).where(eq(sittingProctors.accountId, accountId)).all().map((r) => r.id);
    },
  };
}
