/** Every error code that crosses the wire, HTTP or socket. */
export const ErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL: 'INTERNAL',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOKEN_REQUIRED: 'TOKEN_REQUIRED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  LOGIN_LOCKED: 'LOGIN_LOCKED',
  ALREADY_CONNECTED: 'ALREADY_CONNECTED',
  SITTING_NOT_OPEN: 'SITTING_NOT_OPEN',
  SITTING_CLOSED: 'SITTING_CLOSED',
  NOT_ADMITTED: 'NOT_ADMITTED',
  NOT_STARTED: 'NOT_STARTED',
  PAUSED: 'PAUSED',
  TIME_UP: 'TIME_UP',
  FINISHED: 'FINISHED',
  TERMINATED: 'TERMINATED',
  UNKNOWN_ITEM: 'UNKNOWN_ITEM',
  UNKNOWN_OPTION: 'UNKNOWN_OPTION',
  INVALID_STATE: 'INVALID_STATE',
  BANK_INVALID: 'BANK_INVALID',
  BANK_TOO_SMALL: 'BANK_TOO_SMALL',
  /** too many requests: `details.retryAfterMs` says when to try again; nothing was done or counted */
  RATE_LIMITED: 'RATE_LIMITED',
  /** the attempt has stored as many changes as it may (a limit far above any real exam) */
  TOO_MANY_CHANGES: 'TOO_MANY_CHANGES',
  /**
   * several nodes: the node that runs the sitting cannot be reached just now (it stopped and
   * another is taking over, or Redis is down). Nothing was done; send the same request again.
   */
  UNAVAILABLE: 'UNAVAILABLE',
  /** the body is larger than the route takes: refused before the rest of it is read */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** the body's Content-Type is not one the route reads (JSON, or the upload's types) */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** The details of a RATE_LIMITED error. */
export interface RetryAfter {
  retryAfterMs: number;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** An error reply to an acked event; `code` is NETWORK when no reply came in time. */
export class AckError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AckError';
  }
}

/**
 * What a client makes of an acked event (socket.emitWithAck): the data, or an AckError. socket.io
 * gives no reply at all when the connection drops, so a reply that takes longer than
 * `timeoutMs` is a NETWORK error, to be retried.
 */
export async function ackData<T>(sent: Promise<Ack<T>>, timeoutMs = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AckError('NETWORK', 'no reply from the server')), timeoutMs);
  });
  try {
    const r = await Promise.race([sent, late]);
    if (!r.ok) throw new AckError(r.error.code, r.error.message, r.error.details);
    return r.data;
  } finally {
    clearTimeout(timer);
  }
}
