import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { papers } from '../schema.js';
import type { PaperItem } from '../../domain/deal.js';

export function paperRepository(db: Db) {
  const insert = db
    .insert(papers)
    .values({ candidateId: sql.placeholder('candidateId'), items: sql.placeholder('items'), dealtAt: sql.placeholder('dealtAt') })
    .onConflictDoNothing()
    .prepare();
  return {
    /** A dealt paper is fixed for good: a second deal for the same candidate is ignored. */
    insert(candidateId: number, items: PaperItem[], now: number): void {
      insert.run({ candidateId, items: JSON.stringify(items), dealtAt: now });
    },
    get(candidateId: number): PaperItem[] | undefined {
      const row = db.select().from(papers).where(eq(papers.candidateId, candidateId)).get();
      return row ? (JSON.parse(row.items) as PaperItem[]) : undefined;
    },
    many(candidateIds: number[]): Map<number, PaperItem[]> {
      const out = new Map<number, PaperItem[]>();
      for (let i = 0; i < candidateIds.length; i += 500) {
        for (const r of db.select().from(papers).where(inArray(papers.candidateId, candidateIds.slice(i, i + 500))).all()) {
          out.set(r.candidateId, JSON.parse(r.items) as PaperItem[]);
        }
      }
      return out;
    },
  };
}
