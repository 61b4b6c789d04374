import { count, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { accounts } from '../schema.js';

export type AccountRow = typeof accounts.$inferSelect;

export function accountRepository(db: Db) {
  return {
    get(id: number): AccountRow | undefined {
      return db.select().from(accounts).where(eq(accounts.id, id)).get();
    },
    byUsername(username: string): AccountRow | undefined {
      return db.select().from(accounts).where(eq(accounts.username, username)).get();
    },
    list(): AccountRow[] {
      return db.select().from(accounts).orderBy(accounts.username).all();
    },
    count(): number {
      return db.select({ n: count() }).from(accounts).get()!.n;
    },
  };
}
