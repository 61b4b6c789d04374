import { parseArgs } from 'node:util';
import type { Config } from '../../server/src/config.js';
import { AccountInputSchema } from '../../server/src/contract/admin.js';
import { parse } from '../../server/src/domain/payload.js';
import { createAccount, ensureBuiltIns } from '../../server/src/services/admin.js';
import { randomId } from '../../server/src/services/secrets.js';
import { openStore } from '../../server/src/services/store.js';
import { out, UsageError } from './errors.js';

/**
 * `kaca admin add <username> [--role admin|proctor] [--name "Display name"]`: the way in for a
 * production database. The generated password is printed once and stored only as a hash.
 */
export async function adminCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add') throw new UsageError(sub ? `unknown admin command: ${sub}` : 'admin needs a command: add');
  const { values, positionals } = parseArgs({ args: rest, options: { role: { type: 'string', default: 'admin' }, name: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('admin add needs exactly one username');
  if (values.role !== 'admin' && values.role !== 'proctor') throw new UsageError('--role must be admin or proctor');
  const store = openStore(config);
  try {
    await ensureBuiltIns(store, Date.now());
    const password = randomId(12);
    const input = parse(AccountInputSchema, { username: positionals[0], displayName: values.name ?? positionals[0], password, role: values.role, sittings: [] }, 'account');
    const account = await createAccount(store, input, Date.now());
    out([`created ${account.role} ${account.username}`, `  password: ${password}`, '  (shown once: keep it now; an admin can set a new one later)'].join('\n'));
  } finally {
    await store.close();
  }
  return 0;
}
