import { join } from 'node:path';
import { parseConfig } from '../../server/src/config.js';
import { openStore, type KacaStore } from '../../server/src/services/store.js';
import { seedDemo, type DemoCredentials } from '../../server/src/services/demo.js';
import { tempDir } from './tmp.js';

/** A store over a fresh SQLite file (writer thread and all), with the demo seeded; close() removes it. `wrapWriter` wraps its writer before the demo is written. */
export async function demoStore(candidates = 3, wrapWriter?: (store: KacaStore) => KacaStore['writer']): Promise<{ store: KacaStore; file: string; dir: string; creds: DemoCredentials; close: () => Promise<void> }> {
  const t = tempDir();
  const store = openStore(parseConfig({ dataDir: t.dir, logLevel: 'silent' }));
  if (wrapWriter) store.writer = wrapWriter(store);
  try {
    const creds = await seedDemo(store, 1_700_000_000_000, { candidates });
    return {
      store,
      file: join(t.dir, 'kaca.db'),
      dir: t.dir,
      creds,
      close: async () => {
        await store.close();
        t.cleanup();
      },
    };
  } catch (err) {
    await store.close();
    t.cleanup();
    throw err;
  }
}
