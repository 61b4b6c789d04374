import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { accounts } from '../schema.js';

export type AccountRow = typeof accounts.$inferSelect;
export type Role = 'admin' | 'proctor';

export function accountRepository(db: Db) {
  return {
    insert(row: typeof accounts.$inferInsert): AccountRow {
      return db.insert(accounts).values(row).returning().get();
    },
    get(id: number): AccountRow | undefined {
      return db.select().from(accounts).where(eq(accounts.id, id)).get();
    },
    byUsername(username: string): AccountRow | undefined {
      return db.select().from(accounts).where(eq(accounts.username, username)).get();
    },
    list(): AccountRow[] {
      return db.select().from(accounts).orderBy(accounts.username).all();
    },
    update(id: number, patch: Partial<Pick<AccountRow, 'displayName' | 'passwordHash' | 'role' | 'disabled'>>): void {
      db.update(accounts).set(patch).where(eq(accounts.id, id)).run();
    },
    count(): number {
      return db.select().from(accounts).all().length;
    },
  };
}
