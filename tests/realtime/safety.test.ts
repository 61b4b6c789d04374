import { afterEach, describe, expect, it } from 'vitest';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { request } from 'node:http';
import { connect as netConnect } from 'node:net';
import { Manager, type Socket } from 'socket.io-client';
import { ack, candidateSession, connect, connected, eventually, ok, postJson, staffSocket, startTestServer, waitFor, waitForMatch, type TestServer } from '../helpers/server.js';
import type { AnswerAck, CandidateResult, CandidateState } from '../../server/src/contract/candidate.js';
import type { ProctorSnapshot } from '../../server/src/contract/proctor.js';
import type { ScoreboardDelta, ScoreboardSnapshot } from '../../server/src/contract/scoreboard.js';
import { hashPassword } from '../../server/src/services/secrets.js';
import { loadConfig } from '../../server/src/config.js';

let server: TestServer;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
});
const track = <T extends { socket: Socket }>(x: T) => (sockets.push(x.socket), x);
const board = () => fetch(`${server.url}/api/sittings/${server.sittingId}/scoreboard`).then((r) => r.json() as Promise<ScoreboardSnapshot>);

async function viewer() {
  const v = connect(server.url, '/scoreboard');
  sockets.push(v);
  await connected(v);
  const snap = await ok<ScoreboardSnapshot>(v, 'scoreboard:watch', { sittingId: server.sittingId });
  const deltas: ScoreboardDelta[] = [];
  v.on('scoreboard:updated', (d: ScoreboardDelta) => deltas.push(d));
  return { v, snap, deltas };
}

/**
 * The attack: answer each option of one question in turn and watch the public board after each.
 * Returns the candidate's board totals seen after each option, via the socket and via GET.
 */
async function tryEveryOption() {
  const { v, snap, deltas } = await viewer();
  const c = server.candidates[0];
  const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
  const state = await ok<CandidateState>(cand.socket, 'exam:start');
  const sections = snap.sitting.sections.map((s) => s.id);
  const k = 1 + sections.length;
  const seen: { socket: (number | null)[]; http: (number | null)[] } = { socket: [], http: [] };
  for (let choice = 0; choice < state.items![0].options.length; choice++) {
    const pushed = waitForMatch<ScoreboardDelta>(v, 'scoreboard:updated', (d) => d.rows.some((r) => r[0] === cand.candidateId && r[k] === 1));
    await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: choice + 1, item: 0, choice });
    const row = (await pushed).rows.find((r) => r[0] === cand.candidateId)!;
    seen.socket.push(row[1]);
    seen.http.push((await board()).rows.find((r) => r.id === cand.candidateId)!.total);
    // the next option's push must be a new one
    deltas.length = 0;
  }
  return { cand, sections, k, seen, deltas, v };
}

describe('the public board is not an answer oracle', () => {
  it('under the default policy, trying every option of a question shows no score until the candidate finishes', async () => {
    server = await startTestServer({ candidates: 3, config: { scoreboardIntervalMs: 20 } });
    const { cand, seen, k, v, sections } = await tryEveryOption();
    expect(seen.socket.every((x) => x === null)).toBe(true);
    expect(seen.http.every((x) => x === null)).toBe(true);
    const before = (await board()).rows.find((r) => r.id === cand.candidateId)!;
    expect(before).toMatchObject({ sections: null, total: null, passed: null, rank: null, answered: 1, status: 'in_progress' });

    // at the finish the final scores and verdict are public at once, equal to the candidate's own result
    const revealed = waitForMatch<ScoreboardDelta>(v, 'scoreboard:updated', (d) => d.rows.some((r) => r[0] === cand.candidateId && r[1] !== null));
    const result = await ok<CandidateResult>(cand.socket, 'exam:finish');
    const row = (await revealed).rows.find((r) => r[0] === cand.candidateId)!;
    expect(row.slice(1, 1 + sections.length)).toEqual(sections.map((s) => result.sections[s]));
    expect(row[k + 2]).toBe(result.passed ? 1 : 0);
    expect((await board()).rows.find((r) => r.id === cand.candidateId)).toMatchObject({ sections: result.sections, total: result.total, passed: result.passed, status: 'finished' });
  });

  it('under the live policy (a public tryout) the same attack reads the key: the policy is what stops it', async () => {
    server = await startTestServer({ candidates: 3, revealPolicy: 'live', config: { scoreboardIntervalMs: 20 } });
    const { seen } = await tryEveryOption();
    // exactly one option of a keyed question scores
    expect(seen.socket.filter((x) => x !== 0)).toHaveLength(1);
    expect(seen.http.filter((x) => x !== 0)).toHaveLength(1);
  });
});

describe('nobody outside the room can lock a candidate or stall the server', () => {
  it('a flood of 1,000 wrong-PIN logins from one address locks nobody without the room token; the real candidate then logs in', async () => {
    server = await startTestServer({ candidates: 20, requireToken: true, config: { trustProxy: true, candidateLoginsPerMinute: 60, lockAfterFailedLogins: 3 } });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const codes = new Map<string, number>();
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, j) => {
          const c = server.candidates[(i + j) % server.candidates.length];
          return postJson<{ error: { code: string } }>(`${server.url}/api/candidate/login`, { registrationNumber: c.registrationNumber, pin: '000000', ...((i + j) % 2 ? { token: 'ZZZZZZ' } : {}) }, from('10.9.9.9'));
        }),
      );
      for (const r of batch) codes.set(r.body.error.code, (codes.get(r.body.error.code) ?? 0) + 1);
    }
    expect([...codes.keys()].sort()).toEqual(['RATE_LIMITED', 'TOKEN_INVALID', 'TOKEN_REQUIRED']);
    expect(codes.get('RATE_LIMITED')).toBe(940);
    const [counted] = await server.sql<{ n: number }>('select cast(count(*) as integer) n from candidates where failed_logins > 0 or locked_at is not null');
    expect(counted.n).toBe(0);

    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    const { token } = await ok<{ token: string }>(proctor.socket, 'token:show', { sittingId: server.sittingId });
    // with the token, wrong PINs do count: three of them lock a candidate, and the proctor unlocks the hall at once
    for (let i = 0; i < 3; i++) await postJson(`${server.url}/api/candidate/login`, { registrationNumber: server.candidates[3].registrationNumber, pin: '000000', token }, from('10.0.0.3'));
    for (let i = 0; i < 3; i++) await postJson(`${server.url}/api/candidate/login`, { registrationNumber: server.candidates[4].registrationNumber, pin: '000000', token }, from('10.0.0.4'));
    const locked = async () => (await server.sql<{ n: number }>('select cast(count(*) as integer) n from candidates where locked_at is not null'))[0].n;
    expect(await locked()).toBe(2);
    expect(await ok(proctor.socket, 'sitting:unlock-logins', { sittingId: server.sittingId, reason: 'salah ketik token di awal sesi' })).toEqual({ affected: 2 });
    expect(await locked()).toBe(0);
    expect(server.store.repos.audit.bySitting(server.sittingId).filter((a) => a.action === 'unlock-logins')).toEqual([expect.objectContaining({ reason: 'salah ketik token di awal sesi', details: { candidates: 2 } })]);
    const c = server.candidates[7];
    const real = await postJson<{ session: string }>(`${server.url}/api/candidate/login`, { registrationNumber: c.registrationNumber, pin: c.pin, token }, from('10.0.0.7'));
    expect(real.status).toBe(200);
    // the flooding address is told when to come back
    const limited = await fetch(`${server.url}/api/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...from('10.9.9.9') }, body: '{}' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a 10 MB body to a public route is refused at once, and the event loop does not stall; a body of another type is refused by name', async () => {
    server = await startTestServer();
    const url = new URL(`${server.url}/api/candidate/login`);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const body = Buffer.alloc(10 * 1024 * 1024, 'a');
    const send = (chunked: boolean) =>
      new Promise<{ status: number; ms: number; code: unknown }>((resolve, reject) => {
        const t0 = performance.now();
        const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': body.length }) } }, (res) => {
          const ms = performance.now() - t0;
          let text = '';
          res.on('data', (d: Buffer) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms, code: (JSON.parse(text) as { error: { code: unknown } }).error.code }));
        });
        // the server answers before reading it all and may close the connection under us
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
        req.end(body);
      });
    const declared = await send(false);
    const streamed = await send(true);
    delay.disable();
    expect(declared).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(declared.ms).toBeLessThan(100);
    expect(streamed).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(delay.max / 1e6).toBeLessThan(50);
    // a body of a type the route does not read is refused by name, and nothing is done
    const c = server.candidates[0];
    const asForm = await fetch(`${server.url}/api/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `registrationNumber=${c.registrationNumber}&pin=${c.pin}` });
    expect(asForm.status).toBe(415);
    expect(((await asForm.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // and the route still serves logins
    expect((await postJson(`${server.url}/api/candidate/login`, { registrationNumber: c.registrationNumber, pin: c.pin })).status).toBe(200);
  });

  it('a request trickled in (slow loris) is cut off, headers or body, while live exam connections stay up', async () => {
    server = await startTestServer({ config: { headersTimeoutMs: 400, requestTimeoutMs: 1000 } });
    const { port } = new URL(server.url);
    // resolves with how long the server kept the connection open
    const trickle = (first: string) =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const sock = netConnect(Number(port), '127.0.0.1', () => sock.write(first));
        const drip = setInterval(() => sock.writable && sock.write('a'), 100);
        sock.on('error', () => undefined);
        sock.on('close', () => (clearInterval(drip), resolve(performance.now() - t0)));
        const give = setTimeout(() => (clearInterval(drip), sock.destroy(), reject(new Error('the server kept a trickled request open for 10 s'))), 10_000);
        sock.on('close', () => clearTimeout(give));
      });
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    const [headers, body] = await Promise.all([
      trickle('POST /api/candidate/login HTTP/1.1\r\nHost: x\r\nX-Slow: '),
      trickle('POST /api/candidate/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"registrationNumber":"'),
    ]);
    expect(headers).toBeLessThan(3000);
    expect(body).toBeLessThan(4000);
    // the candidate's socket lived through both and still answers
    expect(cand.socket.connected).toBe(true);
    expect(await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 })).toMatchObject({ applied: true });
  });

  it('timeouts past Node’s defaults start a server; headers allowed longer than the whole request are refused by name', async () => {
    expect(() => loadConfig({ KACA_HEADERS_TIMEOUT_MS: '400000', KACA_REQUEST_TIMEOUT_MS: '300000' })).toThrow(/headers' timeout \(400000 ms\) may not be longer than the whole request's \(300000 ms\)/);
    server = await startTestServer({ config: { headersTimeoutMs: 400_000, requestTimeoutMs: 600_000 } });
    expect((await fetch(`${server.url}/api/scoreboard/sittings`)).status).toBe(200);
  });

  it('one connection flooding answers is slowed down, and nothing past the limit is stored', async () => {
    server = await startTestServer({ config: { answersPerSecond: 10 } });
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    const state = await ok<CandidateState>(cand.socket, 'exam:start');
    const n = state.items!.length;
    const replies = await Promise.all(Array.from({ length: 300 }, (_, i) => ack<AnswerAck>(cand.socket, 'answer:submit', { seq: i + 1, item: i % n, choice: i % 5 })));
    const applied = replies.filter((r) => r.ok).length;
    const refused = replies.filter((r) => !r.ok);
    // a burst of 40, then ten a second: far fewer than 300 get through
    expect(applied).toBeGreaterThanOrEqual(40);
    expect(applied).toBeLessThan(60);
    // refused for the rate, or (INTERNAL) because a refused seq before them has to be sent again first
    expect(refused.every((r) => !r.ok && ['RATE_LIMITED', 'INTERNAL'].includes(r.error.code))).toBe(true);
    const stored = server.store.repos.answers.byCandidate(cand.candidateId);
    expect(stored).toHaveLength(applied);
    // what was stored is a prefix: no later seq overtook a refused one
    expect(stored.map((e) => e.clientSeq)).toEqual(Array.from({ length: applied }, (_, i) => i + 1));
  });

  it('a connection flooding other events (a state read, the public list of sittings) is refused past its limit, and its answers still go through', async () => {
    server = await startTestServer();
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    const reads = await Promise.all(Array.from({ length: 200 }, () => ack<CandidateState>(cand.socket, 'state:get')));
    const served = reads.filter((r) => r.ok).length;
    // a burst of 40 (less the start), then ten a second: most of 200 sent at once are refused
    expect(served).toBeGreaterThanOrEqual(39);
    expect(reads.length - served).toBeGreaterThan(100);
    const limited = reads.find((r) => !r.ok);
    expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } } });
    // answers have their own meter: the flood of reads costs none of it
    expect(await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 })).toMatchObject({ applied: true });
    // a new connection of the same candidate brings no fresh burst: the meter is the candidate's
    const again = connect(server.url, '/candidate', { session: cand.session });
    sockets.push(again);
    await waitFor(again, 'state:snapshot');
    const more = await Promise.all(Array.from({ length: 40 }, () => ack<CandidateState>(again, 'state:get')));
    expect(more.some((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toBe(true);
    // an anonymous viewer likewise
    const viewer = connect(server.url, '/scoreboard');
    sockets.push(viewer);
    await connected(viewer);
    const lists = await Promise.all(Array.from({ length: 100 }, () => ack(viewer, 'sittings:list')));
    const listed = lists.filter((r) => r.ok).length;
    expect(listed).toBeGreaterThanOrEqual(20);
    expect(lists.length - listed).toBeGreaterThan(50);
    expect(lists.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toBe(true);
  });

  it('cycling CONNECT and DISCONNECT on one websocket brings no fresh burst; past its connect limit the websocket is closed; long-polling is refused', async () => {
    server = await startTestServer({ candidates: 3 });
    const c = server.candidates[0];
    const { session } = track(await candidateSession(server, c.registrationNumber, c.pin));
    // one websocket carrying two namespaces: the candidate keeps it open while /scoreboard comes and goes
    const m = new Manager(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const cand = m.socket('/candidate', { auth: { session } });
    sockets.push(cand);
    await connected(cand);
    const closed = new Promise<string>((resolve) => cand.on('disconnect', (reason) => resolve(reason)));
    const viewer = m.socket('/scoreboard');
    sockets.push(viewer);
    // a DISCONNECT is handled on the next tick: a CONNECT of the same namespace before that is a
    // protocol error to socket.io, which closes the websocket; so the next CONNECT waits for it
    const gone = () => eventually(() => (server.app.io.of('/scoreboard').sockets.size === 0 ? true : undefined), 'the viewer gone on the server');
    let served = 0;
    let refused = 0;
    for (let cycle = 0; cycle < 3; cycle++) {
      if (cycle > 0) viewer.connect();
      await connected(viewer);
      const lists = await Promise.all(Array.from({ length: 25 }, () => ack(viewer, 'sittings:list')));
      served += lists.filter((r) => r.ok).length;
      refused += lists.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length;
      viewer.disconnect();
      await gone();
    }
    // the websocket's one burst of 20 (and what refills meanwhile, 5 a second), not 20 for every
    // CONNECT (60 and more): the bound leaves five seconds for the three cycles on a busy machine
    expect(served).toBeGreaterThanOrEqual(20);
    expect(served).toBeLessThan(45);
    expect(served + refused).toBe(75);
    // a namespace CONNECT more often than any screen makes one: refused, and the websocket closed
    let error: (Error & { data?: { code: string } }) | null = null;
    for (let i = 0; i < 12 && !error; i++) {
      viewer.connect();
      error = await new Promise<(Error & { data?: { code: string } }) | null>((resolve) => {
        viewer.once('connect', () => resolve(null));
        viewer.once('connect_error', (e) => resolve(e));
      });
      if (!error) {
        viewer.disconnect();
        await gone();
      }
    }
    expect(error?.data?.code).toBe('RATE_LIMITED');
    expect(await closed).toBe('transport close');
    // every client speaks websocket: a long-polling session is not opened at all
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(400);
    expect(await polling.json()).toMatchObject({ message: 'Transport unknown' });
  });

  it("a candidate session connecting in a loop, each time on a new websocket, is refused past the candidate's meter; another candidate is not", async () => {
    server = await startTestServer({ candidates: 2 });
    const c = server.candidates[0];
    const { session } = track(await candidateSession(server, c.registrationNumber, c.pin));
    let refused: (Error & { data?: { code: string } }) | null = null;
    let made = 1;
    while (!refused && made < 40) {
      const again = connect(server.url, '/candidate', { session });
      sockets.push(again);
      refused = await connected(again).then(
        () => null,
        (e: Error & { data?: { code: string } }) => e,
      );
      if (!refused) made++;
    }
    // a burst of 30 (reloads, reconnects, a PC swap), then one every 2 s
    expect(refused?.data?.code).toBe('RATE_LIMITED');
    expect(made).toBeGreaterThanOrEqual(30);
    expect(made).toBeLessThan(36);
    const other = server.candidates[1];
    expect(track(await candidateSession(server, other.registrationNumber, other.pin)).snapshot.lastSeq).toBe(0);
  });

  it('the public HTTP board routes: made once, not per request, and limited per address', async () => {
    server = await startTestServer({ candidates: 3 });
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    // what the routes send is the board itself, as the /scoreboard namespace has it
    const viewer = connect(server.url, '/scoreboard');
    sockets.push(viewer);
    await connected(viewer);
    const snap = await ok<ScoreboardSnapshot>(viewer, 'scoreboard:watch', { sittingId: server.sittingId });
    const http = await fetch(`${server.url}/api/sittings/${server.sittingId}/scoreboard`);
    expect(http.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await http.json()) as ScoreboardSnapshot).rows).toEqual(snap.rows);
    const list = (await fetch(`${server.url}/api/scoreboard/sittings`).then((r) => r.json())) as { id: string }[];
    expect(list.map((s) => s.id)).toEqual([server.sittingId]);
    // a client asking in a loop: the list is made at most once a second, and the address is cut off past 300 a minute
    const made = server.app.engine.views.publicSittings.bind(server.app.engine.views);
    let calls = 0;
    server.app.engine.views.publicSittings = () => (calls++, made());
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push(...(await Promise.all(Array.from({ length: 10 }, () => fetch(`${server!.url}/api/scoreboard/sittings`).then((r) => r.status)))));
    expect(calls).toBeLessThanOrEqual(2);
    // the namespace's viewers get the same list, made once for them too
    expect(await ok(viewer, 'sittings:list')).toEqual(list);
    expect(calls).toBeLessThanOrEqual(2);
    // 300 served in the minute (one went before the loop), the rest refused with the typed error
    expect(statuses.filter((s) => s === 200)).toHaveLength(299);
    expect(statuses.filter((s) => s === 429)).toHaveLength(101);
    const limited = await fetch(`${server.url}/api/scoreboard/sittings`);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // the candidate in the hall is not held up by any of it
    expect(await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 })).toMatchObject({ applied: true });
  });

  it('an attempt stops storing changes at its cap and the proctor is told', async () => {
    server = await startTestServer({ config: { maxEventsPerItem: 2 } });
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    await ok<ProctorSnapshot>(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    const state = await ok<CandidateState>(cand.socket, 'exam:start');
    const cap = 2 * state.items!.length;
    for (let i = 0; i < cap; i++) await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: i + 1, item: i % state.items!.length, choice: i % 3 });
    const alert = waitForMatch<{ rows: { id: number; alerts: { kind: string }[] }[] }>(proctor.socket, 'candidates:updated', (p) => p.rows.some((r) => r.id === cand.candidateId && r.alerts.some((a) => a.kind === 'change-limit')));
    expect(await ack(cand.socket, 'answer:submit', { seq: cap + 1, item: 0, choice: 4 })).toMatchObject({ ok: false, error: { code: 'TOO_MANY_CHANGES' } });
    await alert;
    expect(server.store.repos.answers.byCandidate(cand.candidateId)).toHaveLength(cap);
  });
});

describe('staff access ends when it should', () => {
  it('disabling a proctor cuts their open console within a second; a new password or a logout ends sessions too', async () => {
    server = await startTestServer();
    const admin = await postJson<{ session: string }>(`${server.url}/api/auth/login`, server.admin);
    const auth = { authorization: `Bearer ${admin.body.session}` };
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    await ok(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    const accounts = (await fetch(`${server.url}/api/admin/accounts`, { headers: auth }).then((r) => r.json())) as { id: number; username: string }[];
    const id = accounts.find((a) => a.username === server.proctor.username)!.id;
    const ended = waitFor<{ reason: string }>(proctor.socket, 'session:ended', 1000);
    const gone = waitFor(proctor.socket, 'disconnect', 1000);
    const t0 = performance.now();
    const patch = await fetch(`${server.url}/api/admin/accounts/${id}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
    expect(patch.status).toBe(200);
    expect(await ended).toEqual({ reason: 'disabled' });
    await gone;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect((await postJson(`${server.url}/api/auth/login`, server.proctor)).status).toBe(401);

    // a new password ends the admin's other sessions; a logout ends this one
    const other = await postJson<{ session: string }>(`${server.url}/api/auth/login`, server.admin);
    const me = (s: string) => fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${s}` } }).then((r) => r.status);
    const adminId = accounts.find((a) => a.username === server.admin.username)!.id;
    await fetch(`${server.url}/api/admin/accounts/${adminId}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ password: 'a-new-admin-password' }) });
    expect(await me(other.body.session)).toBe(401);
    const fresh = await postJson<{ session: string }>(`${server.url}/api/auth/login`, { username: server.admin.username, password: 'a-new-admin-password' });
    expect(await me(fresh.body.session)).toBe(200);
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${fresh.body.session}` } })).status).toBe(200);
    expect(await me(fresh.body.session)).toBe(401);
  });

  it("a password changed outside this server (by kaca beside it, or during a login's check) ends the sessions made under the old one at their next use", async () => {
    server = await startTestServer();
    const http = (await postJson<{ session: string }>(`${server.url}/api/auth/login`, server.proctor)).body.session;
    const me = (s: string) => fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${s}` } }).then((r) => r.status);
    expect(await me(http)).toBe(200);
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    await ok(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    const ended = waitFor<{ reason: string }>(proctor.socket, 'session:ended', 5000);
    // what another process does to the database: the server is not told
    const newHash = await hashPassword('a-password-set-elsewhere');
    await server.sql(`update accounts set password_hash = '${newHash}' where username = '${server.proctor.username}'`);
    const refused = await ack(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/password .*changed/) } });
    expect(await ended).toEqual({ reason: 'password' });
    expect(await me(http)).toBe(401);
    // the stored sessions are ended too, not only those in memory (each once its end is stored)
    const open = async () => (await server.sql<{ n: number }>(`select cast(count(*) as integer) n from staff_sessions where ended_at is null and account_id = (select id from accounts where username = '${server.proctor.username}')`))[0].n;
    await eventually(async () => ((await open()) === 0 ? true : undefined), 'both sessions ended in the database');
    expect((await postJson(`${server.url}/api/auth/login`, server.proctor)).status).toBe(401);
    const fresh = (await postJson<{ session: string }>(`${server.url}/api/auth/login`, { username: server.proctor.username, password: 'a-password-set-elsewhere' })).body.session;
    expect(await me(fresh)).toBe(200);
  });

  it('a guessed staff token is refused without a read of the database', async () => {
    server = await startTestServer();
    const token = (await postJson<{ session: string }>(`${server.url}/api/auth/login`, server.proctor)).body.session;
    const me = (s: string) => fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${s}` } }).then((r) => r.status);
    expect(await me(token)).toBe(200);
    // from here on, any read of the sessions table would fail the request with a 500
    const sessions = server.store.repos.staffSessions;
    const reads: string[] = [];
    server.store.repos.staffSessions = new Proxy(sessions, {
      get: (target, method) => (...args: unknown[]) => {
        reads.push(String(method));
        return (target[method as keyof typeof target] as (...a: unknown[]) => unknown)(...args);
      },
    });
    for (let i = 0; i < 50; i++) expect(await me(`guess-${i}-${Math.random().toString(36).slice(2)}`)).toBe(401);
    expect(await me(token)).toBe(200);
    expect(reads).toEqual([]);
    server.store.repos.staffSessions = sessions;
  });

  it('sessions expire when idle and when old, as HTTP and as a live console', async () => {
    server = await startTestServer({ config: { staffIdleMinutes: 30, staffSessionHours: 12 } });
    const login = () => postJson<{ session: string }>(`${server.url}/api/auth/login`, server.proctor).then((r) => r.body.session);
    const me = (s: string) => fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${s}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }));
    const idle = await login();
    server.clock.advance(29 * 60_000);
    expect((await me(idle)).status).toBe(200);
    server.clock.advance(31 * 60_000);
    expect(await me(idle)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });

    // a connected console is not idle, but no session outlives its 12 hours
    const live = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(live.socket);
    server.clock.advance(11 * 3_600_000);
    expect((await me(live.session)).status).toBe(200);
    server.clock.advance(2 * 3_600_000);
    expect(await ack(live.socket, 'sittings:list')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('wrong staff passwords lock the account with growing waits; staff logins are limited per address', async () => {
    server = await startTestServer({ config: { staffLoginsPerMinute: 8, trustProxy: true } });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const attempt = (password: string, ip: string) => postJson<{ error?: { code: string; details?: { retryAfterMs: number } } }>(`${server.url}/api/auth/login`, { username: server.proctor.username, password }, from(ip));
    for (let i = 0; i < 5; i++) expect((await attempt('wrong', `10.1.0.${i}`)).body.error?.code).toBe('INVALID_CREDENTIALS');
    const locked = await attempt(server.proctor.password, '10.1.1.1');
    expect(locked).toMatchObject({ status: 423, body: { error: { code: 'LOGIN_LOCKED', details: { retryAfterMs: 60_000 } } } });
    server.clock.advance(60_001);
    expect((await attempt('wrong', '10.1.1.2')).body.error?.code).toBe('INVALID_CREDENTIALS');
    // the sixth wrong password locks for twice as long
    expect((await attempt(server.proctor.password, '10.1.1.3')).body.error).toMatchObject({ code: 'LOGIN_LOCKED', details: { retryAfterMs: 120_000 } });
    server.clock.advance(120_001);
    expect((await attempt(server.proctor.password, '10.1.1.4')).status).toBe(200);
    // one address guessing at anyone's password is stopped before the slow hash runs
    const codes = [];
    for (let i = 0; i < 10; i++) codes.push((await attempt('guess', '10.2.2.2')).body.error?.code);
    expect(codes.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });
});
