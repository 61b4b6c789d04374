import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog } from '../schema.js';

export type AuditRow = typeof auditLog.$inferSelect;

export function auditRepository(db: Db) {
  return {
    bySitting(sittingId: string): AuditRow[] {
      return db.select().from(auditLog).where(eq(auditLog.sittingId, sittingId)).orderBy(asc(auditLog.id)).all();
    },
  };
}
