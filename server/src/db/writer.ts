import type { Worker } from 'node:worker_threads';
import { spawnThread } from '../thread.js';
import type Database from 'better-sqlite3';
import { KacaError } from '../domain/errors.js';
import type { ErrorCode } from '../contract/errors.js';
import { createCommitter } from './committer.js';
import type { LogKey } from './sitting-log.js';
import { useNodeSha256 } from './sitting-log.js';
import type { BatchResult, WriteError, WriteOp, WriteValue } from './write-ops.js';
import { BatchPacker, type PackedBatch } from './packing.js';

interface Pending {
  unit: WriteOp[];
  resolve: (values: WriteValue[]) => void;
  reject: (err: Error) => void;
}

/** Units per transaction at most: a hall answering at once is committed in slices, see next(). */
const MAX_BATCH = 4096;
/** Batches handed to the committer before the first of them is on disk. */
const MAX_IN_FLIGHT = 2;

/**
 * The writer thread stopped while it held this batch: it may or may not be on disk. Whoever
 * submitted it reloads what it changed from the database instead of assuming either.
 */
export class WriterLost extends Error {}

function toError(e: WriteError): Error {
  return e.code ? new KacaError(e.code as ErrorCode, e.message) : new Error(e.message);
}

/**
 * Group commit: the only way anything reaches the database. Units submitted while commits are
 * under way wait and then go together in the next transaction (synchronous=FULL: one fsync for
 * the lot), and each promise resolves only once its transaction is on disk. Under light load a
 * unit commits at once; under heavy load batches grow by themselves, up to MAX_BATCH units, and
 * a second batch is queued behind the one being committed, so that acknowledging one slice of a
 * hall overlaps with committing the next.
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
   * Resolves with each op's value (a new row id, or 0) once the unit is on disk; rejects, with
   * nothing of the unit stored, if it cannot be (a KacaError when the write refused with a code).
   */
  submit(unit: WriteOp[]): Promise<WriteValue[]> {
    if (this.closed) return Promise.reject(new Error('the writer is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
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
    this.commit(batch.map((p) => p.unit)).then(
      ({ values, errors }) => {
        this.stats.batches++;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
        let at = 0;
        for (let i = 0; i < batch.length; i++) {
          const p = batch[i];
          const n = p.unit.length;
          const error = errors?.[i];
          if (error) p.reject(toError(error));
          else {
            this.stats.units++;
            this.stats.ops += n;
            p.resolve(values.slice(at, at + n));
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

  /** Resolves once the writer can commit (the thread has opened the database). */
  abstract ready(): Promise<void>;
  protected abstract commit(units: WriteOp[][]): Promise<BatchResult>;
  protected abstract shutdown(): Promise<void>;
}

/**
 * Commits on the event loop's own thread, through the given connection: the same committer as
 * the thread's. For in-memory databases, which another thread cannot open.
 */
export class InlineWriter extends DurableWriter {
  private readonly committer: ReturnType<typeof createCommitter>;
  constructor(sqlite: Database.Database, logKey: LogKey) {
    super();
    useNodeSha256();
    this.committer = createCommitter(sqlite, logKey);
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  protected commit(units: WriteOp[][]): Promise<BatchResult> {
    return Promise.resolve(this.committer.commit(units));
  }
  protected shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Where the writer commits: the embedded SQLite file, or a PostgreSQL server (issue 16). */
export type WriterTarget = { sqlite: string } | { postgres: string };

/**
 * `fenced` (several nodes, docs/deploy.md): the thread's connection holds an advisory lock for
 * each sitting this node runs, and refuses any unit that appends to the log of a sitting it does
 * not hold; `held` are the sittings a replacement thread must take again before its first batch.
 */
export type ThreadData = { role: 'writer'; file: string; logKey: LogKey } | { role: 'checkpoint'; file: string; intervalMs: number } | { role: 'pg-writer'; url: string; logKey: LogKey; fenced: boolean; held: string[] };
export type ToThread = { type: 'commit'; batch: PackedBatch } | { type: 'own'; sittingId: string; take: boolean } | { type: 'close' };
export type FromThread =
  | { type: 'ready' }
  | { type: 'committed'; result: BatchResult }
  | { type: 'owned'; ok: boolean }
  | { type: 'failed'; message: string }
  | { type: 'warning'; message: string }
  /** a replacement thread could not take these sittings again: another node runs them now */
  | { type: 'owned-lost'; sittingIds: string[] }
  | { type: 'closed' };


/**
 * A small young generation: the threads allocate little that lives, and the process's own
 * semi-space flag (npm start gives the event loop 32 MB) would otherwise let each thread's
 * garbage grow the process by tens of MB before a scavenge.
 */
const LIMITS = { maxYoungGenerationSizeMb: 4 };

function spawnWriterThread(data: ThreadData): Worker {
  if (data.role === 'pg-writer') return spawnThread(new URL('./pg-writer-thread.js', import.meta.url), new URL('./pg-writer-thread.ts', import.meta.url), data, LIMITS);
  return spawnThread(new URL('./writer-thread.js', import.meta.url), new URL('./writer-thread.ts', import.meta.url), data, LIMITS);
}

/**
 * One thread of the writer (db/writer-thread.ts). A thread that stops unexpectedly after it had
 * opened the database is replaced; one that never started (bad file, no native module) would
 * only fail again, so it is not.
 */
class DbThread {
  private worker!: Worker;
  private started!: Promise<void>;
  private closing: (() => void) | null = null;
  alive = false;
  /** a replacement thread that has not connected yet (PostgreSQL may be down for a while) */
  replacing = false;

  constructor(
    private readonly data: ThreadData,
    private readonly onMessage: (m: FromThread) => void,
    private readonly onStopped: (err: Error, replaced: boolean) => void,
  ) {
    this.spawn();
  }

  private spawn(replacing = false): void {
    this.replacing = replacing;
    const worker = spawnWriterThread(this.data);
    this.worker = worker;
    // The server's listening socket keeps the process alive, not these threads.
    worker.unref();
    this.started = new Promise((resolve, reject) => {
      worker.on('message', (m: FromThread) => {
        if (m.type === 'ready') {
          this.alive = true;
          // a replacement is announced (several nodes: the sittings are read afresh)
          if (this.replacing) this.onMessage(m);
          this.replacing = false;
          resolve();
        } else if (m.type === 'closed') this.closing?.();
        else this.onMessage(m);
      });
      worker.on('error', (err) => reject(err));
      worker.on('exit', (code) => {
        const wasAlive = this.alive;
        this.alive = false;
        const err = new Error(`a writer thread (${this.data.role}) stopped with exit code ${code}`);
        reject(err);
        if (this.closing) return this.closing();
        this.onStopped(err, wasAlive);
        if (wasAlive) this.spawn(true);
      });
    });
    this.started.catch(() => undefined);
  }

  ready(): Promise<void> {
    return this.started;
  }

  post(message: ToThread, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /**
   * Stops the thread: one that has started closes its connection and ends; one still starting
   * (a replacement waiting for PostgreSQL to come back, say) is stopped where it is.
   */
  async close(): Promise<void> {
    if (!this.alive) {
      this.closing = () => undefined;
      await this.worker.terminate();
      return;
    }
    await new Promise<void>((resolve) => {
      this.closing = resolve;
      this.worker.postMessage({ type: 'close' } satisfies ToThread);
    });
  }
}

/**
 * Commits on a worker thread with its own connection to the database, so the fsync of every
 * commit blocks that thread, not the event loop: candidates' answers, acks and pushes go on while
 * the disk works. On SQLite a second thread checkpoints the WAL; PostgreSQL checkpoints itself.
 * If the writer thread dies (or, on PostgreSQL, loses its connection), the batch in flight fails
 * with WriterLost (its callers reload what it changed) and a new thread takes over.
 */
export class ThreadWriter extends DurableWriter {
  private threads: DbThread[] | null = null;
  /** the sittings whose locks this node's writer connection holds (several nodes only) */
  private readonly held: string[] = [];
  /** callers of the batches handed to the thread, oldest first: it answers in order */
  private waiting: { resolve: (r: BatchResult) => void; reject: (e: Error) => void }[] = [];
  private readonly packer = new BatchPacker();

  constructor(
    private readonly target: WriterTarget,
    private readonly logKey: LogKey,
    private readonly onError: (err: Error) => void = () => undefined,
    private readonly checkpointMs = 200,
    /** several nodes on one PostgreSQL: told when a replacement thread finds a sitting taken by another node */
    private readonly fence: { lost(sittingIds: string[]): void; stopped?(): void; replaced?(): void } | null = null,
  ) {
    super();
  }

  /** The threads start with the first write (or ready()): a command-line read needs none. */
  private start(): DbThread[] {
    if (this.threads) return this.threads;
    const { target, logKey, onError, checkpointMs } = this;
    const stopped = (err: Error, replaced: boolean) => onError(new Error(`${err.message}${replaced ? '; a new one takes over' : ''}`));
    const writer = new DbThread(
      'sqlite' in target ? { role: 'writer', file: target.sqlite, logKey } : { role: 'pg-writer', url: target.postgres, logKey, fenced: this.fence !== null, held: this.held },
      (m) => {
        if (m.type === 'committed') this.waiting.shift()?.resolve(m.result);
        else if (m.type === 'owned') this.waiting.shift()?.resolve({ values: [m.ok ? 1 : 0], errors: null });
        else if (m.type === 'ready') this.fence?.replaced?.();
        else if (m.type === 'owned-lost') {
          for (const id of m.sittingIds) if (this.held.includes(id)) this.held.splice(this.held.indexOf(id), 1);
          this.fence?.lost(m.sittingIds);
        }
        else if (m.type === 'failed') this.waiting.shift()?.reject(new Error(m.message));
        else if (m.type === 'warning') onError(new Error(m.message));
      },
      (err, replaced) => {
        // what the stopped thread had not answered may or may not be on disk: its callers reload
        for (const w of this.waiting.splice(0)) w.reject(new WriterLost(err.message));
        // the thread that takes over starts with no strings
        this.packer.forget();
        this.fence?.stopped?.();
        stopped(err, replaced);
      },
    );
    this.threads = [writer];
    if ('sqlite' in target) {
      const checkpointer = new DbThread(
        { role: 'checkpoint', file: target.sqlite, intervalMs: checkpointMs },
        (m) => {
          if (m.type === 'warning') onError(new Error(m.message));
        },
        stopped,
      );
      this.threads.push(checkpointer);
    }
    return this.threads;
  }

  async ready(): Promise<void> {
    await Promise.all(this.start().map((t) => t.ready()));
  }

  protected async commit(units: WriteOp[][]): Promise<BatchResult> {
    const [writer] = this.start();
    // while a lost PostgreSQL connection is being replaced, changes are refused at once (nothing
    // stored: the clients send them again) rather than held for as long as the server stays away;
    // a SQLite thread that died is back in a moment, and changes wait for it
    if (writer.replacing && 'postgres' in this.target) throw new Error('the writer is reconnecting to PostgreSQL: try again in a moment');
    await writer.ready();
    return new Promise((resolve, reject) => {
      if (!writer.alive) return reject(new Error('the writer thread is not running'));
      this.waiting.push({ resolve, reject });
      const batch = this.packer.pack(units);
      writer.post({ type: 'commit', batch }, [batch.nums.buffer as ArrayBuffer]);
    });
  }

  /**
   * Several nodes: takes a sitting's lock on the writer's connection (true if taken, false if
   * another node holds it), or lets go of it (call drained() first: a batch sent after the lock
   * went would be refused). While the lock is held, this node's connection is the only one that
   * can append to the sitting's log: a node that died let go of its locks with its connection.
   */
  async own(sittingId: string, take: boolean): Promise<boolean> {
    if (!this.fence) throw new Error('own() is for a writer of several nodes');
    const [writer] = this.start();
    // a thread reconnecting to PostgreSQL answers nothing until it is back: no node takes a sitting meanwhile
    if (writer.replacing) throw new KacaError('UNAVAILABLE' as ErrorCode, 'the writer is reconnecting to PostgreSQL: try again in a moment');
    await writer.ready();
    const result = await new Promise<BatchResult>((resolve, reject) => {
      if (!writer.alive) return reject(new Error('the writer thread is not running'));
      this.waiting.push({ resolve, reject });
      writer.post({ type: 'own', sittingId, take });
    });
    const ok = result.values[0] === 1;
    const at = this.held.indexOf(sittingId);
    if (take && ok && at < 0) this.held.push(sittingId);
    if (!take && at >= 0) this.held.splice(at, 1);
    return ok;
  }

  protected async shutdown(): Promise<void> {
    if (this.threads) await Promise.all(this.threads.map((t) => t.close()));
  }
}
