import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { examTemplates } from '../schema.js';
import { ExamTemplateSchema, type ExamTemplate } from '../../contract/exam.js';

export function templateRepository(db: Db) {
  return {
    /** Templates are immutable once sittings use them, so saving an existing id is refused by the caller. */
    insert(template: ExamTemplate, now: number): void {
      db.insert(examTemplates).values({ id: template.id, name: template.name, definition: JSON.stringify(template), createdAt: now }).run();
    },
    get(id: string): ExamTemplate | undefined {
      const row = db.select().from(examTemplates).where(eq(examTemplates.id, id)).get();
      return row ? ExamTemplateSchema.parse(JSON.parse(row.definition)) : undefined;
    },
    list(): ExamTemplate[] {
      return db.select().from(examTemplates).all().map((r) => ExamTemplateSchema.parse(JSON.parse(r.definition)));
    },
  };
}
