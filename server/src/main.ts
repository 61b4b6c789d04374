import { networkInterfaces } from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { loadConfig, describeDatabase, type Config } from './config.js';
import { openStore, type ServerClaim } from './services/store.js';
import { seedDemo, type DemoCredentials } from './services/demo.js';
import { ensureBuiltIns } from './services/admin.js';

export interface Started {
  app: FastifyInstance;
  urls: { base: string; lan: string[] };
  /** the demo's logins, only on the start that seeded it; later starts point to the file */
  demo: DemoCredentials | null;
  demoFile: string | null;
  /** production with no admin account yet: `kaca admin add` makes the first */
  needsAdmin: boolean;
  /** the SQLite file, or the PostgreSQL server and database */
  database: string;
}

function lanAddresses(port: number): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => `http://${i!.address}:${port}`);
}

/**
 * Opens the store (with the built-in templates), seeds the demo into an empty database unless in
 * production, and serves until a signal.
 */
export async function start(config: Config = loadConfig()): Promise<Started> {
  // the log is the app's, made below: until then a lost lock is only remembered
  let lockLost: (err: Error) => void = (err) => (lostEarly = err);
  let lostEarly: Error | null = null;
  const claim: ServerClaim = { lockLost: (err) => lockLost(err) };
  const store = openStore(config, undefined, claim);
  await ensureBuiltIns(store, Date.now());
  const credentialsFile = config.dataDir === ':memory:' ? null : join(config.dataDir, 'demo-credentials.json');
  let demo: DemoCredentials | null = null;
  if (!config.production && config.seedDemo && store.repos.sittings.list().length === 0 && store.repos.accounts.count() === 0) {
    demo = await seedDemo(store, Date.now());
    // The demo PINs and passwords exist nowhere else in clear: keep them next to the database.
    if (credentialsFile) writeFileSync(credentialsFile, JSON.stringify(demo, null, 2) + '\n', { mode: 0o600 });
  }
  const app = await buildApp(config, { store });
  // another server holds the database now: this one stops at once rather than write beside it
  lockLost = (err) => {
    app.log.fatal({ err }, 'the server lock on the database was lost to another server: stopping');
    process.exit(1);
  };
  if (lostEarly) lockLost(lostEarly);
  // several nodes: while the writer reconnects this node runs no sitting; then it reads them afresh
  claim.writerStopped = () => app.cluster?.suspend();
  claim.writerReplaced = () => app.cluster?.resume();
  app.addHook('onClose', () => store.close());
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    // the port is taken (another program, another Kaca): let go of the database and its threads,
    // so the process ends with the error instead of staying up serving nothing
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Benchmarks start the server with --expose-gc and ask for a collection before reading RSS.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) process.on('SIGUSR2', () => gc());
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const demoFile = !config.production && credentialsFile && existsSync(credentialsFile) ? credentialsFile : null;
  const needsAdmin = !store.repos.accounts.list().some((a) => a.role === 'admin' && !a.disabled);
  return { app, urls: { base: `http://${host}:${port}`, lan: config.host === '0.0.0.0' ? lanAddresses(port) : [] }, demo, demoFile, needsAdmin, database: describeDatabase(config) };
}
