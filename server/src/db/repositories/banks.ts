import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { banks, questions } from '../schema.js';
import type { Question } from '../../contract/question.js';

export interface BankSummary {
  id: string;
  title: string;
  language: string;
  createdAt: number;
  sections: Record<string, number>;
}

const toQuestion = (r: typeof questions.$inferSelect): Question => ({
  id: r.id,
  section: r.section,
  topic: r.topic,
  ...(r.difficulty ? { difficulty: r.difficulty as Question['difficulty'] } : {}),
  stem: r.stem,
  options: r.options,
  ...(r.key !== null ? { key: r.key } : {}),
  ...(r.weights !== null ? { weights: r.weights } : {}),
});

export function bankRepository(db: Db) {
  return {
    exists(id: string): boolean {
      return !!db.select({ id: banks.id }).from(banks).where(eq(banks.id, id)).get();
    },
    questions(bankId: string): Question[] {
      return db.select().from(questions).where(eq(questions.bankId, bankId)).all().map(toQuestion);
    },
    question(bankId: string, id: string): Question | undefined {
      const r = db.select().from(questions).where(and(eq(questions.bankId, bankId), eq(questions.id, id))).get();
      return r ? toQuestion(r) : undefined;
    },
    list(): BankSummary[] {
      const counts = db
        .select({ bankId: questions.bankId, section: questions.section, n: sql<number>`count(*)` })
        .from(questions)
        .groupBy(questions.bankId, questions.section)
        .all();
      return db
        .select()
        .from(banks)
        .all()
        .map((b) => ({
          ...b,
          sections: Object.fromEntries(counts.filter((c) => c.bankId === b.id).map((c) => [c.section, c.n])),
        }));
    },
  };
}
