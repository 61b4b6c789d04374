/**
 * A load process for the benchmarks. It takes commands as JSON lines on stdin and answers
 * with JSON lines on stdout, so one process keeps its sockets across scenarios. Run by the
 * benchmark scripts, not by hand. Loopback only: the URL comes from the coordinator.
 */
import { request, Agent } from 'node:http';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';

// node:http rather than fetch: undici's fetch costs the load process several ms of CPU per
// request under concurrency, which would be measured as server latency.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const now = () => performance.timeOrigin + performance.now();

interface Session {
  id: number;
  socket: Socket;
  items: { options: string[] }[];
  seq: number;
}

/** logged-in candidates per target server ('kaca' or 'echo'), so the two can be driven in turns */
const sessionsOf = new Map<string, Session[]>();
const sessions = (target: unknown) => {
  const key = typeof target === 'string' ? target : 'kaca';
  let list = sessionsOf.get(key);
  if (!list) sessionsOf.set(key, (list = []));
  return list;
};
let viewers: Socket[] = [];
let proctors: Socket[] = [];

function disconnectAll(): void {
  for (const s of [...[...sessionsOf.values()].flat().map((x) => x.socket), ...viewers, ...proctors]) s.disconnect();
  sessionsOf.clear();
  viewers = [];
  proctors = [];
}

const phases = { http: [] as number[], snapshot: [] as number[], connect: [] as number[], open: [] as number[] };
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1] ?? NaN;

async function loginOne(url: string, c: { registrationNumber: string; pin: string }): Promise<{ ms: number; session?: Session; error?: string }> {
  const t0 = performance.now();
  try {
    const res = await postJson(`${url}/api/candidate/login`, c);
    const body = res.body as { session?: string; candidateId?: number; error?: { code: string } };
    phases.http.push(performance.now() - t0);
    if (!body.session) return { ms: performance.now() - t0, error: body.error?.code ?? `HTTP ${res.status}` };
    const socket = io(`${url}/candidate`, { auth: { session: body.session }, transports: ['websocket'], reconnection: false });
    socket.once('connect', () => phases.connect.push(performance.now() - t0));
    socket.io.engine?.once('open', () => phases.open.push(performance.now() - t0));
    await new Promise<void>((resolve, reject) => {
      socket.once('state:snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    phases.snapshot.push(performance.now() - t0);
    const started = (await socket.timeout(30_000).emitWithAck('exam:start', undefined)) as { ok: boolean; data?: { items: { options: string[] }[]; lastSeq?: number }; error?: { code: string } };
    if (!started.ok || !started.data) return { ms: performance.now() - t0, error: started.error?.code ?? 'start failed' };
    return { ms: performance.now() - t0, session: { id: body.candidateId ?? 0, socket, items: started.data.items, seq: started.data.lastSeq ?? 0 } };
  } catch (e) {
    return { ms: performance.now() - t0, error: (e as Error).message };
  }
}

async function submit(s: Session, payload: Record<string, unknown>, event = 'answer:submit'): Promise<{ ok: boolean; code?: string }> {
  const r = (await s.socket
    .timeout(10_000)
    .emitWithAck(event, payload)
    .catch((e: Error) => ({ ok: false, error: { code: e.message } }))) as { ok: boolean; error?: { code: string } };
  return { ok: r.ok, code: r.error?.code };
}

const commands: Record<string, (cmd: Record<string, unknown>) => Promise<unknown>> = {
  /**
   * Loads and warms every code path of the client (modules load lazily, and through tsx) so a
   * cold load process does not show up as server latency in the first scenario.
   */
  async warm(cmd) {
    const url = cmd.url as string;
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          await sleep(i * 3);
          await postJson(`${url}/api/candidate/login`, { registrationNumber: 'warm-up', pin: '000000' }).catch(() => undefined);
          const s = io(`${url}/scoreboard`, { transports: ['websocket'], reconnection: false, forceNew: true });
          await new Promise<void>((resolve) => {
            s.once('connect', () => resolve());
            s.once('connect_error', () => resolve());
          });
          JSON.parse(JSON.stringify({ items: Array.from({ length: 110 }, (_, n) => ({ n, stem: 'x'.repeat(150), options: ['a', 'b', 'c', 'd', 'e'] })) }));
          s.disconnect();
        }),
      );
    }
    return { type: 'warm' };
  },

  /** Logs in every candidate at startAt + its share of spreadMs; keeps the sockets. */
  async login(cmd) {
    const candidates = cmd.candidates as { registrationNumber: string; pin: string }[];
    const startAt = cmd.startAt as number;
    const spreadMs = cmd.spreadMs as number;
    const lateMs = Math.max(0, Date.now() - startAt);
    const loginMs: number[] = [];
    const errors: string[] = [];
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    await Promise.all(
      candidates.map(async (c, i) => {
        await sleep(startAt + (spreadMs * i) / Math.max(1, candidates.length) - Date.now());
        const r = await loginOne(cmd.url as string, c);
        loginMs.push(r.ms);
        if (r.session) sessions(cmd.target).push(r.session);
        if (r.error) errors.push(r.error);
      }),
    );
    lag.disable();
    const cpu = process.cpuUsage(cpu0);
    const loadGen = { cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 100), lagP99Ms: Math.round(lag.percentile(99) / 1e6), lagMaxMs: Math.round(lag.max / 1e6) };
    const phaseP50 = { ...loadGen, httpMs: median(phases.http), openMs: median(phases.open), connectMs: median(phases.connect), snapshotMs: median(phases.snapshot), paperMs: median(loginMs) };
    phases.http = [];
    phases.snapshot = [];
    return { type: 'login', lateMs, loginMs, errors, connected: sessions(cmd.target).length, phaseP50 };
  },

  /** Every session of the target answers as fast as its acks return, for durationMs. */
  async closedLoop(cmd) {
    const until = Date.now() + (cmd.durationMs as number);
    const latencies: number[] = [];
    const errors: string[] = [];
    let count = 0;
    const begin = performance.now();
    await Promise.all(
      sessions(cmd.target).map(async (s) => {
        while (Date.now() < until) {
          const item = s.seq % s.items.length;
          const t0 = performance.now();
          const r = await submit(s, { seq: ++s.seq, item, choice: (s.seq * 3) % s.items[item].options.length });
          latencies.push(performance.now() - t0);
          if (r.ok) count++;
          else errors.push(r.code ?? 'error');
        }
      }),
    );
    return { type: 'closedLoop', answers: count, seconds: (performance.now() - begin) / 1000, latencies, errors };
  },

  /**
   * Every session of the target answers at the same instant (a proctor resumes a paused hall),
   * `rounds` times, `gapMs` apart: the ack latency of each answer.
   */
  async burst(cmd) {
    const startAt = cmd.startAt as number;
    const latencies: number[] = [];
    const errors: string[] = [];
    for (let r = 0; r < (cmd.rounds as number); r++) {
      await sleep(startAt + r * (cmd.gapMs as number) - Date.now());
      await Promise.all(
        sessions(cmd.target).map(async (s) => {
          const item = (s.seq * 5) % s.items.length;
          const t0 = performance.now();
          const res = await submit(s, { seq: ++s.seq, item, choice: s.seq % s.items[item].options.length });
          latencies.push(performance.now() - t0);
          if (!res.ok) errors.push(res.code ?? 'error');
        }),
      );
    }
    return { type: 'burst', latencies, errors };
  },

  /** A sitting as it really runs: each candidate acts every few seconds (answer, change, clear, flag). */
  async realistic(cmd) {
    const until = Date.now() + (cmd.durationMs as number);
    const [minGap, maxGap] = cmd.gapMs as [number, number];
    const latencies: number[] = [];
    const acks: { id: number; at: number }[] = [];
    const errors: string[] = [];
    await Promise.all(
      sessions(cmd.target).map(async (s, k) => {
        await sleep(((k * 7919) % 1000) / 1000 * maxGap);
        while (Date.now() < until) {
          const item = (s.seq * 7 + k) % s.items.length;
          const roll = s.seq % 10;
          const t0 = performance.now();
          const sentAt = now();
          const r =
            roll === 9
              ? await submit(s, { seq: ++s.seq, item, flagged: s.seq % 20 < 10 }, 'flag:set')
              : await submit(s, { seq: ++s.seq, item, choice: roll === 8 ? null : (s.seq + k) % s.items[item].options.length });
          latencies.push(performance.now() - t0);
          if (r.ok) acks.push({ id: s.id, at: sentAt });
          else errors.push(r.code ?? 'error');
          await sleep(minGap + (((s.seq * 2654435761) >>> 0) % 1000) / 1000 * (maxGap - minGap));
        }
      }),
    );
    return { type: 'realistic', latencies, acks, errors };
  },

  /** Scoreboard viewers: the first `sample` record when each candidate's row arrives. */
  async viewers(cmd) {
    const count = cmd.count as number;
    const sample = cmd.sample as number;
    const arrivals: { id: number; at: number }[] = [];
    let bytes = 0;
    let pushes = 0;
    const ready: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const v = io(`${cmd.url as string}/scoreboard`, { transports: ['websocket'], reconnection: false });
      viewers.push(v);
      v.on('scoreboard:updated', (d: { rows: number[][] }) => {
        pushes++;
        bytes += JSON.stringify(d).length;
        if (i < sample) {
          const at = now();
          for (const r of d.rows) arrivals.push({ id: r[0], at });
        }
      });
      // as the board app asks: the snapshot as an event, shared by the viewers who ask together
      ready.push(v.timeout(30_000).emitWithAck('scoreboard:watch', { sittingId: cmd.sittingId, snapshot: 'event' }).then(() => undefined));
      if (i % 50 === 49) await Promise.all(ready.slice(-50));
    }
    await Promise.all(ready);
    (commands as Record<string, unknown>).__viewerStats = () => ({ arrivals, bytes, pushes });
    return { type: 'viewers', connected: viewers.length };
  },

  async viewerStats() {
    const f = (commands as Record<string, unknown>).__viewerStats as (() => unknown) | undefined;
    return { type: 'viewerStats', ...(f ? (f() as object) : {}) };
  },

  async proctors(cmd) {
    for (let i = 0; i < (cmd.count as number); i++) {
      const p = io(`${cmd.url as string}/proctor`, { auth: { session: cmd.session }, transports: ['websocket'], reconnection: false });
      proctors.push(p);
      await p.timeout(30_000).emitWithAck('sitting:watch', { sittingId: cmd.sittingId });
    }
    return { type: 'proctors', connected: proctors.length };
  },

  /** Disconnects the target's candidates, or everything when no target is given. */
  async disconnect(cmd) {
    if (typeof cmd.target === 'string') {
      for (const s of sessions(cmd.target)) s.socket.disconnect();
      sessionsOf.delete(cmd.target);
      return { type: 'disconnected' };
    }
    disconnectAll();
    return { type: 'disconnected' };
  },
};

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = JSON.parse(line) as Record<string, unknown> & { cmd: string };
  if (cmd.cmd === 'exit') {
    disconnectAll();
    process.exit(0);
  }
  const fn = commands[cmd.cmd];
  if (!fn) return out({ type: 'error', message: `unknown command ${cmd.cmd}` });
  fn(cmd).then(out, (e: Error) => out({ type: 'error', message: e.message }));
});
out({ type: 'hello' });
