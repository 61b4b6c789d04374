/** The running sums behind p and the item-rest r, shared by the batch and live analyses. */
import type { ItemEntry } from './item-analysis.js';

/**
 * Running sums of one item over its viewers: x = item score, t = the viewer's section total.
 * Scores are whole points, so every sum is an exact integer in a double and the live
 * accumulator, which adds and subtracts, ends on the same bits as a batch pass.
 */
export interface ItemSums {
  n: number;
  max: number;
  sx: number;
  sxx: number;
  st: number;
  stt: number;
  sxt: number;
}

export const emptySums = (max: number): ItemSums => ({ n: 0, max, sx: 0, sxx: 0, st: 0, stt: 0, sxt: 0 });

export function addToSums(s: ItemSums, x: number, t: number, sign: 1 | -1): void {
  s.n += sign;
  s.sx += sign * x;
  s.sxx += sign * x * x;
  s.st += sign * t;
  s.stt += sign * t * t;
  s.sxt += sign * x * t;
}

export interface LiveItemFigures {
  n: number;
  facility: number | null;
  rItemRest: number | null;
}

/** p and the item-rest r from the sums alone, with R = t - x expanded so no pass is needed. */
export function figuresFromSums(s: ItemSums): LiveItemFigures {
  if (s.n === 0) return { n: 0, facility: null, rItemRest: null };
  const sr = s.st - s.sx;
  const srr = s.stt - 2 * s.sxt + s.sxx;
  const sxr = s.sxt - s.sxx;
  const vx = s.n * s.sxx - s.sx * s.sx;
  const vr = s.n * srr - sr * sr;
  const cov = s.n * sxr - s.sx * sr;
  return { n: s.n, facility: s.sx / (s.n * s.max), rItemRest: vx > 0 && vr > 0 ? cov / Math.sqrt(vx * vr) : null };
}

export function checkEntry(questionId: string, e: ItemEntry): void {
  const ok =
    Number.isFinite(e.score) &&
    Number.isFinite(e.max) &&
    e.max > 0 &&
    (e.option === null || (Number.isInteger(e.option) && e.option >= 0)) &&
    (e.timeMs === undefined || (Number.isFinite(e.timeMs) && e.timeMs >= 0));
  if (!ok) throw new Error(`item ${questionId}: invalid entry ${JSON.stringify(e)}`);
}

export function sumsFor(items: Map<string, ItemSums>, questionId: string, max: number): ItemSums {
  let s = items.get(questionId);
  if (!s) items.set(questionId, (s = emptySums(max)));
  else if (s.n > 0 && s.max !== max) throw new Error(`item ${questionId} has max ${s.max} on one paper and ${max} on another`);
  else s.max = max;
  return s;
}

