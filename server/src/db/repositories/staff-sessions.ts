import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { staffSessions } from '../schema.js';

export type StaffSessionRow = typeof staffSessions.$inferSelect;

export function staffSessionRepository(db: Db) {
  return {
    get(id: string): StaffSessionRow | undefined {
      return db.select().from(staffSessions).where(eq(staffSessions.id, id)).get();
    },
    openOf(accountId: number): StaffSessionRow[] {
      return db
        .select()
        .from(staffSessions)
        .where(and(eq(staffSessions.accountId, accountId), isNull(staffSessions.endedAt)))
        .all();
    },
  };
}
