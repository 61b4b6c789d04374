import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { SignFn } from '../../server/src/domain/verify/signed-note.js';
export { nodeEd25519Verify } from '../../server/src/services/export-verifier.js';

/**
 * Ed25519 through node:crypto, as the server signs: proves the portable modules agree with
 * OpenSSL byte for byte. Keys come from a fixed 32-byte seed so notes in tests are reproducible
 * (Ed25519 signatures are deterministic).
 */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface NodeEd25519Key {
  publicKey: Uint8Array;
  sign: SignFn;
}

export function nodeEd25519Key(seed: Uint8Array = new Uint8Array(32).fill(7)): NodeEd25519Key {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    publicKey: new Uint8Array(spki.subarray(SPKI_PREFIX.length)),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}
