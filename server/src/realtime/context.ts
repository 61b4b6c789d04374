import type { FastifyBaseLogger } from 'fastify';
import type { Socket } from 'socket.io';
import type { ExamEngine } from '../services/engine.js';
import type { AccountRow } from '../db/repositories/accounts.js';

export interface CandidateCtx {
  engine: ExamEngine;
  socket: Socket;
  candidateId: number;
  log: FastifyBaseLogger;
}

export interface ProctorCtx {
  engine: ExamEngine;
  socket: Socket;
  account: AccountRow;
  log: FastifyBaseLogger;
}

export interface ScoreboardCtx {
  engine: ExamEngine;
  socket: Socket;
  log: FastifyBaseLogger;
}

export type Handler<C> = (ctx: C) => (payload: unknown) => unknown;
