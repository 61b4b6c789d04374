/**
 * Answer-similarity flags after a sitting closes (issue 17): for every pair of candidates in a
 * room, how many identical wrong answers they share and how unlikely that many would be if they
 * had worked independently, by a K-index adapted to per-candidate papers. A flag is a reason to
 * look at a pair (seats, times, the proctor's report), never proof of copying: see
 * docs/analysis.md. Results are for the proctor and the committee only, never the public board.
 */
import { binomialUpperTail } from './binomial.js';
import type { CandidateId } from './item-analysis.js';

export interface SimilarityAnswer {
  /** bank index of the chosen option (canonical across shuffles); null = blank */
  option: number | null;
  correct: boolean;
  /** when the final choice was made, in ms on one clock for everyone (the server's) */
  answeredAt?: number;
}

export interface SimilarityCandidate {
  id: CandidateId;
  room: string;
  seat?: string | number;
  /** with column: seats at most one row and one column apart are adjacent */
  row?: number;
  column?: number;
  /** questionId -> final answer, for every item on the paper (blanks included) */
  answers: ReadonlyMap<string, SimilarityAnswer>;
}

export interface SimilarityOptions {
  /** per-pair false-positive rate to flag at */
  alpha?: number;
  /** 'bonferroni' divides alpha by the number of pairs tested (sitting-wide error rate) */
  correction?: 'none' | 'bonferroni';
  /** fewest other candidates in the copier's band of wrong-answer counts */
  minBand?: number;
  /** pseudo-count pulling a band's option share toward the share among everyone */
  priorWeight?: number;
  /**
   * compare pairs only within these rooms; every candidate passed still informs the chance of a
   * match (one room of 40 is too few to estimate it from: pass the other rooms of the same bank)
   */
  rooms?: ReadonlySet<string>;
}

/** The K-index of one direction: `copier` matching the wrong answers of `source`. */
export interface DirectedIndex {
  source: CandidateId;
  copier: CandidateId;
  /** source's wrong answers on the shared items: the binomial's trials */
  sourceWrong: number;
  /** of those, how many the copier answered with the same option */
  matches: number;
  /** chance that an independent candidate of the copier's band matches one of them */
  p: number;
  expected: number;
  /** P(matches or more | independence) */
  probability: number;
  log10Probability: number;
}

export interface PairResult {
  room: string;
  a: CandidateId;
  b: CandidateId;
  adjacent: boolean;
  /** Chebyshev distance by row/column, else |seat difference| for numbered seats; null if unknown */
  seatDistance: number | null;
  shared: number;
  identicalAnswers: number;
  identicalWrong: number;
  bothBlank: number;
  aToB: DirectedIndex;
  bToA: DirectedIndex;
  /** min(1, 2 x the smaller directed probability): both directions were tried */
  probability: number;
  flagged: boolean;
}

export interface SharedWrongAnswer {
  questionId: string;
  option: number;
  aAnsweredAt: number | null;
  bAnsweredAt: number | null;
  /** b minus a; positive when b answered later */
  lagMs: number | null;
}

/**
 * The index cannot say who copied from whom (the direction with the smaller probability can
 * point the wrong way); the answer times of the shared wrong answers are the better hint.
 */
export interface FlaggedPair extends PairResult {
  evidence: SharedWrongAnswer[];
  /** identical wrong answers that a gave after b did, and b after a */
  aLater: number;
  bLater: number;
}

export interface SimilarityReport {
  alpha: number;
  correction: 'none' | 'bonferroni';
  /** the per-pair probability at or below which a pair is flagged */
  threshold: number;
  pairsTested: number;
  /** adjacent pairs first, then by probability */
  pairs: PairResult[];
  flagged: FlaggedPair[];
}

/** A candidate's paper as sorted item indices with parallel answer arrays. */
interface Paper {
  c: SimilarityCandidate;
  items: Int32Array;
  option: Int16Array; // -1 = blank
  wrong: Uint8Array;
  at: Float64Array; // NaN = unknown
  wrongCount: number;
  /** band of wrong-answer counts the K-index compares this candidate with */
  bandLo: number;
  bandHi: number;
  /** per item of the paper: where the band starts and ends among that item's sorted viewers */
  viewLo: Int32Array;
  viewHi: Int32Array;
}

/** Viewers of one item, sorted by their wrong-answer count, with running counts per option. */
interface ItemView {
  w: Int32Array;
  slots: number;
  /** prefix[(pos) * slots + option] = viewers before pos who chose option */
  prefix: Int32Array;
}

/**
 * Compares every pair of candidates within each room. Pass the whole sitting: the chance of a
 * match is estimated from every candidate, in any room. Best on keyed items only.
 */
export function analyseSimilarity(candidates: readonly SimilarityCandidate[], options: SimilarityOptions = {}): SimilarityReport {
  const { alpha = 0.001, correction = 'none', minBand = 50, priorWeight = 1 } = options;
  if (!(alpha > 0 && alpha < 1) || !(minBand >= 0) || !(priorWeight >= 0)) throw new Error(`similarity options out of range: ${JSON.stringify(options)}`);
  const { papers, ids, views } = prepare(candidates, minBand);

  const rooms = new Map<string, Paper[]>();
  for (const p of papers) {
    if (options.rooms && !options.rooms.has(p.c.room)) continue;
    let list = rooms.get(p.c.room);
    if (!list) rooms.set(p.c.room, (list = []));
    list.push(p);
  }
  let pairsTested = 0;
  for (const list of rooms.values()) pairsTested += (list.length * (list.length - 1)) / 2;
  const threshold = correction === 'bonferroni' && pairsTested > 0 ? alpha / pairsTested : alpha;

  const pairs: PairResult[] = [];
  const flagged: FlaggedPair[] = [];
  for (const list of rooms.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const pair = comparePair(list[i], list[j], views, priorWeight);
        pair.flagged = pair.probability <= threshold;
        pairs.push(pair);
        if (pair.flagged) flagged.push(withEvidence(pair, list[i], list[j], ids));
      }
    }
  }
  pairs.sort(outputOrder);
  flagged.sort(outputOrder);
  return { alpha, correction, threshold, pairsTested, pairs, flagged };
}

function outputOrder(x: PairResult, y: PairResult): number {
  if (x.adjacent !== y.adjacent) return x.adjacent ? -1 : 1;
  if (x.probability !== y.probability) return x.probability - y.probability;
  return compareText(x.room, y.room) || compareText(String(x.a), String(y.a)) || compareText(String(x.b), String(y.b));
}

const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function prepare(candidates: readonly SimilarityCandidate[], minBand: number) {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const seen = new Set<CandidateId>();
  const papers: Paper[] = candidates.map((c) => {
    if (seen.has(c.id)) throw new Error(`candidate ${c.id} appears twice`);
    seen.add(c.id);
    const answers: SimilarityAnswer[] = [];
    // item index * 2^16 + position: a plain numeric sort orders the paper by item index
    const packed = new Float64Array(c.answers.size);
    for (const [q, a] of c.answers) {
      if (a.option !== null && !(Number.isInteger(a.option) && a.option >= 0 && a.option < 0x7fff)) throw new Error(`candidate ${c.id}, item ${q}: invalid option ${a.option}`);
      let i = index.get(q);
      if (i === undefined) {
        index.set(q, (i = ids.length));
        ids.push(q);
      }
      packed[answers.length] = i * 65536 + answers.length;
      answers.push(a);
    }
    packed.sort();
    const k = answers.length;
    const p: Paper = {
      c,
      items: new Int32Array(k),
      option: new Int16Array(k),
      wrong: new Uint8Array(k),
      at: new Float64Array(k),
      wrongCount: 0,
      bandLo: 0,
      bandHi: 0,
      viewLo: new Int32Array(k),
      viewHi: new Int32Array(k),
    };
    packed.forEach((v, j) => {
      const a = answers[v % 65536];
      p.items[j] = Math.floor(v / 65536);
      p.option[j] = a.option ?? -1;
      p.wrong[j] = a.option !== null && !a.correct ? 1 : 0;
      p.at[j] = a.answeredAt ?? NaN;
      p.wrongCount += p.wrong[j];
    });
    return p;
  });

  // Bands: the copier's own wrong-answer count widened symmetrically until it holds minBand
  // other candidates (Holland groups by the exact count; a sitting is too small for that).
  let maxW = 0;
  for (const p of papers) maxW = Math.max(maxW, p.wrongCount);
  const cum = new Int32Array(maxW + 2);
  for (const p of papers) cum[p.wrongCount + 1]++;
  for (let w = 1; w < cum.length; w++) cum[w] += cum[w - 1];
  const inBand = (lo: number, hi: number) => cum[Math.min(hi, maxW) + 1] - cum[Math.max(lo, 0)];
  for (const p of papers) {
    let h = 0;
    while (inBand(p.wrongCount - h, p.wrongCount + h) - 1 < minBand && (p.wrongCount - h > 0 || p.wrongCount + h < maxW)) h++;
    p.bandLo = p.wrongCount - h;
    p.bandHi = p.wrongCount + h;
  }

  // Visiting candidates in order of wrong-answer count fills every item's viewers already sorted.
  const ws: number[][] = ids.map(() => []);
  const chosen: number[][] = ids.map(() => []);
  for (const p of [...papers].sort((x, y) => x.wrongCount - y.wrongCount)) {
    p.items.forEach((i, k) => {
      ws[i].push(p.wrongCount);
      chosen[i].push(p.option[k]);
    });
  }
  const views: ItemView[] = ids.map((_, i) => {
    const options = chosen[i];
    let slots = 1;
    for (const o of options) if (o + 1 > slots) slots = o + 1;
    const prefix = new Int32Array((options.length + 1) * slots);
    options.forEach((o, pos) => {
      const from = pos * slots;
      for (let s = 0; s < slots; s++) prefix[from + slots + s] = prefix[from + s];
      if (o >= 0) prefix[from + slots + o]++;
    });
    return { w: Int32Array.from(ws[i]), slots, prefix };
  });
  for (const p of papers) {
    p.items.forEach((i, k) => {
      p.viewLo[k] = lowerBound(views[i].w, p.bandLo);
      p.viewHi[k] = lowerBound(views[i].w, p.bandHi + 1);
    });
  }
  return { papers, ids, views };
}

/** First position in the sorted array whose value is >= x. */
function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Chance that an independent candidate from the copier's band picks `option` on the item; `lo`
 * and `hi` bound the band among the item's viewers. The source and the copier are left out of
 * every count: the question is what others did.
 */
function matchChance(view: ItemView, option: number, lo: number, hi: number, sourceIn: number, copierOption: number, prior: number): number {
  const { prefix, slots } = view;
  const n = view.w.length;
  const copierPicked = copierOption === option ? 1 : 0;
  const othersAll = n - 2;
  // the share among everyone else, itself pulled by one pseudo-viewer toward an even spread, so an
  // option nobody else chose still has a chance: a match on it is unlikely, never impossible
  const othersPicked = othersAll > 0 ? prefix[n * slots + option] - 1 - copierPicked : 0;
  const overall = (othersPicked + 1 / slots) / (Math.max(0, othersAll) + 1);
  const inBand = hi - lo - 1 - sourceIn;
  const picked = prefix[hi * slots + option] - prefix[lo * slots + option] - copierPicked - sourceIn;
  return inBand + prior > 0 ? (picked + prior * overall) / (inBand + prior) : overall;
}

const bandHolds = (band: Paper, other: Paper) => (other.wrongCount >= band.bandLo && other.wrongCount <= band.bandHi ? 1 : 0);

function comparePair(a: Paper, b: Paper, views: readonly ItemView[], prior: number): PairResult {
  let shared = 0;
  let identicalAnswers = 0;
  let identicalWrong = 0;
  let bothBlank = 0;
  let aWrong = 0;
  let bWrong = 0;
  let aChance = 0;
  let bChance = 0;
  const aInBandOfB = bandHolds(b, a);
  const bInBandOfA = bandHolds(a, b);
  for (let x = 0, y = 0; x < a.items.length && y < b.items.length; ) {
    const ia = a.items[x];
    const ib = b.items[y];
    if (ia < ib) x++;
    else if (ib < ia) y++;
    else {
      shared++;
      const oa = a.option[x];
      const ob = b.option[y];
      if (oa >= 0 && oa === ob) {
        identicalAnswers++;
        if (a.wrong[x] && b.wrong[y]) identicalWrong++;
      } else if (oa < 0 && ob < 0) bothBlank++;
      if (a.wrong[x]) {
        aWrong++;
        aChance += matchChance(views[ia], oa, b.viewLo[y], b.viewHi[y], aInBandOfB, ob, prior);
      }
      if (b.wrong[y]) {
        bWrong++;
        bChance += matchChance(views[ib], ob, a.viewLo[x], a.viewHi[x], bInBandOfA, oa, prior);
      }
      x++;
      y++;
    }
  }
  const aToB = directed(a, b, aWrong, identicalWrong, aChance);
  const bToA = directed(b, a, bWrong, identicalWrong, bChance);
  return {
    room: a.c.room,
    a: a.c.id,
    b: b.c.id,
    ...seatRelation(a.c, b.c),
    shared,
    identicalAnswers,
    identicalWrong,
    bothBlank,
    aToB,
    bToA,
    probability: Math.min(1, 2 * Math.min(aToB.probability, bToA.probability)),
    flagged: false,
  };
}

/** Holland's K-index on the shared items: matches ~ Binomial(source's wrong answers, mean chance). */
function directed(source: Paper, copier: Paper, trials: number, matches: number, chanceSum: number): DirectedIndex {
  const p = trials > 0 ? Math.min(1, Math.max(0, chanceSum / trials)) : 0;
  const tail = trials > 0 ? binomialUpperTail(trials, matches, p) : { probability: 1, log10: 0 };
  return { source: source.c.id, copier: copier.c.id, sourceWrong: trials, matches, p, expected: trials * p, probability: tail.probability, log10Probability: tail.log10 };
}

function seatRelation(a: SimilarityCandidate, b: SimilarityCandidate): { adjacent: boolean; seatDistance: number | null } {
  let d: number | null = null;
  if (a.row !== undefined && a.column !== undefined && b.row !== undefined && b.column !== undefined) {
    d = Math.max(Math.abs(a.row - b.row), Math.abs(a.column - b.column));
  } else if (typeof a.seat === 'number' && typeof b.seat === 'number') d = Math.abs(a.seat - b.seat);
  return { adjacent: d === 1, seatDistance: d };
}

function withEvidence(pair: PairResult, a: Paper, b: Paper, ids: readonly string[]): FlaggedPair {
  const evidence: SharedWrongAnswer[] = [];
  let aLater = 0;
  let bLater = 0;
  for (let x = 0, y = 0; x < a.items.length && y < b.items.length; ) {
    if (a.items[x] < b.items[y]) x++;
    else if (b.items[y] < a.items[x]) y++;
    else {
      if (a.wrong[x] && b.wrong[y] && a.option[x] === b.option[y]) {
        const aAt = Number.isNaN(a.at[x]) ? null : a.at[x];
        const bAt = Number.isNaN(b.at[y]) ? null : b.at[y];
        const lagMs = aAt !== null && bAt !== null ? bAt - aAt : null;
        if (lagMs !== null && lagMs > 0) bLater++;
        if (lagMs !== null && lagMs < 0) aLater++;
        evidence.push({ questionId: ids[a.items[x]], option: a.option[x], aAnsweredAt: aAt, bAnsweredAt: bAt, lagMs });
      }
      x++;
      y++;
    }
  }
  return { ...pair, evidence, aLater, bLater };
}
