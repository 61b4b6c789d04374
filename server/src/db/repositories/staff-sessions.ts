import { isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { staffSessions } from '../schema.js';

export type StaffSessionRow = typeof staffSessions.$inferSelect;

export function staffSessionRepository(db: Db) {
  return {
    /** Every session not ended (the server reads them once, at its first staff request). */
    open(): StaffSessionRow[] {
      return db.select().from(staffSessions).where(isNull(staffSessions.endedAt)).all();
    },
  };
}
