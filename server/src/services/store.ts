import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { databaseFile } from '../config.js';
import { claimServerLock, openDatabase, type DbHandle } from '../db/client.js';
import { PgReader, bridgedRepositories } from '../db/pg-reader.js';
import { createRepositories, type ReadRepositories } from '../db/repositories/index.js';
import { InlineWriter, ThreadWriter, type DurableWriter, type WriterTarget } from '../db/writer.js';
import { CatalogCache } from './catalog.js';
import { loadLogKey, type PublishedLogKey } from './log-key.js';
import { useNodeSha256 } from '../db/sitting-log.js';
import { randomId } from './secrets.js';

/**
 * An open Kaca store: the database read through repositories on this thread, written only
 * through `writer` (on its own thread), the server secret and the catalog cache.
 */
export interface KacaStore {
  /** the SQLite database (null on PostgreSQL) */
  handle: DbHandle | null;
  /** where the data is: the SQLite file (':memory:' in tests), or PostgreSQL (DATABASE_URL) */
  target: WriterTarget;
  /** an in-memory SQLite database, which no other thread can open (tests) */
  inMemory: boolean;
  repos: ReadRepositories;
  writer: DurableWriter;
  /** pepper for PIN hashes and key for receipt ids and sessions; kept outside the database */
  secret: string;
  catalog: CatalogCache;
  /** the key that signs the sitting logs' checkpoints and the receipts */
  logKey: PublishedLogKey;
  /** waits for what was submitted, stops the writer, closes the database */
  close(): Promise<void>;
}

function loadSecret(config: Config): string {
  if (config.dataDir === ':memory:') return randomId(32);
  const file = join(config.dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomId(32);
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * What a server (not a command-line run) asks of the store: on PostgreSQL it takes the
 * database's server lock before anything else, migrations included, and throws if another server
 * holds it; `lockLost` is told if the lock is lost for good to another server (docs/deploy.md).
 * On SQLite it takes the data directory's server lock (db/client.ts claimServerLock), held until
 * the store closes or the process ends.
 */
export interface ServerClaim {
  lockLost(err: Error): void;
  /** several nodes: the writer's connection was lost (the sittings' locks with it), and a new one holds them again */
  writerStopped?(): void;
  writerReplaced?(): void;
}

/**
 * The data folder and the database file, private to the server's user before SQLite writes
 * anything: a folder the operator made beforehand (say 0755) is narrowed to 0700, and the database
 * file is made 0600 before SQLite opens it, so that the WAL and shared-memory files it makes
 * beside it are 0600 too (they hold the newest rows, the sittings' token secrets and seeds among
 * them, until a checkpoint).
 */
function privateDataDir(dir: string, file: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) chmodSync(dir, 0o700);
  // answers, PIN hashes, the token secrets and the seeds: for the server's user only
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

export function openStore(config: Config, onWriterError: (err: Error) => void = () => undefined, server?: ServerClaim): KacaStore {
  if (config.databaseUrl) return openPostgresStore(config, config.databaseUrl, onWriterError, server);
  const file = databaseFile(config);
  if (file !== ':memory:') privateDataDir(config.dataDir, file);
  // a second server on this data directory stops here, before it touches the database
  let releaseLock = () => undefined as void;
  if (server && file !== ':memory:') {
    try {
      releaseLock = claimServerLock(file);
    } catch (err) {
      throw new DatabaseUnavailable((err as Error).message);
    }
  }
  const handle = openDatabase(file);
  // SQLite made any new WAL and shared-memory files as private as the database (privateDataDir);
  // ones left by an earlier version, made before the database was private, are made private here
  if (file !== ':memory:') for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  const repos = createRepositories(handle.db);
  // an in-memory database cannot be opened by another thread: commit on this one
  const logKey = loadLogKey(config.dataDir, config.logName);
  // the server hashes papers at each start and commitments at each opening: node:crypto's SHA-256
  useNodeSha256();
  const writer = file === ':memory:' ? new InlineWriter(handle.sqlite, logKey) : new ThreadWriter({ sqlite: file }, logKey, onWriterError);
  let closed: Promise<void> | null = null;
  const store: KacaStore = {
    handle,
    target: { sqlite: file },
    inMemory: file === ':memory:',
    repos,
    writer,
    secret: loadSecret(config),
    catalog: new CatalogCache(repos),
    logKey,
    close: () =>
      (closed ??= store.writer.close().finally(() => {
        handle.close();
        releaseLock();
      })),
  };
  return store;
}

/** The database cannot be used: unreachable, or held by another server. The message says which. */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

/**
 * The store on PostgreSQL: migrated on open (under an advisory lock, so nodes starting together
 * migrate once), read through the PostgreSQL reader, written by the PostgreSQL writer thread.
 * The server secret and the log key stay files in DATA_DIR: every node of one deployment needs
 * the same two (docs/deploy.md).
 */
function openPostgresStore(config: Config, url: string, onWriterError: (err: Error) => void, server?: ServerClaim): KacaStore {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const reader = new PgReader(url, undefined, server ? (err) => server.lockLost(new DatabaseUnavailable(err.message)) : undefined);
  try {
    // a second server must not migrate the schema under the one that runs: the lock comes first
    // (several nodes share the database: each takes the locks of the sittings it runs instead)
    if (server && !config.redisUrl) reader.claimServer();
    reader.migrate();
  } catch (err) {
    void reader.close();
    const message = (err as Error).message;
    throw new DatabaseUnavailable(message.startsWith('another Kaca server') ? message : `PostgreSQL at DATABASE_URL could not be opened: ${message}`);
  }
  useNodeSha256();
  const logKey = loadLogKey(config.dataDir, config.logName);
  const repos = bridgedRepositories(reader);
  let closed: Promise<void> | null = null;
  const store: KacaStore = {
    handle: null,
    target: { postgres: url },
    inMemory: false,
    repos,
    writer: new ThreadWriter({ postgres: url }, logKey, onWriterError, undefined, config.redisUrl && server ? { lost: (ids) => server.lockLost(new DatabaseUnavailable(`another node took sittings ${ids.join(', ')} while this node's writer was reconnecting`)), stopped: () => server.writerStopped?.(), replaced: () => server.writerReplaced?.() } : null),
    secret: loadSecret(config),
    catalog: new CatalogCache(repos),
    logKey,
    close: () => (closed ??= store.writer.close().finally(() => reader.close())),
  };
  return store;
}
