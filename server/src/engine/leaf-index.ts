/**
 * Where each stored change of one candidate sits in their sitting's log, by its client sequence
 * number: the ack of a retry names the leaf of the first time (docs/protocol.md). Kept in memory
 * because the database has no index by candidate (schema.ts says why): 12 bytes per change.
 */
export class LeafIndex {
  // a seq is any safe positive integer (a client may count in milliseconds); a leaf index fits 32 bits
  private seqs = new Float64Array(16);
  private leaves = new Int32Array(16);
  private n = 0;

  /** Records a committed change; a change from before the log has no leaf (null). */
  add(seq: number, leaf: number | null): void {
    if (this.n === this.seqs.length) {
      const seqs = new Float64Array(this.seqs.length * 2);
      seqs.set(this.seqs);
      this.seqs = seqs;
      const leaves = new Int32Array(this.leaves.length * 2);
      leaves.set(this.leaves);
      this.leaves = leaves;
    }
    // changes are stored in seq order (a seq at or below the last is a retry, never stored twice)
    let at = this.n;
    while (at > 0 && this.seqs[at - 1] > seq) at--;
    if (at > 0 && this.seqs[at - 1] === seq) return;
    this.seqs.copyWithin(at + 1, at, this.n);
    this.leaves.copyWithin(at + 1, at, this.n);
    this.seqs[at] = seq;
    this.leaves[at] = leaf ?? -1;
    this.n++;
  }

  /** The leaf of the stored change with this seq, or null if none was stored under it. */
  leafOf(seq: number): number | null {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.seqs[mid];
      if (s === seq) return this.leaves[mid] < 0 ? null : this.leaves[mid];
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  get size(): number {
    return this.n;
  }
}
