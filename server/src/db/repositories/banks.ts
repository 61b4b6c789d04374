import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { banks, questions } from '../schema.js';
import type { Question } from '../../contract/question.js';
import type { ParsedBank } from '../../domain/bank.js';
import { KacaError } from '../../domain/errors.js';
import { ErrorCode } from '../../contract/errors.js';

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
  options: JSON.parse(r.options) as string[],
  ...(r.key !== null ? { key: r.key } : {}),
  ...(r.weights !== null ? { weights: JSON.parse(r.weights) as number[] } : {}),
});

export function bankRepository(db: Db) {
  return {
    /** Stores a whole bank in one transaction. Bank ids are immutable: papers refer to them. */
    insert(bank: ParsedBank, now: number): void {
      db.transaction((tx) => {
        if (tx.select({ id: banks.id }).from(banks).where(eq(banks.id, bank.id)).get()) {
          throw new KacaError(ErrorCode.CONFLICT, `bank ${bank.id} already exists; import it under a new id`);
        }
        tx.insert(banks).values({ id: bank.id, title: bank.title, language: bank.language, createdAt: now }).run();
        const rows = bank.questions.map((q) => ({
          bankId: bank.id,
          id: q.id,
          section: q.section,
          topic: q.topic,
          difficulty: q.difficulty ?? null,
          stem: q.stem,
          options: JSON.stringify(q.options),
          key: q.key ?? null,
          weights: q.weights ? JSON.stringify(q.weights) : null,
        }));
        // SQLite caps bound parameters per statement; 500 rows x 9 columns stays under it.
        for (let i = 0; i < rows.length; i += 500) tx.insert(questions).values(rows.slice(i, i + 500)).run();
      });
    },
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
