/**
 * npx tsx scripts/verify-speed.ts [--candidates 2000] [--answers 280] [--checkpoint-every 128] [--reps 3]
 *
 * Builds the public export of a synthetic SKD sitting (2,000 candidates, about 300 leaves each,
 * a signed checkpoint every 128 leaves as the writer signs them, one receipt per candidate) with
 * the test simulator,
 * writes it to a temporary file, and times the verifier over it:
 *   - on one thread, with the portable @noble primitives (what a browser runs) and with
 *     node:crypto's SHA-256 and Ed25519 installed (what a Node command line can do);
 *   - on two threads, a worker hashing the leaves into the Merkle tree while the main thread
 *     reads them (verifyExportAsync), from reading the file to the report.
 * Each figure is the best of --reps runs (the machine may be shared), wall clock and this
 * process's CPU time. Exits non-zero if any run does not verify.
 */
import { spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SKD_TEMPLATE } from '../server/src/contract/exam.js';
import { MerkleTree, type TreeLevels } from '../server/src/domain/verify/merkle.js';
import { useSha256 } from '../server/src/domain/verify/sha256.js';
import type { PublicExport } from '../server/src/domain/verify/export-format.js';
import { verifyExport, verifyExportAsync, type VerifyOptions, type VerifyReport } from '../server/src/domain/verify/verify.js';
import { syntheticBank } from '../tests/helpers/bank.js';
import { nodeEd25519Verify } from '../tests/helpers/node-ed25519.js';
import { simulateSitting } from '../tests/helpers/verify-sitting.js';

const nodeSha256 = (data: Uint8Array) => hash('sha256', data, 'buffer');

if (!isMainThread) {
  // The worker: read the same file, hash its leaves, hand the tree back without copying it.
  const { file, node } = workerData as { file: string; node: boolean };
  if (node) useSha256(nodeSha256);
  const levels = MerkleTree.ofTexts((JSON.parse(readFileSync(file, 'utf8')) as PublicExport).leaves).toLevels();
  parentPort!.postMessage(levels, levels.levels.map((l) => l.buffer as ArrayBuffer));
} else {
  await main();
}

function hashInWorker(file: string, node: boolean): Promise<MerkleTree> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit tsx's loader: register it there before loading this file.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
    const worker = new Worker(boot, { eval: true, workerData: { file, node } });
    worker.once('message', (levels: TreeLevels) => {
      resolve(MerkleTree.fromLevels(levels));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** The command line as an operator runs it: a fresh process on the built bundle. */
function cli(file: string): VerifyReport {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/kaca.mjs', import.meta.url)), 'verify', file, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`kaca verify failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as VerifyReport;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      candidates: { type: 'string', default: '2000' },
      answers: { type: 'string', default: '280' },
      // as the engine's writer signs them
      'checkpoint-every': { type: 'string', default: '128' },
      reps: { type: 'string', default: '3' },
    },
  });
  const bank = syntheticBank([
    { section: 'TWK', topics: ['pancasila', 'uud', 'nkri'], perStratum: 30 },
    { section: 'TIU', topics: ['verbal', 'numerik', 'figural'], perStratum: 12, difficulties: ['easy', 'medium', 'hard'] },
    { section: 'TKP', topics: ['pelayanan', 'jejaring', 'sosbud', 'tik', 'profesional'], perStratum: 27, weighted: true },
  ]);

  let t = performance.now();
  const sim = simulateSitting({
    template: SKD_TEMPLATE,
    bank,
    candidates: Number(values.candidates),
    answersPerCandidate: Number(values.answers),
    flagsPerCandidate: 10,
    checkpointEvery: Number(values['checkpoint-every']),
    terminateOne: true,
  });
  const dir = mkdtempSync(join(tmpdir(), 'kaca-verify-'));
  const file = join(dir, 'export.json');
  writeFileSync(file, JSON.stringify(sim.exported));
  const { leaves, checkpoints, receipts } = sim.exported;
  console.log(
    `built ${leaves.length} leaves, ${checkpoints.length} checkpoints, ${receipts?.length ?? 0} receipts ` +
      `(${(readFileSync(file).length / 1e6).toFixed(1)} MB of JSON) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const { receipts: _omitted, ...withoutReceipts } = sim.exported;
  const audit = { auditor: sim.auditor };
  const nodeSig: VerifyOptions = { verifySignature: nodeEd25519Verify };
  const read = () => JSON.parse(readFileSync(file, 'utf8')) as unknown;
  type Run = { name: string; node: boolean; run: () => VerifyReport | Promise<VerifyReport> };
  const runs: Run[] = [
    { name: '1 thread, @noble: public checks, no receipts', node: false, run: () => verifyExport(withoutReceipts) },
    { name: '1 thread, @noble: public checks + 2,000 receipts', node: false, run: () => verifyExport(sim.exported) },
    { name: '1 thread, @noble: public + receipts + auditor', node: false, run: () => verifyExport(sim.exported, audit) },
    { name: '1 thread, node:crypto: public + receipts + auditor', node: true, run: () => verifyExport(sim.exported, { ...audit, ...nodeSig }) },
    { name: '1 thread, node:crypto: read file + public + receipts + auditor', node: true, run: () => verifyExport(read(), { ...audit, ...nodeSig }) },
    { name: '2 threads, @noble: read file + public + receipts + auditor', node: false, run: () => verifyExportAsync(read(), { ...audit, tree: hashInWorker(file, false) }) },
    { name: '2 threads, node:crypto: read file + public + receipts + auditor', node: true, run: () => verifyExportAsync(read(), { ...audit, ...nodeSig, tree: hashInWorker(file, true) }) },
    { name: 'npx kaca verify (the built CLI, a process of its own), public + receipts', node: true, run: () => cli(file) },
  ];
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let failed = false;
  const figures: Record<string, number> = {};
  for (const { name, node, run } of runs) {
    useSha256(node ? nodeSha256 : null);
    let best = Infinity;
    let bestCpu = Infinity;
    for (let rep = 0; rep < Number(values.reps); rep++) {
      t = performance.now();
      const c = cpuMs();
      const report = await run();
      best = Math.min(best, (performance.now() - t) / 1000);
      bestCpu = Math.min(bestCpu, (cpuMs() - c) / 1000);
      if (!report.ok) {
        failed = true;
        console.log(`FAIL ${name}\n${report.errors.slice(0, 5).join('\n')}`);
        break;
      }
    }
    figures[name] = Number(best.toFixed(2));
    console.log(`${best.toFixed(2).padStart(6)} s wall ${bestCpu.toFixed(2).padStart(6)} s cpu   ${name}`);
  }
  useSha256(null);
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ node: process.version, leaves: leaves.length, seconds: figures }));
  process.exit(failed ? 1 : 0);
}
