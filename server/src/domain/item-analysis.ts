/**
 * Classical item analysis of one section of a sitting (issue 17). Papers are dealt per
 * candidate from a larger bank, so the response matrix is sparse: every figure of an item is
 * taken over the candidates whose paper held it, and every total is a candidate's total on
 * their own paper. Formulas and their reasons: docs/analysis.md.
 */

import { addToSums, checkEntry, figuresFromSums, sumsFor, type ItemSums } from './item-sums.js';

export type CandidateId = string | number;
export type SectionKind = 'keyed' | 'weighted';

/** One candidate's final state on one item of their paper. */
export interface ItemEntry {
  /** bank index of the chosen option (the same on every paper, whatever the shuffle); null = blank */
  option: number | null;
  /** points earned: keyed 0 or the item's max (5 under SKD), weighted the option's weight, blank 0 */
  score: number;
  /** the item's max points; the same for every candidate who saw the item */
  max: number;
  /** time spent on the item, summed over visits */
  timeMs?: number;
}

export interface CandidateResponses {
  candidateId: CandidateId;
  /** questionId -> entry for EVERY item of this section on the paper, blanks included */
  entries: ReadonlyMap<string, ItemEntry>;
}

/** What the bank knows about an item; without it, both are inferred from the entries. */
export interface ItemMeta {
  optionCount: number;
  /** keyed items: bank index of the key */
  key?: number;
}

export interface SectionMatrix {
  section: string;
  kind: SectionKind;
  candidates: readonly CandidateResponses[];
  items?: ReadonlyMap<string, ItemMeta>;
}

export interface AnalysisOptions {
  /** share of an item's viewers in each of the upper and lower groups (Kelley: 0.27) */
  groupFraction?: number;
  /** flag items whose facility is below this */
  hardBelow?: number;
  /** flag items whose facility is above this */
  easyAbove?: number;
  /** width of the histogram bins of section totals; default the largest item max */
  binWidth?: number;
}

export type ItemFlag = 'negative-discrimination' | 'distractor-beats-key' | 'very-hard' | 'very-easy';

export interface Shares {
  /** share of all viewers of the item */
  all: number;
  /** share of the upper group; null when the item has fewer than 2 viewers */
  upper: number | null;
  lower: number | null;
}

export interface OptionStats extends Shares {
  option: number;
  /** keyed: this is the key; weighted: this option is worth the item's max */
  isKey: boolean;
  /** points this option earned whoever chose it; null if nobody did */
  points: number | null;
}

export interface TimeStats {
  n: number;
  meanMs: number;
  medianMs: number;
}

export interface ItemStats {
  questionId: string;
  /** candidates whose paper held the item */
  n: number;
  max: number;
  meanScore: number;
  /** facility p: mean of score / max */
  facility: number;
  /**
   * Corrected item-total correlation: Pearson r between the item score and the rest score (the
   * candidate's section total minus this item). On a 0/1 item this is the corrected
   * point-biserial. Null when either side has no variance.
   */
  rItemRest: number | null;
  /** size of each of the upper and lower groups */
  groupSize: number;
  options: OptionStats[];
  blank: Shares;
  time: TimeStats | null;
  flags: ItemFlag[];
}

export interface Reliability {
  /** KR-20 for keyed sections, Cronbach's alpha for weighted ones (the same formula on points) */
  method: 'KR-20' | 'alpha';
  /** k/(k-1) * (1 - itemVarianceSum / totalVariance): consistency of a paper as dealt */
  value: number | null;
  /** like value, but differences in difficulty between papers count as error */
  acrossPapers: number | null;
  /** items per paper (mean over candidates) */
  k: number;
  /** mean over candidates of the sum of the variances of the items on their paper */
  itemVarianceSum: number;
  totalVariance: number;
  /** variance of the papers' expected totals (sum of item means), from papers differing */
  formVariance: number;
}

export interface HistogramBin {
  from: number;
  /** exclusive */
  to: number;
  count: number;
}

export interface TotalsSummary {
  mean: number;
  /** population standard deviation */
  sd: number;
  min: number;
  max: number;
  binWidth: number;
  bins: HistogramBin[];
}

export interface SectionAnalysis {
  section: string;
  kind: SectionKind;
  candidates: number;
  reliability: Reliability;
  totals: TotalsSummary;
  /** by questionId */
  items: ItemStats[];
}

const rowTotal = (entries: ReadonlyMap<string, ItemEntry>) => {
  let t = 0;
  for (const e of entries.values()) t += e.score;
  return t;
};

/** Batch analysis of one section after (or during) a sitting. */
export function analyseSection(matrix: SectionMatrix, options: AnalysisOptions = {}): SectionAnalysis {
  const sums = new Map<string, ItemSums>();
  const seen = new Set<CandidateId>();
  for (const c of matrix.candidates) {
    if (seen.has(c.candidateId)) throw new Error(`candidate ${c.candidateId} appears twice in section ${matrix.section}`);
    seen.add(c.candidateId);
    const t = rowTotal(c.entries);
    for (const [q, e] of c.entries) {
      checkEntry(q, e);
      addToSums(sumsFor(sums, q, e.max), e.score, t, 1);
    }
  }
  return finishSection(matrix.section, matrix.kind, matrix.items, sums, matrix.candidates.map((c) => c.entries), options);
}

interface Viewers {
  totals: number[];
  options: (number | null)[];
  times: number[];
  /** points seen per chosen option */
  points: Map<number, number>;
}

/**
 * Everything past the running sums: groups, shares, times, flags, reliability, histogram.
 * Shared by the batch function and the live accumulator's snapshot.
 */
export function finishSection(
  section: string,
  kind: SectionKind,
  meta: ReadonlyMap<string, ItemMeta> | undefined,
  sums: ReadonlyMap<string, ItemSums>,
  rows: Iterable<ReadonlyMap<string, ItemEntry>>,
  options: AnalysisOptions = {},
): SectionAnalysis {
  const { groupFraction = 0.27, hardBelow = 0.1, easyAbove = 0.95 } = options;
  if (!(groupFraction > 0 && groupFraction <= 0.5)) throw new Error(`groupFraction must be in (0, 0.5], got ${groupFraction}`);
  const viewers = new Map<string, Viewers>();
  const totals: number[] = [];
  const papers = [...rows].filter((entries) => entries.size > 0);
  let maxPossible = 0;
  for (const entries of papers) {
    const t = rowTotal(entries);
    totals.push(t);
    let paperMax = 0;
    for (const e of entries.values()) paperMax += e.max;
    if (paperMax > maxPossible) maxPossible = paperMax;
    for (const [q, e] of entries) {
      let v = viewers.get(q);
      if (!v) viewers.set(q, (v = { totals: [], options: [], times: [], points: new Map() }));
      v.totals.push(t);
      v.options.push(e.option);
      if (e.timeMs !== undefined) v.times.push(e.timeMs);
      if (e.option !== null && !v.points.has(e.option)) v.points.set(e.option, e.score);
    }
  }
  const ids = [...viewers.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const items = ids.map((q) => itemStats(q, kind, sums.get(q)!, viewers.get(q)!, meta?.get(q), groupFraction, hardBelow, easyAbove));
  const maxItem = Math.max(1, ...ids.map((q) => sums.get(q)!.max));
  return {
    section,
    kind,
    candidates: totals.length,
    reliability: reliability(kind, new Map(ids.map((q) => [q, sums.get(q)!])), papers, totals),
    totals: summarizeTotals(totals, options.binWidth ?? maxItem, maxPossible),
    items,
  };
}

function itemStats(
  questionId: string,
  kind: SectionKind,
  s: ItemSums,
  v: Viewers,
  meta: ItemMeta | undefined,
  groupFraction: number,
  hardBelow: number,
  easyAbove: number,
): ItemStats {
  const n = s.n;
  const fig = figuresFromSums(s);
  let key = meta?.key;
  if (key === undefined) for (const [o, pts] of v.points) if (pts === s.max && (key === undefined || o < key)) key = o;
  let optionCount = Math.max(meta?.optionCount ?? 0, key === undefined ? 0 : key + 1);
  for (const o of v.options) if (o !== null && o >= optionCount) optionCount = o + 1;

  // Kelley's groups within the item's own viewers, by section total. Candidates tied at a cut
  // share the places left there, so the shares do not depend on input order; each share is
  // counted in whole numbers and divided once, so it does not depend on summation order either.
  const g = Math.min(Math.floor(n / 2), Math.max(1, Math.round(groupFraction * n)));
  const sorted = Float64Array.from(v.totals).sort();
  const upper = g > 0 ? groupCut(v.totals, sorted[n - g], g, 1) : null;
  const lower = g > 0 ? groupCut(v.totals, sorted[g - 1], g, -1) : null;
  const slots = optionCount + 1;
  const all = new Int32Array(slots);
  // [full members, members tied at the cut] per option, for each group
  const up = new Int32Array(2 * slots);
  const low = new Int32Array(2 * slots);
  v.options.forEach((o, i) => {
    const b = o === null ? optionCount : o;
    all[b]++;
    if (upper) count(upper, v.totals[i], b, up);
    if (lower) count(lower, v.totals[i], b, low);
  });
  const share = (cut: GroupCut | null, counts: Int32Array, b: number) =>
    cut ? (counts[2 * b] * cut.tied + counts[2 * b + 1] * cut.left) / (g * cut.tied) : null;
  const shares = (b: number): Shares => ({ all: all[b] / n, upper: share(upper, up, b), lower: share(lower, low, b) });
  const opts: OptionStats[] = [];
  for (let o = 0; o < optionCount; o++) opts.push({ option: o, isKey: o === key, points: v.points.get(o) ?? null, ...shares(o) });

  const flags: ItemFlag[] = [];
  if (fig.rItemRest !== null && fig.rItemRest < 0) flags.push('negative-discrimination');
  if (kind === 'keyed' && key !== undefined && g > 0 && opts.some((o) => o.option !== key && o.upper! > opts[key!].upper!)) flags.push('distractor-beats-key');
  if (fig.facility! < hardBelow) flags.push('very-hard');
  if (fig.facility! > easyAbove) flags.push('very-easy');
  return {
    questionId,
    n,
    max: s.max,
    meanScore: s.sx / n,
    facility: fig.facility!,
    rItemRest: fig.rItemRest,
    groupSize: g,
    options: opts,
    blank: shares(optionCount),
    time: timeStats(v.times),
    flags,
  };
}

/** One of Kelley's groups: everyone beyond `cut`, and `left` places shared by the `tied` on it. */
interface GroupCut {
  cut: number;
  side: 1 | -1;
  tied: number;
  left: number;
}

function groupCut(totals: readonly number[], cut: number, g: number, side: 1 | -1): GroupCut {
  let beyond = 0;
  let tied = 0;
  for (const t of totals) {
    if (t === cut) tied++;
    else if ((t - cut) * side > 0) beyond++;
  }
  return { cut, side, tied, left: g - beyond };
}

function count(group: GroupCut, total: number, slot: number, counts: Int32Array): void {
  if (total === group.cut) counts[2 * slot + 1]++;
  else if ((total - group.cut) * group.side > 0) counts[2 * slot]++;
}

function timeStats(times: number[]): TimeStats | null {
  if (times.length === 0) return null;
  const sorted = Float64Array.from(times).sort();
  const mid = sorted.length >> 1;
  let sum = 0;
  for (const t of sorted) sum += t;
  return {
    n: sorted.length,
    meanMs: sum / sorted.length,
    medianMs: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
  };
}

const variance = (n: number, s: number, ss: number) => (n > 0 ? (n * ss - s * s) / (n * n) : 0);

/**
 * The sparse design: each candidate's total is a sum over the k items of their own paper, so
 * the sum of item variances is averaged over the papers as dealt, sum_c sum_{i in c} s_i^2 / N,
 * which is sum_i n_i s_i^2 / N. On a complete matrix this is the textbook KR-20 / alpha.
 */
function reliability(kind: SectionKind, sums: ReadonlyMap<string, ItemSums>, papers: readonly ReadonlyMap<string, ItemEntry>[], totals: readonly number[]): Reliability {
  const N = totals.length;
  let exposures = 0;
  let weighted = 0;
  for (const s of sums.values()) {
    exposures += s.n;
    weighted += s.n * variance(s.n, s.sx, s.sxx);
  }
  let st = 0;
  let stt = 0;
  for (const t of totals) {
    st += t;
    stt += t * t;
  }
  const k = N > 0 ? exposures / N : 0;
  const itemVarianceSum = N > 0 ? weighted / N : 0;
  const totalVariance = variance(N, st, stt);
  // Expected total of each paper from the item means; two passes, as these are not integers.
  const expected = papers.map((entries) => {
    let e = 0;
    for (const q of entries.keys()) {
      const s = sums.get(q)!;
      e += s.sx / s.n;
    }
    return e;
  });
  const meanExpected = expected.reduce((a, b) => a + b, 0) / Math.max(1, N);
  const formVariance = N > 0 ? expected.reduce((a, e) => a + (e - meanExpected) ** 2, 0) / N : 0;
  const alphaOf = (v: number) => (k > 1 && v > 0 ? (k / (k - 1)) * (1 - itemVarianceSum / v) : null);
  const value = alphaOf(totalVariance);
  // Take out the spread of paper difficulty, take alpha of what is left (as if one paper),
  // then count that spread as error: true variance over all the variance of the totals.
  const fixed = alphaOf(totalVariance - formVariance);
  const acrossPapers = fixed === null ? null : (fixed * (totalVariance - formVariance)) / totalVariance;
  return { method: kind === 'keyed' ? 'KR-20' : 'alpha', value, acrossPapers, k, itemVarianceSum, totalVariance, formVariance };
}

/** Bins span 0 (or the lowest total) to the paper's maximum, so charts of sittings line up. */
function summarizeTotals(totals: readonly number[], binWidth: number, maxPossible: number): TotalsSummary {
  if (!(binWidth > 0)) throw new Error(`histogram bin width must be > 0, got ${binWidth}`);
  if (totals.length === 0) return { mean: 0, sd: 0, min: 0, max: 0, binWidth, bins: [] };
  let min = Infinity;
  let max = -Infinity;
  let s = 0;
  let ss = 0;
  for (const t of totals) {
    if (t < min) min = t;
    if (t > max) max = t;
    s += t;
    ss += t * t;
  }
  const from = Math.min(0, Math.floor(min / binWidth) * binWidth);
  const count = Math.floor((Math.max(max, maxPossible) - from) / binWidth) + 1;
  const bins: HistogramBin[] = [];
  for (let i = 0; i < count; i++) bins.push({ from: from + i * binWidth, to: from + (i + 1) * binWidth, count: 0 });
  for (const t of totals) bins[Math.floor((t - from) / binWidth)].count++;
  return { mean: s / totals.length, sd: Math.sqrt(variance(totals.length, s, ss)), min, max, binWidth, bins };
}
