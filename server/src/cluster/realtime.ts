import type { FastifyBaseLogger } from 'fastify';
import type { Ack } from '../contract/errors.js';
import type { CandidateClientEvents } from '../contract/candidate.js';
import type { ProctorClientEvents } from '../contract/proctor.js';
import type { ExamEngine } from '../engine/engine.js';
import { invoke } from '../realtime/ack.js';
import { stringifyWithRaw } from '../realtime/json-parser.js';
import type { Broadcaster } from '../realtime/broadcaster.js';
import { rooms } from '../realtime/broadcaster.js';
import type { CandidateCtx, CandidateNamespace, Handlers, ProctorCtx } from '../realtime/types.js';
import type { Ownership } from './ownership.js';

/** The sitting a proctor event is about, from its payload (an event without one is served where it arrives). */
export function sittingOfPayload(payload: unknown): string | null {
  const id = (payload as { sittingId?: unknown } | null)?.sittingId;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}

/** A proctor event passed on: the ack, and the rooms the proctor's socket joins or leaves on its own node. */
export interface ProctorReply {
  ack: Ack<unknown>;
  join: string[];
  leave: string[];
}

/**
 * The requests one node serves for the sittings it runs, asked by the node that holds the
 * client's socket (docs/deploy.md "Several nodes"): a candidate's login, session check,
 * presence, state and events; a proctor's events; a board's snapshot. Each is the same handler
 * the socket's own node would run; only the socket is elsewhere.
 */
export function serveRealtime(
  ownership: Ownership,
  engine: ExamEngine,
  broadcaster: Broadcaster,
  ns: { candidate: CandidateNamespace },
  handlers: { candidate: Handlers<CandidateClientEvents, CandidateCtx>; proctor: Handlers<ProctorClientEvents, ProctorCtx> },
  log: FastifyBaseLogger,
): void {
  ownership.serve('login', (input: unknown) => engine.login.login(input));
  ownership.serve('cand.auth', (session: unknown) => engine.login.authenticate(session));
  ownership.serve('cand.presence', ({ id, delta }: { id: number; delta: 1 | -1 }) => (delta > 0 ? engine.candidates.connected(id) : engine.candidates.disconnected(id)));
  // a candidate's state holds their paper, kept as serialized fragments (domain/candidate-view.ts):
  // it crosses as that text, spliced in once more by the socket's node, rather than as objects
  // parsed and serialized again at every step
  ownership.serve('cand.state', (id: number) => stringifyWithRaw(engine.candidates.state(id)));
  ownership.serve('cand.event', async ({ id, event, payload, wait }: { id: number; event: keyof CandidateClientEvents; payload: unknown; wait: number }): Promise<Ack<string>> => {
    const make = handlers.candidate[event];
    if (!make) throw new Error(`no candidate event ${event}`);
    const ctx = { engine, candidateId: id, log, meter: () => wait, socket: null } as unknown as CandidateCtx;
    const ack = await invoke(log, event, make(ctx), payload);
    return ack.ok ? { ok: true, data: stringifyWithRaw(ack.data) } : ack;
  });
  ownership.serve('proctor.event', async ({ sessionId, event, payload, joined }: { sessionId: string; event: keyof ProctorClientEvents; payload: unknown; joined: string[] }) => {
    const make = handlers.proctor[event];
    if (!make) throw new Error(`no proctor event ${event}`);
    const account = engine.staff.check(sessionId, true);
    const reply: ProctorReply = { ack: { ok: true, data: null }, join: [], leave: [] };
    // the proctor's socket is on the asking node: what a handler does to it is done there
    const socket = { rooms: new Set(joined), join: (r: string | string[]) => reply.join.push(...[r].flat()), leave: (r: string) => reply.leave.push(r) };
    reply.ack = await invoke(log, event, make({ engine, account, socket, log } as unknown as ProctorCtx), payload);
    return reply;
  });
  ownership.serve('board.snapshot', (sittingId: string) => broadcaster.scoreboardSnapshot(sittingId));
  ownership.serve('analysis.report', (sittingId: string) => engine.analysis.report(sittingId));
  ownership.serve('roster.changed', (sittingId: string) => engine.sittings.rosterChanged(sittingId));
  // candidates added on another node (an admin's roster import) are loaded by the node that runs the sitting
  engine.sittings.elsewhere = (sittingId) => ownership.exec(sittingId, 'roster.changed', sittingId);

  // a node that takes on a sitting counts who is connected to it, on every node, and pushes every
  // row to the consoles and boards watching (the node before it may have died between two pushes)
  ownership.adopted = async (sittingId) => {
    broadcaster.sittingChanged(sittingId);
    for (const id of engine.registry.roster(sittingId)) broadcaster.candidateChanged(sittingId, id, 'all');
    // a node that died is still counted by the adapter for a few seconds: its answer is not waited for long
    const room = rooms.candidatesOf(sittingId);
    const sockets = await ns.candidate.timeout(2_000).in(room).fetchSockets().catch(() => ns.candidate.local.in(room).fetchSockets());
    for (const s of sockets) if (engine.registry.has(s.data.candidateId)) engine.candidates.connected(s.data.candidateId);
  };
}
