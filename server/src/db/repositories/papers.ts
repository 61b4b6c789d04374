import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { papers } from '../schema.js';
import type { PaperItem } from '../../domain/deal.js';

export function paperRepository(db: Db) {
  return {
    get(candidateId: number): PaperItem[] | undefined {
      return db.select().from(papers).where(eq(papers.candidateId, candidateId)).get()?.items;
    },
    many(candidateIds: number[]): Map<number, PaperItem[]> {
      const out = new Map<number, PaperItem[]>();
      for (let i = 0; i < candidateIds.length; i += 500) {
        for (const r of db.select().from(papers).where(inArray(papers.candidateId, candidateIds.slice(i, i + 500))).all()) out.set(r.candidateId, r.items);
      }
      return out;
    },
  };
}
