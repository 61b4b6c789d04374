import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isValidKeyName } from '../domain/verify/signed-note.js';
import { logVerifierKey, type LogKey } from '../db/sitting-log.js';

/**
 * The key that signs every sitting log's checkpoints and every receipt: Ed25519, made on first
 * start and kept in DATA_DIR/log-key.json (mode 0600) next to the database. Its public half is
 * published as a verifier key ("<name>+<key id>+<base64 key>"); the name defaults to
 * "kaca.<host name>" and can be set once with KACA_LOG_NAME before the first start. Losing the
 * file does not lose a result, but logs signed with it can no longer be extended under the same
 * key; keep a copy with the database backups.
 */
const KeyFileSchema = z.object({ format: z.literal('kaca-log-key@1'), name: z.string(), privateKeyPem: z.string() });

export interface PublishedLogKey extends LogKey {
  /** the verifier key anyone checks the log's signatures with */
  verifierKey: string;
}

function defaultName(): string {
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '-').replace(/^[.-]+|[.-]+$/g, '').slice(0, 60) || 'local';
  return `kaca.${host}`;
}

export function generateLogKey(name: string): LogKey {
  if (!isValidKeyName(name)) throw new Error(`log key name ${JSON.stringify(name)} is not valid: no spaces or "+"`);
  const { privateKey } = generateKeyPairSync('ed25519');
  return { name, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

export function loadLogKey(dataDir: string, name = defaultName()): PublishedLogKey {
  const publish = (key: LogKey): PublishedLogKey => ({ ...key, verifierKey: logVerifierKey(key) });
  if (dataDir === ':memory:') return publish(generateLogKey(name));
  const file = join(dataDir, 'log-key.json');
  if (existsSync(file)) {
    const parsed = KeyFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is not a Kaca log key: ${parsed.error.issues[0].message}`);
    return publish(parsed.data);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = generateLogKey(name);
  writeFileSync(file, JSON.stringify({ format: 'kaca-log-key@1', ...key }, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return publish(key);
}
