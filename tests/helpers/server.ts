import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { io as ioClient, type Socket } from 'socket.io-client';
import { buildApp } from '../../server/src/app.js';
import { parseConfig, type ConfigInput } from '../../server/src/config.js';
import { openStore, type KacaStore } from '../../server/src/services/store.js';
import { addCandidates, createAccount, createSitting, ensureTemplate, importBank, type IssuedPin } from '../../server/src/services/admin.js';
import { seedDemo } from '../../server/src/services/demo.js';
import type { ExamTemplate } from '../../server/src/contract/exam.js';
import type { Ack } from '../../server/src/contract/errors.js';
import { tempDir } from './tmp.js';
import { TEST_ON_POSTGRES, databaseForDir, dropDirDatabases } from './postgres.js';
import { smallTemplate, syntheticBank } from './bank.js';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  store: KacaStore;
  dataDir: string;
  clock: { now: number; advance(ms: number): void };
  candidates: IssuedPin[];
  sittingId: string;
  template: ExamTemplate;
  admin: { username: string; password: string };
  proctor: { username: string; password: string };
  /** the data is in PostgreSQL (the postgres project), not in SQLite */
  onPostgres: boolean;
  /** A statement on the server's database, SQLite or PostgreSQL: write it in SQL both accept. */
  sql<T = Record<string, unknown>>(statement: string): Promise<T[]>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  candidates?: number;
  requireToken?: boolean;
  requireAdmission?: boolean;
  status?: 'scheduled' | 'open' | 'running';
  template?: ExamTemplate;
  config?: ConfigInput;
  /** seed the real demo (SKD, demo bank, 40 candidates) instead of the synthetic sitting */
  demo?: boolean;
  practice?: boolean;
  revealPolicy?: 'on-finish' | 'live';
  /** serve the built browser apps (e2e) */
  serveApps?: boolean;
  /** keep the data dir (for restart tests) */
  dataDir?: string;
  seed?: boolean;
  /** the server clock at the start (ms) */
  now?: number;
  /** a drand quicknet round for the sitting to mix into its seed */
  beaconRound?: number;
  /** wraps the store's writer before anything is written (tests/helpers/postgres.ts: a PostgreSQL shadow) */
  wrapWriter?: (store: KacaStore) => KacaStore['writer'];
}

const TEST_BANK = syntheticBank([
  { section: 'A', topics: ['t1', 't2'], perStratum: 6 },
  { section: 'B', topics: ['w1'], perStratum: 6, weighted: true },
]);

/** A real server on port 0 over a real SQLite file, with a sitting, candidates and staff. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const tmp = opts.dataDir ? { dir: opts.dataDir, cleanup: () => undefined } : tempDir();
  // limits far above what a test sends, unless a test is about them (safety.test.ts)
  const limits = { answersPerSecond: 10_000, candidateLoginsPerMinute: 100_000, staffLoginsPerMinute: 100_000, staffLoginsPerMinuteTotal: 100_000 };
  // the postgres project (vitest.config.ts) runs the same tests with the data in PostgreSQL
  const databaseUrl = TEST_ON_POSTGRES && !opts.config?.databaseUrl ? await databaseForDir(tmp.dir) : undefined;
  const config = parseConfig({ dataDir: tmp.dir, logLevel: 'silent', port: 0, host: '127.0.0.1', serveApps: opts.serveApps ?? false, scoreboardIntervalMs: 50, expirySweepMs: 50, ...limits, ...(databaseUrl ? { databaseUrl } : {}), ...opts.config });
  const store = openStore(config);
  if (opts.wrapWriter) store.writer = opts.wrapWriter(store);
  const clock = {
    now: opts.now ?? 1_800_000_000_000,
    advance(ms: number) {
      this.now += ms;
    },
  };
  let candidates: IssuedPin[] = [];
  const admin = { username: 'admin', password: 'admin-password' };
  const proctor = { username: 'proctor1', password: 'proctor-password' };
  let template = opts.template ?? smallTemplate();
  let sittingId = 'sit1';
  if (opts.demo) {
    const creds = await seedDemo(store, clock.now, { candidates: opts.candidates ?? 40 });
    candidates = creds.candidates;
    Object.assign(admin, creds.admin);
    Object.assign(proctor, creds.proctor);
    sittingId = creds.sittingId;
    template = store.repos.templates.get('skd')!;
  } else if (opts.seed !== false) {
    await ensureTemplate(store, template, clock.now);
    await importBank(store, { id: 'bank1', title: 'Test bank', language: 'id', questions: TEST_BANK }, clock.now);
    await createSitting(
      store,
      { id: sittingId, name: 'Sesi Uji', templateId: template.id, bankId: 'bank1', site: 'Site', room: 'R1', scheduledStart: clock.now, seed: 'test-seed', requireToken: opts.requireToken ?? false, requireAdmission: opts.requireAdmission ?? false, practice: opts.practice ?? false, revealPolicy: opts.revealPolicy ?? 'on-finish', vacancies: { F1: 1, F2: 1 }, ...(opts.beaconRound ? { beaconRound: opts.beaconRound } : {}) },
      clock.now,
      { tokenIntervalMinutes: 15 },
      { status: opts.status ?? 'running' },
    );
    candidates = await addCandidates(
      store,
      sittingId,
      Array.from({ length: opts.candidates ?? 3 }, (_, i) => ({ registrationNumber: `R${String(i + 1).padStart(4, '0')}`, name: `Calon Peserta ${i + 1}`, formation: i % 2 ? 'F2' : 'F1', group: 'umum', extraMinutes: 0 })),
      store.secret,
      clock.now,
      (c) => `${c.registrationNumber.slice(-4)}00`,
    );
    await createAccount(store, { ...admin, displayName: 'Admin Uji', role: 'admin', sittings: [] }, clock.now);
    await createAccount(store, { ...proctor, displayName: 'Pengawas Uji', role: 'proctor', sittings: [sittingId] }, clock.now);
    await createAccount(store, { username: 'other', password: 'other-password', displayName: 'Pengawas Lain', role: 'proctor', sittings: [] }, clock.now);
  }
  const app = await buildApp(config, { store, now: () => clock.now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  let pgClient: pg.Client | null = null;
  const sql = async <T>(statement: string): Promise<T[]> => {
    if (!config.databaseUrl) {
      const prepared = store.handle!.sqlite.prepare(statement);
      if (prepared.reader) return prepared.all() as T[];
      prepared.run();
      return [];
    }
    if (!pgClient) {
      pgClient = new pg.Client({ connectionString: config.databaseUrl });
      await pgClient.connect();
    }
    return (await pgClient.query(statement)).rows as T[];
  };
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    app,
    url,
    store,
    dataDir: tmp.dir,
    clock,
    candidates,
    sittingId,
    template,
    admin,
    proctor,
    onPostgres: !!config.databaseUrl,
    sql,
    async close() {
      await (pgClient as pg.Client | null)?.end();
      await app.close();
      await store.close();
      // a kept data dir keeps its database too (a restart finds it); the run's teardown drops what is left
      if (databaseUrl && !opts.dataDir) await dropDirDatabases(tmp.dir);
      tmp.cleanup();
    },
  };
}

export async function postJson<T = unknown>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as T };
}

export function connect(url: string, ns: string, auth?: Record<string, unknown>): Socket {
  return ioClient(`${url}${ns}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** A client that reconnects by itself, as the browser apps do (socket.io's default, faster). */
export function reconnecting(url: string, ns: string, auth?: Record<string, unknown>): Socket {
  return ioClient(`${url}${ns}`, { auth, transports: ['websocket'], reconnectionDelay: 200, reconnectionDelayMax: 500, forceNew: true });
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

export function waitFor<T = unknown>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(t);
      resolve(payload);
    });
  });
}

/** Polls `probe` until it returns something other than undefined (server state the test cannot be pushed). */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Resolves with the first `event` payload that satisfies `match`. */
export function waitForMatch<T>(socket: Socket, event: string, match: (payload: T) => boolean, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(t);
      socket.off(event, on);
      resolve(payload);
    };
    socket.on(event, on);
  });
}

export async function ack<T>(socket: Socket, event: string, payload?: unknown): Promise<Ack<T>> {
  return (await socket.timeout(5000).emitWithAck(event, payload)) as Ack<T>;
}

export async function ok<T>(socket: Socket, event: string, payload?: unknown): Promise<T> {
  const r = await ack<T>(socket, event, payload);
  if (!r.ok) throw new Error(`${event} failed: ${r.error.code} ${r.error.message}`);
  return r.data;
}

/** Logs a candidate in over HTTP and connects to /candidate; resolves with the first snapshot. */
export async function candidateSession(server: Pick<TestServer, 'url'>, reg: string, pin: string, extra: Record<string, unknown> = {}) {
  const login = await postJson<{ session: string; candidateId: number }>(`${server.url}/api/candidate/login`, { registrationNumber: reg, pin, ...extra });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  const socket = connect(server.url, '/candidate', { session: login.body.session });
  const snapshot = waitFor(socket, 'state:snapshot');
  await connected(socket);
  return { socket, session: login.body.session, candidateId: login.body.candidateId, snapshot: (await snapshot) as import('../../server/src/contract/candidate.js').CandidateState };
}

export async function staffSocket(server: Pick<TestServer, 'url'>, username: string, password: string) {
  const login = await postJson<{ session: string }>(`${server.url}/api/auth/login`, { username, password });
  if (login.status !== 200) throw new Error(`staff login failed: ${JSON.stringify(login.body)}`);
  const socket = connect(server.url, '/proctor', { session: login.body.session });
  await connected(socket);
  return { socket, session: login.body.session };
}

