/**
 * Near-duplicate questions in a bank: the same question entered twice under two ids ends up
 * twice on one paper. Detection is by hashing normalized text, so a 10,000-question bank costs
 * one pass and a Map, never a comparison of every pair.
 */

export interface DuplicateCandidate {
  index: number;
  id: string;
  stem: string;
  options: string[];
}

export type NearDuplicateKind = 'same-stem-same-options' | 'same-stem' | 'similar';

export interface NearDuplicateGroup {
  kind: NearDuplicateKind;
  /** members in bank order */
  members: { index: number; id: string }[];
  /** same-stem groups whose options only partly agree: the members that share them */
  sameOptions?: { index: number; id: string }[][];
  /** similar pairs: the share of word triples (stem and options) they have in common */
  similarity?: number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

function entity(name: string): string {
  if (name[0] === '#') {
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
  }
  return ENTITIES[name.toLowerCase()] ?? ' ';
}

/** 53-bit FNV-style hash of a string: stands in for an image's data so keys stay short. */
export function hashText(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return ((h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff)).toString(36);
}

const IMG_SRC = /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>/gi;

/**
 * Text as a reader sees it: tags stripped (an image counts by its data, so two figural items with
 * the same words and different pictures differ), entities decoded, case, whitespace and
 * punctuation ignored. Symbols (+ × = <) are kept: 2 + 3 and 2 × 3 are different questions.
 */
export function normalizeText(html: string): string {
  return html
    .replace(IMG_SRC, (_m, a?: string, b?: string, c?: string) => ` img${hashText(a ?? b ?? c ?? '')} `)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);/g, (_m, name: string) => entity(name))
    .toLowerCase()
    .replace(/\p{P}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const distinctIds = (members: { id: string }[]) => new Set(members.map((m) => m.id)).size;

/**
 * Groups of questions that look like one question: the same normalized stem (saying whether the
 * options are also the same, in the same order), or, by the shingle check, most of the same
 * wording in stem and options (a copy with a word or two changed). Copies that share an id are
 * left to the duplicate-id check.
 */
export function findNearDuplicates(items: DuplicateCandidate[]): NearDuplicateGroup[] {
  const byStem = new Map<string, DuplicateCandidate[]>();
  const optionKeys = new Map<number, string>();
  const texts = new Map<number, string>();
  for (const item of items) {
    const stem = normalizeText(item.stem);
    const options = item.options.map(normalizeText);
    optionKeys.set(item.index, options.join('\u0001'));
    texts.set(item.index, `${stem} ${options.join(' ')}`);
    if (stem) push(byStem, stem, item);
  }
  const groups: NearDuplicateGroup[] = [];
  const member = (c: DuplicateCandidate) => ({ index: c.index, id: c.id });
  const sameStem = new Map<number, number>();
  for (const list of byStem.values()) {
    for (const c of list) sameStem.set(c.index, list[0].index);
    if (list.length < 2 || distinctIds(list) < 2) continue;
    const sub = new Map<string, DuplicateCandidate[]>();
    for (const c of list) push(sub, optionKeys.get(c.index)!, c);
    if (sub.size === 1) {
      groups.push({ kind: 'same-stem-same-options', members: list.map(member) });
    } else {
      const sharing = [...sub.values()].filter((s) => s.length > 1 && distinctIds(s) > 1).map((s) => s.map(member));
      groups.push({ kind: 'same-stem', members: list.map(member), ...(sharing.length ? { sameOptions: sharing } : {}) });
    }
  }
  const byIndex = new Map(items.map((c) => [c.index, c]));
  for (const pair of similarPairs(items.map((c) => ({ index: c.index, text: texts.get(c.index)! })))) {
    const [a, b] = [byIndex.get(pair.a)!, byIndex.get(pair.b)!];
    // Equal stems are reported above, and equal ids by the duplicate-id check.
    if (sameStem.get(a.index) === sameStem.get(b.index) || a.id === b.id) continue;
    groups.push({ kind: 'similar', members: [member(a), member(b)], similarity: pair.similarity });
  }
  return groups.sort((x, y) => x.members[0].index - y.members[0].index || x.members[1].index - y.members[1].index);
}

/** Word triples shared / all word triples, above which two questions count as one reworded. */
export const SIMILARITY_THRESHOLD = 0.8;
/** Fewer triples than this (a stem of a few words) says too little to compare. */
const MIN_SHINGLES = 8;
const BANDS = 8;
const ROWS = 4;
const SEEDS = Uint32Array.from({ length: BANDS * ROWS }, (_, i) => Math.imul(0x9e3779b1, i + 1) >>> 0);

function mix(x: number, seed: number): number {
  let h = Math.imul(x ^ seed, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function wordHash(w: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < w.length; k++) h = Math.imul(h ^ w.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/** The distinct word triples of a normalized text, each as a 32-bit hash, sorted. */
function shingles(text: string): Uint32Array {
  const words = text.split(' ').map(wordHash);
  const out = new Uint32Array(Math.max(words.length - 2, 0));
  for (let i = 0; i + 3 <= words.length; i++) out[i] = mix(mix(words[i], words[i + 1]), words[i + 2]);
  out.sort();
  let n = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[n++] = out[i];
  return out.subarray(0, n);
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

/**
 * The shingle check: MinHash signatures banded into buckets (locality-sensitive hashing), so only
 * questions that share a bucket are compared, then by their exact share of word triples. Linear
 * in the bank's size; a bucket that holds many questions compares each with its first few only.
 */
function similarPairs(items: { index: number; text: string }[]): { a: number; b: number; similarity: number }[] {
  const sets = new Map<number, Uint32Array>();
  const buckets = Array.from({ length: BANDS }, () => new Map<number, number[]>());
  const sig = new Uint32Array(BANDS * ROWS);
  for (const item of items) {
    const sh = shingles(item.text);
    if (sh.length < MIN_SHINGLES) continue;
    sets.set(item.index, sh);
    sig.fill(0xffffffff);
    for (const x of sh) {
      for (let k = 0; k < sig.length; k++) {
        const h = mix(x, SEEDS[k]);
        if (h < sig[k]) sig[k] = h;
      }
    }
    for (let band = 0; band < BANDS; band++) {
      let key = 0x811c9dc5;
      for (let r = 0; r < ROWS; r++) key = mix(key, sig[band * ROWS + r]);
      const bucket = buckets[band].get(key);
      if (bucket) bucket.push(item.index);
      else buckets[band].set(key, [item.index]);
    }
  }
  const seen = new Set<number>();
  const out: { a: number; b: number; similarity: number }[] = [];
  const LEADERS = 8;
  for (const band of buckets) {
    for (const members of band.values()) {
      for (let i = 0; i < Math.min(members.length, LEADERS); i++) {
        for (let j = i + 1; j < members.length; j++) {
          const [a, b] = members[i] < members[j] ? [members[i], members[j]] : [members[j], members[i]];
          const pairKey = a * 0x100000 + b; // indexes stay below 2^20 in any bank Kaca reads
          if (seen.has(pairKey)) continue;
          seen.add(pairKey);
          const similarity = jaccard(sets.get(a)!, sets.get(b)!);
          if (similarity >= SIMILARITY_THRESHOLD) out.push({ a, b, similarity });
        }
      }
    }
  }
  return out;
}
