import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';

/**
 * A token bucket per connection: `rate` tokens a second, at most `burst` saved up. Real time,
 * not the exam's clock: it meters traffic, and a paused exam's clock does not stand still for it.
 */
export class TokenBucket {
  private tokens: number;
  private at = performance.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Takes a token: 0, or how many ms until one is there (nothing taken then). */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }

  /** How many ms until the bucket holds its whole burst again (0: it does, and forgetting it changes nothing). */
  untilFull(): number {
    this.refill();
    return this.tokens >= this.burst ? 0 : Math.ceil(((this.burst - this.tokens) / this.rate) * 1000);
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
  }
}

/**
 * What one connection may send besides answers and flags (which have their own meter, queued in
 * order): a start, a state read, a watch, a proctor's action. Far above what a screen sends, far
 * below what would let one connection hold the event loop every other candidate's acks wait on.
 */
export const EVENT_LIMITS = {
  candidate: { rate: 10, burst: 40 },
  proctor: { rate: 20, burst: 100 },
  scoreboard: { rate: 5, burst: 20 },
} as const;

/** A bucket of one of EVENT_LIMITS. */
export const eventBucket = (limits: { rate: number; burst: number }): TokenBucket => new TokenBucket(limits.rate, limits.burst);

/**
 * Namespace CONNECTs one engine.io connection may make: each app makes one per namespace, and
 * another after the server ends a namespace's session (a new login, say) on the same connection.
 */
export const CONNECT_LIMIT = { rate: 0.2, burst: 10 } as const;

/**
 * Connections one candidate may open: a page load, a reload, a reconnect after the network
 * dropped, a PC swap. A hall's worst minute (the Wi-Fi flapping) stays well inside; a session
 * connecting in a loop does not.
 */
export const CANDIDATE_CONNECTS = { rate: 0.5, burst: 30 } as const;

const perTransport = new WeakMap<object, Map<string, TokenBucket>>();

/**
 * A bucket of one kind of traffic on one engine.io connection (`socket.conn`): it outlives the
 * namespace sockets on that connection. A client may CONNECT to a namespace, send, DISCONNECT and
 * CONNECT again without opening a new websocket; a bucket per namespace socket would give every
 * such cycle a fresh burst. Forgotten with the connection.
 */
export function transportBucket(conn: object, kind: string, limits: { rate: number; burst: number }): TokenBucket {
  let kinds = perTransport.get(conn);
  if (!kinds) perTransport.set(conn, (kinds = new Map()));
  let bucket = kinds.get(kind);
  if (!bucket) kinds.set(kind, (bucket = eventBucket(limits)));
  return bucket;
}

/** A guard for onEvents: refuses an event past the bucket's limit with RATE_LIMITED and retryAfterMs; nothing is done. */
export function eventLimit(bucket: TokenBucket): () => void {
  return () => {
    const wait = bucket.take();
    if (wait > 0) throw new KacaError(ErrorCode.RATE_LIMITED, `too many requests on this connection: try again in ${wait} ms`, { retryAfterMs: wait });
  };
}
