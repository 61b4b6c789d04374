import { z } from 'zod';
import { resolve } from 'node:path';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z.object({
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** the SQLite file lives at dataDir/kaca.db (unless databaseUrl is set); also the server secret and the log key; ':memory:' is for tests only */
  dataDir: z.string().default('./data'),
  /** postgres://...: keep the data in PostgreSQL instead of the SQLite file (docs/deploy.md) */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  /**
   * redis://...: run as one node of several on one PostgreSQL (docs/deploy.md "Several nodes"):
   * pushes cross nodes through Redis Streams, and each sitting is run by one node at a time
   */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  /** this node's name among several (default: host name and process id) */
  nodeId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64')
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** text: short lines, no request lines (a terminal); json: pino's JSON lines (a log collector); unset: text on a terminal */
  logFormat: z.enum(['text', 'json']).optional(),
  /** seed the demo bank, sitting and accounts into an empty database */
  seedDemo: bool.default(true),
  /** failed candidate logins before the login locks until a proctor resets it */
  lockAfterFailedLogins: z.coerce.number().int().min(1).default(5),
  tokenIntervalMinutes: z.coerce.number().min(1).max(24 * 60).default(15),
  tokenGraceMinutes: z.coerce.number().min(0).default(2),
  /** scoreboard name masking: none | initials | first-word */
  scoreboardNameMask: z.enum(['none', 'first-word', 'initials']).default('first-word'),
  /** the longest a scoreboard change waits before it is pushed */
  scoreboardIntervalMs: z.coerce.number().int().min(20).default(250),
  /** how often the server looks for candidates whose time ran out with no client connected */
  expirySweepMs: z.coerce.number().int().min(50).default(1000),
  /** serve the built browser apps from these folders when present */
  serveApps: bool.default(true),
  /** production: no demo, no credentials printed, API docs for admins only */
  production: bool.default(false),
  /**
   * Candidate logins per minute from one address, and from all together. One hall's PCs have an
   * address each; a hall behind one NAT address needs the first at least at its size.
   */
  candidateLoginsPerMinute: z.coerce.number().int().min(1).default(60),
  candidateLoginsPerMinuteTotal: z.coerce.number().int().min(1).default(6000),
  /** staff logins (each costs a slow password hash) per minute, from one address and in all */
  staffLoginsPerMinute: z.coerce.number().int().min(1).default(10),
  staffLoginsPerMinuteTotal: z.coerce.number().int().min(1).default(60),
  /** answers and flags one candidate connection may send per second (bursts of twice that) */
  answersPerSecond: z.coerce.number().positive().default(10),
  /** stored answer and flag events per attempt, as a multiple of the paper's length */
  maxEventsPerItem: z.coerce.number().int().min(2).default(20),
  /** staff sessions end after this long without a request or a live connection, and after this long in all */
  staffIdleMinutes: z.coerce.number().positive().default(30),
  staffSessionHours: z.coerce.number().positive().default(12),
  /**
   * how long a client may take to send a request's headers, and the whole request (a bank upload
   * included): a connection that trickles them is closed, so idle half-requests cannot pile up
   */
  headersTimeoutMs: z.coerce.number().int().min(100).default(20_000),
  requestTimeoutMs: z.coerce.number().int().min(100).default(300_000),
  /** take the client address from X-Forwarded-For (behind a reverse proxy that sets it) */
  trustProxy: bool.default(false),
  /** the address the public reaches this server at (https://cat.example.go.id): receipts' QR codes point to its /verify/ */
  publicUrl: z.string().url().optional(),
  /** how often each open sitting's log gets a signed checkpoint on the board (if it grew) */
  checkpointSeconds: z.coerce.number().min(1).default(10),
  /** the name of the log signing key, used when the key is made on first start (default kaca.<host name>) */
  logName: z
    .string()
    .regex(/^[^\s+]{1,100}$/, 'no spaces or "+"')
    .optional(),
}).superRefine((c, ctx) => {
  if (c.redisUrl && !c.databaseUrl) ctx.addIssue({ code: 'custom', path: ['redisUrl'], message: 'several nodes share one PostgreSQL database: REDIS_URL needs DATABASE_URL (a SQLite file belongs to one node)' });
  if (c.headersTimeoutMs > c.requestTimeoutMs) ctx.addIssue({ code: 'custom', path: ['headersTimeoutMs'], message: `the headers' timeout (${c.headersTimeoutMs} ms) may not be longer than the whole request's (${c.requestTimeoutMs} ms)` });
});
export type Config = Readonly<z.infer<typeof ConfigSchema>>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export function parseConfig(input: ConfigInput = {}): Config {
  return Object.freeze(ConfigSchema.parse(input));
}

/** The only reader of process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const pick = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const parsed = ConfigSchema.safeParse({
    host: pick('HOST'),
    port: pick('PORT'),
    dataDir: pick('DATA_DIR'),
    databaseUrl: pick('DATABASE_URL'),
    redisUrl: pick('REDIS_URL'),
    nodeId: pick('KACA_NODE_ID'),
    logLevel: pick('LOG_LEVEL'),
    logFormat: pick('LOG_FORMAT'),
    seedDemo: pick('KACA_SEED_DEMO'),
    lockAfterFailedLogins: pick('KACA_LOCK_AFTER'),
    tokenIntervalMinutes: pick('KACA_TOKEN_INTERVAL_MINUTES'),
    tokenGraceMinutes: pick('KACA_TOKEN_GRACE_MINUTES'),
    scoreboardNameMask: pick('KACA_SCOREBOARD_NAME_MASK'),
    scoreboardIntervalMs: pick('KACA_SCOREBOARD_INTERVAL_MS'),
    expirySweepMs: pick('KACA_EXPIRY_SWEEP_MS'),
    production: pick('KACA_PRODUCTION') ?? (env.NODE_ENV === 'production' ? 'true' : undefined),
    candidateLoginsPerMinute: pick('KACA_CANDIDATE_LOGINS_PER_MINUTE'),
    candidateLoginsPerMinuteTotal: pick('KACA_CANDIDATE_LOGINS_PER_MINUTE_TOTAL'),
    staffLoginsPerMinute: pick('KACA_STAFF_LOGINS_PER_MINUTE'),
    staffLoginsPerMinuteTotal: pick('KACA_STAFF_LOGINS_PER_MINUTE_TOTAL'),
    answersPerSecond: pick('KACA_ANSWERS_PER_SECOND'),
    maxEventsPerItem: pick('KACA_MAX_EVENTS_PER_ITEM'),
    staffIdleMinutes: pick('KACA_STAFF_IDLE_MINUTES'),
    staffSessionHours: pick('KACA_STAFF_SESSION_HOURS'),
    headersTimeoutMs: pick('KACA_HEADERS_TIMEOUT_MS'),
    requestTimeoutMs: pick('KACA_REQUEST_TIMEOUT_MS'),
    trustProxy: pick('KACA_TRUST_PROXY'),
    checkpointSeconds: pick('KACA_CHECKPOINT_SECONDS'),
    publicUrl: pick('KACA_PUBLIC_URL'),
    logName: pick('KACA_LOG_NAME'),
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  return Object.freeze({ ...parsed.data, dataDir: parsed.data.dataDir === ':memory:' ? ':memory:' : resolve(parsed.data.dataDir) });
}

export function databaseFile(config: Config): string {
  return config.dataDir === ':memory:' ? ':memory:' : resolve(config.dataDir, 'kaca.db');
}

/** Where the data is, for people: the SQLite file, or the PostgreSQL server and database (no password). */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return databaseFile(config);
  try {
    const u = new URL(config.databaseUrl);
    return `PostgreSQL ${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
