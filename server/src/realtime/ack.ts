import type { FastifyBaseLogger } from 'fastify';
import { ErrorCode, type Ack, type ErrorBody } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { LATER, type EventHandler, type Handlers } from './types.js';

/** What onEvent needs of a socket, whatever its event maps. */
interface AnySocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  onAny?(listener: (event: string, ...args: unknown[]) => void): unknown;
  emit(event: 'error:event', p: { event: string; error: ErrorBody }): unknown;
}

/**
 * Wires one client event. Whatever the handler does, the client gets exactly one ack of the
 * shared shape, and nothing is thrown into socket.io: an unexpected error is logged and
 * answered INTERNAL without details. A handler may answer synchronously or with a promise.
 */
function failure(err: unknown, log: FastifyBaseLogger, event: string): Ack<never> {
  if (err instanceof KacaError) return { ok: false, error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
  log.error({ err, event }, 'socket handler failed');
  return { ok: false, error: { code: ErrorCode.INTERNAL, message: 'internal error: try again' } };
}

/** Runs a handler with no socket to answer on (a request passed on by another node): its one ack, as a promise. */
export function invoke<M, E extends keyof M & string>(log: FastifyBaseLogger, event: E, handler: EventHandler<M, E>, payload: unknown): Promise<Ack<unknown>> {
  return new Promise((resolve) => {
    const respond = (err: unknown, data?: unknown) => resolve(err ? failure(err, log, event) : { ok: true, data });
    let result: unknown;
    try {
      result = handler(payload, respond as never);
    } catch (err) {
      return resolve(failure(err, log, event));
    }
    if (result === LATER) return;
    if (result instanceof Promise) result.then((data: unknown) => resolve({ ok: true, data }), (err: unknown) => resolve(failure(err, log, event)));
    else resolve({ ok: true, data: result });
  });
}

/** The ack of a request another node served, handed to the local handler's `respond`. */
export function answerWith(ack: Ack<unknown>, respond: (err: unknown, data?: never) => void): void {
  if (ack.ok) respond(null, ack.data as never);
  else respond(new KacaError(ack.error.code, ack.error.message, ack.error.details));
}

export function onEvent<M, E extends keyof M & string>(socket: AnySocket, log: FastifyBaseLogger, event: E, handler: EventHandler<M, E>): void {
  type T = ReturnType<EventHandler<M, E>> extends infer R ? Awaited<R> : never;
  const failed = (err: unknown): Ack<T> => failure(err, log, event);
  // Events carry a payload, an ack, both or neither: the ack is always the last argument.
  socket.on(event, (a?: unknown, b?: unknown) => {
    const ack = (typeof b === 'function' ? b : typeof a === 'function' ? a : null) as ((r: Ack<T>) => void) | null;
    const payload = typeof a === 'function' ? undefined : a;
    const reply = (r: Ack<T>) => {
      if (ack) ack(r);
      else if (!r.ok) socket.emit('error:event', { event, error: r.error });
    };
    const respond = (err: unknown, data?: T) => reply(err ? failed(err) : { ok: true, data: data as T });
    let result: T | Promise<T> | typeof LATER;
    try {
      result = handler(payload, respond as never) as T | Promise<T> | typeof LATER;
    } catch (err) {
      return reply(failed(err));
    }
    if (result === LATER) return;
    if (result instanceof Promise) result.then((data) => reply({ ok: true, data }), (err: unknown) => reply(failed(err)));
    else reply({ ok: true, data: result });
  });
}

/**
 * Wires every handler of a namespace's map for one connection. `guard`, when given, runs before
 * every event and may refuse it by throwing (a staff session that has ended since connecting, a
 * connection past its limit); events listed in `unguarded` skip it (answers and flags, metered
 * on their own path).
 */
export function onEvents<M, C>(
  socket: AnySocket,
  log: FastifyBaseLogger,
  handlers: { [E in keyof M]: (ctx: C) => EventHandler<M, E> },
  ctx: C,
  guard?: () => void,
  unguarded: readonly (keyof M & string)[] = [],
): void {
  for (const event of Object.keys(handlers) as (keyof M & string)[]) {
    const handler = handlers[event](ctx);
    onEvent<M, typeof event>(socket, log, event, guard && !unguarded.includes(event) ? (payload, respond) => (guard(), handler(payload, respond)) : handler);
  }
  answerUnknownEvents(socket, Object.keys(handlers));
}

/** An event the namespace does not have gets its one reply too, BAD_REQUEST, and nothing is done. */
export function answerUnknownEvents(socket: AnySocket, known: readonly string[]): void {
  const takes = new Set(known);
  socket.onAny?.((event: unknown, ...args) => {
    if (typeof event === 'string' && takes.has(event)) return;
    // socket.io lets a packet name its event with a number too
    const text = String(event);
    const name = text.length > 64 ? `${text.slice(0, 64)}…` : text;
    const error: ErrorBody = { code: ErrorCode.BAD_REQUEST, message: `unknown event ${JSON.stringify(name)}: this namespace takes ${known.join(', ')}` };
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as (r: Ack<never>) => void)({ ok: false, error });
    else socket.emit('error:event', { event: name, error });
  });
}

/** socket.io middleware errors carry the code in `data` for the client's connect_error. */
export function connectError(err: unknown): Error {
  const e = new Error(err instanceof Error ? err.message : 'unauthorized') as Error & { data: { code: string } };
  e.data = { code: err instanceof KacaError ? err.code : ErrorCode.UNAUTHORIZED };
  return e;
}

/**
 * Each handler of a map, wrapped: `wrap` gets the event, the connection's context and the handler
 * as the map makes it, and returns the handler to run instead (several nodes: pass the event on
 * to the node that runs its sitting, or run it here).
 */
export function wrapHandlers<M, C>(handlers: Handlers<M, C>, wrap: (event: keyof M & string, ctx: C, local: EventHandler<M, keyof M>) => EventHandler<M, keyof M>): Handlers<M, C> {
  const out = {} as Record<string, (ctx: C) => EventHandler<M, keyof M>>;
  for (const [event, make] of Object.entries(handlers) as [keyof M & string, (ctx: C) => EventHandler<M, keyof M>][]) out[event] = (ctx) => wrap(event, ctx, make(ctx));
  return out as unknown as Handlers<M, C>;
}
