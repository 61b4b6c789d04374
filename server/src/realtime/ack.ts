import type { Socket } from 'socket.io';
import type { FastifyBaseLogger } from 'fastify';
import { ErrorCode, type Ack } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';

type Handler<T> = (payload: unknown) => T | Promise<T>;

/**
 * Wires one client event. Whatever the handler does, the client gets exactly one ack of the
 * shared shape, and nothing is thrown into socket.io: an unexpected error is logged and
 * answered INTERNAL without details. A handler may answer synchronously or with a promise.
 */
export function onEvent<T>(socket: Socket, log: FastifyBaseLogger, event: string, handler: Handler<T>): void {
  const failed = (err: unknown): Ack<T> => {
    if (err instanceof KacaError) return { ok: false, error: { code: err.code, message: err.message } };
    log.error({ err, event }, 'socket handler failed');
    return { ok: false, error: { code: ErrorCode.INTERNAL, message: 'internal error: try again' } };
  };
  socket.on(event, (...args: unknown[]) => {
    // the ack, when the client asked for one, is always the last argument
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (r: Ack<T>) => void) : null;
    const reply = (r: Ack<T>) => {
      if (ack) ack(r);
      else if (!r.ok) socket.emit('error:event', { event, error: r.error });
    };
    let result: T | Promise<T>;
    try {
      result = handler(args[0]);
    } catch (err) {
      return reply(failed(err));
    }
    if (result instanceof Promise) result.then((data) => reply({ ok: true, data }), (err: unknown) => reply(failed(err)));
    else reply({ ok: true, data: result });
  });
}

/** socket.io middleware errors carry the code in `data` for the client's connect_error. */
export function connectError(err: unknown): Error {
  const e = new Error(err instanceof Error ? err.message : 'unauthorized') as Error & { data: { code: string } };
  e.data = { code: err instanceof KacaError ? err.code : ErrorCode.UNAUTHORIZED };
  return e;
}
