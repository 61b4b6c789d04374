import { and, eq, inArray, is, isNull, Param, Placeholder, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import * as schema from './schema.js';
import { accounts, answerEvents, attempts, auditLog, banks, candidates, examTemplates, logCheckpoints, logHeads, papers, questions, results, sittingLog, sittingProctors, sittings, staffSessions } from './schema.js';
import { SittingLogs, type LogKey, type LogStorage } from './sitting-log.js';
import type { WriteOp, WriteValue } from './write-ops.js';
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
function prepared<R>(sqlite: Database.Database, query: { toSQL(): { sql: string; params: unknown[] } }): { run(values: R): unknown; names: (keyof R)[]; runArgs(args: unknown[]): unknown } {
  const { sql: text, params } = query.toSQL();
  const names = params.map((param) => {
    const v = is(param, Param) ? param.value : param;
    if (!is(v, Placeholder)) throw new Error(`a prepared write statement may only bind placeholders: ${text}`);
    return v.name as keyof R;
  });
  const stmt = sqlite.prepare(text);
  return { run: (values) => stmt.run(names.map((n) => values[n])), names, runArgs: (args) => stmt.run(args) };
}

/** The log's rows, through statements prepared once: every answer appends a leaf. */
function logStorage(db: Db, sqlite: Database.Database): LogStorage {
  const head = db
    .select({ size: logHeads.size, frontier: logHeads.frontier, checkpointSize: logHeads.checkpointSize, nonceSalt: logHeads.nonceSalt })
    .from(logHeads)
    .where(eq(logHeads.sittingId, p('sittingId')))
    .prepare();
  const saveHead = prepared<{ sittingId: string; size: number; frontier: string; checkpointSize: number; nonceSalt: string | null }>(
    sqlite,
    db
      .insert(logHeads)
      .values({ sittingId: p('sittingId'), size: p('size'), frontier: p('frontier'), checkpointSize: p('checkpointSize'), nonceSalt: p('nonceSalt') })
      .onConflictDoUpdate({ target: logHeads.sittingId, set: { size: sql`excluded.size`, frontier: sql`excluded.frontier`, checkpointSize: sql`excluded.checkpoint_size`, nonceSalt: sql`excluded.nonce_salt` } }),
  );
  const leaf = prepared<{ sittingId: string; idx: number; leaf: string; hash: string }>(sqlite, db.insert(sittingLog).values({ sittingId: p('sittingId'), idx: p('idx'), leaf: p('leaf'), hash: p('hash') }));
  const checkpoint = prepared<{ sittingId: string; size: number; root: string; note: string; at: number }>(
    sqlite,
    db.insert(logCheckpoints).values({ sittingId: p('sittingId'), size: p('size'), root: p('root'), note: p('note'), at: p('at') }),
  );
  const note = db
    .select({ note: logCheckpoints.note })
    .from(logCheckpoints)
    .where(and(eq(logCheckpoints.sittingId, p('sittingId')), eq(logCheckpoints.size, p('size'))))
    .prepare();
  return {
    head: (sittingId) => head.get({ sittingId }),
    saveHead: (sittingId, size, frontier, checkpointSize, nonceSalt) => saveHead.run({ sittingId, size, frontier, checkpointSize, nonceSalt }),
    insertLeaf: (sittingId, idx, text, hash) => leaf.run({ sittingId, idx, leaf: text, hash }),
    insertCheckpoint: (sittingId, size, root, text, at) => checkpoint.run({ sittingId, size, root, note: text, at }),
    checkpointNote: (sittingId, size) => note.get({ sittingId, size })?.note,
    saveReceipt: (candidateId, note) => db.update(results).set({ receipt: note }).where(eq(results.candidateId, candidateId)).run(),
  };
}

export interface Applier {
  apply(w: WriteOp): WriteValue;
  /** an answer or flag event, with the index of the log leaf that records it (the op before it) */
  answer(record: AnswerRecord, logIdx: number | null): void;
  /** the sitting logs: flushed at the end of each transaction, discarded when it rolls back */
  logs: SittingLogs;
}

/**
 * The one place where rows are written: every WriteOp as statements drizzle builds from the
 * schema, on the writer's connection, so the schema is the single source of the SQL. The ops of
 * every answer, flag, login and attempt are prepared once. Runs inside the caller's transaction;
 * returns the new row id for inserts that make one (audit entries, accounts), a log index or a
 * signed note for the log's ops, else 0.
 */
export function createApplier(db: Db, sqlite: Database.Database, logKey: LogKey): Applier {
  const logs = new SittingLogs(logStorage(db, sqlite), logKey);
  const answer = prepared<AnswerRecord & { logIdx: number | null; nonce: string | null }>(
    sqlite,
    db.insert(answerEvents).values({
      candidateId: p('candidateId'),
      sittingId: p('sittingId'),
      item: p('item'),
      kind: p('kind'),
      choice: p('choice'),
      optionIndex: p('optionIndex'),
      clientSeq: p('clientSeq'),
      serverTs: p('serverTs'),
      scoreDelta: p('scoreDelta'),
      logIdx: p('logIdx'),
      nonce: p('nonce'),
    }),
  );
  const answerNames = answer.names;
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

  const apply = (w: WriteOp): WriteValue => {
    switch (w.kind) {
      case 'answer':
        answer.run({ ...w.record, logIdx: null, nonce: null });
        return 0;
      case 'log':
        return logs.append(w.sittingId, w.event);
      case 'receipt':
        return logs.receipt(w.candidateId, w.sittingId, w.body);
      case 'checkpoint':
        return logs.checkpoint(w.sittingId, w.at);
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
  return {
    apply,
    answer: (record, logIdx) => {
      // bound in the statement's own order, without a copy of the record per answer
      const nonce = logIdx === null ? null : logs.takeAnswerNonce();
      const args = new Array<unknown>(answerNames.length);
      for (let k = 0; k < args.length; k++) {
        const name = answerNames[k];
        args[k] = name === 'logIdx' ? logIdx : name === 'nonce' ? nonce : record[name as keyof AnswerRecord];
      }
      answer.runArgs(args);
    },
    logs,
  };
}
