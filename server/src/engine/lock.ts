/**
 * A FIFO lock that is taken synchronously when free, so the hot path (one answer of an idle
 * candidate) pays no extra turn of the event loop. Waiters are served in the order they asked,
 * so locks taken together in one synchronous step by two callers cannot deadlock: every lock
 * sees the two in the same order.
 */
export class Lock {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  tryAcquire(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Someone is waiting: a long holder should let them in. */
  get contended(): boolean {
    return this.waiters.length > 0;
  }

  release(): void {
    const next = this.waiters.shift();
    // handed straight to the next waiter: nobody can slip in between
    if (next) next();
    else this.held = false;
  }
}

/** Takes every lock (asking for all of them in one step), runs fn, releases them. */
export async function withLocks<T>(locks: readonly Lock[], fn: () => Promise<T> | T): Promise<T> {
  await Promise.all(locks.map((l) => l.acquire()));
  try {
    return await fn();
  } finally {
    for (const l of locks) l.release();
  }
}
