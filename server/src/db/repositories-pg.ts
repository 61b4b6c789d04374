import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { ExamTemplateSchema } from '../contract/exam.js';
import type { PaperItem } from '../domain/deal.js';
import type { ReadRepositories } from './repositories/index.js';
import type { AnswerKind } from '../domain/writes.js';
import { toQuestion, type BankSummary, type QuestionSearch } from './repositories/banks.js';
import { assembleLeaves, type SectionCache } from './repositories/log.js';
import * as t from './schema-pg.js';

type PgDb = NodePgDatabase<typeof t>;

/** What a repository method gives, awaited: a generator's rows come as one array. */
type Async<R> = { [K in keyof R]: R[K] extends (...args: infer A) => infer V ? (...args: A) => Promise<V extends Generator<infer Y, unknown, unknown> ? Y[] : V> : never };

/** The read repositories on PostgreSQL: the same methods, names and rows as the SQLite ones (db/repositories), asynchronous. */
export type PgRepositories = { [K in keyof ReadRepositories]: Async<ReadRepositories[K]> };

const first = <T>(rows: T[]): T | undefined => rows[0];

/**
 * Text in code-point order, as SQLite's BINARY compares it, whatever collation the database was
 * made with (en_US would put "b10" among "B1..." and ignore punctuation): ids, usernames and
 * registration numbers come back in the same order on both dialects.
 */
const bytewise = (column: AnyPgColumn) => sql`${column} collate "C"`;

/** Rows of the candidates in batches of ids (one array parameter each). */
async function papersOf(db: PgDb, ids: number[]): Promise<{ candidateId: number; items: PaperItem[] }[]> {
  const out: { candidateId: number; items: PaperItem[] }[] = [];
  for (let i = 0; i < ids.length; i += 5000) out.push(...(await db.select({ candidateId: t.papers.candidateId, items: t.papers.items }).from(t.papers).where(inArray(t.papers.candidateId, ids.slice(i, i + 5000)))));
  return out;
}

/** A sitting's stored change as streamBySitting gives it: candidate, item, kind, choice, seq, server time, leaf. */
type StreamRow = [number, number, AnswerKind, number | null, number, number, number | null];
/** Where a page of a sitting's changes ends: the last row's leaf and id (the rows' order). */
export type AnswerCursor = [logIdx: number | null, id: number];

/**
 * One page of a sitting's stored changes in streamBySitting's order (rows without a leaf first,
 * then by leaf, then by id), after `after`: the reader bridge pages through a sitting this way, so
 * a sitting of a million changes never crosses threads, or sits in memory, all at once.
 */
export async function answerPage(db: PgDb, sittingId: string, after: AnswerCursor | null, limit: number): Promise<{ rows: StreamRow[]; last: AnswerCursor | null }> {
  const e = t.answerEvents;
  const cond = [eq(e.sittingId, sittingId)];
  if (after) {
    const [log, id] = after;
    cond.push(log === null ? sql`((${e.logIdx} is null and ${e.id} > ${id}) or ${e.logIdx} is not null)` : sql`(${e.logIdx} > ${log} or (${e.logIdx} = ${log} and ${e.id} > ${id}))`);
  }
  const rows = await db
    .select({ c: e.candidateId, i: e.item, k: e.kind, ch: e.choice, s: e.clientSeq, t: e.serverTs, l: e.logIdx, id: e.id })
    .from(e)
    .where(and(...cond))
    .orderBy(sql`${e.logIdx} asc nulls first`, asc(e.id))
    .limit(limit);
  const tail = rows.at(-1);
  return { rows: rows.map((r) => [r.c, r.i, r.k, r.ch, r.s, r.t, r.l]), last: tail ? [tail.l, tail.id] : null };
}

export function createPgRepositories(db: PgDb): PgRepositories {
  const ofSitting = (sittingId: string) => eq(t.answerEvents.sittingId, sittingId);
  // rows from before the log (no leaf) first, as SQLite sorts NULL (PostgreSQL puts it last)
  const inOrder = [sql`${t.answerEvents.logIdx} asc nulls first`, asc(t.answerEvents.id)] as const;
  return {
    banks: {
      exists: async (id) => first(await db.select({ id: t.banks.id }).from(t.banks).where(eq(t.banks.id, id))) !== undefined,
      get: async (id) => first(await db.select().from(t.banks).where(eq(t.banks.id, id))),
      questions: async (bankId) => (await db.select().from(t.questions).where(eq(t.questions.bankId, bankId))).map(toQuestion),
      question: async (bankId, id) => {
        const r = first(await db.select().from(t.questions).where(and(eq(t.questions.bankId, bankId), eq(t.questions.id, id))));
        return r ? toQuestion(r) : undefined;
      },
      retiredIds: async (bankId) => new Set((await db.select({ id: t.questions.id }).from(t.questions).where(and(eq(t.questions.bankId, bankId), eq(t.questions.retired, true)))).map((r) => r.id)),
      knownIds: async (bankId, ids) => {
        const wanted = new Set(ids);
        const have = new Set<string>();
        for (const r of await db.select({ id: t.questions.id }).from(t.questions).where(eq(t.questions.bankId, bankId))) if (wanted.has(r.id)) have.add(r.id);
        return have;
      },
      list: async (): Promise<BankSummary[]> => {
        const counts = await db
          .select({ bankId: t.questions.bankId, section: t.questions.section, n: count(), retired: sql<number>`count(*) filter (where ${t.questions.retired})`.mapWith(Number) })
          .from(t.questions)
          .groupBy(t.questions.bankId, t.questions.section)
          .orderBy(bytewise(t.questions.bankId), bytewise(t.questions.section));
        const users = await db.select({ id: t.sittings.id, bankId: t.sittings.bankId }).from(t.sittings).orderBy(bytewise(t.sittings.id));
        return (await db.select().from(t.banks).orderBy(asc(t.banks.createdAt), bytewise(t.banks.id))).map((b) => {
          const mine = counts.filter((c) => c.bankId === b.id);
          return {
            ...b,
            sections: Object.fromEntries(mine.map((c) => [c.section, c.n])),
            questions: mine.reduce((n, c) => n + c.n, 0),
            retired: mine.reduce((n, c) => n + c.retired, 0),
            usedBy: users.filter((u) => u.bankId === b.id).map((u) => u.id),
          };
        });
      },
      search: async (bankId, s: QuestionSearch) => {
        const where: SQL[] = [eq(t.questions.bankId, bankId)];
        if (s.section) where.push(eq(t.questions.section, s.section));
        if (s.topic) where.push(eq(t.questions.topic, s.topic));
        if (s.status !== 'all') where.push(eq(t.questions.retired, s.status === 'retired'));
        for (const word of (s.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
          where.push(sql`strpos(lower(${t.questions.id} || ' ' || ${t.questions.topic} || ' ' || ${t.questions.stem} || ' ' || ${t.questions.options}::text), ${word}) > 0`);
        }
        const cond = and(...where);
        const total = first(await db.select({ n: count() }).from(t.questions).where(cond))!.n;
        const rows = await db.select().from(t.questions).where(cond).orderBy(bytewise(t.questions.section), bytewise(t.questions.id)).limit(s.limit).offset(s.offset);
        const facets = await db.selectDistinct({ section: t.questions.section, topic: t.questions.topic }).from(t.questions).where(eq(t.questions.bankId, bankId));
        return {
          total,
          questions: rows.map((r) => ({ ...toQuestion(r), retired: r.retired })),
          sections: [...new Set(facets.map((f) => f.section))].sort(),
          topics: [...new Set(facets.filter((f) => !s.section || f.section === s.section).map((f) => f.topic))].sort(),
        };
      },
    },
    templates: {
      get: async (id) => {
        const row = first(await db.select().from(t.examTemplates).where(eq(t.examTemplates.id, id)));
        return row ? ExamTemplateSchema.parse(row.definition) : undefined;
      },
      list: async () => (await db.select().from(t.examTemplates).orderBy(bytewise(t.examTemplates.id))).map((r) => ExamTemplateSchema.parse(r.definition)),
    },
    sittings: {
      get: async (id) => first(await db.select().from(t.sittings).where(eq(t.sittings.id, id))),
      list: async () => db.select().from(t.sittings).orderBy(asc(t.sittings.scheduledStart), bytewise(t.sittings.id)),
      isProctorOf: async (sittingId, accountId) =>
        first(await db.select().from(t.sittingProctors).where(and(eq(t.sittingProctors.sittingId, sittingId), eq(t.sittingProctors.accountId, accountId)))) !== undefined,
      using: async (what) => {
        const cond = what.bankId !== undefined ? eq(t.sittings.bankId, what.bankId) : eq(t.sittings.templateId, what.templateId ?? '');
        return db.select().from(t.sittings).where(cond).orderBy(bytewise(t.sittings.id));
      },
      proctorsOf: async (sittingId) =>
        db
          .select({ id: t.accounts.id, username: t.accounts.username, displayName: t.accounts.displayName, role: t.accounts.role, disabled: t.accounts.disabled })
          .from(t.sittingProctors)
          .innerJoin(t.accounts, eq(t.accounts.id, t.sittingProctors.accountId))
          .where(eq(t.sittingProctors.sittingId, sittingId))
          .orderBy(bytewise(t.accounts.username)),
      sittingIdsOf: async (accountId) => (await db.select({ id: t.sittingProctors.sittingId }).from(t.sittingProctors).where(eq(t.sittingProctors.accountId, accountId))).map((r) => r.id),
    },
    candidates: {
      get: async (id) => first(await db.select().from(t.candidates).where(eq(t.candidates.id, id))),
      byRegistration: async (sittingId, registrationNumber) => first(await db.select().from(t.candidates).where(and(eq(t.candidates.sittingId, sittingId), eq(t.candidates.registrationNumber, registrationNumber)))),
      allByRegistration: async (registrationNumber) => db.select().from(t.candidates).where(eq(t.candidates.registrationNumber, registrationNumber)),
      listBySitting: async (sittingId) => db.select().from(t.candidates).where(eq(t.candidates.sittingId, sittingId)).orderBy(bytewise(t.candidates.registrationNumber)),
      idsBySitting: async (sittingId) => (await db.select({ id: t.candidates.id }).from(t.candidates).where(eq(t.candidates.sittingId, sittingId)).orderBy(bytewise(t.candidates.registrationNumber))).map((r) => r.id),
    },
    papers: {
      get: async (candidateId) => first(await db.select().from(t.papers).where(eq(t.papers.candidateId, candidateId)))?.items,
      many: async (candidateIds) => new Map((await papersOf(db, candidateIds)).map((r) => [r.candidateId, r.items])),
    },
    attempts: {
      get: async (candidateId) => first(await db.select().from(t.attempts).where(eq(t.attempts.candidateId, candidateId))),
      listBySitting: async (sittingId) => {
        const ids = db.select({ id: t.candidates.id }).from(t.candidates).where(eq(t.candidates.sittingId, sittingId));
        return db.select().from(t.attempts).where(inArray(t.attempts.candidateId, ids));
      },
    },
    answers: {
      byCandidate: async (candidateId) => {
        const sittingId = first(await db.select({ s: t.candidates.sittingId }).from(t.candidates).where(eq(t.candidates.id, candidateId)))?.s;
        if (sittingId === undefined) return [];
        return db
          .select()
          .from(t.answerEvents)
          .where(and(ofSitting(sittingId), eq(t.answerEvents.candidateId, candidateId)))
          .orderBy(...inOrder);
      },
      bySitting: async (sittingId) =>
        db
          .select()
          .from(t.answerEvents)
          .where(ofSitting(sittingId))
          .orderBy(...inOrder),
      streamBySitting: async (sittingId) =>
        (
          await db
            .select({ c: t.answerEvents.candidateId, i: t.answerEvents.item, k: t.answerEvents.kind, ch: t.answerEvents.choice, s: t.answerEvents.clientSeq, t: t.answerEvents.serverTs, l: t.answerEvents.logIdx })
            .from(t.answerEvents)
            .where(ofSitting(sittingId))
            .orderBy(...inOrder)
        ).map((r) => [r.c, r.i, r.k, r.ch, r.s, r.t, r.l] as [number, number, typeof r.k, number | null, number, number, number | null]),
    },
    results: {
      get: async (candidateId) => first(await db.select().from(t.results).where(eq(t.results.candidateId, candidateId))),
      bySitting: async (sittingId) => db.select().from(t.results).where(eq(t.results.sittingId, sittingId)),
    },
    accounts: {
      get: async (id) => first(await db.select().from(t.accounts).where(eq(t.accounts.id, id))),
      byUsername: async (username) => first(await db.select().from(t.accounts).where(eq(t.accounts.username, username))),
      list: async () => db.select().from(t.accounts).orderBy(bytewise(t.accounts.username)),
      count: async () => first(await db.select({ n: count() }).from(t.accounts))!.n,
    },
    audit: {
      bySitting: async (sittingId) => db.select().from(t.auditLog).where(eq(t.auditLog.sittingId, sittingId)).orderBy(asc(t.auditLog.id)),
      page: async (q) => {
        const where: SQL[] = [];
        if (q.sittingId) where.push(eq(t.auditLog.sittingId, q.sittingId));
        if (q.action) where.push(eq(t.auditLog.action, q.action));
        if (q.before) where.push(lt(t.auditLog.id, q.before));
        return db.select().from(t.auditLog).where(and(...where)).orderBy(desc(t.auditLog.id)).limit(q.limit);
      },
    },
    staffSessions: {
      open: async () => db.select().from(t.staffSessions).where(isNull(t.staffSessions.endedAt)),
    },
    log: {
      size: async (sittingId) => first(await db.select({ size: t.logHeads.size }).from(t.logHeads).where(eq(t.logHeads.sittingId, sittingId)))?.size ?? 0,
      latestCheckpoint: async (sittingId) =>
        first(await db.select({ size: t.logCheckpoints.size, note: t.logCheckpoints.note }).from(t.logCheckpoints).where(eq(t.logCheckpoints.sittingId, sittingId)).orderBy(desc(t.logCheckpoints.size)).limit(1)),
      checkpoints: async (sittingId) => (await db.select({ note: t.logCheckpoints.note }).from(t.logCheckpoints).where(eq(t.logCheckpoints.sittingId, sittingId)).orderBy(asc(t.logCheckpoints.size))).map((r) => r.note),
      leaves: async (sittingId, from, to, sections: SectionCache = new Map()) => {
        const out = new Array<string | undefined>(Math.max(0, to - from));
        const stored = await db
          .select({ idx: t.sittingLog.idx, leaf: t.sittingLog.leaf })
          .from(t.sittingLog)
          .where(and(eq(t.sittingLog.sittingId, sittingId), gte(t.sittingLog.idx, from), lt(t.sittingLog.idx, to)));
        for (const r of stored) out[r.idx - from] = r.leaf;
        const rows = await db
          .select({ i: t.answerEvents.logIdx, candidateId: t.answerEvents.candidateId, reg: t.candidates.registrationNumber, item: t.answerEvents.item, kind: t.answerEvents.kind, choice: t.answerEvents.choice, seq: t.answerEvents.clientSeq, t: t.answerEvents.serverTs, delta: t.answerEvents.scoreDelta, nonce: t.answerEvents.nonce })
          .from(t.answerEvents)
          .innerJoin(t.candidates, eq(t.candidates.id, t.answerEvents.candidateId))
          .where(and(eq(t.answerEvents.sittingId, sittingId), gte(t.answerEvents.logIdx, from), lt(t.answerEvents.logIdx, to)));
        const missing = [...new Set(rows.map((r) => r.candidateId))].filter((id) => !sections.has(id));
        for (const p of await papersOf(db, missing)) sections.set(p.candidateId, p.items.map((it) => it.section));
        return assembleLeaves(sittingId, from, out, rows, sections);
      },
    },
  };
}
