import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { results } from '../schema.js';
import type { SectionScores } from '../../domain/scoring.js';

export type ResultRow = Omit<typeof results.$inferSelect, 'sections'> & { sections: SectionScores };

const fromRow = (r: typeof results.$inferSelect): ResultRow => ({ ...r, sections: JSON.parse(r.sections) as SectionScores });

export function resultRepository(db: Db) {
  return {
    /** A result is written once, when the attempt ends; a second write is ignored. */
    insert(r: ResultRow, tx: Pick<Db, 'insert'> = db): void {
      tx.insert(results).values({ ...r, sections: JSON.stringify(r.sections) }).onConflictDoNothing().run();
    },
    get(candidateId: number): ResultRow | undefined {
      const r = db.select().from(results).where(eq(results.candidateId, candidateId)).get();
      return r ? fromRow(r) : undefined;
    },
    bySitting(sittingId: string): ResultRow[] {
      return db.select().from(results).where(eq(results.sittingId, sittingId)).all().map(fromRow);
    },
  };
}
