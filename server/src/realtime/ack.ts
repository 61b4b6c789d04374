import type { Socket } from 'socket.io';
import type { FastifyBaseLogger } from 'fastify';
import { ErrorCode, type Ack } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';

type Handler<T> = (payload: unknown) => T | Promise<T>;

/**
 * Wires one client event. Whatever the handler does, the client gets exactly one ack of the
 * shared shape, and nothing is thrown into socket.io: an unexpected error is logged and
 * answered INTERNAL without details.
 */
export function onEvent<T>(socket: Socket, log: FastifyBaseLogger, event: string, handler: Handler<T>): void {
  socket.on(event, async (...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (r: Ack<T>) => void) : null;
    const payload = args[0];
    let reply: Ack<T>;
    try {
      reply = { ok: true, data: await handler(payload) };
    } catch (err) {
      if (err instanceof KacaError) reply = { ok: false, error: { code: err.code, message: err.message } };
      else {
        log.error({ err, event }, 'socket handler failed');
        reply = { ok: false, error: { code: ErrorCode.INTERNAL, message: 'internal error: try again' } };
      }
    }
    if (ack) ack(reply);
    else if (!reply.ok) socket.emit('error:event', { event, error: reply.error });
  });
}

/** socket.io middleware errors carry the code in `data` for the client's connect_error. */
export function connectError(err: unknown): Error {
  const e = new Error(err instanceof Error ? err.message : 'unauthorized') as Error & { data: { code: string } };
  e.data = { code: err instanceof KacaError ? err.code : ErrorCode.UNAUTHORIZED };
  return e;
}
