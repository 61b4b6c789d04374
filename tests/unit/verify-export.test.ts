import { describe, expect, it } from 'vitest';
import { seedCommitment, bankCommitment } from '../../server/src/domain/verify/commitments.js';
import { fromBase64, toBase64 } from '../../server/src/domain/verify/encoding.js';
import { encodeLeaf, type Leaf } from '../../server/src/domain/verify/leaf.js';
import { leafHashOfText, MerkleTree } from '../../server/src/domain/verify/merkle.js';
import { buildReceiptText, parseReceiptText } from '../../server/src/domain/verify/receipt.js';
import { formatCheckpoint, parseCheckpoint, parseNote } from '../../server/src/domain/verify/signed-note.js';
import type { PublicExport } from '../../server/src/domain/verify/export-format.js';
import { verifyExport, verifyExportAsync, type VerifyReport } from '../../server/src/domain/verify/verify.js';
import { nodeEd25519Verify } from '../helpers/node-ed25519.js';
import { ORIGIN, simulateSitting } from '../helpers/verify-sitting.js';

const sim = simulateSitting({ terminateOne: true, absentOne: true });
const KEY_ID = `${ORIGIN}+${parseNote(sim.exported.checkpoints[0]).signatures[0].keyId.toString(16).padStart(8, '0')}`;
const PUBLIC_CHECKS = ['export format', 'checkpoint signatures', 'leaf format', 'checkpoint roots', 'checkpoint consistency', 'seed commitment', 'sitting events', 'candidate events', 'scores', 'receipts'];
const AUDITOR_CHECKS = ['bank commitment', 'papers', 'answer deltas'];

const copy = (): PublicExport => structuredClone(sim.exported);
const leaves = (ex: PublicExport) => ex.leaves.map((l) => JSON.parse(l) as Leaf);
const find = (ex: PublicExport, pred: (l: Leaf) => boolean) => leaves(ex).findIndex(pred);
const rewrite = (ex: PublicExport, i: number, patch: Record<string, unknown>) => {
  ex.leaves[i] = encodeLeaf({ ...JSON.parse(ex.leaves[i]), ...patch } as Leaf);
};
const audit = (ex: unknown) => verifyExport(ex, { auditor: sim.auditor });
const failed = (r: VerifyReport) => r.checks.filter((c) => !c.ok).map((c) => c.name);
const checkpointAt = (ex: PublicExport, k: number) => parseCheckpoint(parseNote(ex.checkpoints[k]).text);

/** The exact roots message for checkpoint k over the export's (altered) leaves. */
function rootsMessage(ex: PublicExport, k: number, matchedBefore: number): string {
  const cp = checkpointAt(ex, k);
  const actual = new MerkleTree(ex.leaves.map(leafHashOfText)).root(cp.size);
  return `checkpoint ${k} (size ${cp.size}): signed root ${toBase64(cp.root)} but leaves 0..${cp.size - 1} hash to ${toBase64(actual)}: the leaves differ from what was signed somewhere in leaves ${matchedBefore}..${cp.size - 1}`;
}

// A keyed answer that earned 5: the candidate picked the key over a wrong or blank choice.
const original = leaves(sim.exported);
const CORRECT = original.findIndex((l) => l.type === 'answer' && l.section === 'A' && l.delta === 5 && l.choice !== null);
const correct = original[CORRECT] as Extract<Leaf, { type: 'answer' }>;
const finishOf = (reg: string) => original.findIndex((l) => l.type === 'finish' && l.reg === reg);
const receiptIndexOf = (reg: string) => sim.exported.receipts!.findIndex((n) => parseReceiptText(parseNote(n).text).registrationNumber === reg);

describe('verifying a sitting export', () => {
  it('passes every public and auditor check on an honest sitting', () => {
    const r = audit(sim.exported);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.firstBadLeaf).toBeUndefined();
    expect(r.checks.map((c) => c.name)).toEqual([...PUBLIC_CHECKS, ...AUDITOR_CHECKS]);
    expect(r.checks.find((c) => c.name === 'candidate events')!.detail).toBe('5 candidates, 4 started, every one of them finished');
    expect(r.checks.find((c) => c.name === 'checkpoint consistency')!.detail).toBe(`${sim.exported.checkpoints.length - 1} consistency proofs between consecutive checkpoints verify`);
  });

  it('runs the public checks alone, and with node:crypto signatures', () => {
    const r = verifyExport(sim.exported, { verifySignature: nodeEd25519Verify });
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual(PUBLIC_CHECKS);
    const { receipts: _, ...bare } = sim.exported;
    expect(verifyExport(bare).checks.map((c) => c.name)).toEqual(PUBLIC_CHECKS.slice(0, -1));
  });

  it('takes a tree hashed elsewhere, now or later, and reports progress', async () => {
    const n = sim.exported.leaves.length;
    const tree = MerkleTree.ofTexts(sim.exported.leaves);
    expect(audit(sim.exported).ok).toBe(true);
    expect(verifyExport(sim.exported, { tree }).ok).toBe(true);
    // as a worker would hand it over: plain buffers, rebuilt on this side
    const moved = MerkleTree.fromLevels(structuredClone(tree.toLevels()));
    const progress: number[] = [];
    const r = await verifyExportAsync(sim.exported, { auditor: sim.auditor, tree: Promise.resolve(moved), onProgress: (done) => progress.push(done) });
    expect(r.errors).toEqual([]);
    expect(progress).toEqual([0, n]);
    const short = MerkleTree.ofTexts(sim.exported.leaves.slice(1));
    expect((await verifyExportAsync(sim.exported, { tree: short })).errors).toEqual([`the verifier failed unexpectedly: the tree given has ${n - 1} leaves, the export ${n}`]);
  });

  it('survives a JSON round trip of the export', () => {
    expect(audit(JSON.parse(JSON.stringify(sim.exported))).ok).toBe(true);
  });

  it('finds a changed answer choice: the auditor names the leaf, the signed roots name the range', () => {
    expect(CORRECT).toBeGreaterThan(0);
    const ex = copy();
    rewrite(ex, CORRECT, { choice: (correct.choice! + 1) % 5 });
    const r = audit(ex);
    const k = ex.checkpoints.findIndex((_, j) => checkpointAt(ex, j).size > CORRECT);
    expect(r.ok).toBe(false);
    expect(r.firstBadLeaf).toBe(CORRECT);
    expect(r.errors).toContain(`leaf ${CORRECT} (answer of ${correct.reg} item ${correct.item}): delta 5 but the key gives 0`);
    expect(r.errors).toContain(rootsMessage(ex, k, checkpointAt(ex, k - 1).size));
    expect(failed(r)).toEqual(expect.arrayContaining(['checkpoint roots', 'checkpoint consistency', 'receipts', 'answer deltas']));
  });

  it('finds a changed answer even when the operator re-signs every checkpoint: the receipts no longer fit', () => {
    const ex = copy();
    rewrite(ex, CORRECT, { choice: (correct.choice! + 1) % 5 });
    ex.checkpoints = sim.resignCheckpoints(ex);
    const r = verifyExport(ex);
    expect(failed(r)).toEqual(['receipts']);
    const k = receiptIndexOf(correct.reg);
    const receipt = parseReceiptText(parseNote(ex.receipts![k]).text);
    expect(r.errors).toContain(
      `receipt ${k} (${correct.reg}): leaf ${receipt.leafIndex} is not included under the receipt's root at size ${receipt.logSize}: the exported log differs from the one the receipt was issued from`,
    );
    const last = checkpointAt(ex, ex.checkpoints.length - 1);
    expect(r.errors).toContain(`receipt ${k} (${correct.reg}): its log (size ${receipt.logSize}) is not consistent with checkpoint ${ex.checkpoints.length - 1} (size ${last.size})`);
    expect(audit(ex).errors).toContain(`leaf ${CORRECT} (answer of ${correct.reg} item ${correct.item}): delta 5 but the key gives 0`);
  });

  it('finds a changed delta: the finish no longer adds up, and the key disagrees', () => {
    const ex = copy();
    rewrite(ex, CORRECT, { delta: 10 });
    ex.checkpoints = sim.resignCheckpoints(ex);
    const f = finishOf(correct.reg);
    const finish = original[f] as Extract<Leaf, { type: 'finish' }>;
    const r = audit(ex);
    expect(r.errors).toContain(`leaf ${f} (finish of ${correct.reg}): A is ${finish.scores.A} but the start's base and the logged answers give ${finish.scores.A + 5}`);
    expect(r.errors).toContain(`leaf ${CORRECT} (answer of ${correct.reg} item ${correct.item}): delta 10 but the key gives 5`);
    expect(r.firstBadLeaf).toBe(CORRECT);
    expect(failed(r)).toEqual(expect.arrayContaining(['scores', 'receipts', 'answer deltas']));
  });

  it('finds a changed checkpoint root, signed or not', () => {
    const k = 3;
    const cp = checkpointAt(sim.exported, k);
    const forged = formatCheckpoint({ ...cp, root: leafHashOfText('forged') });
    const unsigned = copy();
    unsigned.checkpoints[k] = sim.exported.checkpoints[k].replace(toBase64(cp.root), toBase64(leafHashOfText('forged')));
    expect(verifyExport(unsigned).errors).toEqual([`checkpoint ${k}: signature by ${KEY_ID} does not verify`]);

    const resigned = copy();
    resigned.checkpoints[k] = sim.sign(forged);
    const r = verifyExport(resigned);
    expect(r.errors).toEqual([
      rootsMessage(resigned, k, checkpointAt(resigned, k - 1).size),
      `checkpoint ${k - 1} (size ${checkpointAt(resigned, k - 1).size}) and checkpoint ${k} (size ${cp.size}): the consistency proof built from the exported leaves does not verify`,
      `checkpoint ${k} (size ${cp.size}) and checkpoint ${k + 1} (size ${checkpointAt(resigned, k + 1).size}): the consistency proof built from the exported leaves does not verify`,
    ]);
    expect(r.firstBadLeaf).toBeUndefined();
  });

  it('finds a changed checkpoint signature', () => {
    const ex = copy();
    const note = ex.checkpoints[2];
    const sig = note.slice(note.lastIndexOf(' ') + 1, -1);
    const raw = fromBase64(sig);
    raw[20] ^= 0x40;
    ex.checkpoints[2] = note.replace(sig, toBase64(raw));
    const r = verifyExport(ex);
    expect(r.checks.find((c) => c.name === 'checkpoint signatures')).toEqual({ name: 'checkpoint signatures', ok: false, detail: `checkpoint 2: signature by ${KEY_ID} does not verify` });
    expect(r.errors).toEqual([`checkpoint 2: signature by ${KEY_ID} does not verify`]);
  });

  it('finds a changed receipt score, edited or issued that way', () => {
    const reg = correct.reg;
    const k = receiptIndexOf(reg);
    const receipt = parseReceiptText(parseNote(sim.exported.receipts![k]).text);
    const wrong = receipt.scores.map(([s, p]): [string, number] => [s, s === 'A' ? p + 5 : p]);
    const edited = copy();
    edited.receipts![k] = sim.exported.receipts![k].replace(buildReceiptText(receipt), buildReceiptText({ ...receipt, scores: wrong }));
    expect(verifyExport(edited).errors).toEqual([`receipt ${k}: signature by ${KEY_ID} does not verify`]);

    const issued = copy();
    issued.receipts![k] = sim.sign(buildReceiptText({ ...receipt, scores: wrong }));
    const r = verifyExport(issued);
    const a = receipt.scores.find(([s]) => s === 'A')![1];
    expect(r.errors).toEqual([`receipt ${k} (${reg}): A is ${a + 5} on the receipt but ${a} in leaf ${receipt.leafIndex}`]);
    expect(r.firstBadLeaf).toBe(receipt.leafIndex);
  });

  it('finds a revealed seed that is not the committed one', () => {
    const ex = copy();
    ex.sitting.seed = 'another-seed';
    const r = audit(ex);
    expect(r.errors[0]).toBe(`the revealed seed hashes to ${seedCommitment('another-seed')}, not the committed ${sim.exported.sitting.seedCommitment}`);
    const start = original.findIndex((l) => l.type === 'start');
    expect(r.errors).toContainEqual(expect.stringMatching(new RegExp(`^leaf ${start} \\(start of ${(original[start] as { reg: string }).reg}\\): paper hash [0-9a-f]{64} but the seed and bank deal [0-9a-f]{64}$`)));
    expect(failed(r)).toEqual(expect.arrayContaining(['seed commitment', 'papers']));
  });

  it('finds a bank that is not the committed one', () => {
    const bank = sim.auditor.bank.map((q) => ({ ...q }));
    const q = bank.find((x) => x.id.startsWith('A-')) as { key?: number };
    q.key = ((q.key ?? 0) + 1) % 5;
    const r = verifyExport(sim.exported, { auditor: { ...sim.auditor, bank } });
    expect(r.errors[0]).toBe(`the bank's Merkle root is ${bankCommitment(bank)}, not the committed ${sim.exported.sitting.bankCommitment}`);
    expect(failed(r)).toEqual(['bank commitment']);
  });

  it('finds a termination hidden behind another finish reason', () => {
    const ex = copy();
    const f = find(ex, (l) => l.type === 'finish' && l.reason === 'terminated');
    const t = find(ex, (l) => l.type === 'terminate');
    rewrite(ex, f, { reason: 'time' });
    ex.checkpoints = sim.resignCheckpoints(ex);
    const r = verifyExport(ex);
    expect(r.errors).toContain(`leaf ${f} (finish of ${(original[f] as { reg: string }).reg}): reason time, but the candidate was terminated at leaf ${t}`);
  });

  it('finds leaves that are malformed, out of place or carry bank data', () => {
    const ex = copy();
    ex.leaves[5] = ex.leaves[5].replace(',', ', ');
    const a = find(ex, (l) => l.type === 'answer');
    ex.leaves[a] = ex.leaves[a].replace('"i":', '"questionId":"A-t1-x-000","i":');
    const [x, y] = [find(ex, (l) => l.type === 'flag'), find(ex, (l) => l.type === 'login')];
    [ex.leaves[x], ex.leaves[y]] = [ex.leaves[y], ex.leaves[x]];
    ex.checkpoints = sim.resignCheckpoints(ex);
    const r = verifyExport(ex);
    expect(r.errors.slice(0, 4)).toEqual([
      `leaf ${y} says it is leaf ${x}`,
      'leaf 5 is not in canonical JSON form (sorted keys, no whitespace, shortest numbers)',
      `leaf ${a} (answer): Unrecognized key: "questionId"`,
      `leaf ${x} says it is leaf ${y}`,
    ].sort((m, n) => Number(m.split(' ')[1]) - Number(n.split(' ')[1])));
    expect(r.firstBadLeaf).toBe(Math.min(5, a, y));
  });

  it('finds a truncated log', () => {
    const ex = copy();
    ex.leaves.pop();
    const last = ex.checkpoints.length - 1;
    const r = verifyExport(ex);
    expect(r.errors).toContain(`checkpoint ${last} (size ${ex.leaves.length + 1}) covers more than the ${ex.leaves.length} leaves exported`);
    expect(r.errors).toContain('the log does not end with sitting-close: the sitting is not closed');
  });

  it('reports a malformed export or key without going further', () => {
    expect(verifyExport({ format: 'kaca-export@2' })).toEqual({
      ok: false,
      checks: [{ name: 'export format', ok: false, detail: expect.stringContaining('format: Invalid input: expected "kaca-export@1"') }],
      errors: [expect.stringContaining('format: Invalid input')],
    });
    expect(verifyExport({ ...sim.exported, publicKey: 'nope' }).errors).toEqual(['publicKey: verifier key must be <name>+<key id>+<key>']);
  });
});

describe('what the public can check without the bank', () => {
  type Answer = Extract<Leaf, { type: 'answer' }>;
  // Each answer with the item's points (over a blank) right after it: the running sum of its deltas.
  const answers = (() => {
    const sums = new Map<string, number>();
    return original.flatMap((l, i) => {
      if (l.type !== 'answer') return [];
      const key = `${l.reg}/${l.item}`;
      sums.set(key, (sums.get(key) ?? 0) + l.delta);
      return [{ i, leaf: l as Answer, points: sums.get(key)! }];
    });
  })();
  const resigned = (edit: (ex: PublicExport) => void) => {
    const ex = copy();
    edit(ex);
    ex.checkpoints = sim.resignCheckpoints(ex);
    return verifyExport(ex);
  };

  it('an item must score the same each time the same option is chosen', () => {
    // a later answer on an item, switched back to an earlier choice that scored differently
    const later = answers.find((b) => answers.some((a) => a.i < b.i && a.leaf.reg === b.leaf.reg && a.leaf.item === b.leaf.item && a.leaf.choice !== null && a.points !== b.points))!;
    const earlier = answers.filter((a) => a.i < later.i && a.leaf.reg === later.leaf.reg && a.leaf.item === later.leaf.item && a.leaf.choice !== null && a.points !== later.points).pop()!;
    const r = resigned((ex) => rewrite(ex, later.i, { choice: earlier.leaf.choice }));
    expect(r.errors[0]).toBe(`leaf ${later.i} (answer of ${later.leaf.reg} item ${later.leaf.item}): choice ${earlier.leaf.choice} scored ${earlier.points} when chosen at leaf ${earlier.i} but ${later.points} now`);
    expect(r.firstBadLeaf).toBe(later.i);
  });

  it('a blank must bring an item back to zero', () => {
    const a = answers.find((x) => x.leaf.choice !== null && x.points !== 0)!;
    const r = resigned((ex) => rewrite(ex, a.i, { choice: null }));
    expect(r.errors[0]).toBe(`leaf ${a.i} (answer of ${a.leaf.reg} item ${a.leaf.item}): a blank must bring the item back to 0 points over a blank, but its deltas add up to ${a.points}`);
  });

  it('nothing of a candidate after their finish, nothing out of sequence, nothing while paused', () => {
    const f = original.findIndex((l) => l.type === 'finish');
    const finished = (original[f] as { reg: string }).reg;
    const after = answers.find((a) => a.i > f && a.leaf.reg !== finished)!;
    expect(resigned((ex) => rewrite(ex, after.i, { reg: finished })).errors).toContain(
      `leaf ${after.i} (answer of ${finished} item ${after.leaf.item}): comes after the candidate finished (leaf ${f})`,
    );

    const [a, b] = answers.filter((x) => x.leaf.reg === answers[0].leaf.reg);
    // (the receipts, issued over the original log, fail as well: only the first message is the leaf's)
    expect(resigned((ex) => rewrite(ex, b.i, { seq: a.leaf.seq })).errors[0]).toBe(
      `leaf ${b.i} (answer of ${a.leaf.reg} item ${b.leaf.item}): seq ${a.leaf.seq} does not follow the candidate's previous seq ${a.leaf.seq}`,
    );

    const resume = original.findIndex((l) => l.type === 'resume');
    const pause = original.findIndex((l) => l.type === 'pause');
    const reg = (original[resume] as { reg: string }).reg;
    const next = answers.find((x) => x.i > resume && x.leaf.reg === reg)!;
    const r = resigned((ex) => rewrite(ex, resume, { type: 'reset-login' }));
    expect(r.errors[0]).toBe(`leaf ${next.i} (answer of ${reg} item ${next.leaf.item}): the candidate is paused (since leaf ${pause})`);
  });

  it('every answer belongs to a started paper, within its items and sections', () => {
    const start = original.findIndex((l) => l.type === 'start');
    const s = original[start] as Extract<Leaf, { type: 'start' }>;
    const first = answers.find((a) => a.leaf.reg === s.reg)!;
    expect(resigned((ex) => rewrite(ex, first.i, { item: s.items })).errors).toContain(
      `leaf ${first.i} (answer of ${s.reg} item ${s.items}): the paper has ${s.items} items (0 to ${s.items - 1})`,
    );
    expect(resigned((ex) => rewrite(ex, first.i, { section: 'C' })).errors[0]).toBe(`leaf ${first.i} (answer of ${s.reg} item ${first.leaf.item}): section C is not one of the paper's (A, B)`);
    expect(resigned((ex) => rewrite(ex, start, { reg: '24109999' })).errors).toContain(`leaf ${first.i} (answer of ${s.reg} item ${first.leaf.item}): the candidate has not started`);
  });

  it('the auditor reports a question the bank cannot score', () => {
    const r = verifyExport(sim.exported, {
      auditor: {
        ...sim.auditor,
        scoreItem: (id, index) => {
          if (index !== null && id.startsWith('B-')) throw new Error(`question ${id} is not in the bank`);
          return sim.auditor.scoreItem(id, index);
        },
      },
    });
    const b = answers.find((a) => a.leaf.section === 'B' && a.leaf.choice !== null)!;
    expect(r.errors[0]).toMatch(new RegExp(`^leaf ${b.i} \\(answer of ${b.leaf.reg} item ${b.leaf.item}\\): the bank cannot score the dealt question: question B-w-x-\\d{3} is not in the bank$`));
  });
});

describe('a sitting with public randomness mixed into the seed', () => {
  const beacon = { round: 4_200_000, randomness: 'c'.repeat(64) };
  const mixed = simulateSitting({ beacon, candidates: 3 });

  it('verifies, and the auditor deals from the mixed seed', () => {
    const r = verifyExport(mixed.exported, { auditor: mixed.auditor, checkBeacon: (round, value) => (round === beacon.round && value === beacon.randomness ? null : 'unknown') });
    expect(r.errors).toEqual([]);
    expect(r.checks.find((c) => c.name === 'seed commitment')!.detail).toContain(`mixed with beacon round ${beacon.round}`);
  });

  it('finds randomness that is not the logged one, or not the beacon', () => {
    const ex = structuredClone(mixed.exported);
    ex.sitting.beacon = { ...beacon, randomness: 'd'.repeat(64) };
    const r = verifyExport(ex, { auditor: mixed.auditor, checkBeacon: () => 'the signature of this round does not verify' });
    expect(r.errors).toContain(`sitting-start logged beacon randomness ${'c'.repeat(64)} but the export gives ${'d'.repeat(64)}`);
    expect(r.errors).toContain(`beacon round ${beacon.round}: the signature of this round does not verify`);
    // the auditor deals other papers from the other seed, so their deltas no longer fit either
    expect(failed(r)).toEqual(['seed commitment', 'papers', 'answer deltas']);
  });
});
