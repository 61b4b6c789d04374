import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/**
 * The one SHA-256 every verification module calls. It is @noble/hashes, which runs anywhere;
 * a Node process (the log writer, the command-line verifier) may install node:crypto's, which
 * gives the same bytes at about a third of the cost for the short inputs a Merkle tree hashes.
 */
export type Sha256Fn = (data: Uint8Array) => Uint8Array;

let impl: Sha256Fn = nobleSha256;

export function sha256(data: Uint8Array): Uint8Array {
  return impl(data);
}

// SHA-256("abc"), FIPS 180-2 appendix B.1
const ABC = [0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad];

/**
 * Installs another SHA-256 (null restores @noble's) after checking it on a known answer. Results
 * that are not plain Uint8Arrays (a Node Buffer) are rewrapped, so callers always see one type.
 */
export function useSha256(fn: Sha256Fn | null): void {
  if (fn === null) {
    impl = nobleSha256;
    return;
  }
  const wrapped: Sha256Fn = (data) => {
    const out = fn(data);
    return Object.getPrototypeOf(out) === Uint8Array.prototype ? out : new Uint8Array(out.buffer, out.byteOffset, out.length);
  };
  const abc = wrapped(new Uint8Array([0x61, 0x62, 0x63]));
  if (abc.length !== 32 || abc.some((b, i) => b !== ABC[i])) throw new Error('the SHA-256 given does not hash "abc" to the FIPS 180-2 answer');
  impl = wrapped;
}
