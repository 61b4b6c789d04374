import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { spawnThread } from '../thread.js';
import type { ReadRepositories } from './repositories/index.js';

/** A call to the reader thread: a repository method, or the migration. */
export interface ReadCall {
  id: number;
  repo: keyof ReadRepositories | '$migrate' | '$claim';
  method: string;
  args: unknown[];
}
export type ReadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { message: string; code?: ErrorCode; details?: unknown } };
export interface ReaderThreadData {
  url: string;
  /** one Int32: the thread adds 1 after each reply */
  signal: SharedArrayBuffer;
  port: MessagePort;
}

/**
 * Reads PostgreSQL for code that reads synchronously, as it does SQLite: the engine keeps what a
 * running sitting needs in memory and reads the database only at set points (a sitting's load,
 * a login to a sitting not in memory, a staff session's check, the admin pages), each a few
 * queries. Each call runs on the reader thread (its own pool, node-postgres) while this thread
 * waits for its reply, as it waits for better-sqlite3; a call that gets no reply within
 * `timeoutMs` fails (its late reply is dropped). See docs/deploy.md for what this costs.
 */
export class PgReader {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private closed = false;

  constructor(
    url: string,
    /** as long as SQLite's busy timeout: the most a read may hold the caller up */
    private readonly timeoutMs = 5_000,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: ReaderThreadData = { url, signal: this.signal.buffer as SharedArrayBuffer, port: port2 };
    this.worker = spawnThread(new URL('./pg-reader-thread.js', import.meta.url), new URL('./pg-reader-thread.ts', import.meta.url), data, undefined, [port2]);
    this.worker.unref();
    this.port.unref();
    // an error of the thread itself (not of a query): every later call fails with it
    this.worker.on('error', (err) => (this.failure = err));
    this.worker.on('exit', (code) => (this.failure ??= new Error(`the PostgreSQL reader thread stopped (exit code ${code})`)));
  }

  private failure: Error | null = null;

  /** Brings the database up to the current schema (under an advisory lock: see migratePostgres). */
  migrate(timeoutMs = 120_000): void {
    this.call('$migrate', '', [], timeoutMs);
  }

  /** Takes the server's lock on the database, or throws if another server holds it (pg-reader-thread.ts). */
  claimServer(timeoutMs = 30_000): void {
    this.call('$claim', '', [], timeoutMs);
  }

  call(repo: ReadCall['repo'], method: string, args: unknown[], timeoutMs = this.timeoutMs): unknown {
    if (this.closed) throw new Error('the PostgreSQL reader is closed');
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    this.port.postMessage({ id, repo, method, args } satisfies ReadCall);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      for (let got = receiveMessageOnPort(this.port); got; got = receiveMessageOnPort(this.port)) {
        const reply = got.message as ReadReply;
        // a reply to a call that timed out earlier
        if (reply.id !== id) continue;
        if (reply.ok) return reply.value;
        throw reply.error.code ? new KacaError(reply.error.code, reply.error.message, reply.error.details) : new Error(reply.error.message);
      }
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`PostgreSQL gave no answer to ${repo}.${method} within ${timeoutMs} ms`);
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

/** Reads of a whole sitting or bank (a sitting's load, an export's pages): they may take longer than one row's. */
const BULK = new Set(['answers.streamBySitting', 'answers.bySitting', 'log.leaves', 'banks.questions', 'papers.many']);
const BULK_TIMEOUT_MS = 120_000;

const REPOSITORIES = ['banks', 'templates', 'sittings', 'candidates', 'papers', 'attempts', 'answers', 'results', 'accounts', 'audit', 'staffSessions', 'log'] as const satisfies readonly (keyof ReadRepositories)[];

/** The read repositories on PostgreSQL, called as the SQLite ones are (db/repositories-pg.ts has their queries). */
export function bridgedRepositories(reader: PgReader): ReadRepositories {
  const repo = (name: keyof ReadRepositories) =>
    new Proxy(
      {},
      {
        get: (_, method) => {
          if (typeof method !== 'string') return undefined;
          const timeout = BULK.has(`${name}.${method}`) ? BULK_TIMEOUT_MS : undefined;
          return (...args: unknown[]) => reader.call(name, method, args, timeout);
        },
      },
    );
  return Object.fromEntries(REPOSITORIES.map((name) => [name, repo(name)])) as ReadRepositories;
}
