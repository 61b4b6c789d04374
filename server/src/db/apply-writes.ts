import { and, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import * as schema from './schema.js';
import { accounts, answerEvents, attempts, auditLog, banks, candidates, examTemplates, papers, questions, results, sittingProctors, sittings } from './schema.js';
import type { WriteOp } from './write-ops.js';

type Db = BetterSQLite3Database<typeof schema>;
const p = sql.placeholder;
/** SQLite caps bound parameters per statement; 500 rows of up to 10 columns stays under it. */
const CHUNK = 500;

/**
 * The one place where rows are written: every WriteOp as drizzle statements on the writer's
 * connection, so the drizzle schema is the single source of the SQL. The ops of every answer,
 * flag and login are prepared once. Runs inside the caller's transaction; returns the new row id
 * for inserts that make one (audit entries, accounts), else 0.
 */
export function createApplier(db: Db): (w: WriteOp) => number {
  const answer = db
    .insert(answerEvents)
    .values({ candidateId: p('candidateId'), item: p('item'), kind: p('kind'), choice: p('choice'), optionIndex: p('optionIndex'), clientSeq: p('clientSeq'), serverTs: p('serverTs'), scoreDelta: p('scoreDelta') })
    .prepare();
  const changing = ['state', 'admittedAt', 'startedAt', 'durationMs', 'extensionMs', 'pausedMs', 'pausedSince', 'endedAt', 'endReason'] as const;
  const attempt = db
    .insert(attempts)
    .values({ candidateId: p('candidateId'), state: p('state'), admittedAt: p('admittedAt'), startedAt: p('startedAt'), durationMs: p('durationMs'), extensionMs: p('extensionMs'), pausedMs: p('pausedMs'), pausedSince: p('pausedSince'), endedAt: p('endedAt'), endReason: p('endReason') })
    // an existing attempt takes every column of the new row
    .onConflictDoUpdate({ target: attempts.candidateId, set: Object.fromEntries(changing.map((c) => [c, sql.raw(`excluded.${attempts[c].name}`)])) })
    .prepare();
  const login = db
    .update(candidates)
    .set({ failedLogins: sql`${p('failedLogins')}`, lockedAt: sql`${p('lockedAt')}`, loginGeneration: sql`${p('loginGeneration')}`, sessionGeneration: sql`${p('sessionGeneration')}` })
    .where(eq(candidates.id, p('candidateId')))
    .prepare();

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
      case 'bank': {
        const { bank } = w;
        if (db.select({ id: banks.id }).from(banks).where(eq(banks.id, bank.id)).get()) throw new KacaError(ErrorCode.CONFLICT, `bank ${bank.id} already exists; import it under a new id`);
        db.insert(banks).values({ id: bank.id, title: bank.title, language: bank.language, createdAt: w.createdAt }).run();
        const rows = bank.questions.map((q) => ({ bankId: bank.id, id: q.id, section: q.section, topic: q.topic, difficulty: q.difficulty ?? null, stem: q.stem, options: q.options, key: q.key ?? null, weights: q.weights ?? null }));
        for (let i = 0; i < rows.length; i += CHUNK) db.insert(questions).values(rows.slice(i, i + CHUNK)).run();
        return 0;
      }
      case 'sitting':
        db.insert(sittings).values(w.row).run();
        return 0;
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
      case 'proctor-assignment':
        if (w.assigned) db.insert(sittingProctors).values({ sittingId: w.sittingId, accountId: w.accountId }).onConflictDoNothing().run();
        else db.delete(sittingProctors).where(and(eq(sittingProctors.sittingId, w.sittingId), eq(sittingProctors.accountId, w.accountId))).run();
        return 0;
    }
  };
}
