import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import type { Socket } from 'socket.io-client';
import { startKaca, stop } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { freshPgDatabase, type PgDatabase } from '../helpers/postgres.js';
import { connect, connected, eventually, postJson, waitFor } from '../helpers/server.js';
import { openStore } from '../../server/src/services/store.js';
import { parseConfig } from '../../server/src/config.js';
import { seedDemo, type DemoCredentials } from '../../server/src/services/demo.js';
import { startRedisServer } from '../../scripts/bench/redis.js';
import type { AnswerAck, CandidateState } from '../../server/src/contract/candidate.js';
import type { Ack } from '../../server/src/contract/errors.js';
import type { ScoreboardDelta, ScoreboardSnapshot, ScoreRowChange } from '../../server/src/contract/scoreboard.js';

/**
 * Several nodes (issue 16): three server processes on one PostgreSQL database and one Redis,
 * 200 candidates whose sockets are spread over all three, a viewer and a proctor on nodes that do
 * not run the sitting. The node that runs it is killed mid-sitting: another takes the sitting on,
 * nothing acknowledged is lost, and time left is the stored clock's. Then Redis is killed and
 * started again: answers go on, pushes resume.
 */

const N = 200;
const tmp = tempDir('kaca-nodes-');
let db: PgDatabase;
let redisPort = 0;
let redis: ChildProcess | null = null;

/** A Redis of the test's own (the machine's is shared), so that it can be killed and started again. */
async function startRedis(): Promise<void> {
  const r = await startRedisServer(redisPort || undefined);
  redisPort = r.port;
  redis = r.child;
}

beforeAll(async () => {
  db = await freshPgDatabase('kaca_nodes');
  await startRedis();
});

afterAll(async () => {
  if (redis) await stop(redis, 'SIGKILL');
  await db?.drop();
  tmp.cleanup();
});

interface Sitter {
  reg: string;
  session: string;
  candidateId: number;
  node: number;
  socket: Socket;
  paper: CandidateState;
  seq: number;
  acked: { seq: number; item: number; choice: number }[];
}

/** Sends one answer until some node acknowledges it (UNAVAILABLE, or no reply, while a node or Redis is away: the client sends the same seq again). */
async function answer(s: Sitter, item: number, choice: number): Promise<AnswerAck> {
  const seq = ++s.seq;
  for (let tries = 0; ; tries++) {
    try {
      const r = (await s.socket.timeout(6_000).emitWithAck('answer:submit', { seq, item, choice })) as Ack<AnswerAck>;
      if (r.ok) {
        s.acked.push({ seq, item, choice });
        return r.data;
      }
      if (r.error.code !== 'UNAVAILABLE' && r.error.code !== 'INTERNAL') throw new Error(`answer refused: ${r.error.code} ${r.error.message}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('answer refused')) throw err;
    }
    if (tries > 60) throw new Error(`no node acknowledged seq ${seq} of ${s.reg}`);
    // as the exam client does: a second before sending it again
    await new Promise<void>((r) => setTimeout(r, 500));
    // a connection refused UNAVAILABLE (no node runs the sitting yet) is tried again by the client
    if (!s.socket.connected) await connected(s.socket).catch(() => undefined);
  }
}

describe('several nodes on one PostgreSQL and one Redis', () => {
  it('200 candidates over 3 nodes: viewers and proctors anywhere, the running node SIGKILLed, Redis restarted, nothing acknowledged lost', async () => {
    // the demo with 200 candidates, in the shared database, before any node starts
    const store = openStore(parseConfig({ dataDir: tmp.dir, databaseUrl: db.url }));
    const creds: DemoCredentials = await seedDemo(store, Date.now(), { candidates: N });
    await store.close();

    const env = (i: number) => ({
      DATA_DIR: tmp.dir,
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      KACA_NODE_ID: `n${i}`,
      KACA_CANDIDATE_LOGINS_PER_MINUTE: '100000',
      KACA_CANDIDATE_LOGINS_PER_MINUTE_TOTAL: '100000',
      KACA_ANSWERS_PER_SECOND: '1000',
    });
    const nodes: ({ child: ChildProcess; baseUrl: string; output: () => string } | null)[] = [];
    const outputs: (() => string)[] = [];
    for (let i = 0; i < 3; i++) {
      nodes.push(await startKaca(env(i)));
      outputs.push(nodes[i]!.output);
    }
    const probe = createClient({ url: `redis://127.0.0.1:${redisPort}` });
    probe.on('error', () => undefined);
    await probe.connect();
    const runner = async () => Number((await eventually(async () => (await probe.get('kaca:owner:demo').catch(() => null)) ?? undefined, 'a node to run the sitting', 15_000)).slice(1));
    const first = await runner();
    const others = [0, 1, 2].filter((i) => i !== first);
    const sockets: Socket[] = [];

    try {
      // a viewer and a proctor on the two nodes that do not run the sitting
      const viewer = connect(nodes[others[0]]!.baseUrl, '/scoreboard');
      sockets.push(viewer);
      await connected(viewer);
      const board = ((await viewer.timeout(10_000).emitWithAck('scoreboard:watch', { sittingId: 'demo' })) as Ack<ScoreboardSnapshot>);
      if (!board.ok) throw new Error(board.error.message);
      const sections = board.data.sitting.sections.map((s) => s.id);
      const seen = new Map<number, ScoreRowChange>();
      viewer.on('scoreboard:updated', (d: ScoreboardDelta) => d.rows.forEach((r) => seen.set(r[0], r)));

      const staff = await postJson<{ session: string }>(`${nodes[others[1]]!.baseUrl}/api/auth/login`, { username: creds.proctor.username, password: creds.proctor.password });
      expect(staff.status).toBe(200);
      const proctor = connect(nodes[others[1]]!.baseUrl, '/proctor', { session: staff.body.session });
      sockets.push(proctor);
      await connected(proctor);
      const watch = (await proctor.timeout(10_000).emitWithAck('sitting:watch', { sittingId: 'demo' })) as Ack<{ candidates: unknown[] }>;
      expect(watch.ok).toBe(true);
      const proctorSaw = new Set<number>();
      proctor.on('candidates:updated', (p: { rows: { id: number; answered: number }[] }) => p.rows.forEach((r) => r.answered > 0 && proctorSaw.add(r.id)));

      // 200 candidates, each logging in and connecting through node i % 3
      const sitters: Sitter[] = [];
      for (let k = 0; k < N; k += 20) {
        sitters.push(
          ...(await Promise.all(
            creds.candidates.slice(k, k + 20).map(async (c, j) => {
              const node = (k + j) % 3;
              const login = await postJson<{ session: string; candidateId: number }>(`${nodes[node]!.baseUrl}/api/candidate/login`, { registrationNumber: c.registrationNumber, pin: c.pin });
              expect(login.status, JSON.stringify(login.body)).toBe(200);
              const socket = connect(nodes[node]!.baseUrl, '/candidate', { session: login.body.session });
              sockets.push(socket);
              const snap = waitFor<CandidateState>(socket, 'state:snapshot', 10_000);
              await connected(socket);
              await snap;
              const r = (await socket.timeout(10_000).emitWithAck('exam:start', undefined)) as Ack<CandidateState>;
              if (!r.ok) throw new Error(`${c.registrationNumber} could not start: ${r.error.message}`);
              return { reg: c.registrationNumber, session: login.body.session, candidateId: login.body.candidateId, node, socket, paper: r.data, seq: r.data.lastSeq, acked: [] } satisfies Sitter;
            }),
          )),
        );
      }

      // two answers each; every one acknowledged, wherever the socket is
      for (const round of [0, 1]) await Promise.all(sitters.map((s) => answer(s, round, (s.candidateId + round) % s.paper.items![round].options.length)));
      // the viewer and the proctor, on other nodes, saw every candidate's change
      await eventually(() => (sitters.every((s) => seen.get(s.candidateId)?.[1 + sections.length] === 2) ? true : undefined), 'the viewer on another node to see every candidate answer twice', 10_000);
      await eventually(() => (proctorSaw.size === N ? true : undefined), 'the proctor on another node to see every candidate', 10_000);

      // the node that runs the sitting dies mid-sitting; its candidates' sockets reconnect to another node
      await stop(nodes[first]!.child, 'SIGKILL');
      nodes[first] = null;
      const killedAt = Date.now();
      for (const s of sitters.filter((x) => x.node === first)) {
        s.socket.disconnect();
        s.node = others[s.candidateId % 2];
        s.socket = connect(nodes[s.node]!.baseUrl, '/candidate', { session: s.session });
        // while no node runs the sitting yet, the connection is refused UNAVAILABLE: the client tries again
        const retry = (sock: Socket) => sock.on('connect_error', () => setTimeout(() => sock.connect(), 200));
        retry(s.socket);
        sockets.push(s.socket);
      }
      await Promise.all(sitters.map((s) => answer(s, 2, (s.candidateId + 2) % s.paper.items![2].options.length)));
      const second = await runner();
      expect(others).toContain(second);

      // everyone's state, from whichever node: the answers acknowledged, and time from the stored clock
      for (const s of sitters.slice(0, 30)) {
        const r = (await s.socket.timeout(6_000).emitWithAck('state:get', undefined)) as Ack<CandidateState>;
        if (!r.ok) throw new Error(r.error.message);
        for (const a of s.acked) expect(r.data.answers[a.item]).toBe(a.choice);
        expect(r.data.lastSeq).toBe(s.seq);
        // the clock stored at the start, read by another node: exactly what ran since, and past the kill
        const left = r.data.attempt.remainingMs;
        expect(left).toBe(s.paper.attempt.remainingMs - (r.data.attempt.serverTime - s.paper.attempt.serverTime));
        expect(r.data.attempt.serverTime).toBeGreaterThan(killedAt);
      }

      // Redis dies and comes back: candidates connected to the running node answer on meanwhile;
      // the others' answers are refused UNAVAILABLE (nothing done) and sent again until acknowledged
      await stop(redis!, 'SIGKILL');
      const direct = sitters.filter((s) => s.node === second).slice(0, 10);
      await Promise.all(direct.map((s) => answer(s, 3, 0)));
      const through = sitters.find((s) => s.node !== second)!;
      const refused = (await through.socket.timeout(6_000).emitWithAck('answer:submit', { seq: through.seq + 1, item: 3, choice: 0 })) as Ack<AnswerAck>;
      expect(refused.ok ? null : refused.error.code).toBe('UNAVAILABLE');
      await startRedis();
      await Promise.all(sitters.map((s) => answer(s, 4, 1)));
      // pushes reach the viewer on another node again
      await eventually(() => (sitters.every((s) => (seen.get(s.candidateId)?.[1 + sections.length] ?? 0) >= 4) ? true : undefined), 'pushes to the viewer on another node to resume after Redis came back', 20_000);

      // every acknowledged answer is in the database, once
      const stored = await db.client.query<{ candidate_id: number; client_seq: number; choice: number | null; item: number }>('select candidate_id, client_seq, choice, item from answer_events');
      const bySeq = new Map(stored.rows.map((r) => [`${r.candidate_id}:${r.client_seq}`, r]));
      const lost = sitters.flatMap((s) => s.acked.filter((a) => bySeq.get(`${s.candidateId}:${a.seq}`)?.choice !== a.choice || bySeq.get(`${s.candidateId}:${a.seq}`)?.item !== a.item));
      expect(lost).toEqual([]);
      expect(stored.rows.length).toBe(sitters.reduce((n, s) => n + s.acked.length, 0));
    } catch (err) {
      // what the nodes said, to tell why
      outputs.forEach((o, i) => console.error(`node n${i}:\n${o().slice(-4000)}`));
      throw err;
    } finally {
      sockets.forEach((s) => s.disconnect());
      await probe.quit().catch(() => undefined);
      for (const n of nodes) if (n) await stop(n.child);
    }
  }, 240_000);
});
