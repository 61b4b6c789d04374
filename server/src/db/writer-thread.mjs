// The threads of the durable writer (services/writer.ts), each with its own connection to the
// database file that the main thread has opened and migrated.
//   role 'writer': commits the batches the event loop sends and answers once each is on disk;
//     the fsync of every commit blocks this thread, not the event loop.
//   role 'checkpoint': copies the WAL back into the database every few hundred ms (PASSIVE:
//     it never blocks the writer). Connections do not checkpoint on commit (see
//     CONNECTION_PRAGMAS), or a commit that happened to cross the WAL threshold would stall
//     every answer behind it for as long as the copy and its fsync take.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CONNECTION_PRAGMAS, createSqlWriter } from './sql-writer.mjs';

const sqlite = new Database(workerData.file, { fileMustExist: true });
for (const p of CONNECTION_PRAGMAS) sqlite.pragma(p);

if (workerData.role === 'checkpoint') {
  let timer = null;
  const tick = () => {
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      parentPort.postMessage({ type: 'warning', message: `checkpoint failed: ${err instanceof Error ? err.message : String(err)}` });
    }
    timer = setTimeout(tick, workerData.intervalMs);
  };
  timer = setTimeout(tick, workerData.intervalMs);
  parentPort.on('message', (m) => {
    if (m.type !== 'close') return;
    clearTimeout(timer);
    sqlite.close();
    parentPort.postMessage({ type: 'closed' });
    parentPort.close();
  });
} else {
  const writer = createSqlWriter(sqlite, workerData.statements);
  parentPort.on('message', (m) => {
    if (m.type === 'close') {
      sqlite.close();
      parentPort.postMessage({ type: 'closed' });
      parentPort.close();
      return;
    }
    // no reply: messages arrive in order, so every batch sent before this one is already judged
    if (m.type === 'release') return writer.release(m.keys);
    let reply;
    try {
      reply = { type: 'committed', result: writer.commit(m.units, m.keys) };
    } catch (err) {
      reply = { type: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
    parentPort.postMessage(reply);
  });
}
parentPort.postMessage({ type: 'ready' });
