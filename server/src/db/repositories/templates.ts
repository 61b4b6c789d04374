import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { examTemplates } from '../schema.js';
import { ExamTemplateSchema, type ExamTemplate } from '../../contract/exam.js';

export function templateRepository(db: Db) {
  return {
    get(id: string): ExamTemplate | undefined {
      const row = db.select().from(examTemplates).where(eq(examTemplates.id, id)).get();
      return row ? ExamTemplateSchema.parse(row.definition) : undefined;
    },
    list(): ExamTemplate[] {
      return db.select().from(examTemplates).orderBy(asc(examTemplates.id)).all().map((r) => ExamTemplateSchema.parse(r.definition));
    },
  };
}
