import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from './sha256.js';
import { concatBytes, fromBase64, fromUtf8, hasLoneSurrogate, toBase64, utf8 } from './encoding.js';
import { HASH_SIZE, type Hash } from './merkle.js';

/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys, verifier keys spelled as
 * Go's golang.org/x/mod/sumdb/note spells them, and the C2SP tlog-checkpoint body
 * (https://c2sp.org/tlog-checkpoint). Anything that can read a Go checkpoint can read ours.
 */
export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

export const ED25519_TYPE = 0x01;
const SIG_PREFIX = '\u2014 ';
// Go's note package caps a note at 100 signatures; the spec asks to accept at least 16.
const MAX_SIGNATURES = 100;
// unicode.IsSpace in Go: ASCII spaces, NEL, and categories Zs, Zl, Zp.
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

export interface NoteSignature {
  name: string;
  /** uint32, from the first four bytes of the encoded signature */
  keyId: number;
  /** the signature proper, without the key id */
  signature: Uint8Array;
}

export interface Note {
  /** the signed text, ending in a newline */
  text: string;
  signatures: NoteSignature[];
}

export interface NoteVerifierKey {
  name: string;
  keyId: number;
  /** 32-byte Ed25519 public key */
  publicKey: Uint8Array;
}

/** Signs a message with the private key the caller holds (node:crypto on the server, anything in tests). */
export type SignFn = (message: Uint8Array) => Uint8Array;
export type Ed25519VerifyFn = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

export interface NoteSigner {
  name: string;
  keyId: number;
  sign: SignFn;
}

/** RFC 8032 verification without ZIP-215's relaxations, as Go's crypto/ed25519 verifies. */
export const nobleEd25519Verify: Ed25519VerifyFn = (signature, message, publicKey) => {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
};

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !UNICODE_SPACE.test(name) && !name.includes('+') && !hasLoneSurrogate(name) && !CONTROL.test(name);
}

/** A key id as people read and compare it: 8 hex digits. */
export const keyIdHex = (id: number) => (id >>> 0).toString(16).padStart(8, '0');

/** SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): number {
  const h = sha256(concatBytes(utf8(name), new Uint8Array([0x0a, ED25519_TYPE]), publicKey));
  return ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
}

function checkEd25519Key(name: string, publicKey: Uint8Array): void {
  if (!isValidKeyName(name)) throw new NoteError(`key name ${JSON.stringify(name)} is invalid: it must be non-empty, without spaces or '+'`);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new NoteError('an Ed25519 public key has 32 bytes');
  let point;
  try {
    point = ed25519.Point.fromBytes(publicKey, false);
  } catch {
    throw new NoteError('the Ed25519 public key is not a canonically encoded curve point');
  }
  // A small-order key lets one signature verify for many messages: no honest key is one.
  if (point.isSmallOrder()) throw new NoteError('the Ed25519 public key is a small-order point');
}

export function verifierKey(name: string, publicKey: Uint8Array): NoteVerifierKey {
  checkEd25519Key(name, publicKey);
  return { name, keyId: ed25519KeyId(name, publicKey), publicKey: publicKey.slice() };
}

/** "<name>+<hex key id>+<base64(0x01 || public key)>" */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  const key = verifierKey(name, publicKey);
  return `${name}+${keyIdHex(key.keyId)}+${toBase64(concatBytes(new Uint8Array([ED25519_TYPE]), publicKey))}`;
}

export function parseVerifierKey(vkey: string): NoteVerifierKey {
  // As Go's note.NewVerifier: the name and the id end at the first two '+'; the base64 key
  // after them may hold '+' of its own.
  const a = vkey.indexOf('+');
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (b < 0) throw new NoteError('verifier key must be <name>+<key id>+<key>');
  const [name, idHex, key64] = [vkey.slice(0, a), vkey.slice(a + 1, b), vkey.slice(b + 1)];
  if (!isValidKeyName(name)) throw new NoteError(`verifier key name ${JSON.stringify(name)} is invalid`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError(`verifier key id ${JSON.stringify(idHex)} is not 8 lowercase hex digits`);
  let raw: Uint8Array;
  try {
    raw = fromBase64(key64, 'verifier key');
  } catch (e) {
    throw new NoteError((e as Error).message);
  }
  if (raw[0] !== ED25519_TYPE) throw new NoteError(`verifier key type ${raw[0]} is not supported (only 1, Ed25519)`);
  if (raw.length !== 33) throw new NoteError(`verifier key has ${raw.length - 1} key bytes, Ed25519 needs 32`);
  const key = verifierKey(name, raw.subarray(1));
  if (keyIdHex(key.keyId) !== idHex) throw new NoteError(`verifier key id ${idHex} does not match its name and key (expected ${keyIdHex(key.keyId)})`);
  return key;
}

export function ed25519Signer(name: string, publicKey: Uint8Array, sign: SignFn): NoteSigner {
  const key = verifierKey(name, publicKey);
  return { name, keyId: key.keyId, sign };
}

function checkText(text: string, what: string): void {
  if (hasLoneSurrogate(text)) throw new NoteError(`${what} is not valid Unicode (lone surrogate)`);
  const c = CONTROL.exec(text);
  if (c) throw new NoteError(`${what} contains control character U+${c[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at offset ${c.index}`);
}

function keyIdBytes(id: number): Uint8Array {
  return new Uint8Array([id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]);
}

/** text + blank line + one signature line per signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text, 'note text');
  if (text.length === 0 || !text.endsWith('\n')) throw new NoteError('note text must be non-empty and end with a newline');
  if (signers.length === 0) throw new NoteError('a note needs at least one signer');
  const message = utf8(text);
  const lines = signers.map((s) => {
    if (!isValidKeyName(s.name)) throw new NoteError(`key name ${JSON.stringify(s.name)} is invalid`);
    const sig = s.sign(message);
    if (!(sig instanceof Uint8Array) || sig.length === 0) throw new NoteError(`signer ${s.name} returned no signature`);
    return `${SIG_PREFIX}${s.name} ${toBase64(concatBytes(keyIdBytes(s.keyId), sig))}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/** Splits a note into text and signatures and checks their syntax; verifies nothing. */
export function parseNote(note: string | Uint8Array): Note {
  const msg = typeof note === 'string' ? note : fromUtf8Note(note);
  checkText(msg, 'note');
  // The text may itself hold blank lines: the last one separates it from the signatures.
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('note has no blank line before its signatures');
  const text = msg.slice(0, split + 1);
  const block = msg.slice(split + 2);
  if (block.length === 0) throw new NoteError('note has no signature lines');
  if (!block.endsWith('\n')) throw new NoteError('note does not end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`note has ${lines.length} signatures, more than the ${MAX_SIGNATURES} accepted`);
  const signatures = lines.map((line, i): NoteSignature => {
    const where = `signature line ${i + 1}`;
    if (!line.startsWith(SIG_PREFIX)) throw new NoteError(`${where} does not start with an em dash (U+2014) and a space`);
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space < 0) throw new NoteError(`${where} has no space between the key name and the signature`);
    const name = rest.slice(0, space);
    if (!isValidKeyName(name)) throw new NoteError(`${where}: key name ${JSON.stringify(name)} is invalid`);
    let raw: Uint8Array;
    try {
      raw = fromBase64(rest.slice(space + 1), `${where}: signature`);
    } catch (e) {
      throw new NoteError((e as Error).message);
    }
    if (raw.length < 5) throw new NoteError(`${where}: signature has ${raw.length} bytes, fewer than a 4-byte key id and a signature`);
    const keyId = ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0;
    return { name, keyId, signature: raw.slice(4) };
  });
  return { text, signatures };
}

function fromUtf8Note(bytes: Uint8Array): string {
  try {
    return fromUtf8(bytes, 'note');
  } catch (e) {
    throw new NoteError((e as Error).message);
  }
}

export interface VerifiedNote {
  text: string;
  /** the signatures of known keys, all verified */
  verified: NoteSignature[];
}

/**
 * Verifies a note against one or more known keys, following the spec: signatures of unknown keys
 * are ignored, a known key's signature that fails rejects the whole note, and at least one known
 * key must have signed. `verify` lets Node pass node:crypto's faster Ed25519.
 */
export function verifyNote(note: string | Uint8Array, keys: NoteVerifierKey | readonly NoteVerifierKey[], verify: Ed25519VerifyFn = nobleEd25519Verify): VerifiedNote {
  const known = Array.isArray(keys) ? (keys as readonly NoteVerifierKey[]) : [keys as NoteVerifierKey];
  const parsed = parseNote(note);
  const message = utf8(parsed.text);
  const seen = new Set<string>();
  const verified: NoteSignature[] = [];
  for (const sig of parsed.signatures) {
    const key = known.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    const id = `${sig.name}+${keyIdHex(sig.keyId)}`;
    // As in Go: the first signature of a key decides; repeats are ignored.
    if (!key || seen.has(id)) continue;
    seen.add(id);
    if (sig.signature.length !== 64) throw new NoteError(`signature by ${id} has ${sig.signature.length} bytes, Ed25519 needs 64`);
    if (!verify(sig.signature, message, key.publicKey)) throw new NoteError(`signature by ${id} does not verify`);
    verified.push(sig);
  }
  if (verified.length === 0) {
    const by = parsed.signatures.map((s) => `${s.name}+${keyIdHex(s.keyId)}`).join(', ');
    throw new NoteError(`note is not signed by ${known.map((k) => `${k.name}+${keyIdHex(k.keyId)}`).join(' or ')} (signed by ${by})`);
  }
  return { text: parsed.text, verified };
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
  /** optional extra lines, each non-empty */
  extensions: string[];
}

export function formatCheckpoint(cp: Checkpoint): string {
  if (cp.origin.length === 0 || cp.origin.includes('\n')) throw new NoteError('checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new NoteError(`checkpoint size ${cp.size} is not a non-negative integer`);
  if (cp.root.length !== HASH_SIZE) throw new NoteError(`checkpoint root has ${cp.root.length} bytes, not ${HASH_SIZE}`);
  for (const ext of cp.extensions) if (ext.length === 0 || ext.includes('\n')) throw new NoteError('checkpoint extension lines must be single non-empty lines');
  const text = [cp.origin, String(cp.size), toBase64(cp.root), ...cp.extensions].map((l) => `${l}\n`).join('');
  checkText(text, 'checkpoint');
  return text;
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('checkpoint does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError(`checkpoint has ${lines.length} lines, at least 3 needed (origin, size, root)`);
  const empty = lines.findIndex((l) => l.length === 0);
  if (empty >= 0) throw new NoteError(`checkpoint line ${empty + 1} is empty`);
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new NoteError(`checkpoint size ${JSON.stringify(sizeText)} is not a decimal number without leading zeros`);
  let root: Uint8Array;
  try {
    root = fromBase64(rootText, 'checkpoint root');
  } catch (e) {
    throw new NoteError((e as Error).message);
  }
  if (root.length !== HASH_SIZE) throw new NoteError(`checkpoint root has ${root.length} bytes, not ${HASH_SIZE}`);
  return { origin, size: Number(sizeText), root, extensions };
}

/** A checkpoint note verified against the log's key and, when given, its expected origin. */
export function openCheckpoint(note: string, key: NoteVerifierKey, origin?: string, verify?: Ed25519VerifyFn): Checkpoint {
  const cp = parseCheckpoint(verifyNote(note, key, verify).text);
  if (origin !== undefined && cp.origin !== origin) throw new NoteError(`checkpoint origin ${JSON.stringify(cp.origin)} is not the log's ${JSON.stringify(origin)}`);
  return cp;
}
