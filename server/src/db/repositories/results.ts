import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { results } from '../schema.js';
import type { SectionScores } from '../../domain/scoring.js';

export type ResultRow = Omit<typeof results.$inferSelect, 'sections'> & { sections: SectionScores };

const fromRow = (r: typeof results.$inferSelect): ResultRow => ({ ...r, sections: JSON.parse(r.sections) as SectionScores });

/** Results are written once, by the engine's durable writer (db/write-ops.ts); this reads them. */
export function resultRepository(db: Db) {
  return {
    get(candidateId: number): ResultRow | undefined {
      const r = db.select().from(results).where(eq(results.candidateId, candidateId)).get();
      return r ? fromRow(r) : undefined;
    },
    bySitting(sittingId: string): ResultRow[] {
      return db.select().from(results).where(eq(results.sittingId, sittingId)).all().map(fromRow);
    },
  };
}
