/**
 * What a candidate needs to check their receipt against the published log (the /verify/ page):
 * the finish leaf, its inclusion proof under the receipt's root, and the consistency proof from
 * the receipt's log to the latest checkpoint. Served once the sitting is closed: a proof holds
 * the hashes of neighbouring leaves, which while the sitting runs are other candidates' answers.
 */
export interface LogProof {
  sittingId: string;
  leafIndex: number;
  /** the leaf's canonical JSON */
  leaf: string;
  /** the tree size the inclusion proof is for (the receipt's) */
  size: number;
  /** RFC 9162 inclusion proof, base64 hashes */
  inclusion: string[];
  /** the latest signed checkpoint */
  checkpoint: string;
  /** its size, and the consistency proof from `size` to it, base64 hashes */
  checkpointSize: number;
  consistency: string[];
}

