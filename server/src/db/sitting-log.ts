import { createCipheriv, createHmac, createPrivateKey, createPublicKey, hash, sign, type Cipher, type KeyObject } from 'node:crypto';
import type { LogEvent } from '../domain/log-events.js';
import type { ReceiptBody } from '../domain/writes.js';
import { encodeLeaf, NONCE_PATTERN, REG_PATTERN, SECTION_ID_PATTERN, type Leaf } from '../domain/verify/leaf.js';
import { HASH_SIZE, leafHashOfText, MerkleAppender } from '../domain/verify/merkle.js';
import { signReceipt } from '../domain/verify/receipt.js';
import { useSha256 } from '../domain/verify/sha256.js';
import { ed25519Signer, formatCheckpoint, formatVerifierKey, signNote, type NoteSigner } from '../domain/verify/signed-note.js';

/**
 * The writer's side of the sitting logs (docs/verifiability.md): numbering, encoding, hashing and
 * appending each event, signing receipts and checkpoints, all inside the writer's transaction and
 * on the writer's thread, never on the event loop. Nothing is cached between transactions: each
 * reads the sitting's head (size and Merkle frontier) the first time it touches the sitting and
 * writes it back at the end, so a transaction that rolls back leaves no trace in memory either.
 */

/** The log's signing key as DATA_DIR keeps it (services/log-key.ts). */
export interface LogKey {
  /** the key's name in signatures and in the verifier key */
  name: string;
  /** PKCS#8 PEM of the Ed25519 private key */
  privateKeyPem: string;
}

/** One log per sitting, named after the key: "<key name>/<sitting id>". */
export function logOrigin(keyName: string, sittingId: string): string {
  return `${keyName}/${sittingId}`;
}

export function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
}

export function logVerifierKey(key: LogKey): string {
  return formatVerifierKey(key.name, rawPublicKey(createPrivateKey(key.privateKeyPem)));
}

export function logSigner(key: LogKey): NoteSigner {
  const privateKey = createPrivateKey(key.privateKeyPem);
  return ed25519Signer(key.name, rawPublicKey(privateKey), (message) => new Uint8Array(sign(null, message, privateKey)));
}

/** node:crypto's SHA-256 for every hash the writer takes: same bytes as @noble's, a third of the cost. */
export function useNodeSha256(): void {
  useSha256((data) => hash('sha256', data, 'buffer'));
}

/** The rows the log reads and writes, on the writer's connection. */
export interface LogStorage {
  head(sittingId: string): { size: number; frontier: string; checkpointSize: number; nonceSalt: string | null } | undefined;
  saveHead(sittingId: string, size: number, frontier: string, checkpointSize: number, nonceSalt: string | null): void;
  insertLeaf(sittingId: string, idx: number, leaf: string, hash: string): void;
  insertCheckpoint(sittingId: string, size: number, root: string, note: string, at: number): void;
  checkpointNote(sittingId: string, size: number): string | undefined;
  saveReceipt(candidateId: number, note: string): void;
}

interface Head {
  appender: MerkleAppender;
  checkpointSize: number;
  /** the last leaf this transaction appended, for the receipt that follows a finish */
  last: number;
  /** the salt of the log's answer-leaf nonces (its first leaf's seed commitment); null for a log begun before nonces */
  salt: string | null;
}

/**
 * The writer signs a checkpoint every this many leaves, besides the timed ones the board shows:
 * a verifier then locates a changed leaf within this many (the signature, about 0.1 ms on this
 * project's machine, costs the writer under a microsecond a leaf).
 */
export const CHECKPOINT_EVERY = 128;

const HEX32 = /^[0-9a-f]{64}$/;
const isTime = (t: number) => Number.isSafeInteger(t) && t >= 0;

/** Section scores in canonical JSON (keys in code-unit order), or null when the schema must judge them. */
function scoresJson(scores: Record<string, number>): string | null {
  const keys = Object.keys(scores).sort();
  let out = '{';
  for (let k = 0; k < keys.length; k++) {
    const v = scores[keys[k]];
    if (!SECTION_ID_PATTERN.test(keys[k]) || typeof v !== 'number' || !Number.isFinite(v)) return null;
    out += `${k === 0 ? '' : ','}"${keys[k]}":${v}`;
  }
  return out + '}';
}

/**
 * The canonical JSON of an event (keys in code-unit order, no spaces, numbers as JavaScript
 * prints them): answers and flags, nearly all of a log, are written out directly; the rest, and
 * any answer whose strings would need checking, go through the schema (encodeLeaf), which refuses
 * anything that is not a valid leaf. An answer's nonce comes as its own argument (an object spread
 * to add it to the event cost the writer a microsecond an answer).
 */
export function encodeEvent(event: LogEvent, i: number, answerNonce?: string): string {
  const nonce = event.type === 'answer' ? (answerNonce ?? event.nonce) : undefined;
  if (event.type === 'answer' && REG_PATTERN.test(event.reg) && SECTION_ID_PATTERN.test(event.section) && Number.isFinite(event.delta) && (nonce === undefined || NONCE_PATTERN.test(nonce))) {
    const { choice, delta, item, reg, section, seq, t } = event;
    return `{"choice":${choice === null ? 'null' : choice},"delta":${delta},"i":${i},"item":${item},${nonce === undefined ? '' : `"nonce":"${nonce}",`}"reg":"${reg}","section":"${section}","seq":${seq},"t":${t},"type":"answer","v":1}`;
  }
  if (event.type === 'flag' && REG_PATTERN.test(event.reg)) {
    return `{"flagged":${event.flagged},"i":${i},"item":${event.item},"reg":"${event.reg}","seq":${event.seq},"t":${event.t},"type":"flag","v":1}`;
  }
  // a hall's logins and starts, two leaves a candidate within the same minute (an event with a
  // field more than these goes to the schema, which refuses it)
  const fields = Object.keys(event).length;
  if (event.type === 'login' && fields === 3 && REG_PATTERN.test(event.reg) && isTime(event.t)) return `{"i":${i},"reg":"${event.reg}","t":${event.t},"type":"login","v":1}`;
  if (event.type === 'start' && fields === 6 && REG_PATTERN.test(event.reg) && isTime(event.t) && HEX32.test(event.paper) && Number.isInteger(event.items) && event.items >= 1 && event.items <= 10_000) {
    const base = scoresJson(event.base);
    if (base !== null) return `{"base":${base},"i":${i},"items":${event.items},"paper":"${event.paper}","reg":"${event.reg}","t":${event.t},"type":"start","v":1}`;
  }
  return encodeLeaf({ ...event, ...(nonce === undefined ? {} : { nonce }), v: 1, i } as Leaf);
}

function packFrontier(a: MerkleAppender): string {
  return Buffer.concat(a.frontier()).toString('base64');
}

function unpackFrontier(size: number, text: string): MerkleAppender {
  const bytes = Buffer.from(text, 'base64');
  const hashes: Uint8Array[] = [];
  for (let k = 0; k < bytes.length; k += HASH_SIZE) hashes.push(new Uint8Array(bytes.subarray(k, k + HASH_SIZE)));
  return MerkleAppender.resume(size, hashes);
}

/**
 * The nonces of answer leaves. Each log has its own key, HMAC-SHA256 of its salt (its first
 * leaf's seed commitment) under a key derived from the log's private key; leaf i's nonce is
 * AES-256 of i (16 bytes, big-endian) under it: 32 hex digits. Nobody without DATA_DIR's key can
 * work one out, so an answer leaf's hash cannot be recomputed from what its candidate knows; a key
 * and a sitting id used again on a fresh database give other nonces (another salt); and a leaf
 * gets the same nonce whichever writer appends it (a retried unit, a second writer beside the
 * first in the tests). A log's leaves are appended in order, so nonces are made 256 at a time:
 * one cipher call, a fraction of a microsecond a leaf, where an HMAC per leaf cost several.
 */
export class LeafNonces {
  private readonly key: Buffer;
  private readonly logs = new Map<string, { cipher: Cipher; from: number; hex: string }>();

  constructor(logKey: LogKey) {
    this.key = hash('sha256', `kaca leaf nonces\0${logKey.privateKeyPem}`, 'buffer');
  }

  of(salt: string, i: number): string {
    let log = this.logs.get(salt);
    if (!log) {
      if (this.logs.size >= 1000) this.logs.clear();
      const cipher = createCipheriv('aes-256-ecb', createHmac('sha256', this.key).update(salt).digest(), null).setAutoPadding(false);
      this.logs.set(salt, (log = { cipher, from: -1, hex: '' }));
    }
    if (log.from < 0 || i < log.from || i >= log.from + NONCE_BATCH) {
      const blocks = Buffer.alloc(16 * NONCE_BATCH);
      for (let j = 0; j < NONCE_BATCH; j++) {
        const n = i + j;
        blocks.writeUInt32BE(Math.floor(n / 2 ** 32), 16 * j + 8);
        blocks.writeUInt32BE(n % 2 ** 32, 16 * j + 12);
      }
      log.hex = log.cipher.update(blocks).toString('hex');
      log.from = i;
    }
    const at = (i - log.from) * 32;
    return log.hex.slice(at, at + 32);
  }
}
const NONCE_BATCH = 256;

export class SittingLogs {
  private readonly heads = new Map<string, Head>();
  private readonly signer: NoteSigner;
  private readonly nonces: LeafNonces;
  /** the nonce of the answer leaf just appended, until its answer_events row (the op that follows) takes it; null after any other leaf */
  private answerNonce: string | null = null;

  constructor(
    private readonly storage: LogStorage,
    private readonly key: LogKey,
  ) {
    this.signer = logSigner(key);
    this.nonces = new LeafNonces(key);
  }

  private head(sittingId: string): Head {
    let h = this.heads.get(sittingId);
    if (!h) {
      const row = this.storage.head(sittingId);
      h = { appender: row ? unpackFrontier(row.size, row.frontier) : new MerkleAppender(), checkpointSize: row?.checkpointSize ?? 0, last: -1, salt: row?.nonceSalt ?? null };
      this.heads.set(sittingId, h);
    }
    return h;
  }

  /**
   * Appends one event; returns its index. An answer's or a flag's leaf is not stored as text: it
   * is its answer_events row (which keeps the index), written by the op that follows, and read
   * back as the same bytes by repositories/log.ts. Every other leaf is a sitting_log row.
   */
  append(sittingId: string, event: LogEvent): number {
    const h = this.head(sittingId);
    const i = h.appender.size;
    if (i === 0 && event.type !== 'sitting-open') throw new Error(`the log of sitting ${sittingId} must open with sitting-open, not ${event.type}`);
    // a log takes its nonces' salt from its first leaf; one begun before nonces has none
    if (i === 0 && event.type === 'sitting-open') h.salt = event.seedCommitment;
    this.answerNonce = null;
    if (event.type === 'answer' && h.salt !== null) this.answerNonce = this.nonces.of(h.salt, i);
    const text = encodeEvent(event, i, this.answerNonce ?? undefined);
    const leafHash = leafHashOfText(text);
    h.appender.append(leafHash);
    h.last = i;
    if (event.type !== 'answer' && event.type !== 'flag') this.storage.insertLeaf(sittingId, i, text, Buffer.from(leafHash.buffer, leafHash.byteOffset, leafHash.length).toString('base64'));
    if (h.appender.size % CHECKPOINT_EVERY === 0) this.checkpoint(sittingId, event.t);
    return i;
  }

  /** The nonce of the answer leaf just appended, for its answer_events row; null after a flag leaf. */
  takeAnswerNonce(): string | null {
    const nonce = this.answerNonce;
    this.answerNonce = null;
    return nonce;
  }

  /** Signs a receipt over the log right after the candidate's finish leaf, appended just before in this transaction. */
  receipt(candidateId: number, sittingId: string, body: ReceiptBody): string {
    const h = this.head(sittingId);
    if (h.last < 0) throw new Error(`a receipt for candidate ${candidateId} must follow their finish leaf`);
    const note = signReceipt(
      { origin: logOrigin(this.key.name, sittingId), sittingId, ...body, leafIndex: h.last, logSize: h.appender.size, logRoot: h.appender.root() },
      this.signer,
    );
    this.storage.saveReceipt(candidateId, note);
    return note;
  }

  /** Signs and stores a checkpoint of the log as it stands (the latest one if it has not grown since); '' for an empty log. */
  checkpoint(sittingId: string, at: number): string {
    const h = this.head(sittingId);
    const size = h.appender.size;
    if (size === 0) return '';
    if (size === h.checkpointSize) return this.storage.checkpointNote(sittingId, size) ?? '';
    const root = h.appender.root();
    const note = signNote(formatCheckpoint({ origin: logOrigin(this.key.name, sittingId), size, root, extensions: [] }), [this.signer]);
    this.storage.insertCheckpoint(sittingId, size, Buffer.from(root).toString('base64'), note, at);
    h.checkpointSize = size;
    return note;
  }

  /** Writes back the heads this transaction changed (inside it), then forgets them. */
  flush(): void {
    for (const [sittingId, h] of this.heads) this.storage.saveHead(sittingId, h.appender.size, packFrontier(h.appender), h.checkpointSize, h.salt);
    this.heads.clear();
  }

  /** The transaction rolled back: nothing it appended counts. */
  discard(): void {
    this.heads.clear();
    this.answerNonce = null;
  }
}
