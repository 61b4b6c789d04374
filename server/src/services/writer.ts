import type Database from 'better-sqlite3';

type Op = () => void;
interface Pending {
  op: Op;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit. Everything submitted in the same tick runs in one SQLite transaction
 * (synchronous=FULL: one fsync for the lot), and each promise resolves only once that
 * transaction is on disk. If the batch fails, each op is retried alone so that one bad op
 * fails only its own caller.
 */
export class GroupCommitWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private lastFlush = 0;
  /** batches and ops committed, for metrics */
  readonly stats = { batches: 0, ops: 0, largestBatch: 0 };

  /**
   * @param minIntervalMs commits are at least this far apart. Under light load a commit happens
   *   on the next tick; under heavy load each fsync (which blocks the event loop) is shared by
   *   everything that arrived in the interval, instead of one fsync per answer.
   */
  constructor(
    private readonly sqlite: Database.Database,
    private readonly minIntervalMs = 2,
  ) {}

  submit(op: Op): Promise<void> {
    if (this.closed) return Promise.reject(new Error('writer is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        const wait = this.lastFlush + this.minIntervalMs - performance.now();
        if (wait <= 0) setImmediate(() => this.flush());
        else setTimeout(() => this.flush(), wait);
      }
    });
  }

  /** Commits what is queued now; safe to call at any time (used on shutdown). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.lastFlush = performance.now();
    try {
      this.sqlite.transaction(() => {
        for (const p of batch) p.op();
      })();
      this.stats.batches++;
      this.stats.ops += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      for (const p of batch) p.resolve();
    } catch {
      for (const p of batch) {
        try {
          this.sqlite.transaction(p.op)();
          this.stats.ops++;
          p.resolve();
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }

  close(): void {
    this.flush();
    this.closed = true;
  }
}
