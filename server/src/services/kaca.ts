import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { databaseFile } from '../config.js';
import { openDatabase, type DbHandle } from '../db/client.js';
import { createRepositories, type Repositories } from '../db/repositories/index.js';
import { CatalogCache } from './catalog.js';
import { randomId } from './secrets.js';

/** An open Kaca store: the database, its repositories, the server secret and caches. */
export interface KacaStore {
  handle: DbHandle;
  repos: Repositories;
  /** pepper for PIN hashes and key for receipt ids; kept outside the database */
  secret: string;
  catalog: CatalogCache;
  close(): void;
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

export function openStore(config: Config): KacaStore {
  const handle = openDatabase(databaseFile(config));
  const repos = createRepositories(handle.db);
  return { handle, repos, secret: loadSecret(config), catalog: new CatalogCache(repos), close: () => handle.close() };
}
