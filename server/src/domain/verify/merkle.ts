import { sha256 } from './sha256.js';
import { bytesEqual } from './encoding.js';

/**
 * The Merkle tree of RFC 6962 / RFC 9162 section 2.1 over SHA-256, so that any transparency-log
 * tool can check our roots and proofs. Hashes are 32-byte Uint8Arrays; sizes and indexes are
 * plain numbers (safe integers), never bit-shifted, so trees past 2^32 leaves would still work.
 */
export type Hash = Uint8Array;
export const HASH_SIZE = 32;

const EMPTY_ROOT = sha256(new Uint8Array(0));
// Reused for every interior node: sha256 reads its input and keeps nothing, and the writer
// thread calls this once or twice per answer, so it should not allocate an input buffer each time.
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;
let leafInput = new Uint8Array(1024);
const encoder = new TextEncoder();

/** MTH({}) = SHA-256 of the empty string. */
export function emptyRoot(): Hash {
  return EMPTY_ROOT.slice();
}

/** SHA-256(0x00 || data) */
export function leafHash(data: Uint8Array): Hash {
  if (leafInput.length < data.length + 1) leafInput = new Uint8Array(2 * data.length + 1);
  leafInput[0] = 0x00;
  leafInput.set(data, 1);
  return sha256(leafInput.subarray(0, data.length + 1));
}

/** Leaf hash of a text's UTF-8 bytes without materialising them: the log hashes JSON strings. */
export function leafHashOfText(text: string): Hash {
  // UTF-8 never needs more than 3 bytes per UTF-16 code unit.
  if (leafInput.length < 3 * text.length + 1) leafInput = new Uint8Array(6 * text.length + 1);
  leafInput[0] = 0x00;
  const { written } = encoder.encodeInto(text, leafInput.subarray(1));
  return sha256(leafInput.subarray(0, written + 1));
}

/** SHA-256(0x01 || left || right) */
export function nodeHash(left: Hash, right: Hash): Hash {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

/** The largest power of two smaller than n (n >= 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) when n is a power of two, else -1; no bit operators, which would cut n to 32 bits. */
function exactLog2(n: number): number {
  if (n < 1) return -1;
  let h = 0;
  for (; n % 2 === 0; n /= 2) h++;
  return n === 1 ? h : -1;
}

function assertHash(h: Hash, what: string): void {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new TypeError(`${what} must be a ${HASH_SIZE}-byte hash`);
}

function assertSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

/**
 * Appends leaf hashes and keeps only the roots of the complete subtrees on the right edge
 * (one per set bit of the size, so at most 53), enough to give the root at any time. This is
 * what the writer runs for every answer: one leaf plus on average one node hash per append.
 */
export class MerkleAppender {
  #size = 0;
  // Row h holds the root of the complete subtree of 2^h leaves, valid while bit h of size is set.
  readonly #frontier = new Uint8Array(54 * HASH_SIZE);

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash; returns its index. */
  append(leaf: Hash): number {
    assertHash(leaf, 'leaf');
    let carry = leaf;
    let h = 0;
    // Each set low bit of the size is a complete subtree waiting for a right sibling.
    for (let s = this.#size; s % 2 === 1; s = (s - 1) / 2, h++) carry = nodeHash(this.#row(h), carry);
    this.#frontier.set(carry, h * HASH_SIZE);
    return this.#size++;
  }

  root(): Hash {
    let acc: Hash | null = null;
    let h = 0;
    for (let s = this.#size; s > 0; s = Math.floor(s / 2), h++) {
      if (s % 2 === 1) acc = acc === null ? this.#row(h).slice() : nodeHash(this.#row(h), acc);
    }
    return acc ?? emptyRoot();
  }

  /** The right-edge subtree roots, largest first: persist these to resume without replaying leaves. */
  frontier(): Hash[] {
    const out: Hash[] = [];
    for (let h = 53; h >= 0; h--) if (Math.floor(this.#size / 2 ** h) % 2 === 1) out.push(this.#row(h).slice());
    return out;
  }

  static resume(size: number, frontier: readonly Hash[]): MerkleAppender {
    assertSize(size, 'size');
    const a = new MerkleAppender();
    const heights: number[] = [];
    for (let h = 53; h >= 0; h--) if (Math.floor(size / 2 ** h) % 2 === 1) heights.push(h);
    if (heights.length !== frontier.length) throw new RangeError(`a tree of ${size} leaves has ${heights.length} frontier hashes, got ${frontier.length}`);
    heights.forEach((h, i) => {
      assertHash(frontier[i], `frontier[${i}]`);
      a.#frontier.set(frontier[i], h * HASH_SIZE);
    });
    a.#size = size;
    return a;
  }

  #row(h: number): Hash {
    return this.#frontier.subarray(h * HASH_SIZE, (h + 1) * HASH_SIZE);
  }
}

/**
 * Every complete, aligned subtree hash of a tree (about 2n hashes in flat per-level buffers),
 * so the hash of any subtree a proof needs takes O(log n) node hashes. The verifier builds one
 * over a whole sitting and answers every checkpoint root and proof from it.
 */
export class MerkleTree {
  #size = 0;
  #levels: Uint8Array[] = [];

  constructor(leaves: Iterable<Hash> = []) {
    for (const leaf of leaves) this.append(leaf);
  }

  /** The tree over texts (a log's leaves), each hashed as its UTF-8 bytes. */
  static ofTexts(texts: readonly string[]): MerkleTree {
    const tree = new MerkleTree();
    for (const text of texts) tree.append(leafHashOfText(text));
    return tree;
  }

  /**
   * The stored hashes, level by level, for handing a tree built on one thread (a worker hashing
   * while the main thread parses) to another; the buffers can be transferred.
   */
  toLevels(): TreeLevels {
    return { size: this.#size, levels: this.#levels.map((buf, h) => buf.slice(0, Math.floor(this.#size / 2 ** h) * HASH_SIZE)) };
  }

  static fromLevels({ size, levels }: TreeLevels): MerkleTree {
    assertSize(size, 'size');
    const tree = new MerkleTree();
    for (let h = 0; Math.floor(size / 2 ** h) > 0; h++) {
      const need = Math.floor(size / 2 ** h) * HASH_SIZE;
      if (!(levels[h] instanceof Uint8Array) || levels[h].length < need) throw new RangeError(`level ${h} of a tree of ${size} leaves needs ${need} bytes`);
      tree.#levels.push(levels[h]);
    }
    tree.#size = size;
    return tree;
  }

  get size(): number {
    return this.#size;
  }

  append(leaf: Hash): number {
    assertHash(leaf, 'leaf');
    let idx = this.#size;
    this.#put(0, idx, leaf);
    for (let h = 0; idx % 2 === 1; h++) {
      // The two children sit side by side in their level's buffer: copy them in one go.
      nodeInput.set(this.#levels[h].subarray((idx - 1) * HASH_SIZE, (idx + 1) * HASH_SIZE), 1);
      const parent = sha256(nodeInput);
      idx = (idx - 1) / 2;
      this.#put(h + 1, idx, parent);
    }
    return this.#size++;
  }

  leaf(index: number): Hash {
    this.#checkIndex(index, this.#size);
    return this.#get(0, index).slice();
  }

  /** MTH of the first `size` leaves. */
  root(size = this.#size): Hash {
    this.#checkSize(size);
    return size === 0 ? emptyRoot() : this.#subtree(0, size).slice();
  }

  /** RFC 9162 2.1.3.1: the audit path of leaf `index` in the tree of the first `size` leaves. */
  inclusionProof(index: number, size = this.#size): Hash[] {
    this.#checkSize(size);
    this.#checkIndex(index, size);
    const out: Hash[] = [];
    this.#path(index, 0, size, out);
    return out;
  }

  /** RFC 9162 2.1.4.1: proof that the tree of `first` leaves is a prefix of the tree of `second`. */
  consistencyProof(first: number, second = this.#size): Hash[] {
    this.#checkSize(second);
    assertSize(first, 'first');
    if (first > second) throw new RangeError(`first size ${first} is larger than second size ${second}`);
    const out: Hash[] = [];
    if (first > 0 && first < second) this.#subproof(first, 0, second, true, out);
    return out;
  }

  // PATH(m, D[start:end]): recursion first, then the sibling, so the deepest sibling comes first.
  #path(m: number, start: number, end: number, out: Hash[]): void {
    if (end - start === 1) return;
    const k = splitPoint(end - start);
    if (m < k) {
      this.#path(m, start, start + k, out);
      out.push(this.#subtree(start + k, end).slice());
    } else {
      this.#path(m - k, start + k, end, out);
      out.push(this.#subtree(start, start + k).slice());
    }
  }

  // SUBPROOF(m, D[start:end], b)
  #subproof(m: number, start: number, end: number, whole: boolean, out: Hash[]): void {
    if (m === end - start) {
      if (!whole) out.push(this.#subtree(start, end).slice());
      return;
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      this.#subproof(m, start, start + k, whole, out);
      out.push(this.#subtree(start + k, end).slice());
    } else {
      this.#subproof(m - k, start + k, end, false, out);
      out.push(this.#subtree(start, start + k).slice());
    }
  }

  // MTH(D[start:end]); the ranges proofs ask for are aligned, so the split's left half is stored.
  #subtree(start: number, end: number): Hash {
    const n = end - start;
    const h = exactLog2(n);
    if (h >= 0 && start % n === 0) return this.#get(h, start / n);
    const k = splitPoint(n);
    return nodeHash(this.#subtree(start, start + k), this.#subtree(start + k, end));
  }

  #get(level: number, index: number): Hash {
    return this.#levels[level].subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  #put(level: number, index: number, hash: Hash): void {
    let buf = this.#levels[level];
    if (!buf) buf = this.#levels[level] = new Uint8Array(64 * HASH_SIZE);
    if ((index + 1) * HASH_SIZE > buf.length) {
      const grown = new Uint8Array(Math.max(buf.length * 2, (index + 1) * HASH_SIZE));
      grown.set(buf);
      buf = this.#levels[level] = grown;
    }
    buf.set(hash, index * HASH_SIZE);
  }

  #checkSize(size: number): void {
    assertSize(size, 'size');
    if (size > this.#size) throw new RangeError(`size ${size} is beyond the ${this.#size} leaves of the tree`);
  }

  #checkIndex(index: number, size: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf index ${index} is outside a tree of ${size} leaves`);
  }
}

export interface TreeLevels {
  size: number;
  /** levels[h]: the hashes of the complete subtrees of 2^h leaves, left to right */
  levels: Uint8Array[];
}

/** MTH over a list of leaf hashes, in O(log n) memory. */
export function merkleRoot(leaves: readonly Hash[]): Hash {
  const a = new MerkleAppender();
  for (const leaf of leaves) a.append(leaf);
  return a.root();
}

export function inclusionProof(leaves: readonly Hash[], index: number, size = leaves.length): Hash[] {
  assertSize(size, 'size');
  if (size > leaves.length) throw new RangeError(`size ${size} is beyond the ${leaves.length} leaves given`);
  return new MerkleTree(leaves.slice(0, size)).inclusionProof(index);
}

export function consistencyProof(leaves: readonly Hash[], first: number, second = leaves.length): Hash[] {
  assertSize(second, 'second');
  if (second > leaves.length) throw new RangeError(`second size ${second} is beyond the ${leaves.length} leaves given`);
  return new MerkleTree(leaves.slice(0, second)).consistencyProof(first);
}

const isHash = (h: unknown): h is Hash => h instanceof Uint8Array && h.length === HASH_SIZE;
const isSize = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** RFC 9162 2.1.3.2. Returns false for anything malformed instead of throwing. */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!isHash(leaf) || !isHash(root) || !Array.isArray(proof) || !isSize(index) || !isSize(size) || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (!isHash(p) || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // Skip the levels where this node has no right sibling (the tree's ragged right edge).
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}

/** RFC 9162 2.1.4.2, plus the trivial cases (equal sizes, empty first tree) as Go's merkle package has them. */
export function verifyConsistency(first: number, second: number, firstRoot: Hash, secondRoot: Hash, proof: readonly Hash[]): boolean {
  if (!isHash(firstRoot) || !isHash(secondRoot) || !Array.isArray(proof) || !isSize(first) || !isSize(second) || first > second) return false;
  if (!proof.every(isHash)) return false;
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0 && bytesEqual(firstRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;
  // When the first tree is a complete subtree its root is the proof's implicit first element.
  const path = exactLog2(first) >= 0 ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}
