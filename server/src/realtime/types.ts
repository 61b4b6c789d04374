import type { Namespace, Socket } from 'socket.io';
import type { FastifyBaseLogger } from 'fastify';
import type { CandidateClientEvents, CandidateServerEvents } from '../contract/candidate.js';
import type { Ack } from '../contract/errors.js';
import type { ProctorClientEvents, ProctorServerEvents } from '../contract/proctor.js';
import type { ScoreboardClientEvents, ScoreboardServerEvents } from '../contract/scoreboard.js';
import type { AccountRow } from '../db/repositories/accounts.js';
import type { ExamEngine } from '../engine/engine.js';
import type { AsSent, SentEvents } from '../domain/candidate-view.js';

// socket.io's typed namespaces and sockets, one per audience, on the contract's event maps.
type NoServerEvents = Record<string, never>;
export type CandidateNamespace = Namespace<CandidateClientEvents, SentEvents<CandidateServerEvents>, NoServerEvents, { candidateId: number }>;
type CandidateSocket = Socket<CandidateClientEvents, SentEvents<CandidateServerEvents>, NoServerEvents, { candidateId: number }>;
type ProctorData = { account: AccountRow; sessionId: string };
export type ProctorNamespace = Namespace<ProctorClientEvents, ProctorServerEvents, NoServerEvents, ProctorData>;
type ProctorSocket = Socket<ProctorClientEvents, ProctorServerEvents, NoServerEvents, ProctorData>;
export type ScoreboardNamespace = Namespace<ScoreboardClientEvents, SentEvents<ScoreboardServerEvents>, NoServerEvents, Record<string, never>>;
export type ScoreboardSocket = Socket<ScoreboardClientEvents, ScoreboardServerEvents, NoServerEvents, Record<string, never>>;

/** The data an event's ack carries, read off the event map (its last parameter is the ack), as the server sends it. */
type AckData<F> = F extends (...args: infer A) => void ? (A extends [...unknown[], (r: Ack<infer T>) => void] ? AsSent<T> : never) : never;

/**
 * A handler of one event: it takes the payload as it arrived (unchecked: clients are not
 * trusted, the handler parses it) and returns what the event's ack carries.
 */
/**
 * A handler answers with its value, a promise of it, or LATER after handing `respond` to whoever
 * will answer (the answers' path: no promise per click).
 */
export type EventHandler<M, E extends keyof M> = (payload: unknown, respond: (err: unknown, data?: AckData<M[E]>) => void) => AckData<M[E]> | Promise<AckData<M[E]>> | typeof LATER;

export const LATER: unique symbol = Symbol('answered later');

/** A handler for every event of a map, each made from the connection's context. */
export type Handlers<M, C> = { [E in keyof M]: (ctx: C) => EventHandler<M, E> };

export interface CandidateCtx {
  engine: ExamEngine;
  socket: CandidateSocket;
  candidateId: number;
  log: FastifyBaseLogger;
  /** answers and flags of this connection: 0 when one may go now, else ms to wait */
  meter: () => number;
}

export interface ProctorCtx {
  engine: ExamEngine;
  socket: ProctorSocket;
  account: AccountRow;
  log: FastifyBaseLogger;
}
