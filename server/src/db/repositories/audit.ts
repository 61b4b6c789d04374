import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog } from '../schema.js';

export type AuditRow = Omit<typeof auditLog.$inferSelect, 'details'> & { details: unknown };
export type NewAudit = Omit<typeof auditLog.$inferInsert, 'id' | 'details'> & { details?: unknown };

export function auditRepository(db: Db) {
  return {
    append(entry: NewAudit, tx: Pick<Db, 'insert'> = db): AuditRow {
      const row = tx
        .insert(auditLog)
        .values({ ...entry, details: entry.details === undefined ? null : JSON.stringify(entry.details) })
        .returning()
        .get();
      return { ...row, details: row.details ? JSON.parse(row.details) : null };
    },
    bySitting(sittingId: string): AuditRow[] {
      return db
        .select()
        .from(auditLog)
        .where(eq(auditLog.sittingId, sittingId))
        .orderBy(asc(auditLog.id))
        .all()
        .map((r) => ({ ...r, details: r.details ? JSON.parse(r.details) : null }));
    },
  };
}
