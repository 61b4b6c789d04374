import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { banks, questions, sittings } from '../schema.js';
import type { Question } from '../../contract/question.js';

export interface BankSummary {
  id: string;
  title: string;
  language: string;
  createdAt: number;
  /** questions per section, retired ones included */
  sections: Record<string, number>;
  questions: number;
  retired: number;
  /** sittings that deal from the bank */
  usedBy: string[];
}

/** A question as an admin browses it: everything, the key and weights included. */
export type StoredQuestion = Question & { retired: boolean };

export interface QuestionSearch {
  q?: string;
  section?: string;
  topic?: string;
  status: 'all' | 'active' | 'retired';
  offset: number;
  limit: number;
}

/** A question row of either dialect (the PostgreSQL repositories read the same columns). */
type QuestionRow = Pick<typeof questions.$inferSelect, 'id' | 'section' | 'topic' | 'difficulty' | 'stem' | 'options' | 'key' | 'weights'>;

export const toQuestion = (r: QuestionRow): Question => ({
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
    get(id: string): typeof banks.$inferSelect | undefined {
      return db.select().from(banks).where(eq(banks.id, id)).get();
    },
    /** Every question, retired ones included (papers that hold them still score). */
    questions(bankId: string): Question[] {
      return db.select().from(questions).where(eq(questions.bankId, bankId)).all().map(toQuestion);
    },
    question(bankId: string, id: string): Question | undefined {
      const r = db.select().from(questions).where(and(eq(questions.bankId, bankId), eq(questions.id, id))).get();
      return r ? toQuestion(r) : undefined;
    },
    retiredIds(bankId: string): Set<string> {
      return new Set(
        db
          .select({ id: questions.id })
          .from(questions)
          .where(and(eq(questions.bankId, bankId), eq(questions.retired, true)))
          .all()
          .map((r) => r.id),
      );
    },
    /** Which of these ids the bank has. */
    knownIds(bankId: string, ids: readonly string[]): Set<string> {
      const have = new Set<string>();
      const wanted = new Set(ids);
      for (const r of db.select({ id: questions.id }).from(questions).where(eq(questions.bankId, bankId)).all()) if (wanted.has(r.id)) have.add(r.id);
      return have;
    },
    list(): BankSummary[] {
      const counts = db
        .select({ bankId: questions.bankId, section: questions.section, n: count(), retired: sql<number>`sum(${questions.retired})` })
        .from(questions)
        .groupBy(questions.bankId, questions.section)
        .orderBy(asc(questions.bankId), asc(questions.section))
        .all();
      const users = db.select({ id: sittings.id, bankId: sittings.bankId }).from(sittings).orderBy(asc(sittings.id)).all();
      return db
        .select()
        .from(banks)
        .orderBy(asc(banks.createdAt), asc(banks.id))
        .all()
        .map((b) => {
          const mine = counts.filter((c) => c.bankId === b.id);
          return {
            ...b,
            sections: Object.fromEntries(mine.map((c) => [c.section, c.n])),
            questions: mine.reduce((n, c) => n + c.n, 0),
            retired: mine.reduce((n, c) => n + Number(c.retired ?? 0), 0),
            usedBy: users.filter((u) => u.bankId === b.id).map((u) => u.id),
          };
        });
    },
    /**
     * One page of a bank's questions for browsing: every word of `q` must appear (letter case
     * ignored) in the id, topic, stem or options. Also the sections and topics there are, for
     * filters.
     */
    search(bankId: string, s: QuestionSearch): { total: number; questions: StoredQuestion[]; sections: string[]; topics: string[] } {
      const where: SQL[] = [eq(questions.bankId, bankId)];
      if (s.section) where.push(eq(questions.section, s.section));
      if (s.topic) where.push(eq(questions.topic, s.topic));
      if (s.status !== 'all') where.push(eq(questions.retired, s.status === 'retired'));
      for (const word of (s.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
        where.push(sql`instr(lower(${questions.id} || ' ' || ${questions.topic} || ' ' || ${questions.stem} || ' ' || ${questions.options}), ${word}) > 0`);
      }
      const cond = and(...where);
      const total = db.select({ n: count() }).from(questions).where(cond).get()!.n;
      const rows = db.select().from(questions).where(cond).orderBy(asc(questions.section), asc(questions.id)).limit(s.limit).offset(s.offset).all();
      const facets = db.selectDistinct({ section: questions.section, topic: questions.topic }).from(questions).where(eq(questions.bankId, bankId)).all();
      return {
        total,
        questions: rows.map((r) => ({ ...toQuestion(r), retired: r.retired })),
        sections: [...new Set(facets.map((f) => f.section))].sort(),
        topics: [...new Set(facets.filter((f) => !s.section || f.section === s.section).map((f) => f.topic))].sort(),
      };
    },
  };
}
