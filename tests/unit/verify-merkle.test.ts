import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng, randomInt } from '../../server/src/domain/rng.js';
import { fromHex, toHex } from '../../server/src/domain/verify/encoding.js';
import { useSha256 } from '../../server/src/domain/verify/sha256.js';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  leafHashOfText,
  MerkleAppender,
  merkleRoot,
  MerkleTree,
  nodeHash,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from '../../server/src/domain/verify/merkle.js';

// The RFC 6962 reference data of certificate-transparency (and transparency-dev/merkle): eight
// leaves, the tree head of every prefix, and the audit paths and consistency proofs published with them.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => leafHash(fromHex(h)));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'],
  },
  {
    index: 5,
    size: 8,
    proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'],
  },
];
const CONSISTENCY: { first: number; second: number; proof: string[] }[] = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'],
  },
  {
    first: 6,
    second: 8,
    proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'],
  },
  { first: 2, second: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];

const root = (n: number) => fromHex(ROOTS[n]);
const flip = (h: Hash, byte: number, bit = 1): Hash => {
  const out = h.slice();
  out[byte] ^= bit;
  return out;
};

describe('Merkle tree hash (RFC 6962 reference vectors)', () => {
  it('hashes the empty tree, leaves and nodes with the RFC prefixes', () => {
    expect(toHex(emptyRoot())).toBe(ROOTS[0]);
    expect(toHex(LEAVES[0])).toBe(ROOTS[1]);
    expect(toHex(nodeHash(LEAVES[0], LEAVES[1]))).toBe(ROOTS[2]);
    expect(toHex(leafHashOfText('é'))).toBe(toHex(leafHash(new Uint8Array([0xc3, 0xa9]))));
  });

  it('gives the published root of every prefix, from the list, the appender and the tree', () => {
    const appender = new MerkleAppender();
    const tree = new MerkleTree(LEAVES);
    expect(toHex(appender.root())).toBe(ROOTS[0]);
    for (let n = 0; n <= 8; n++) {
      if (n > 0) expect(appender.append(LEAVES[n - 1])).toBe(n - 1);
      expect(toHex(merkleRoot(LEAVES.slice(0, n)))).toBe(ROOTS[n]);
      expect(toHex(appender.root())).toBe(ROOTS[n]);
      expect(appender.size).toBe(n);
      expect(toHex(tree.root(n))).toBe(ROOTS[n]);
    }
  });

  it('splits at the largest power of two smaller than n', () => {
    expect([2, 3, 4, 5, 8, 9, 1000, 2 ** 40 + 1].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 512, 2 ** 40]);
  });

  it.each(INCLUSION)('builds and verifies the published audit path of leaf $index in a tree of $size', ({ index, size, proof }) => {
    expect(inclusionProof(LEAVES, index, size).map(toHex)).toEqual(proof);
    expect(new MerkleTree(LEAVES).inclusionProof(index, size).map(toHex)).toEqual(proof);
    expect(verifyInclusion(LEAVES[index], index, size, proof.map((h) => fromHex(h)), root(size))).toBe(true);
  });

  it.each(CONSISTENCY)('builds and verifies the published consistency proof from $first to $second', ({ first, second, proof }) => {
    expect(consistencyProof(LEAVES, first, second).map(toHex)).toEqual(proof);
    expect(new MerkleTree(LEAVES).consistencyProof(first, second).map(toHex)).toEqual(proof);
    expect(verifyConsistency(first, second, root(first), root(second), proof.map((h) => fromHex(h)))).toBe(true);
  });

  it('rejects the edge cases as the reference verifiers do', () => {
    const p58 = INCLUSION[2].proof.map((h) => fromHex(h));
    expect(verifyInclusion(LEAVES[5], 8, 8, p58, root(8))).toBe(false);
    expect(verifyInclusion(LEAVES[5], 5, 0, [], root(0))).toBe(false);
    expect(verifyInclusion(LEAVES[5], 5, 8, p58.slice(0, 2), root(8))).toBe(false);
    expect(verifyInclusion(LEAVES[5], 5, 8, [...p58, p58[0]], root(8))).toBe(false);
    expect(verifyInclusion(LEAVES[5].subarray(1), 5, 8, p58, root(8))).toBe(false);
    const p68 = CONSISTENCY[2].proof.map((h) => fromHex(h));
    expect(verifyConsistency(6, 8, root(6), root(8), [])).toBe(false);
    expect(verifyConsistency(8, 6, root(8), root(6), p68)).toBe(false);
    expect(verifyConsistency(4, 4, root(4), root(4), [])).toBe(true);
    expect(verifyConsistency(4, 4, root(4), root(5), [])).toBe(false);
    expect(verifyConsistency(4, 4, root(4), root(4), [root(4)])).toBe(false);
    expect(verifyConsistency(0, 8, root(0), root(8), [])).toBe(true);
    expect(verifyConsistency(0, 8, root(1), root(8), [])).toBe(false);
    expect(() => inclusionProof(LEAVES, 8, 8)).toThrow('leaf index 8 is outside a tree of 8 leaves');
    expect(() => consistencyProof(LEAVES, 5, 3)).toThrow('first size 5 is larger than second size 3');
    expect(() => consistencyProof(LEAVES, 1, 9)).toThrow('second size 9 is beyond the 8 leaves given');
    expect(() => new MerkleAppender().append(new Uint8Array(31))).toThrow('leaf must be a 32-byte hash');
  });
});

describe('the SHA-256 in use', () => {
  it("can be node:crypto's, with the same roots, and refuses a wrong one", () => {
    try {
      useSha256((data) => hash('sha256', data, 'buffer'));
      const root = merkleRoot(LEAVES);
      expect(Object.getPrototypeOf(root)).toBe(Uint8Array.prototype);
      expect(toHex(root)).toBe(ROOTS[8]);
      expect(() => useSha256((data) => data.slice(0, 32))).toThrow('the SHA-256 given does not hash "abc" to the FIPS 180-2 answer');
    } finally {
      useSha256(null);
    }
    expect(toHex(merkleRoot(LEAVES))).toBe(ROOTS[8]);
  });
});

describe('Merkle proofs over random trees (property tests)', () => {
  const rng = createRng('merkle-properties');
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 64, 65, 127, 129, 255, 256, 257, 300, ...Array.from({ length: 6 }, () => 1 + randomInt(rng, 300))];
  const leaves = Array.from({ length: 300 }, (_, i) => leafHashOfText(`{"i":${i},"x":${randomInt(rng, 1e9)}}`));
  const tree = new MerkleTree(leaves);

  it('every inclusion proof verifies, and a flipped byte anywhere fails it', () => {
    for (const n of sizes) {
      const r = merkleRoot(leaves.slice(0, n));
      expect(tree.root(n)).toEqual(r);
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        // The list form rebuilds the tree on each call: compare it on a sample only.
        if (i % 37 === 0) expect(proof).toEqual(inclusionProof(leaves, i, n));
        expect(verifyInclusion(leaves[i], i, n, proof, r)).toBe(true);
        const byte = randomInt(rng, 32);
        expect(verifyInclusion(flip(leaves[i], byte), i, n, proof, r)).toBe(false);
        expect(verifyInclusion(leaves[i], i, n, proof, flip(r, byte))).toBe(false);
        if (proof.length) {
          const k = randomInt(rng, proof.length);
          const bad = proof.map((h, j) => (j === k ? flip(h, byte, 1 << randomInt(rng, 8)) : h));
          expect(verifyInclusion(leaves[i], i, n, bad, r)).toBe(false);
        }
        if (n > 1) expect(verifyInclusion(leaves[i], (i + 1) % n, n, proof, r)).toBe(false);
      }
    }
  });

  it('every consistency proof between m <= n verifies, and a flipped byte fails it', () => {
    for (const n of sizes) {
      const rn = tree.root(n);
      for (let m = 0; m <= n; m++) {
        const rm = tree.root(m);
        const proof = tree.consistencyProof(m, n);
        expect(verifyConsistency(m, n, rm, rn, proof)).toBe(true);
        if (m === 0 || m === n) continue;
        const byte = randomInt(rng, 32);
        expect(verifyConsistency(m, n, flip(rm, byte), rn, proof)).toBe(false);
        expect(verifyConsistency(m, n, rm, flip(rn, byte), proof)).toBe(false);
        const k = randomInt(rng, proof.length);
        expect(verifyConsistency(m, n, rm, rn, proof.map((h, j) => (j === k ? flip(h, byte) : h)))).toBe(false);
        expect(verifyConsistency(m, n, rm, rn, proof.slice(0, -1))).toBe(false);
      }
    }
  });

  it('moves between threads as level buffers and comes back whole', () => {
    const texts = leaves.map((h) => toHex(h));
    const built = MerkleTree.ofTexts(texts);
    const moved = MerkleTree.fromLevels(structuredClone(built.toLevels()));
    expect(moved.size).toBe(300);
    for (const n of sizes) {
      expect(moved.root(n)).toEqual(built.root(n));
      expect(moved.consistencyProof(n >> 1, n)).toEqual(built.consistencyProof(n >> 1, n));
    }
    expect(moved.inclusionProof(123)).toEqual(built.inclusionProof(123));
    const { levels } = built.toLevels();
    expect(() => MerkleTree.fromLevels({ size: 300, levels: [levels[0], levels[1].subarray(32)] })).toThrow('level 1 of a tree of 300 leaves needs 4800 bytes');
  });

  it('the appender matches the list at every size and resumes from its frontier', () => {
    const a = new MerkleAppender();
    for (let i = 0; i < 300; i++) {
      a.append(leaves[i]);
      if (sizes.includes(i + 1)) expect(a.root()).toEqual(tree.root(i + 1));
    }
    const resumed = MerkleAppender.resume(200, (() => {
      const b = new MerkleAppender();
      leaves.slice(0, 200).forEach((l) => b.append(l));
      return b.frontier();
    })());
    leaves.slice(200).forEach((l) => resumed.append(l));
    expect(resumed.root()).toEqual(a.root());
    expect(resumed.size).toBe(300);
    expect(() => MerkleAppender.resume(7, [])).toThrow('a tree of 7 leaves has 3 frontier hashes, got 0');
  });
});

describe('the paper hash', () => {
  it('writes the canonical JSON of a paper directly, the same as canonicalJson, and falls back for anything unusual', async () => {
    const { paperJson } = await import('../../server/src/domain/verify/commitments.js');
    const { canonicalJson } = await import('../../server/src/domain/verify/canonical-json.js');
    const canonical = (items: { questionId: string; section: string; optionOrder: number[] }[]) => canonicalJson(items.map((x) => ({ questionId: x.questionId, section: x.section, optionOrder: x.optionOrder })));
    const items = Array.from({ length: 110 }, (_, i) => ({ questionId: `twk-${i}.a_b`, section: ['TWK', 'TIU', 'TKP'][i % 3], optionOrder: [(i * 7) % 5, 1, 4, 0, 2].slice(0, 4 + (i % 2)) }));
    expect(paperJson(items)).toBe(canonical(items));
    const odd = [{ questionId: 'soal "kutip" \\ é', section: 'Ä', optionOrder: [1, 0] }];
    expect(paperJson(odd)).toBe(canonical(odd));
    expect(paperJson([])).toBe('[]');
  });
});
