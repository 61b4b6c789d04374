import { and, asc, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog } from '../schema.js';

export type AuditRow = typeof auditLog.$inferSelect;

export function auditRepository(db: Db) {
  return {
    bySitting(sittingId: string): AuditRow[] {
      return db.select().from(auditLog).where(eq(auditLog.sittingId, sittingId)).orderBy(asc(auditLog.id)).all();
    },
    /** The whole log, newest first, a page at a time (`before`: the last id of the previous page). */
    page(q: { sittingId?: string; action?: string; before?: number; limit: number }): AuditRow[] {
      const where: SQL[] = [];
      if (q.sittingId) where.push(eq(auditLog.sittingId, q.sittingId));
      if (q.action) where.push(eq(auditLog.action, q.action));
      if (q.before) where.push(lt(auditLog.id, q.before));
      return db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(q.limit).all();
    },
  };
}
