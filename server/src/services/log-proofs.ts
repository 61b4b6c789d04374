import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { leafHashOfText, MerkleTree } from '../domain/verify/merkle.js';
import type { SectionCache } from '../db/repositories/log.js';
import type { ReadRepositories } from '../db/repositories/index.js';
import { assertClosed } from './log-export.js';
import type { LogProof } from '../contract/log.js';

export type { LogProof };

const PAGE = 20_000;
const b64 = (h: Uint8Array) => Buffer.from(h.buffer, h.byteOffset, h.length).toString('base64');

/** Keeps the tree of the last sitting asked about: a hall checking receipts asks about one sitting. */
export class ProofMaker {
  private cached: { sittingId: string; tree: MerkleTree } | null = null;

  constructor(private readonly repos: ReadRepositories) {}

  private tree(sittingId: string, size: number): MerkleTree {
    if (this.cached?.sittingId === sittingId && this.cached.tree.size === size) return this.cached.tree;
    this.cached = null;
    const tree = new MerkleTree();
    const sections: SectionCache = new Map();
    for (let from = 0; from < size; from += PAGE) {
      for (const leaf of this.repos.log.leaves(sittingId, from, Math.min(size, from + PAGE), sections)) tree.append(leafHashOfText(leaf));
    }
    this.cached = { sittingId, tree };
    return tree;
  }

  proof(sittingId: string, leafIndex: number, size: number): LogProof {
    assertClosed(this.repos.sittings.get(sittingId), sittingId);
    const latest = this.repos.log.latestCheckpoint(sittingId);
    if (!latest) throw new KacaError(ErrorCode.NOT_FOUND, `sitting ${sittingId} has no signed checkpoint`);
    if (!(leafIndex < size && size <= latest.size)) throw new KacaError(ErrorCode.BAD_REQUEST, `leaf ${leafIndex} of a log of ${size} leaves: the log has ${latest.size} (the leaf must be below the size, the size at most the log's)`);
    const tree = this.tree(sittingId, latest.size);
    const [leaf] = this.repos.log.leaves(sittingId, leafIndex, leafIndex + 1);
    return {
      sittingId,
      leafIndex,
      leaf,
      size,
      inclusion: tree.inclusionProof(leafIndex, size).map(b64),
      checkpoint: latest.note,
      checkpointSize: latest.size,
      consistency: tree.consistencyProof(size, latest.size).map(b64),
    };
  }
}
