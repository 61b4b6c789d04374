import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { databaseFile } from '../config.js';
import { openDatabase, type DbHandle } from '../db/client.js';
import { createRepositories, type Repositories } from '../db/repositories/index.js';
import { InlineWriter, ThreadWriter, type DurableWriter } from '../db/writer.js';
import { CatalogCache } from './catalog.js';
import { loadLogKey, type PublishedLogKey } from './log-key.js';
import { useNodeSha256 } from '../db/sitting-log.js';
import { randomId } from './secrets.js';

/**
 * An open Kaca store: the database read through repositories on this thread, written only
 * through `writer` (on its own thread), the server secret and the catalog cache.
 */
export interface KacaStore {
  handle: DbHandle;
  /** the database file, or ':memory:' */
  file: string;
  repos: Repositories;
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

export function openStore(config: Config, onWriterError: (err: Error) => void = () => undefined): KacaStore {
  const file = databaseFile(config);
  if (file !== ':memory:') mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const handle = openDatabase(file);
  // answers, PIN hashes and the audit log: for the server's user only (SQLite gives its WAL and
  // shared-memory files the database file's permissions)
  if (file !== ':memory:') chmodSync(file, 0o600);
  const repos = createRepositories(handle.db);
  // an in-memory database cannot be opened by another thread: commit on this one
  const logKey = loadLogKey(config.dataDir, config.logName);
  // the server hashes papers at each start and commitments at each opening: node:crypto's SHA-256
  useNodeSha256();
  const writer = file === ':memory:' ? new InlineWriter(handle.sqlite, logKey) : new ThreadWriter({ sqlite: file }, logKey, onWriterError);
  let closed: Promise<void> | null = null;
  const store: KacaStore = {
    handle,
    file,
    repos,
    writer,
    secret: loadSecret(config),
    catalog: new CatalogCache(repos),
    logKey,
    close: () => (closed ??= store.writer.close().finally(() => handle.close())),
  };
  return store;
}
