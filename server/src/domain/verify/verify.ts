import { checkBeaconSignature } from './beacon.js';
import { PublicExportSchema, type PublicExport } from './export-format.js';
import { answersHash, bankCommitment, mixSeed, seedCommitment, templateCommitment, type BankItem, type DealtItem } from './commitments.js';
import { bytesEqual, toBase64 } from './encoding.js';
import { CHECKS, Findings, samePoints, type CheckName } from './findings.js';
import { auditLeaves, type LeafAudit } from './leaf-audit.js';
import { verifyConsistency, verifyInclusion, type MerkleTree } from './merkle.js';
import { verifyReceipt, type Receipt } from './receipt.js';
import { openCheckpoint, parseVerifierKey, type Checkpoint, type Ed25519VerifyFn, type NoteVerifierKey } from './signed-note.js';

/**
 * The verifier over the public export of a closed sitting. Everyone can run the public checks
 * (signatures, roots, consistency, the seed, every candidate's events and sums, receipts); an
 * auditor who also holds the bank and the engine's dealing and scoring adds the bank commitment,
 * every paper and every delta. Indexes in messages are 0-based positions in the export's arrays.
 */

export interface AuditorInputs {
  bank: readonly BankItem[];
  dealPaper: (seed: string, registrationNumber: string) => readonly DealtItem[];
  scoreItem: (questionId: string, bankOptionIndex: number | null) => number;
}

export interface VerifyOptions {
  auditor?: AuditorInputs;
  /** Ed25519 verification; defaults to @noble/curves (Node may pass node:crypto's, which is faster) */
  verifySignature?: Ed25519VerifyFn;
  /**
   * checks a beacon round's randomness another way (a beacon other than drand quicknet): null if
   * it holds, else the problem. Without it, a quicknet signature in the export is checked here.
   */
  checkBeacon?: (round: number, randomness: string) => string | null;
  /** the Merkle tree over exactly the export's leaves, if already built (MerkleTree.ofTexts); built here when absent */
  tree?: MerkleTree;
  /** called every few thousand leaves, for a progress bar */
  onProgress?: (leavesDone: number, leavesTotal: number) => void;
}

export interface VerifyCheck {
  name: CheckName;
  ok: boolean;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: VerifyCheck[];
  /** the lowest leaf index any problem names */
  firstBadLeaf?: number;
  errors: string[];
}

interface Opened {
  index: number;
  cp: Checkpoint;
}

export function verifyExport(input: unknown, options: VerifyOptions = {}): VerifyReport {
  return guard(() => {
    const begun = begin(input, options, !options.tree);
    if ('checks' in begun) return begun;
    return conclude(begun, options.tree ?? begun.audit.tree!, options);
  });
}

/**
 * verifyExport, taking the tree as a promise: the leaf pass runs here while a worker hashes the
 * same leaves (MerkleTree.ofTexts, handed back with toLevels/fromLevels), which nearly halves the
 * time on two cores. The tree must be over exactly the export's leaves.
 */
export async function verifyExportAsync(input: unknown, options: Omit<VerifyOptions, 'tree'> & { tree?: MerkleTree | Promise<MerkleTree> } = {}): Promise<VerifyReport> {
  const { tree, ...rest } = options;
  const begun = guard(() => begin(input, rest, !tree));
  if ('checks' in begun) return begun;
  const built = tree ? await tree : begun.audit.tree!;
  return guard(() => {
    if (built.size !== begun.ex.leaves.length) throw new RangeError(`the tree given has ${built.size} leaves, the export ${begun.ex.leaves.length}`);
    return conclude(begun, built, rest);
  });
}

function guard<T>(run: () => T | VerifyReport): T | VerifyReport {
  try {
    return run();
  } catch (e) {
    // Every expected problem is a finding; reaching here is a bug, and must still read as a failure.
    return formatFailure(`the verifier failed unexpectedly: ${(e as Error).message}`);
  }
}

interface Begun {
  ex: PublicExport;
  key: NoteVerifierKey;
  findings: Findings;
  opened: Opened[];
  audit: LeafAudit;
}

/** Everything that needs no tree: the export's form, checkpoint signatures, and the pass over the leaves. */
function begin(input: unknown, options: VerifyOptions, hash: boolean): Begun | VerifyReport {
  const parsed = PublicExportSchema.safeParse(input);
  if (!parsed.success) {
    return formatFailure(parsed.error.issues.map((i) => `${i.path.join('.') || 'export'}: ${i.message}`).join('; '));
  }
  const ex = parsed.data;
  let key: NoteVerifierKey;
  try {
    key = parseVerifierKey(ex.publicKey);
  } catch (e) {
    return formatFailure(`publicKey: ${(e as Error).message}`);
  }

  const findings = new Findings();
  const opened: Opened[] = [];
  ex.checkpoints.forEach((note, index) => {
    try {
      opened.push({ index, cp: openCheckpoint(note, key, ex.origin, options.verifySignature) });
    } catch (e) {
      findings.add(CHECKS.signatures, `checkpoint ${index}: ${(e as Error).message}`);
    }
  });
  const beacon = ex.sitting.beacon;
  const dealSeed = beacon ? mixSeed(ex.sitting.seed, beacon.randomness) : ex.sitting.seed;
  const auditor = options.auditor;
  const audit = auditLeaves(ex.leaves, findings, {
    auditor: auditor && { dealSeed, dealPaper: auditor.dealPaper, scoreItem: auditor.scoreItem },
    hash,
    onProgress: options.onProgress,
  });
  return { ex, key, findings, opened, audit };
}

/** The checks over the tree (roots, consistency, receipts), the commitments, and the report. */
function conclude({ ex, key, findings, opened, audit }: Begun, tree: MerkleTree, options: VerifyOptions): VerifyReport {
  const beacon = ex.sitting.beacon;
  const auditor = options.auditor;
  checkRoots(ex, opened, tree, findings);
  const proofs = checkConsistency(opened, tree, findings);
  checkSeed(ex, audit, findings, options.checkBeacon);
  const lastValid = opened.length && opened[opened.length - 1].index === ex.checkpoints.length - 1 ? opened[opened.length - 1] : null;
  const receipts = ex.receipts ?? [];
  const receiptHeads: { size: number; root: Uint8Array }[] = [];
  receipts.forEach((note, k) => {
    const r = checkReceipt(note, k, ex, key, audit, tree, lastValid, findings, options.verifySignature);
    if (r) receiptHeads.push({ size: r.logSize, root: r.logRoot });
  });
  let bankSize = 0;
  if (auditor) {
    bankSize = auditor.bank.length;
    try {
      const root = bankCommitment(auditor.bank);
      if (root !== ex.sitting.bankCommitment) findings.add(CHECKS.bank, `the bank's Merkle root is ${root}, not the committed ${ex.sitting.bankCommitment}`);
    } catch (e) {
      findings.add(CHECKS.bank, (e as Error).message);
    }
  }

  locateDivergence(
    [
      { check: CHECKS.roots, heads: opened.map((o) => ({ size: o.cp.size, root: o.cp.root })) },
      { check: CHECKS.receipts, heads: receiptHeads },
    ],
    tree,
    findings,
  );

  const candidates = [...audit.candidates.values()];
  const started = candidates.filter((c) => c.start).length;
  const passed: Partial<Record<CheckName, string>> = {
    [CHECKS.format]: `kaca-export@1 of sitting ${ex.sitting.id}, log ${ex.origin}`,
    [CHECKS.signatures]: `${ex.checkpoints.length} checkpoints signed by ${key.name}`,
    [CHECKS.leaves]: `${ex.leaves.length} leaves, canonical and numbered in order`,
    [CHECKS.roots]: `every checkpoint's root is the Merkle root of its first leaves; the last covers all ${ex.leaves.length}`,
    [CHECKS.consistency]: `${proofs} consistency proofs between consecutive checkpoints verify`,
    [CHECKS.seed]: `the revealed seed matches the commitment, which leaf 0 logged with the bank commitment${ex.sitting.template !== undefined ? ' and the template it gives' : ''}${
      beacon ? `; mixed with beacon round ${beacon.round}${options.checkBeacon || beacon.signature ? ', whose signature verifies under the beacon key' : ' (its randomness not checked against the beacon here)'}` : ''
    }`,
    [CHECKS.sitting]: 'opened, started and closed in order',
    [CHECKS.candidates]: `${candidates.length} candidates, ${started} started, every one of them finished`,
    [CHECKS.scores]: 'every finish equals its base plus the logged deltas (last answer per item wins)',
  };
  if (receipts.length) passed[CHECKS.receipts] = `${receipts.length} receipts signed, matching their finish leaves, included in a log consistent with the last checkpoint`;
  if (auditor) {
    passed[CHECKS.bank] = `${bankSize} questions hash to the committed root`;
    passed[CHECKS.papers] = `${started} papers match the seed and the bank`;
    passed[CHECKS.deltas] = `all ${audit.answerCount} answer deltas match the bank`;
  }
  const checks: VerifyCheck[] = [];
  const errors: string[] = [];
  for (const name of Object.values(CHECKS)) {
    const ok = passed[name];
    if (ok === undefined) continue;
    const messages = findings.messages(name);
    const n = findings.count(name);
    checks.push({ name, ok: n === 0, detail: n === 0 ? ok : n === 1 ? messages[0] : `${messages[0]} (and ${n - 1} more)` });
    errors.push(...messages);
  }
  const report: VerifyReport = { ok: errors.length === 0, checks, errors };
  if (findings.firstBadLeaf !== undefined) report.firstBadLeaf = findings.firstBadLeaf;
  return report;
}

function formatFailure(message: string): VerifyReport {
  return { ok: false, checks: [{ name: CHECKS.format, ok: false, detail: message }], errors: [message] };
}

function checkRoots(ex: PublicExport, opened: readonly Opened[], tree: MerkleTree, findings: Findings): void {
  let matched = 0;
  let prev: Opened | null = null;
  for (const o of opened) {
    const { cp, index } = o;
    if (prev && cp.size < prev.cp.size) findings.add(CHECKS.roots, `checkpoint ${index} (size ${cp.size}) is smaller than checkpoint ${prev.index} (size ${prev.cp.size})`);
    prev = o;
    if (cp.size > tree.size) {
      findings.add(CHECKS.roots, `checkpoint ${index} (size ${cp.size}) covers more than the ${tree.size} leaves exported`);
      continue;
    }
    const root = tree.root(cp.size);
    if (bytesEqual(root, cp.root)) {
      matched = Math.max(matched, cp.size);
      continue;
    }
    const from = Math.min(matched, cp.size - 1);
    findings.add(CHECKS.roots, `checkpoint ${index} (size ${cp.size}): signed root ${toBase64(cp.root)} but leaves 0..${cp.size - 1} hash to ${toBase64(root)}: the leaves differ from what was signed somewhere in leaves ${from}..${cp.size - 1}`);
  }
  const last = opened[opened.length - 1];
  if (last && last.index === ex.checkpoints.length - 1 && last.cp.size !== ex.leaves.length) {
    findings.add(CHECKS.roots, `the last checkpoint (size ${last.cp.size}) does not cover all ${ex.leaves.length} leaves`);
  }
}

/** Proves each checkpoint a prefix of the next with a proof built from the leaves; returns how many verified. */
function checkConsistency(opened: readonly Opened[], tree: MerkleTree, findings: Findings): number {
  let verified = 0;
  for (let k = 1; k < opened.length; k++) {
    const a = opened[k - 1];
    const b = opened[k];
    if (a.cp.size > b.cp.size || b.cp.size > tree.size) continue; // reported under roots
    const proof = tree.consistencyProof(a.cp.size, b.cp.size);
    if (verifyConsistency(a.cp.size, b.cp.size, a.cp.root, b.cp.root, proof)) verified++;
    else findings.add(CHECKS.consistency, `checkpoint ${a.index} (size ${a.cp.size}) and checkpoint ${b.index} (size ${b.cp.size}): the consistency proof built from the exported leaves does not verify`);
  }
  return verified;
}

function checkSeed(ex: PublicExport, audit: LeafAudit, findings: Findings, checkBeacon: VerifyOptions['checkBeacon']): void {
  const s = ex.sitting;
  const commitment = seedCommitment(s.seed);
  if (commitment !== s.seedCommitment) findings.add(CHECKS.seed, `the revealed seed hashes to ${commitment}, not the committed ${s.seedCommitment}`);
  const open = audit.sittingOpen;
  if (!open) return; // reported under sitting events
  const differs = (what: string, logged: unknown, exported: unknown) => findings.add(CHECKS.seed, `leaf 0 (sitting-open): ${what} ${String(logged)} differs from the export's ${String(exported)}`, 0);
  if (open.sitting !== s.id) differs('sitting', open.sitting, s.id);
  if (open.seedCommitment !== s.seedCommitment) differs('seed commitment', open.seedCommitment, s.seedCommitment);
  if (open.bankCommitment !== s.bankCommitment) differs('bank commitment', open.bankCommitment, s.bankCommitment);
  if (s.template !== undefined) {
    let given: string;
    try {
      given = templateCommitment(s.template);
    } catch (e) {
      given = `unhashable (${(e as Error).message})`;
    }
    if (open.templateCommitment === undefined) findings.add(CHECKS.seed, 'the export gives a template but leaf 0 (sitting-open) commits to none', 0);
    else if (given !== open.templateCommitment) findings.add(CHECKS.seed, `the exported template hashes to ${given}, not the ${open.templateCommitment} leaf 0 (sitting-open) committed to`, 0);
  }
  if ((open.beaconRound ?? null) !== (s.beacon?.round ?? null)) differs('beacon round', open.beaconRound ?? 'none', s.beacon?.round ?? 'none');
  if (audit.beaconRandomness !== (s.beacon?.randomness ?? null)) {
    findings.add(CHECKS.seed, `sitting-start logged beacon randomness ${audit.beaconRandomness ?? 'none'} but the export gives ${s.beacon?.randomness ?? 'none'}`);
  }
  if ((audit.beaconSignature ?? null) !== (s.beacon?.signature ?? null)) {
    findings.add(CHECKS.seed, `sitting-start logged beacon signature ${audit.beaconSignature ?? 'none'} but the export gives ${s.beacon?.signature ?? 'none'}`);
  }
  if (s.beacon && checkBeacon) {
    const problem = checkBeacon(s.beacon.round, s.beacon.randomness);
    if (problem) findings.add(CHECKS.seed, `beacon round ${s.beacon.round}: ${problem}`);
  } else if (s.beacon?.signature) {
    const checked = checkBeaconSignature(s.beacon.round, s.beacon.signature);
    if (!checked.ok) findings.add(CHECKS.seed, `beacon round ${s.beacon.round}: ${checked.problem}`);
    else if (checked.randomness !== s.beacon.randomness) findings.add(CHECKS.seed, `beacon round ${s.beacon.round}: the signature gives randomness ${checked.randomness}, not ${s.beacon.randomness}`);
  }
}

/**
 * Where the leaves first differ from what was signed: after the largest signed size whose root
 * the leaves still give, up to the next signed size, provided no later signed head matches (a
 * later match would prove the leaves and blame the head instead). Checkpoints are tried first,
 * then the log size and root on each receipt (which an operator re-signing checkpoints cannot
 * change). The engine signs a checkpoint every 128 leaves, so the range is short.
 */
function locateDivergence(sets: readonly { check: CheckName; heads: readonly { size: number; root: Uint8Array }[] }[], tree: MerkleTree, findings: Findings): void {
  for (const { check, heads } of sets) {
    const sorted = heads.filter((h) => h.size > 0 && h.size <= tree.size).sort((x, y) => x.size - y.size);
    const matches = sorted.map((h) => bytesEqual(tree.root(h.size), h.root));
    const last = matches.lastIndexOf(true);
    const first = matches.indexOf(false, last + 1);
    if (first < 0) continue;
    const good = last < 0 ? 0 : sorted[last].size;
    const end = sorted[first].size - 1;
    const where = good === end ? `leaf ${good} differs from what was signed` : `the first leaf that differs from what was signed is one of leaves ${good}..${end}`;
    findings.add(check, `${where} (signed roots match the first ${good} leaves, not the first ${end + 1})`);
    findings.narrow(good, end);
    return;
  }
}

function checkReceipt(
  note: string,
  k: number,
  ex: PublicExport,
  key: NoteVerifierKey,
  audit: LeafAudit,
  tree: MerkleTree,
  last: Opened | null,
  findings: Findings,
  verify: Ed25519VerifyFn | undefined,
): Receipt | null {
  let r;
  try {
    r = verifyReceipt(note, key, verify);
  } catch (e) {
    findings.add(CHECKS.receipts, `receipt ${k}: ${(e as Error).message}`);
    return null;
  }
  const who = `receipt ${k} (${r.registrationNumber})`;
  const bad = (problem: string, leaf?: number) => findings.add(CHECKS.receipts, `${who}: ${problem}`, leaf);
  if (r.origin !== ex.origin) bad(`origin ${r.origin} is not the log's ${ex.origin}`);
  if (r.sittingId !== ex.sitting.id) bad(`sitting ${r.sittingId} is not ${ex.sitting.id}`);
  const cand = audit.candidates.get(r.registrationNumber);
  if (!cand?.finish || !cand.start) {
    bad('the log has no finish leaf for this candidate');
  } else if (cand.finish.i !== r.leafIndex) {
    bad(`names leaf ${r.leafIndex} but the candidate's finish is leaf ${cand.finish.i}`, r.leafIndex);
  } else {
    const f = cand.finish;
    const onReceipt = new Map(r.scores);
    for (const [section, points] of Object.entries(f.scores)) {
      const given = onReceipt.get(section);
      if (given === undefined) bad(`has no ${section} score, which leaf ${f.i} gives as ${points}`, f.i);
      else if (!samePoints(given, points)) bad(`${section} is ${given} on the receipt but ${points} in leaf ${f.i}`, f.i);
    }
    for (const section of onReceipt.keys()) if (!Object.hasOwn(f.scores, section)) bad(`section ${section} is not in leaf ${f.i}`, f.i);
    if (r.paperHash !== cand.start.paper) bad(`paper ${r.paperHash} but leaf ${cand.start.i} logged ${cand.start.paper}`, cand.start.i);
    const answers = answersHash(cand.finalChoices);
    if (r.answersHash !== answers) bad(`answers ${r.answersHash} but the logged answers hash to ${answers}`, f.i);
  }
  if (r.logSize > tree.size) {
    bad(`its log size ${r.logSize} is beyond the ${tree.size} leaves exported`);
    return r;
  }
  const inclusion = tree.inclusionProof(r.leafIndex, r.logSize);
  if (!verifyInclusion(tree.leaf(r.leafIndex), r.leafIndex, r.logSize, inclusion, r.logRoot)) {
    bad(`leaf ${r.leafIndex} is not included under the receipt's root at size ${r.logSize}: the exported log differs from the one the receipt was issued from`, r.leafIndex);
  }
  if (!last || last.cp.size > tree.size) return r; // reported under signatures or roots
  if (r.logSize > last.cp.size) {
    bad(`its log size ${r.logSize} is beyond the last checkpoint's ${last.cp.size}`);
    return r;
  }
  const consistency = tree.consistencyProof(r.logSize, last.cp.size);
  if (!verifyConsistency(r.logSize, last.cp.size, r.logRoot, last.cp.root, consistency)) {
    bad(`its log (size ${r.logSize}) is not consistent with checkpoint ${last.index} (size ${last.cp.size})`);
  }
  return r;
}
