import { and, eq, inArray, isNull, param, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { ErrorCode } from '../contract/errors.js';
import type { Question } from '../contract/question.js';
import type { ParsedBank } from '../domain/bank.js';
import { KacaError } from '../domain/errors.js';
import type { AnswerRecord, AttemptRecord, AuditRecord } from '../domain/writes.js';
import { decodeBankLines } from './bank-lines.js';
import { bulkInsert, bulkUpdate, type PgQueryable, type RowBuffer } from './pg-rows.js';
import * as schema from './schema-pg.js';
import { accounts, answerEvents, attempts, auditLog, banks, candidates, examTemplates, logCheckpoints, logHeads, papers, questions, results, sittingLog, sittingProctors, sittings, staffSessions } from './schema-pg.js';
import { SittingLogs, type LogKey, type LogStorage } from './sitting-log.js';
import type { WriteOp, WriteValue } from './write-ops.js';

type PgDb = NodePgDatabase<typeof schema>;
type Row<T extends { $inferInsert: unknown }> = T['$inferInsert'] & Record<string, unknown>;

/** Questions per INSERT of a bank import: about 20 MB of parameters at most for long stems. */
const QUESTION_ROWS = 2000;

/**
 * The rows a transaction writes, gathered until its end and then sent one statement per table
 * (pg-rows.ts), in an order that satisfies the foreign keys: the writes of every click, every
 * log leaf and head. Ops that must see the database as it stands (an admin's checks, new row ids)
 * run at once; those that touch tables gathered here send what is gathered first.
 */
class Gathered {
  readonly logins = bulkUpdate<{ id: number; failedLogins: number; lockedAt: number | null; loginGeneration: number; sessionGeneration: number | null }>(candidates, 'id', ['failedLogins', 'lockedAt', 'loginGeneration', 'sessionGeneration']);
  readonly attempts = bulkInsert<AttemptRecord>(attempts, ['candidateId', 'state', 'admittedAt', 'startedAt', 'durationMs', 'extensionMs', 'pausedMs', 'pausedSince', 'endedAt', 'endReason'], { key: 'candidateId', action: 'update' });
  readonly papers = bulkInsert<Row<typeof papers>>(papers, ['candidateId', 'items', 'dealtAt'], { key: 'candidateId', action: 'nothing' });
  readonly answers = bulkInsert<AnswerRecord & { logIdx: number | null; nonce: string | null }>(answerEvents, ['candidateId', 'sittingId', 'item', 'kind', 'choice', 'optionIndex', 'clientSeq', 'serverTs', 'scoreDelta', 'logIdx', 'nonce']);
  readonly leaves = bulkInsert<Row<typeof sittingLog>>(sittingLog, ['sittingId', 'idx', 'leaf', 'hash']);
  readonly results = bulkInsert<Row<typeof results>>(results, ['candidateId', 'sittingId', 'sections', 'total', 'thresholdSet', 'passed', 'receiptId', 'finishedAt', 'endReason'], { key: 'candidateId', action: 'nothing' });
  readonly receipts = bulkUpdate<{ candidateId: number; receipt: string }>(results, 'candidateId', ['receipt']);
  readonly checkpoints = bulkInsert<Row<typeof logCheckpoints>>(logCheckpoints, ['sittingId', 'size', 'root', 'note', 'at']);
  readonly heads = bulkInsert<Row<typeof logHeads>>(logHeads, ['sittingId', 'size', 'frontier', 'checkpointSize', 'nonceSalt'], { key: 'sittingId', action: 'update' });
  /** in foreign-key order: a receipt after its result, a head after its leaves */
  private readonly order: Pick<RowBuffer<Record<string, unknown>>, 'flush' | 'clear'>[] = [this.logins, this.attempts, this.papers, this.answers, this.leaves, this.results, this.receipts, this.checkpoints, this.heads];

  async flush(client: PgQueryable): Promise<void> {
    for (const b of this.order) await b.flush(client);
  }

  clear(): void {
    for (const b of this.order) b.clear();
  }
}

/**
 * The sitting logs' rows on PostgreSQL. Heads (and the note of each head's latest checkpoint) are
 * read for the whole transaction at its start, locked FOR UPDATE, so the log code stays the same
 * synchronous code as on SQLite; what it writes is gathered.
 */
class PgLogStorage implements LogStorage {
  private heads = new Map<string, { size: number; frontier: string; checkpointSize: number; nonceSalt: string | null; note: string | null }>();
  private notes = new Map<string, string>();

  constructor(private readonly rows: Gathered) {}

  async load(client: PgQueryable, sittingIds: string[]): Promise<void> {
    this.heads.clear();
    this.notes.clear();
    if (sittingIds.length === 0) return;
    // the heads alone, locked in one order on every writer; a join here would be read before
    // the lock waits, and a head that another writer moved on would come with its old note
    const { rows } = await client.query(`select sitting_id, size, frontier, checkpoint_size, nonce_salt from log_heads where sitting_id = any($1::text[]) order by sitting_id for update`, [sittingIds]);
    for (const r of rows) this.heads.set(r.sitting_id as string, { size: r.size as number, frontier: r.frontier as string, checkpointSize: r.checkpoint_size as number, nonceSalt: r.nonce_salt as string | null, note: null });
    if (rows.length === 0) return;
    const notes = await client.query(
      `select c.sitting_id, c.note from log_checkpoints c join log_heads h on h.sitting_id = c.sitting_id and h.checkpoint_size = c.size where h.sitting_id = any($1::text[])`,
      [sittingIds],
    );
    for (const r of notes.rows) this.heads.get(r.sitting_id as string)!.note = r.note as string;
  }

  head(sittingId: string) {
    return this.heads.get(sittingId);
  }
  saveHead(sittingId: string, size: number, frontier: string, checkpointSize: number, nonceSalt: string | null): void {
    this.rows.heads.push({ sittingId, size, frontier, checkpointSize, nonceSalt });
  }
  insertLeaf(sittingId: string, idx: number, leaf: string, hash: string): void {
    this.rows.leaves.push({ sittingId, idx, leaf, hash });
  }
  insertCheckpoint(sittingId: string, size: number, root: string, note: string, at: number): void {
    this.rows.checkpoints.push({ sittingId, size, root, note, at });
    this.notes.set(`${size}/${sittingId}`, note);
  }
  checkpointNote(sittingId: string, size: number): string | undefined {
    const h = this.heads.get(sittingId);
    return this.notes.get(`${size}/${sittingId}`) ?? (h && h.checkpointSize === size ? (h.note ?? undefined) : undefined);
  }
  saveReceipt(candidateId: number, note: string): void {
    this.rows.receipts.push({ candidateId, receipt: note });
  }
}

/** The sittings whose logs a batch touches: their heads are read (and locked) before it runs. */
export function loggedSittings(units: WriteOp[][]): string[] {
  const ids = new Set<string>();
  for (const unit of units) for (const op of unit) if (op.kind === 'log' || op.kind === 'receipt' || op.kind === 'checkpoint') ids.add(op.sittingId);
  return [...ids].sort();
}

export interface PgApplier {
  /** reads what the transaction's log ops need; call once it has begun */
  begin(client: PgQueryable, sittingIds: string[]): Promise<void>;
  apply(w: WriteOp): WriteValue | Promise<WriteValue>;
  answer(record: AnswerRecord, logIdx: number | null): void;
  /** writes what is gathered and the logs' heads; the caller commits */
  end(): Promise<void>;
  /** the transaction rolled back */
  discard(): void;
}

/**
 * Every WriteOp on PostgreSQL, through the schema (schema-pg.ts), inside the caller's
 * transaction: the same ops, values and refusals as apply-writes.ts on SQLite.
 */
export function createPgApplier(client: PgQueryable, db: PgDb, logKey: LogKey): PgApplier {
  const rows = new Gathered();
  const storage = new PgLogStorage(rows);
  const logs = new SittingLogs(storage, logKey);

  const insertBank = async (head: Omit<ParsedBank, 'questions'>, list: Iterable<Question>, createdAt: number) => {
    const [found] = await db.select({ id: banks.id }).from(banks).where(eq(banks.id, head.id));
    if (found) throw new KacaError(ErrorCode.CONFLICT, `bank ${head.id} already exists; import it under a new id`);
    await db.insert(banks).values({ id: head.id, title: head.title, language: head.language, createdAt });
    const qs = bulkInsert<Row<typeof questions>>(questions, ['bankId', 'id', 'section', 'topic', 'difficulty', 'stem', 'options', 'key', 'weights']);
    for (const q of list) {
      qs.push({ bankId: head.id, id: q.id, section: q.section, topic: q.topic, difficulty: q.difficulty ?? null, stem: q.stem, options: q.options, key: q.key ?? null, weights: q.weights ?? null });
      if (qs.length === QUESTION_ROWS) await qs.flush(client);
    }
    await qs.flush(client);
  };

  const audit = async (record: AuditRecord): Promise<number> => (await db.insert(auditLog).values(record).returning({ id: auditLog.id }))[0].id;

  /** Ops that read or change what the gathered rows may touch: sent after them. */
  const admin = async (w: WriteOp): Promise<WriteValue> => {
    await rows.flush(client);
    switch (w.kind) {
      case 'template':
        await db.insert(examTemplates).values({ id: w.template.id, name: w.template.name, definition: w.template, createdAt: w.createdAt });
        return 0;
      case 'bank':
        await insertBank(w.bank, w.bank.questions, w.createdAt);
        return 0;
      case 'bank-encoded': {
        const lines = decodeBankLines(w.lines);
        const first = lines.next().value;
        if (!first || !('head' in first)) throw new Error('an encoded bank starts with its head line');
        await insertBank(first.head, (function* () {
          for (const l of lines) if ('question' in l) yield l.question;
        })(), w.createdAt);
        return 0;
      }
      case 'questions-retire': {
        const live = await db
          .select({ id: sittings.id })
          .from(sittings)
          .where(and(eq(sittings.bankId, w.bankId), inArray(sittings.status, ['open', 'running'])));
        if (live.length > 0) throw new KacaError(ErrorCode.INVALID_STATE, `bank ${w.bankId} is in use by open sitting ${live.map((s) => s.id).join(', ')}`);
        // one array parameter, however many ids (PostgreSQL takes at most 65,535 parameters)
        if (w.ids.length > 0) await db.update(questions).set({ retired: w.retired }).where(and(eq(questions.bankId, w.bankId), sql`${questions.id} = any(${param(w.ids)}::text[])`));
        return 0;
      }
      case 'template-update': {
        const [user] = await db.select({ id: sittings.id }).from(sittings).where(eq(sittings.templateId, w.template.id)).limit(1);
        if (user) throw new KacaError(ErrorCode.INVALID_STATE, `template ${w.template.id} is used by sitting ${user.id}`);
        const r = await db.update(examTemplates).set({ name: w.template.name, definition: w.template }).where(eq(examTemplates.id, w.template.id));
        if (r.rowCount === 0) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${w.template.id}`);
        return 0;
      }
      case 'sitting':
        await db.insert(sittings).values(w.row);
        return 0;
      case 'sitting-update': {
        const r = await db
          .update(sittings)
          .set(w.set)
          .where(and(eq(sittings.id, w.sittingId), eq(sittings.status, 'scheduled')));
        if (r.rowCount === 0) throw new KacaError(ErrorCode.INVALID_STATE, `sitting ${w.sittingId} is not scheduled any more: a sitting can be changed only before it opens`);
        return 0;
      }
      case 'candidates': {
        const list = bulkInsert<Row<typeof candidates>>(candidates, ['sittingId', 'registrationNumber', 'name', 'formation', 'groupName', 'pinHash', 'photoUrl', 'seat', 'extraMinutes', 'failedLogins', 'lockedAt', 'loginGeneration', 'sessionGeneration', 'createdAt']);
        for (const row of w.rows) list.push({ extraMinutes: 0, failedLogins: 0, loginGeneration: 0, ...row });
        await list.flush(client);
        return 0;
      }
      case 'account': {
        const [{ id }] = await db.insert(accounts).values(w.row).returning({ id: accounts.id });
        for (const s of w.sittings) await db.insert(sittingProctors).values({ sittingId: s, accountId: id }).onConflictDoNothing();
        return id;
      }
      case 'account-update':
        if (Object.keys(w.patch).length > 0) await db.update(accounts).set(w.patch).where(eq(accounts.id, w.id));
        return 0;
      case 'account-login':
        await db.update(accounts).set({ failedLogins: w.failedLogins, lockedUntil: w.lockedUntil }).where(eq(accounts.id, w.id));
        return 0;
      case 'staff-session':
        await db.insert(staffSessions).values(w.row);
        return 0;
      case 'staff-session-seen':
        await db.update(staffSessions).set({ lastSeenAt: w.lastSeenAt }).where(eq(staffSessions.id, w.id));
        return 0;
      case 'staff-sessions-end':
        if (w.ids.length > 0) {
          await db
            .update(staffSessions)
            .set({ endedAt: w.endedAt, endReason: w.endReason })
            .where(and(sql`${staffSessions.id} = any(${param(w.ids)}::text[])`, isNull(staffSessions.endedAt)));
        }
        return 0;
      case 'proctor-assignment':
        if (w.assigned) await db.insert(sittingProctors).values({ sittingId: w.sittingId, accountId: w.accountId }).onConflictDoNothing();
        else await db.delete(sittingProctors).where(and(eq(sittingProctors.sittingId, w.sittingId), eq(sittingProctors.accountId, w.accountId)));
        return 0;
      default:
        throw new Error(`${w.kind} is not an admin write`);
    }
  };

  const apply = (w: WriteOp): WriteValue | Promise<WriteValue> => {
    switch (w.kind) {
      case 'answer':
        rows.answers.push({ ...w.record, logIdx: null, nonce: null });
        return 0;
      case 'log':
        return logs.append(w.sittingId, w.event);
      case 'receipt':
        return logs.receipt(w.candidateId, w.sittingId, w.body);
      case 'checkpoint':
        return logs.checkpoint(w.sittingId, w.at);
      case 'attempt':
        rows.attempts.push(w.record);
        return 0;
      case 'login': {
        const { candidateId, ...rest } = w.record;
        rows.logins.push({ id: candidateId, ...rest });
        return 0;
      }
      case 'paper':
        rows.papers.push({ candidateId: w.candidateId, items: w.items, dealtAt: w.dealtAt });
        return 0;
      case 'result':
        rows.results.push(w.record);
        return 0;
      case 'audit':
        // its own table, which nothing gathered refers to: a new id now
        return audit(w.record);
      case 'sitting-status': {
        const { sittingId, ...set } = w.record;
        return db
          .update(sittings)
          .set(set)
          .where(eq(sittings.id, sittingId))
          .then(() => 0);
      }
      default:
        return admin(w);
    }
  };

  return {
    begin: (c, sittingIds) => storage.load(c, sittingIds),
    apply,
    answer: (record, logIdx) => rows.answers.push({ ...record, logIdx, nonce: logIdx === null ? null : logs.takeAnswerNonce() }),
    end: async () => {
      logs.flush();
      await rows.flush(client);
    },
    discard: () => {
      logs.discard();
      rows.clear();
    },
  };
}
