import { and, eq, inArray, is, isNull, Param, Placeholder, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import * as schema from './schema.js';
import { accounts, answerEvents, attempts, auditLog, banks, candidates, examTemplates, papers, questions, results, sittingProctors, sittings, staffSessions } from './schema.js';
import type { WriteOp } from './write-ops.js';
import type { AnswerRecord, AttemptRecord, LoginRecord } from '../domain/writes.js';
import type { ParsedBank } from '../domain/bank.js';
import type { Question } from '../contract/question.js';
import { decodeBankLines } from './bank-lines.js';

type Db = BetterSQLite3Database<typeof schema>;
const p = sql.placeholder;
/** SQLite caps bound parameters per statement; 500 rows of up to 10 columns stays under it. */
const CHUNK = 500;

/**
 * A statement drizzle wrote from the schema, prepared once on the connection and bound by
 * placeholder name: every answer runs it, and drizzle's own per-run mapping cost the writer
 * thread more than SQLite did. For columns drizzle passes through as they are (numbers, text).
 */
function prepared<R>(sqlite: Database.Database, query: { toSQL(): { sql: string; params: unknown[] } }): { run(values: R): unknown } {
  const { sql: text, params } = query.toSQL();
  const names = params.map((param) => {
    const v = is(param, Param) ? param.value : param;
    if (!is(v, Placeholder)) throw new Error(`a prepared write statement may only bind placeholders: ${text}`);
    return v.name as keyof R;
  });
  const stmt = sqlite.prepare(text);
  return { run: (values) => stmt.run(names.map((n) => values[n])) };
}

/**
 * The one place where rows are written: every WriteOp as statements drizzle builds from the
 * schema, on the writer's connection, so the schema is the single source of the SQL. The ops of
 * every answer, flag, login and attempt are prepared once. Runs inside the caller's transaction;
 * returns the new row id for inserts that make one (audit entries, accounts), else 0.
 */
export function createApplier(db: Db, sqlite: Database.Database): (w: WriteOp) => number {
  const answer = prepared<AnswerRecord>(
    sqlite,
    db.insert(answerEvents).values({ candidateId: p('candidateId'), item: p('item'), kind: p('kind'), choice: p('choice'), optionIndex: p('optionIndex'), clientSeq: p('clientSeq'), serverTs: p('serverTs'), scoreDelta: p('scoreDelta') }),
  );
  const changing = ['state', 'admittedAt', 'startedAt', 'durationMs', 'extensionMs', 'pausedMs', 'pausedSince', 'endedAt', 'endReason'] as const;
  const attempt = prepared<AttemptRecord>(
    sqlite,
    db
      .insert(attempts)
      .values({ candidateId: p('candidateId'), state: p('state'), admittedAt: p('admittedAt'), startedAt: p('startedAt'), durationMs: p('durationMs'), extensionMs: p('extensionMs'), pausedMs: p('pausedMs'), pausedSince: p('pausedSince'), endedAt: p('endedAt'), endReason: p('endReason') })
      // an existing attempt takes every column of the new row
      .onConflictDoUpdate({ target: attempts.candidateId, set: Object.fromEntries(changing.map((c) => [c, sql.raw(`excluded.${attempts[c].name}`)])) }),
  );
  const login = prepared<LoginRecord>(
    sqlite,
    db
      .update(candidates)
      .set({ failedLogins: sql`${p('failedLogins')}`, lockedAt: sql`${p('lockedAt')}`, loginGeneration: sql`${p('loginGeneration')}`, sessionGeneration: sql`${p('sessionGeneration')}` })
      .where(eq(candidates.id, p('candidateId'))),
  );

  /** The bank's row, then its questions CHUNK at a time, as they come. */
  const insertBank = (head: Omit<ParsedBank, 'questions'>, list: Iterable<Question>, createdAt: number) => {
    if (db.select({ id: banks.id }).from(banks).where(eq(banks.id, head.id)).get()) throw new KacaError(ErrorCode.CONFLICT, `bank ${head.id} already exists; import it under a new id`);
    db.insert(banks).values({ id: head.id, title: head.title, language: head.language, createdAt }).run();
    let rows: (typeof questions.$inferInsert)[] = [];
    for (const q of list) {
      rows.push({ bankId: head.id, id: q.id, section: q.section, topic: q.topic, difficulty: q.difficulty ?? null, stem: q.stem, options: q.options, key: q.key ?? null, weights: q.weights ?? null });
      if (rows.length === CHUNK) {
        db.insert(questions).values(rows).run();
        rows = [];
      }
    }
    if (rows.length > 0) db.insert(questions).values(rows).run();
  };

  return (w) => {
    switch (w.kind) {
      case 'answer':
        answer.run(w.record);
        return 0;
      case 'attempt':
        attempt.run(w.record);
        return 0;
      case 'login':
        login.run(w.record);
        return 0;
      case 'paper':
        db.insert(papers).values({ candidateId: w.candidateId, items: w.items, dealtAt: w.dealtAt }).onConflictDoNothing().run();
        return 0;
      case 'result':
        db.insert(results).values(w.record).onConflictDoNothing().run();
        return 0;
      case 'audit':
        return db.insert(auditLog).values(w.record).returning({ id: auditLog.id }).get().id;
      case 'sitting-status': {
        const { sittingId, ...set } = w.record;
        db.update(sittings).set(set).where(eq(sittings.id, sittingId)).run();
        return 0;
      }
      case 'template':
        db.insert(examTemplates).values({ id: w.template.id, name: w.template.name, definition: w.template, createdAt: w.createdAt }).run();
        return 0;
      case 'bank':
        insertBank(w.bank, w.bank.questions, w.createdAt);
        return 0;
      case 'bank-encoded': {
        // decoded here, on the writer's thread, a line at a time: the event loop only passed the shared buffer on
        const lines = decodeBankLines(w.lines);
        const first = lines.next().value;
        if (!first || !('head' in first)) throw new Error('an encoded bank starts with its head line');
        insertBank(first.head, (function* () {
          for (const l of lines) if ('question' in l) yield l.question;
        })(), w.createdAt);
        return 0;
      }
      case 'questions-retire': {
        const live = db
          .select({ id: sittings.id })
          .from(sittings)
          .where(and(eq(sittings.bankId, w.bankId), inArray(sittings.status, ['open', 'running'])))
          .all();
        if (live.length > 0) throw new KacaError(ErrorCode.INVALID_STATE, `bank ${w.bankId} is in use by open sitting ${live.map((s) => s.id).join(', ')}`);
        for (let i = 0; i < w.ids.length; i += CHUNK) {
          db.update(questions)
            .set({ retired: w.retired })
            .where(and(eq(questions.bankId, w.bankId), inArray(questions.id, w.ids.slice(i, i + CHUNK))))
            .run();
        }
        return 0;
      }
      case 'template-update': {
        const user = db.select({ id: sittings.id }).from(sittings).where(eq(sittings.templateId, w.template.id)).get();
        if (user) throw new KacaError(ErrorCode.INVALID_STATE, `template ${w.template.id} is used by sitting ${user.id}`);
        const r = db.update(examTemplates).set({ name: w.template.name, definition: w.template }).where(eq(examTemplates.id, w.template.id)).run();
        if (r.changes === 0) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${w.template.id}`);
        return 0;
      }
      case 'sitting':
        db.insert(sittings).values(w.row).run();
        return 0;
      case 'sitting-update': {
        // checked again here, in the transaction: a sitting that opened meanwhile keeps what it dealt with
        const r = db
          .update(sittings)
          .set(w.set)
          .where(and(eq(sittings.id, w.sittingId), eq(sittings.status, 'scheduled')))
          .run();
        if (r.changes === 0) throw new KacaError(ErrorCode.INVALID_STATE, `sitting ${w.sittingId} is not scheduled any more: a sitting can be changed only before it opens`);
        return 0;
      }
      case 'candidates':
        for (let i = 0; i < w.rows.length; i += CHUNK) db.insert(candidates).values(w.rows.slice(i, i + CHUNK)).run();
        return 0;
      case 'account': {
        const id = db.insert(accounts).values(w.row).returning({ id: accounts.id }).get().id;
        for (const s of w.sittings) db.insert(sittingProctors).values({ sittingId: s, accountId: id }).onConflictDoNothing().run();
        return id;
      }
      case 'account-update':
        if (Object.keys(w.patch).length > 0) db.update(accounts).set(w.patch).where(eq(accounts.id, w.id)).run();
        return 0;
      case 'account-login':
        db.update(accounts).set({ failedLogins: w.failedLogins, lockedUntil: w.lockedUntil }).where(eq(accounts.id, w.id)).run();
        return 0;
      case 'staff-session':
        db.insert(staffSessions).values(w.row).run();
        return 0;
      case 'staff-session-seen':
        db.update(staffSessions).set({ lastSeenAt: w.lastSeenAt }).where(eq(staffSessions.id, w.id)).run();
        return 0;
      case 'staff-sessions-end':
        for (let i = 0; i < w.ids.length; i += CHUNK) {
          db.update(staffSessions)
            .set({ endedAt: w.endedAt, endReason: w.endReason })
            .where(and(inArray(staffSessions.id, w.ids.slice(i, i + CHUNK)), isNull(staffSessions.endedAt)))
            .run();
        }
        return 0;
      case 'proctor-assignment':
        if (w.assigned) db.insert(sittingProctors).values({ sittingId: w.sittingId, accountId: w.accountId }).onConflictDoNothing().run();
        else db.delete(sittingProctors).where(and(eq(sittingProctors.sittingId, w.sittingId), eq(sittingProctors.accountId, w.accountId))).run();
        return 0;
    }
  };
}
