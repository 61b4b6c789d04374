import type { ErrorCode } from '../contract/errors.js';

/** An expected failure with a wire code: handlers turn it into a 4xx or an error ack. */
export class KacaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'KacaError';
  }
}

export function fail(code: ErrorCode, message: string, details?: unknown): never {
  throw new KacaError(code, message, details);
}
