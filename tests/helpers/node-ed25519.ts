import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Ed25519VerifyFn, SignFn } from '../../server/src/domain/verify/signed-note.js';

/**
 * Ed25519 through node:crypto, as the server will sign: proves the portable modules agree with
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

const publicKeys = new Map<string, KeyObject>();

/** node:crypto verification, for the verifier's `verifySignature` option. */
export const nodeEd25519Verify: Ed25519VerifyFn = (signature, message, publicKey) => {
  const id = Buffer.from(publicKey).toString('hex');
  let key = publicKeys.get(id);
  if (!key) publicKeys.set(id, (key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })));
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
};
