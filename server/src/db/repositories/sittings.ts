import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { accounts, sittingProctors, sittings } from '../schema.js';

export type SittingRow = typeof sittings.$inferSelect;

export function sittingRepository(db: Db) {
  return {
    get(id: string): SittingRow | undefined {
      return db.select().from(sittings).where(eq(sittings.id, id)).get();
    },
    list(): SittingRow[] {
      return db.select().from(sittings).orderBy(asc(sittings.scheduledStart), asc(sittings.id)).all();
    },
    isProctorOf(sittingId: string, accountId: number): boolean {
      return !!db
        .select()
        .from(sittingProctors)
        .where(and(eq(sittingProctors.sittingId, sittingId), eq(sittingProctors.accountId, accountId)))
        .get();
    },
    /** Sittings dealing from a bank or under a template. */
    using(what: { bankId?: string; templateId?: string }): SittingRow[] {
      const cond = what.bankId !== undefined ? eq(sittings.bankId, what.bankId) : eq(sittings.templateId, what.templateId ?? '');
      return db.select().from(sittings).where(cond).orderBy(asc(sittings.id)).all();
    },
    proctorsOf(sittingId: string): { id: number; username: string; displayName: string; role: 'admin' | 'proctor'; disabled: boolean }[] {
      return db
        .select({ id: accounts.id, username: accounts.username, displayName: accounts.displayName, role: accounts.role, disabled: accounts.disabled })
        .from(sittingProctors)
        .innerJoin(accounts, eq(accounts.id, sittingProctors.accountId))
        .where(eq(sittingProctors.sittingId, sittingId))
        .orderBy(asc(accounts.username))
        .all();
    },
    sittingIdsOf(accountId: number): string[] {
      return db.select({ id: sittingProctors.sittingId }).from(sittingProctors).where(eq(sittingProctors.accountId, accountId)).all().map((r) => r.id);
    },
  };
}
