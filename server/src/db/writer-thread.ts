// The threads of the durable writer (db/writer.ts), each with its own connection to the database
// file that the main thread has opened and migrated.
//   role 'writer': commits the batches the event loop sends and answers once each is on disk;
//     the fsync of every commit blocks this thread, not the event loop.
//   role 'checkpoint': copies the WAL back into the database every few hundred ms (PASSIVE:
//     it never blocks the writer). Connections do not checkpoint on commit (see
//     CONNECTION_PRAGMAS), or a commit that happened to cross the WAL threshold would stall
//     every answer behind it for as long as the copy and its fsync take.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CONNECTION_PRAGMAS } from './client.js';
import { createCommitter } from './committer.js';
import { BatchUnpacker } from './packing.js';
import { useNodeSha256 } from './sitting-log.js';
import type { ThreadData, ToThread, FromThread } from './writer.js';

const data = workerData as Exclude<ThreadData, { role: 'pg-writer' }>;
const port = parentPort!;
const send = (m: FromThread) => port.postMessage(m);
const sqlite = new Database(data.file, { fileMustExist: true });
for (const p of CONNECTION_PRAGMAS) sqlite.pragma(p);

function closeAndExit(onClose: () => void = () => undefined): void {
  onClose();
  sqlite.close();
  send({ type: 'closed' });
  port.close();
}

if (data.role === 'checkpoint') {
  let timer: NodeJS.Timeout;
  const tick = () => {
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      send({ type: 'warning', message: `checkpoint failed: ${err instanceof Error ? err.message : String(err)}` });
    }
    timer = setTimeout(tick, data.intervalMs);
  };
  timer = setTimeout(tick, data.intervalMs);
  port.on('message', (m: ToThread) => {
    if (m.type === 'close') closeAndExit(() => clearTimeout(timer));
  });
} else {
  useNodeSha256();
  const committer = createCommitter(sqlite, data.logKey);
  const unpacker = new BatchUnpacker();
  port.on('message', (m: ToThread) => {
    if (m.type === 'close') return closeAndExit();
    // one SQLite file is one node's: no sitting is ever another's
    if (m.type === 'own') return send({ type: 'owned', ok: true });
    try {
      send({ type: 'committed', result: committer.commit(unpacker.unpack(m.batch)) });
    } catch (err) {
      send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  });
}
send({ type: 'ready' });
