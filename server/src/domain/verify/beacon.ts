import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from './sha256.js';
import { fromHex, toHex } from './encoding.js';

/**
 * The public randomness a sitting may mix into its seed: drand's quicknet beacon (the League of
 * Entropy), which publishes a BLS signature on each round number every 3 seconds. A round's
 * signature cannot be known before its time and anyone can check it offline with the chain's
 * public key, so an operator who names a future round when creating the sitting cannot steer
 * the papers. The figures below are quicknet's published chain information.
 */
export const QUICKNET = {
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  /** compressed G2 point, hex */
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  scheme: 'bls-unchained-g1-rfc9380',
  /** seconds since the epoch of round 1 */
  genesisTime: 1692803367,
  periodSeconds: 3,
  dst: 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_',
} as const;

/** When a round's value is published (ms since the epoch). */
export function roundTime(round: number): number {
  return (QUICKNET.genesisTime + (round - 1) * QUICKNET.periodSeconds) * 1000;
}

/** The first round published at or after `at` (ms): what a sitting starting then can name. */
export function roundAt(at: number): number {
  return Math.max(1, Math.ceil((at / 1000 - QUICKNET.genesisTime) / QUICKNET.periodSeconds) + 1);
}

const SIGNATURE = /^[0-9a-f]{96}$/;

/**
 * Checks a round's signature against quicknet's key; gives the round's randomness
 * (SHA-256 of the signature), or why it is not that round's signature.
 */
export function checkBeaconSignature(round: number, signatureHex: string): { ok: true; randomness: string } | { ok: false; problem: string } {
  if (!Number.isSafeInteger(round) || round < 1) return { ok: false, problem: `round ${round} is not a round number` };
  if (!SIGNATURE.test(signatureHex)) return { ok: false, problem: 'the signature is not 96 lowercase hex digits (a compressed BLS12-381 G1 point)' };
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(round));
  const sigs = bls12_381.shortSignatures;
  let valid: boolean;
  try {
    valid = sigs.verify(fromHex(signatureHex), sigs.hash(sha256(message), QUICKNET.dst), fromHex(QUICKNET.publicKey));
  } catch (e) {
    return { ok: false, problem: `the signature is not a point of the curve: ${(e as Error).message}` };
  }
  if (!valid) return { ok: false, problem: `it is not the quicknet signature of round ${round}` };
  return { ok: true, randomness: toHex(sha256(fromHex(signatureHex))) };
}
