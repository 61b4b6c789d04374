import { z } from 'zod';
import { resolve } from 'node:path';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z.object({
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** the SQLite file lives at dataDir/kaca.db; ':memory:' is for tests only */
  dataDir: z.string().default('./data'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** seed the demo bank, sitting and accounts into an empty database */
  seedDemo: bool.default(true),
  /** failed candidate logins before the login locks until a proctor resets it */
  lockAfterFailedLogins: z.coerce.number().int().min(1).default(5),
  tokenIntervalMinutes: z.coerce.number().positive().default(15),
  tokenGraceMinutes: z.coerce.number().min(0).default(2),
  /** scoreboard name masking: none | initials | first-word */
  scoreboardNameMask: z.enum(['none', 'first-word', 'initials']).default('first-word'),
  /** the longest a scoreboard change waits before it is pushed */
  scoreboardIntervalMs: z.coerce.number().int().min(20).default(250),
  /** how often the server looks for candidates whose time ran out with no client connected */
  expirySweepMs: z.coerce.number().int().min(50).default(1000),
  /** serve the built browser apps from these folders when present */
  serveApps: bool.default(true),
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
    logLevel: pick('LOG_LEVEL'),
    seedDemo: pick('KACA_SEED_DEMO'),
    lockAfterFailedLogins: pick('KACA_LOCK_AFTER'),
    tokenIntervalMinutes: pick('KACA_TOKEN_INTERVAL_MINUTES'),
    tokenGraceMinutes: pick('KACA_TOKEN_GRACE_MINUTES'),
    scoreboardNameMask: pick('KACA_SCOREBOARD_NAME_MASK'),
    scoreboardIntervalMs: pick('KACA_SCOREBOARD_INTERVAL_MS'),
    expirySweepMs: pick('KACA_EXPIRY_SWEEP_MS'),
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
