import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import type { AccountRow } from '../db/repositories/accounts.js';

declare module 'fastify' {
  interface FastifyRequest {
    account?: AccountRow;
    /** the staff session's id (not the bearer token) */
    staffSession?: string;
  }
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** preHandler: a staff session (admin or proctor) in `Authorization: Bearer`. */
export async function requireStaff(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const { account, sessionId } = req.server.engine.staff.authenticate(bearer(req));
  req.account = account;
  req.staffSession = sessionId;
}

/** preHandler: an admin session. */
export async function requireAdmin(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireStaff(req, reply);
  if (req.account!.role !== 'admin') throw new KacaError(ErrorCode.FORBIDDEN, 'this needs an admin account');
}

/**
 * For routes that take uploads: checked in onRequest, before the body is read. A refused request
 * that came with a body also closes the connection, so the rest of the body is not read either.
 */
export function beforeBody(check: (req: FastifyRequest, reply: FastifyReply) => Promise<void>): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (req, reply) => {
    try {
      await check(req, reply);
    } catch (err) {
      const body = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      if (body) void reply.header('connection', 'close');
      throw err;
    }
  };
}
