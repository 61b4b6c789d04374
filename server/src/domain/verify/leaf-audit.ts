import { paperHash, type DealtItem } from './commitments.js';
import { CHECKS, samePoints, type CheckName, type Findings } from './findings.js';
import { parseLeaf, type AnswerLeaf, type FinishLeaf, type Leaf, type SittingOpenLeaf, type StartLeaf } from './leaf.js';
import { leafHashOfText, MerkleTree } from './merkle.js';

/** What an auditor brings: the engine's dealing and scoring over the bank, and the seed to deal from. */
export interface AuditorCallbacks {
  /** the seed papers are dealt from (the revealed seed, mixed with the beacon when there is one) */
  dealSeed: string;
  dealPaper: (seed: string, registrationNumber: string) => readonly DealtItem[];
  scoreItem: (questionId: string, bankOptionIndex: number | null) => number;
}

export interface CandidateRecord {
  reg: string;
  start: StartLeaf | null;
  finish: FinishLeaf | null;
  /** final shown choice per paper position, null for blank */
  finalChoices: (number | null)[];
}

export interface LeafAudit {
  /** null when the caller hashes the leaves elsewhere */
  tree: MerkleTree | null;
  candidates: Map<string, CandidateRecord>;
  sittingOpen: SittingOpenLeaf | null;
  beaconRandomness: string | null;
  beaconSignature: string | null;
  answerCount: number;
}

interface Track extends CandidateRecord {
  lastSeq: number;
  terminated: number;
  /** leaf of the pause in force, or -1 */
  paused: number;
  sums: Map<string, number>;
  /** sum of this item's deltas: the item's points minus a blank's */
  itemPoints: Float64Array;
  itemSection: (string | undefined)[];
  /**
   * Item points when (item, choice) was last chosen and at which leaf, in slot item * 8 + choice
   * (NaN: not yet chosen); choices past 7, which no bank has, go to the map. The same choice must
   * always score the same.
   */
  choicePoints: Float64Array;
  choiceLeaf: Int32Array;
  wideChoices: Map<number, [number, number]>;
  dealt: readonly DealtItem[] | null;
  bankPoints: Float64Array | null;
}

/** "leaf 1234 (answer of 24100017 item 17)": how every message names the leaf it is about. */
function describe(leaf: Leaf, i: number): string {
  if (!('reg' in leaf)) return `leaf ${i} (${leaf.type})`;
  if (leaf.type === 'answer' || leaf.type === 'flag') return `leaf ${i} (${leaf.type} of ${leaf.reg} item ${leaf.item})`;
  return `leaf ${i} (${leaf.type} of ${leaf.reg})`;
}

export interface AuditOptions {
  auditor?: AuditorCallbacks;
  /** build the tree while reading (default); false when another thread hashes the leaves */
  hash?: boolean;
  onProgress?: (leavesDone: number, leavesTotal: number) => void;
}

const PROGRESS_EVERY = 16384;

/**
 * One pass over a sitting's leaves: hashes them into a tree, checks each leaf's form, the
 * sitting's and every candidate's sequence of events, that each finish equals the start's base
 * plus the logged deltas, and, for an auditor, every paper and delta against the bank.
 */
export function auditLeaves(leaves: readonly string[], findings: Findings, { auditor, hash = true, onProgress }: AuditOptions = {}): LeafAudit {
  const tree = hash ? new MerkleTree() : null;
  const tracks = new Map<string, Track>();
  let sittingOpen: SittingOpenLeaf | null = null;
  let sittingStart = -1;
  let sittingClose = -1;
  let beaconRandomness: string | null = null;
  let beaconSignature: string | null = null;
  let answerCount = 0;

  const track = (reg: string): Track => {
    let t = tracks.get(reg);
    if (!t) {
      t = {
        reg,
        start: null,
        finish: null,
        finalChoices: [],
        lastSeq: 0,
        terminated: -1,
        paused: -1,
        sums: new Map(),
        itemPoints: new Float64Array(0),
        itemSection: [],
        choicePoints: new Float64Array(0),
        choiceLeaf: new Int32Array(0),
        wideChoices: new Map(),
        dealt: null,
        bankPoints: null,
      };
      tracks.set(reg, t);
    }
    return t;
  };

  // One reporter for the whole pass, naming whichever leaf is current (no closure per leaf).
  let current: Leaf | null = null;
  let at = 0;
  const bad: Bad = (check, problem, blame = true) => findings.add(check, `${describe(current!, at)}: ${problem}`, blame ? at : undefined);

  for (let i = 0; i < leaves.length; i++) {
    const text = leaves[i];
    // The tree is over the bytes as exported, readable or not.
    tree?.append(leafHashOfText(text));
    if (onProgress && i % PROGRESS_EVERY === 0) onProgress(i, leaves.length);
    const parsed = parseLeaf(text);
    if (!parsed.ok) {
      findings.add(CHECKS.leaves, `leaf ${i} ${parsed.error}`, i);
      continue;
    }
    const leaf = parsed.leaf;
    current = leaf;
    at = i;
    if (leaf.i !== i) findings.add(CHECKS.leaves, `leaf ${i} says it is leaf ${leaf.i}`, i);

    if (i === 0 && leaf.type !== 'sitting-open') bad(CHECKS.sitting, 'the first leaf must be sitting-open');
    if (sittingClose >= 0) bad(CHECKS.sitting, `comes after sitting-close (leaf ${sittingClose})`);
    if (!('reg' in leaf)) {
      if (leaf.type === 'sitting-open') {
        if (i !== 0) bad(CHECKS.sitting, 'sitting-open must be the first leaf');
        else sittingOpen = leaf;
      } else if (leaf.type === 'sitting-start') {
        if (sittingStart >= 0) bad(CHECKS.sitting, `the sitting already started at leaf ${sittingStart}`);
        else {
          sittingStart = i;
          beaconRandomness = leaf.beaconRandomness ?? null;
          beaconSignature = leaf.beaconSignature ?? null;
        }
      } else if (sittingClose < 0) sittingClose = i;
      continue;
    }

    const t = track(leaf.reg);
    if (t.finish && (leaf.type === 'start' || leaf.type === 'answer' || leaf.type === 'flag' || leaf.type === 'terminate' || leaf.type === 'finish')) {
      bad(CHECKS.candidates, `comes after the candidate finished (leaf ${t.finish.i})`);
      continue;
    }
    switch (leaf.type) {
      case 'start': {
        if (t.start) {
          bad(CHECKS.candidates, `the candidate already started at leaf ${t.start.i}`);
          break;
        }
        if (sittingStart < 0) bad(CHECKS.sitting, 'a candidate starts before sitting-start');
        t.start = leaf;
        t.finalChoices = new Array<number | null>(leaf.items).fill(null);
        t.itemPoints = new Float64Array(leaf.items);
        t.itemSection = new Array<string | undefined>(leaf.items);
        t.choicePoints = new Float64Array(leaf.items * 8).fill(NaN);
        t.choiceLeaf = new Int32Array(leaf.items * 8);
        for (const s of Object.keys(leaf.base)) t.sums.set(s, 0);
        if (auditor) auditStart(t, leaf, auditor, bad);
        break;
      }
      case 'answer':
      case 'flag': {
        if (!t.start) {
          bad(CHECKS.candidates, 'the candidate has not started');
          break;
        }
        if (t.terminated >= 0) bad(CHECKS.candidates, `the candidate was terminated at leaf ${t.terminated}`);
        // The engine takes a candidate's events one at a time, so nothing lands between pause and resume.
        if (t.paused >= 0) bad(CHECKS.candidates, `the candidate is paused (since leaf ${t.paused})`);
        if (leaf.seq <= t.lastSeq) bad(CHECKS.candidates, `seq ${leaf.seq} does not follow the candidate's previous seq ${t.lastSeq}`);
        t.lastSeq = Math.max(t.lastSeq, leaf.seq);
        if (leaf.item >= t.start.items) {
          bad(CHECKS.candidates, `the paper has ${t.start.items} items (0 to ${t.start.items - 1})`);
          break;
        }
        if (leaf.type === 'answer') {
          answerCount++;
          scoreAnswer(t, leaf, bad);
          if (auditor) auditAnswer(t, leaf, auditor, bad);
        }
        break;
      }
      case 'terminate':
        if (t.terminated < 0) t.terminated = i;
        break;
      case 'pause':
        if (t.paused < 0) t.paused = i;
        break;
      case 'resume':
        t.paused = -1;
        break;
      case 'finish': {
        if (!t.start) {
          bad(CHECKS.candidates, 'the candidate has not started');
          break;
        }
        t.finish = leaf;
        if ((leaf.reason === 'terminated') !== t.terminated >= 0) {
          bad(CHECKS.candidates, t.terminated >= 0 ? `reason ${leaf.reason}, but the candidate was terminated at leaf ${t.terminated}` : 'reason terminated, but no terminate leaf precedes it');
        }
        checkFinish(t, leaf, bad);
        break;
      }
      default:
        // login, admit, reset-login, extend: recorded, nothing to add up
        break;
    }
  }

  onProgress?.(leaves.length, leaves.length);
  if (sittingClose < 0) findings.add(CHECKS.sitting, 'the log does not end with sitting-close: the sitting is not closed');
  for (const t of tracks.values()) {
    if (t.start && !t.finish) findings.add(CHECKS.candidates, `candidate ${t.reg} started at leaf ${t.start.i} but has no finish leaf`, t.start.i);
  }
  return { tree, candidates: tracks, sittingOpen, beaconRandomness, beaconSignature, answerCount };
}

/** Reports a problem with the current leaf; `blame` false when the leaf only shows a change made elsewhere (a finish whose answers were altered). */
type Bad = (check: CheckName, problem: string, blame?: boolean) => void;

// "Last answer per item wins": each delta is new points minus the item's previous points, so an
// item's deltas add up to its final points (relative to a blank) and a section's to its score.
function scoreAnswer(t: Track, leaf: AnswerLeaf, bad: Bad): void {
  const start = t.start!;
  // hasOwn, not `in`: a section named "toString" must not find Object.prototype.
  if (!Object.hasOwn(start.base, leaf.section)) {
    bad(CHECKS.scores, `section ${leaf.section} is not one of the paper's (${Object.keys(start.base).join(', ')})`);
    return;
  }
  const known = t.itemSection[leaf.item];
  if (known !== undefined && known !== leaf.section) bad(CHECKS.scores, `earlier answers put this item in section ${known}, not ${leaf.section}`);
  t.itemSection[leaf.item] ??= leaf.section;
  const points = t.itemPoints[leaf.item] + leaf.delta;
  t.itemPoints[leaf.item] = points;
  t.sums.set(leaf.section, (t.sums.get(leaf.section) ?? 0) + leaf.delta);
  t.finalChoices[leaf.item] = leaf.choice;
  if (leaf.choice === null) {
    if (!samePoints(points, 0)) bad(CHECKS.scores, `a blank must bring the item back to 0 points over a blank, but its deltas add up to ${points}`);
    return;
  }
  let before: number;
  let beforeLeaf: number;
  if (leaf.choice < 8) {
    const slot = leaf.item * 8 + leaf.choice;
    before = t.choicePoints[slot];
    beforeLeaf = t.choiceLeaf[slot];
    t.choicePoints[slot] = points;
    t.choiceLeaf[slot] = leaf.i;
  } else {
    const key = leaf.item * 64 + leaf.choice;
    [before, beforeLeaf] = t.wideChoices.get(key) ?? [NaN, -1];
    t.wideChoices.set(key, [points, leaf.i]);
  }
  if (!Number.isNaN(before) && !samePoints(before, points)) bad(CHECKS.scores, `choice ${leaf.choice} scored ${before} when chosen at leaf ${beforeLeaf} but ${points} now`);
}

function checkFinish(t: Track, leaf: FinishLeaf, bad: Bad): void {
  const base = t.start!.base;
  const want = Object.keys(base).sort().join(',');
  const got = Object.keys(leaf.scores).sort().join(',');
  if (want !== got) {
    bad(CHECKS.scores, `sections ${got} but the paper has ${want}`);
    return;
  }
  for (const [section, score] of Object.entries(leaf.scores)) {
    const sum = base[section] + (t.sums.get(section) ?? 0);
    // the finish or any of the answers before it may be what changed: the signed roots or the key say which
    if (!samePoints(score, sum)) bad(CHECKS.scores, `${section} is ${score} but the start's base and the logged answers give ${sum}`, false);
  }
}

function auditStart(t: Track, leaf: StartLeaf, auditor: AuditorCallbacks, bad: Bad): void {
  let dealt: readonly DealtItem[];
  try {
    dealt = auditor.dealPaper(auditor.dealSeed, leaf.reg);
  } catch (e) {
    bad(CHECKS.papers, `the paper cannot be dealt: ${(e as Error).message}`);
    return;
  }
  const hash = paperHash(dealt);
  if (hash !== leaf.paper) bad(CHECKS.papers, `paper hash ${leaf.paper} but the seed and bank deal ${hash}`);
  if (dealt.length !== leaf.items) bad(CHECKS.papers, `${leaf.items} items but the dealt paper has ${dealt.length}`);
  const base = new Map<string, number>();
  const bankPoints = new Float64Array(dealt.length);
  try {
    dealt.forEach((item, k) => {
      bankPoints[k] = auditor.scoreItem(item.questionId, null);
      base.set(item.section, (base.get(item.section) ?? 0) + bankPoints[k]);
    });
  } catch (e) {
    bad(CHECKS.papers, `the bank cannot score the dealt paper: ${(e as Error).message}`);
    return;
  }
  for (const [section, points] of base) {
    if (!Object.hasOwn(leaf.base, section) || !samePoints(leaf.base[section], points)) bad(CHECKS.papers, `base ${section} is ${leaf.base[section]} but a blank paper scores ${points}`);
  }
  for (const section of Object.keys(leaf.base)) if (!base.has(section)) bad(CHECKS.papers, `base names section ${section}, which the dealt paper does not have`);
  t.dealt = dealt;
  t.bankPoints = bankPoints;
}

function auditAnswer(t: Track, leaf: AnswerLeaf, auditor: AuditorCallbacks, bad: Bad): void {
  const item = t.dealt?.[leaf.item];
  if (!item || !t.bankPoints) return;
  if (item.section !== leaf.section) bad(CHECKS.papers, `section ${leaf.section} but the dealt item is in ${item.section}`);
  let bankIndex: number | null = null;
  if (leaf.choice !== null) {
    if (leaf.choice >= item.optionOrder.length) {
      bad(CHECKS.deltas, `choice ${leaf.choice} but the item shows ${item.optionOrder.length} options`);
      return;
    }
    bankIndex = item.optionOrder[leaf.choice];
  }
  let points: number;
  try {
    points = auditor.scoreItem(item.questionId, bankIndex);
  } catch (e) {
    bad(CHECKS.deltas, `the bank cannot score the dealt question: ${(e as Error).message}`);
    return;
  }
  const expected = points - t.bankPoints[leaf.item];
  // Track the bank's truth, not the logged delta, so one wrong delta is reported once.
  t.bankPoints[leaf.item] = points;
  if (!samePoints(leaf.delta, expected)) bad(CHECKS.deltas, `delta ${leaf.delta} but the key gives ${expected}`);
}
