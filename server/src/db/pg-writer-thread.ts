// The writer's thread on PostgreSQL (db/writer.ts, issue 16): one connection, the batches the
// event loop sends committed one after another, each answered once its COMMIT has returned with
// synchronous_commit on. The sitting logs are hashed and signed here, as on SQLite, not on the
// event loop.
//
// A connection that fails while a batch is under way leaves that batch's fate unknown: the thread
// ends, its caller rejects what it had not answered with WriterLost (the callers reload from the
// database), and a new thread connects again, waiting for PostgreSQL as long as it takes.
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { ConnectionLost, createPgCommitter, PG_SESSION } from './pg-committer.js';
import { BatchUnpacker } from './packing.js';
import { useNodeSha256 } from './sitting-log.js';
import type { FromThread, ThreadData, ToThread } from './writer.js';

const data = workerData as Extract<ThreadData, { role: 'pg-writer' }>;
const port = parentPort!;
const send = (m: FromThread) => port.postMessage(m);

async function connect(): Promise<pg.Client> {
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    // keepalive: a connection the network dropped without a word is noticed, not waited on for hours
    const client = new pg.Client({ connectionString: data.url, application_name: 'kaca-writer', keepAlive: true });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(PG_SESSION);
      // several nodes: a host that vanished without a word (power, network) must let go of its
      // sittings' locks within seconds, not after the operating system's two-hour keepalive
      if (data.fenced) await client.query('SET tcp_keepalives_idle TO 5; SET tcp_keepalives_interval TO 2; SET tcp_keepalives_count TO 3');
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      send({ type: 'warning', message: `the writer cannot reach PostgreSQL (${err instanceof Error ? err.message : String(err)}); trying again` });
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Several nodes: the advisory lock of a sitting (docs/deploy.md), by a hash of its id. */
const SITTING_LOCKS = 0x6b616373;
const held = new Set<string>();
async function own(sittingId: string, take: boolean): Promise<boolean> {
  if (!take) {
    if (held.delete(sittingId)) await client.query('select pg_advisory_unlock($1, hashtext($2))', [SITTING_LOCKS, sittingId]);
    return true;
  }
  if (held.has(sittingId)) return true;
  const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [SITTING_LOCKS, sittingId]);
  if (rows[0].ok) held.add(sittingId);
  return rows[0].ok;
}

useNodeSha256();
const client = await connect();
// from now on a lost connection ends the thread: the batch in flight may or may not be committed
client.on('error', () => process.exit(2));
client.on('end', () => process.exit(2));
// a replacement thread takes its node's sittings again before anything else; one another node
// took meanwhile is this node's no longer, and the node is told
if (data.fenced) {
  const lost = [];
  for (const id of data.held) if (!(await own(id, true))) lost.push(id);
  if (lost.length > 0) send({ type: 'owned-lost', sittingIds: lost });
}
const committer = createPgCommitter(client, data.logKey, data.fenced ? (id) => held.has(id) : null);
const unpacker = new BatchUnpacker();
let chain: Promise<void> = Promise.resolve();

port.on('message', (m: ToThread) => {
  chain = chain.then(async () => {
    if (m.type === 'close') {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      send({ type: 'closed' });
      port.close();
      return;
    }
    try {
      if (m.type === 'own') return send({ type: 'owned', ok: await own(m.sittingId, m.take) });
      send({ type: 'committed', result: await committer.commit(unpacker.unpack(m.batch)) });
    } catch (err) {
      if (err instanceof ConnectionLost) process.exit(2);
      send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  });
});
send({ type: 'ready' });
