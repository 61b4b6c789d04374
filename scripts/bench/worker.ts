/**
 * A load process: logs in its share of candidates at a given moment and, in answer mode,
 * answers as fast as acknowledgements come back. Prints one JSON line per report.
 * Run by the benchmark scripts, not by hand.
 */
import { request, Agent } from 'node:http';
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

interface Job {
  url: string;
  candidates: { registrationNumber: string; pin: string }[];
  /** epoch ms at which logins begin */
  startAt: number;
  /** logins are spread uniformly over this many ms */
  spreadMs: number;
  mode: 'login' | 'answer';
  /** answer mode: how long to answer for */
  durationMs: number;
  /** keep the sockets open this long after the work, for memory readings */
  holdMs: number;
}

const job = JSON.parse(process.argv[2]) as Job;
const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

interface Session {
  socket: Socket;
  items: { options: string[] }[];
}

const phases = { login: [] as number[], snapshot: [] as number[] };
async function loginOne(c: Job['candidates'][number]): Promise<{ ms: number; session?: Session; error?: string }> {
  const t0 = performance.now();
  try {
    const res = await postJson(`${job.url}/api/candidate/login`, c);
    const body = res.body as { session?: string; error?: { code: string } };
    phases.login.push(performance.now() - t0);
    if (!body.session) return { ms: performance.now() - t0, error: body.error?.code ?? `HTTP ${res.status}` };
    const socket = io(`${job.url}/candidate`, { auth: { session: body.session }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('state:snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    phases.snapshot.push(performance.now() - t0);
    const started = (await socket.timeout(30_000).emitWithAck('exam:start', undefined)) as { ok: boolean; data?: { items: { options: string[] }[] }; error?: { code: string } };
    if (!started.ok || !started.data) return { ms: performance.now() - t0, error: started.error?.code ?? 'start failed' };
    return { ms: performance.now() - t0, session: { socket, items: started.data.items } };
  } catch (e) {
    return { ms: performance.now() - t0, error: (e as Error).message };
  }
}

async function answerLoop(s: Session, until: number, latencies: number[], errors: string[]): Promise<number> {
  let seq = 0;
  let count = 0;
  while (Date.now() < until) {
    const item = seq % s.items.length;
    const choice = (seq * 3) % s.items[item].options.length;
    const t0 = performance.now();
    const r = (await s.socket.timeout(10_000).emitWithAck('answer:submit', { seq: ++seq, item, choice }).catch((e: Error) => ({ ok: false, error: { code: e.message } }))) as { ok: boolean; error?: { code: string } };
    latencies.push(performance.now() - t0);
    if (r.ok) count++;
    else errors.push(r.error?.code ?? 'error');
  }
  return count;
}

async function main() {
  // A worker that starts late would fire its logins in a burst and measure itself.
  out({ type: 'armed', lateMs: Math.max(0, Date.now() - job.startAt) });
  await sleepUntil(job.startAt);
  const sessions: Session[] = [];
  const loginMs: number[] = [];
  const errors: string[] = [];
  await Promise.all(
    job.candidates.map(async (c, i) => {
      await sleepUntil(job.startAt + (job.spreadMs * i) / Math.max(1, job.candidates.length));
      const r = await loginOne(c);
      loginMs.push(r.ms);
      if (r.session) sessions.push(r.session);
      if (r.error) errors.push(r.error);
    }),
  );
  const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  out({ type: 'login', loginMs, errors, connected: sessions.length, phases: { loginP50: med(phases.login), snapshotP50: med(phases.snapshot), doneP50: med([...loginMs]) } });
  if (job.mode === 'answer') {
    const latencies: number[] = [];
    const answerErrors: string[] = [];
    const begin = Date.now();
    const counts = await Promise.all(sessions.map((s) => answerLoop(s, begin + job.durationMs, latencies, answerErrors)));
    out({ type: 'answer', answers: counts.reduce((a, b) => a + b, 0), seconds: (Date.now() - begin) / 1000, latencies, errors: answerErrors });
  }
  out({ type: 'ready' });
  await new Promise((r) => setTimeout(r, job.holdMs));
  for (const s of sessions) s.socket.disconnect();
  out({ type: 'done' });
  process.exit(0);
}

void main();
