import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';

const MINUTE = 60_000;

/**
 * An onRequest hook limiting one login route per client address and in all, before the body is
 * read. A limited attempt is refused with RATE_LIMITED and retryAfterMs and is not a failed login:
 * it never reaches the PIN or password check.
 */
export function loginLimits(app: FastifyInstance, name: string, perAddress: number, total: number): (req: FastifyRequest) => Promise<void> {
  const checks = [
    app.createRateLimit({ max: perAddress, timeWindow: MINUTE, keyGenerator: (req) => `${name}:${req.ip}` }),
    app.createRateLimit({ max: total, timeWindow: MINUTE, keyGenerator: () => `${name}:*` }),
  ];
  return async (req) => {
    for (const check of checks) {
      const r = await check(req);
      if (!r.isAllowed && r.isExceeded) {
        throw new KacaError(ErrorCode.RATE_LIMITED, `too many logins: try again in ${Math.max(1, r.ttlInSeconds)} s`, { retryAfterMs: r.ttl });
      }
    }
  };
}
