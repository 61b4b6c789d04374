// Hashes an export's leaves into a Merkle tree on its own thread while the command-line verifier
// reads the same export on the main one (services/export-verifier.ts): on two cores that nearly
// halves the time of a large sitting. The tree goes back as plain buffers, not copied.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { MerkleTree } from '../domain/verify/merkle.js';
import { useNodeSha256 } from '../db/sitting-log.js';

const { file } = workerData as { file: string };
useNodeSha256();
try {
  const leaves = (JSON.parse(readFileSync(file, 'utf8')) as { leaves?: unknown }).leaves;
  if (!Array.isArray(leaves) || !leaves.every((l) => typeof l === 'string')) throw new Error('the export has no list of leaves');
  const levels = MerkleTree.ofTexts(leaves).toLevels();
  parentPort!.postMessage({ ok: true, levels }, levels.levels.map((l) => l.buffer as ArrayBuffer));
} catch (e) {
  parentPort!.postMessage({ ok: false, message: (e as Error).message });
}
