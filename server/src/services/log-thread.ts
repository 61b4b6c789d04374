// The log reader thread (services/log-reader.ts): builds public exports and receipt proofs of
// closed sittings, and the analyses of stored answers, on its own read-only connection, so that a request for a sitting of hundreds
// of thousands of leaves never holds up the event loop that serves the sittings still running.
import { parentPort, workerData } from 'node:worker_threads';
import { KacaError } from '../domain/errors.js';
import { openReadRepositories } from '../db/read-source.js';
import { useNodeSha256 } from '../db/sitting-log.js';
import { CatalogCache } from './catalog.js';
import { itemAnalysis, similarity } from './analysis.js';
import { writeExport } from './log-export.js';
import { checkBeaconSignature } from '../domain/verify/beacon.js';
import { ProofMaker } from './log-proofs.js';
import type { LogThreadData, ToLogThread, FromLogThread } from './log-reader.js';

const data = workerData as LogThreadData;
const port = parentPort!;
useNodeSha256();
const source = openReadRepositories(data.target);
const repos = source.repos;
const catalogs = new CatalogCache(repos);
const proofs = new ProofMaker(repos);

port.on('message', (m: ToLogThread) => {
  if (m.type === 'close') {
    source.close();
    port.close();
    return;
  }
  const reply = (r: FromLogThread) => port.postMessage(r);
  try {
    if (m.type === 'export') {
      reply({ id: m.id, ok: true, value: writeExport(repos, catalogs, m.sittingId, data.key, m.file) });
    } else if (m.type === 'items') {
      reply({ id: m.id, ok: true, value: itemAnalysis(repos, catalogs, m) });
    } else if (m.type === 'similarity') {
      reply({ id: m.id, ok: true, value: similarity(repos, catalogs, { sittingId: m.sittingId }, m.query) });
    } else if (m.type === 'beacon') {
      reply({ id: m.id, ok: true, value: checkBeaconSignature(m.round, m.signature) });
    } else {
      reply({ id: m.id, ok: true, value: proofs.proof(m.sittingId, m.leaf, m.size) });
    }
  } catch (err) {
    reply({ id: m.id, ok: false, code: err instanceof KacaError ? err.code : null, message: err instanceof Error ? err.message : String(err) });
  }
});
