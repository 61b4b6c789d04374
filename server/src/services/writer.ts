import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { WRITE_STATEMENTS, toSql, type BatchResult, type WriteOp, type WriteUnit } from '../db/write-ops.js';
import { createSqlWriter, type SqlWriter } from '../db/sql-writer.mjs';

interface Pending {
  unit: WriteUnit;
  key: number | null;
  resolve: (values: number[]) => void;
  reject: (err: Error) => void;
}

/** Units per transaction at most: a hall answering at once is committed in slices, see next(). */
const MAX_BATCH = 256;
/** Batches handed to the committer before the first of them is on disk. */
const MAX_IN_FLIGHT = 2;

/**
 * Group commit. Units submitted while commits are under way wait and then go together in the
 * next transaction (synchronous=FULL: one fsync for the lot), and each promise resolves only
 * once its transaction is on disk. Under light load a unit commits at once; under heavy load
 * batches grow by themselves, up to MAX_BATCH units, and a second batch is queued behind the
 * one being committed, so that acknowledging one slice of a hall overlaps with committing the
 * next instead of the whole hall waiting on one fsync and then on one long burst of acks.
 */
export abstract class DurableWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private closed = false;
  private idle: (() => void)[] = [];
  /** batches, units and ops committed, for metrics */
  readonly stats = { batches: 0, units: 0, ops: 0, largestBatch: 0 };

  /**
   * Resolves with each op's last insert rowid once the unit is on disk. Units with the same key
   * (a candidate's id) commit in order: once one fails, the later ones fail unrun until
   * release(key) (see createSqlWriter).
   */
  submit(ops: WriteOp[], key: number | null = null): Promise<number[]> {
    if (this.closed) return Promise.reject(new Error('the writer is closed'));
    const unit = ops.map(toSql);
    return new Promise((resolve, reject) => {
      this.queue.push({ unit, key, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.scheduled) return;
    if (this.queue.length === 0) {
      if (this.inFlight === 0) for (const f of this.idle.splice(0)) f();
      return;
    }
    this.scheduled = true;
    // setImmediate: everything read from the sockets in this turn of the loop joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.next();
    });
  }

  private next(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) return this.kick();
    const batch = this.queue.length <= MAX_BATCH ? this.queue : this.queue.slice(0, MAX_BATCH);
    this.queue = this.queue.length <= MAX_BATCH ? [] : this.queue.slice(MAX_BATCH);
    this.inFlight++;
    const units = new Array<WriteUnit>(batch.length);
    const keys = new Array<number | null>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      units[i] = batch[i].unit;
      keys[i] = batch[i].key;
    }
    this.commit(units, keys).then(
      ({ ids, errors }) => {
        this.stats.batches++;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
        let at = 0;
        for (let i = 0; i < batch.length; i++) {
          const p = batch[i];
          const n = p.unit.length;
          const error = errors?.[i];
          if (error) p.reject(new Error(error));
          else {
            this.stats.units++;
            this.stats.ops += n;
            p.resolve(ids.slice(at, at + n));
          }
          at += n;
        }
        this.inFlight--;
        this.kick();
      },
      (err: Error) => {
        for (const p of batch) p.reject(err);
        this.inFlight--;
        this.kick();
      },
    );
    // A second batch may go now, if there is one: it waits in the committer's queue, not here.
    this.kick();
  }

  /** Resolves when everything submitted so far is committed (or has failed). */
  drained(): Promise<void> {
    if (this.inFlight === 0 && !this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Commits what is queued, then refuses new writes and releases the database. */
  async close(): Promise<void> {
    await this.drained();
    this.closed = true;
    await this.shutdown();
  }

  /**
   * After a unit with this key failed: the caller has waited for every unit of the key it had
   * submitted to settle and reloaded from disk, so the key's units are committed again.
   */
  abstract release(key: number): void;
  /** Resolves once the writer can commit (the thread has opened the database). */
  abstract ready(): Promise<void>;
  protected abstract commit(units: WriteUnit[], keys: (number | null)[]): Promise<BatchResult>;
  protected abstract shutdown(): Promise<void>;
}

/**
 * Commits on the event loop's own thread, through the main connection. Used for in-memory
 * databases, which another thread cannot open.
 */
export class InlineWriter extends DurableWriter {
  private readonly sql: SqlWriter;
  constructor(sqlite: Database.Database) {
    super();
    this.sql = createSqlWriter(sqlite, WRITE_STATEMENTS);
  }
  release(key: number): void {
    this.sql.release([key]);
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  protected commit(units: WriteUnit[], keys: (number | null)[]): Promise<BatchResult> {
    return Promise.resolve(this.sql.commit(units, keys));
  }
  protected shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type FromThread = { type: 'ready' } | { type: 'committed'; result: BatchResult } | { type: 'failed'; message: string } | { type: 'warning'; message: string } | { type: 'closed' };

const THREAD = new URL('../db/writer-thread.mjs', import.meta.url);

/**
 * One thread of the writer (db/writer-thread.mjs). A thread that stops unexpectedly after it
 * had opened the database is replaced; one that never started (bad file, no native module)
 * would only fail again, so it is not.
 */
class DbThread {
  private worker!: Worker;
  private started!: Promise<void>;
  private closing: (() => void) | null = null;
  alive = false;

  constructor(
    private readonly data: Record<string, unknown>,
    private readonly onMessage: (m: FromThread) => void,
    private readonly onStopped: (err: Error, replaced: boolean) => void,
  ) {
    this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(THREAD, { workerData: this.data });
    this.worker = worker;
    // The server's listening socket keeps the process alive, not these threads.
    worker.unref();
    this.started = new Promise((resolve, reject) => {
      worker.on('message', (m: FromThread) => {
        if (m.type === 'ready') {
          this.alive = true;
          resolve();
        } else if (m.type === 'closed') this.closing?.();
        else this.onMessage(m);
      });
      worker.on('error', (err) => reject(err));
      worker.on('exit', (code) => {
        const wasAlive = this.alive;
        this.alive = false;
        const err = new Error(`a writer thread (${String(this.data.role)}) stopped with exit code ${code}`);
        reject(err);
        if (this.closing) return this.closing();
        this.onStopped(err, wasAlive);
        if (wasAlive) this.spawn();
      });
    });
    this.started.catch(() => undefined);
  }

  ready(): Promise<void> {
    return this.started;
  }

  post(message: unknown): void {
    this.worker.postMessage(message);
  }

  close(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      this.closing = resolve;
      this.worker.postMessage({ type: 'close' });
    });
  }
}

/**
 * Commits on a worker thread with its own connection to the database file, so the fsync of
 * every commit blocks that thread, not the event loop: candidates' answers, acks and pushes go
 * on while the disk works. A second thread checkpoints the WAL. If the writer thread dies, the
 * batch in flight fails (its callers are told and reload from disk) and a new thread takes over.
 */
export class ThreadWriter extends DurableWriter {
  private readonly writer: DbThread;
  private readonly checkpointer: DbThread;
  /** callers of the batches handed to the thread, oldest first: it answers in order */
  private waiting: { resolve: (r: BatchResult) => void; reject: (e: Error) => void }[] = [];

  constructor(file: string, onError: (err: Error) => void = () => undefined, checkpointMs = 200) {
    super();
    this.writer = new DbThread(
      { role: 'writer', file, statements: WRITE_STATEMENTS },
      (m) => {
        if (m.type === 'committed') this.waiting.shift()?.resolve(m.result);
        else if (m.type === 'failed') this.waiting.shift()?.reject(new Error(m.message));
      },
      (err, replaced) => {
        // what the stopped thread had not answered may or may not be on disk: its callers reload
        for (const w of this.waiting.splice(0)) w.reject(err);
        onError(new Error(`${err.message}${replaced ? '; a new one takes over' : ''}`));
      },
    );
    this.checkpointer = new DbThread(
      { role: 'checkpoint', file, intervalMs: checkpointMs },
      (m) => {
        if (m.type === 'warning') onError(new Error(m.message));
      },
      (err, replaced) => onError(new Error(`${err.message}${replaced ? '; a new one takes over' : ''}`)),
    );
  }

  async ready(): Promise<void> {
    await Promise.all([this.writer.ready(), this.checkpointer.ready()]);
  }

  protected commit(units: WriteUnit[], keys: (number | null)[]): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      if (!this.writer.alive) return reject(new Error('the writer thread is not running'));
      this.waiting.push({ resolve, reject });
      this.writer.post({ type: 'commit', units, keys });
    });
  }

  release(key: number): void {
    // a replacement thread starts with nothing refused: nothing to release there
    if (this.writer.alive) this.writer.post({ type: 'release', keys: [key] });
  }

  protected async shutdown(): Promise<void> {
    await Promise.all([this.writer.close(), this.checkpointer.close()]);
  }
}
