import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { spawnThread } from '../thread.js';
import type { ReadRepositories } from './repositories/index.js';
import type { AnswerCursor } from './repositories-pg.js';

/** A call to the reader thread: a repository method, the migration, or the server lock. */
export interface ReadCall {
  id: number;
  repo: keyof ReadRepositories | '$migrate' | '$claim' | '$answerPage';
  method: string;
  args: unknown[];
  /** a read of a whole sitting or bank: on the pool whose statements may run longer */
  bulk: boolean;
}
export type ReadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { message: string; code?: ErrorCode; details?: unknown } };
/** What the reader thread tells its owner besides replies: the server lock lost to another server. */
export interface ReaderNotice {
  type: 'lock-lost';
  message: string;
}
export interface ReaderThreadData {
  url: string;
  /** Int32 [0]: the thread adds 1 after each reply; [1]: the thread's heartbeat, in seconds of its clock */
  signal: SharedArrayBuffer;
  port: MessagePort;
  /** the statement timeouts of its two pools, ms */
  timeoutMs: number;
  bulkTimeoutMs: number;
}

/** Reads of a whole sitting or bank (a sitting's load, an export's pages): they may take longer than one row's. */
const BULK = new Set(['$answerPage.', 'answers.bySitting', 'log.leaves', 'banks.questions', 'papers.many']);
const BULK_TIMEOUT_MS = 120_000;
/** a thread whose heartbeat is this old is gone (it beats every 500 ms; a long reply may hold it up) */
const SILENT_MS = 5_000;

/**
 * Reads PostgreSQL for code that reads synchronously, as it does SQLite: the engine keeps what a
 * running sitting needs in memory and reads the database only at set points (a sitting's load,
 * a login to a sitting not in memory, a staff check, the admin pages), each a few queries. Each
 * call runs on the reader thread (its own pools, node-postgres) while this thread waits for its
 * reply, as it waits for better-sqlite3.
 * - A call with no reply within its time fails; PostgreSQL stops its statement then too
 *   (statement_timeout), and its late reply, if any, is dropped.
 * - A reader thread that died is noticed within seconds by the call waiting on it (its heartbeat
 *   stops), and the next call starts a new one.
 * See docs/deploy.md for what this costs.
 */
export class PgReader {
  private worker!: Worker;
  private port!: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private nextId = 1;
  private closed = false;
  private failure: Error | null = null;
  private claimed = false;

  constructor(
    private readonly url: string,
    /** as long as SQLite's busy timeout: the most a read may hold the caller up */
    private readonly timeoutMs = 5_000,
    private readonly onLockLost?: (err: Error) => void,
  ) {
    this.spawn();
  }

  private spawn(): void {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.failure = null;
    Atomics.store(this.signal, 1, Math.floor(Date.now() / 1000));
    const data: ReaderThreadData = { url: this.url, signal: this.signal.buffer as SharedArrayBuffer, port: port2, timeoutMs: this.timeoutMs - 500, bulkTimeoutMs: BULK_TIMEOUT_MS - 5_000 };
    const worker = spawnThread(new URL('./pg-reader-thread.js', import.meta.url), new URL('./pg-reader-thread.ts', import.meta.url), data, undefined, [port2]);
    worker.unref();
    this.port.unref();
    worker.on('message', (m: ReaderNotice) => {
      if (m.type === 'lock-lost') this.onLockLost?.(new Error(m.message));
    });
    // an error of the thread itself (not of a query): the next call starts a new thread
    worker.on('error', (err) => (this.failure = err));
    worker.on('exit', (code) => (this.failure ??= new Error(`the PostgreSQL reader thread stopped (exit code ${code})`)));
    this.worker = worker;
  }

  /** Brings the database up to the current schema (under an advisory lock: see migratePostgres). */
  migrate(timeoutMs = 120_000): void {
    this.call('$migrate', '', [], timeoutMs);
  }

  /** Takes the server's lock on the database, or throws if another server holds it (pg-reader-thread.ts). */
  claimServer(timeoutMs = 30_000): void {
    this.call('$claim', '', [], timeoutMs);
    this.claimed = true;
  }

  private silent(): boolean {
    return Date.now() / 1000 - Atomics.load(this.signal, 1) > SILENT_MS / 1000;
  }

  /** A reader thread that stopped: a new one, which takes the server lock again if this one held it. */
  private restart(): void {
    void this.worker.terminate();
    this.port.close();
    this.spawn();
    if (this.claimed) this.call('$claim', '', [], 30_000);
  }

  call(repo: ReadCall['repo'], method: string, args: unknown[], timeoutMs?: number): unknown {
    if (this.closed) throw new Error('the PostgreSQL reader is closed');
    if (this.failure || this.silent()) this.restart();
    const bulk = BULK.has(`${repo}.${method}`);
    const limit = timeoutMs ?? (bulk ? BULK_TIMEOUT_MS : this.timeoutMs);
    const id = this.nextId++;
    this.port.postMessage({ id, repo, method, args, bulk } satisfies ReadCall);
    const deadline = Date.now() + limit;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      for (let got = receiveMessageOnPort(this.port); got; got = receiveMessageOnPort(this.port)) {
        const reply = got.message as ReadReply;
        // a reply to a call that timed out earlier
        if (reply.id !== id) continue;
        if (reply.ok) return reply.value;
        throw reply.error.code ? new KacaError(reply.error.code, reply.error.message, reply.error.details) : new Error(reply.error.message);
      }
      if (this.silent()) {
        this.failure = new Error('the PostgreSQL reader thread stopped answering');
        throw this.failure;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`PostgreSQL gave no answer to ${repo}.${method} within ${limit} ms`);
      // woken as soon as the thread has replied (the counter moved since `seen`)
      Atomics.wait(this.signal, 0, seen, Math.min(left, 1000));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    await this.worker.terminate();
  }
}

const REPOSITORIES = ['banks', 'templates', 'sittings', 'candidates', 'papers', 'attempts', 'answers', 'results', 'accounts', 'audit', 'staffSessions', 'log'] as const satisfies readonly (keyof ReadRepositories)[];

/**
 * The read repositories on PostgreSQL, called as the SQLite ones are (db/repositories-pg.ts has
 * their queries). A sitting's changes stream page by page (`pageSize` rows a call), as they do
 * row by row from SQLite.
 */
export function bridgedRepositories(reader: PgReader, pageSize = 20_000): ReadRepositories {
  function* streamBySitting(sittingId: string): Generator<StreamRow> {
    let after: AnswerCursor | null = null;
    for (;;) {
      const page = reader.call('$answerPage', '', [sittingId, after, pageSize]) as { rows: StreamRow[]; last: AnswerCursor | null };
      yield* page.rows;
      if (page.rows.length < pageSize) return;
      // a page that ends where the last one did would repeat forever
      if (!page.last || (after && page.last[0] === after[0] && page.last[1] === after[1])) throw new Error(`reading sitting ${sittingId}'s changes made no progress`);
      after = page.last;
    }
  }
  const repo = (name: keyof ReadRepositories) =>
    new Proxy(
      {},
      {
        get: (_, method) => {
          // `then` too would make a repository look like a promise to whoever awaits it
          if (typeof method !== 'string' || method === 'then') return undefined;
          if (name === 'answers' && method === 'streamBySitting') return streamBySitting;
          return (...args: unknown[]) => reader.call(name, method, args);
        },
      },
    );
  return Object.fromEntries(REPOSITORIES.map((name) => [name, repo(name)])) as ReadRepositories;
}

type StreamRow = ReturnType<ReadRepositories['answers']['streamBySitting']> extends Iterable<infer R> ? R : never;
