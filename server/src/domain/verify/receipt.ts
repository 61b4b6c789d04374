import { fromBase64, toBase64, utf8 } from './encoding.js';
import { HASH_SIZE, type Hash } from './merkle.js';
import { signNote, verifyNote, type Ed25519VerifyFn, type NoteSigner, type NoteVerifierKey } from './signed-note.js';

/**
 * A candidate's receipt: a signed note (same key as the log's checkpoints) whose text is ten
 * fixed lines, in this order, each "<keyword> <value>" and ending in a newline:
 *
 *   kaca-receipt/v1
 *   origin <log origin>
 *   sitting <sitting id>
 *   reg <registration number>
 *   paper <hex paperHash of the dealt paper>
 *   answers <hex answersHash of the final choices>
 *   scores <section>=<points> ...      (template order, one space between)
 *   total <sum of the scores, added in the order listed>
 *   leaf <index of the candidate's finish leaf>
 *   log <tree size> <base64 root hash>  (the log right after the finish leaf was appended)
 *
 * Numbers are written as JavaScript prints them (String(n)); a parser accepts that spelling only.
 * With an SKD paper and a 40-character origin the whole note is about 490 bytes: one QR code.
 */
export const RECEIPT_HEADER = 'kaca-receipt/v1';
export const RECEIPT_QR_MAX_BYTES = 600;

export interface Receipt {
  origin: string;
  sittingId: string;
  registrationNumber: string;
  paperHash: string;
  answersHash: string;
  /** [section, points] in template order */
  scores: [string, number][];
  total: number;
  leafIndex: number;
  logSize: number;
  logRoot: Hash;
}
export type ReceiptFields = Omit<Receipt, 'total'>;

export class ReceiptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiptError';
  }
}

const TOKEN = /^[^\s]+$/;
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REG = /^[A-Za-z0-9._-]{1,40}$/;
const HEX32 = /^[0-9a-f]{64}$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-][0-9]+)?$/;
const INDEX = /^(0|[1-9][0-9]*)$/;

export function receiptTotal(scores: readonly (readonly [string, number])[]): number {
  return scores.reduce((sum, [, points]) => sum + points, 0);
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new ReceiptError(message);
}

function checkFields(r: ReceiptFields): void {
  check(TOKEN.test(r.origin), 'origin must be one token without spaces');
  check(SLUG.test(r.sittingId), `sitting id ${JSON.stringify(r.sittingId)} is not a slug`);
  check(REG.test(r.registrationNumber), `registration number ${JSON.stringify(r.registrationNumber)} is invalid`);
  check(HEX32.test(r.paperHash), 'paper hash must be 64 lowercase hex digits');
  check(HEX32.test(r.answersHash), 'answers hash must be 64 lowercase hex digits');
  check(r.scores.length > 0, 'a receipt needs at least one section score');
  const seen = new Set<string>();
  for (const [section, points] of r.scores) {
    check(SLUG.test(section), `section ${JSON.stringify(section)} is not a slug`);
    check(!seen.has(section), `section ${section} is listed twice`);
    check(Number.isFinite(points), `section ${section} has a non-finite score`);
    seen.add(section);
  }
  check(Number.isSafeInteger(r.leafIndex) && r.leafIndex >= 0, 'leaf index must be a non-negative integer');
  check(Number.isSafeInteger(r.logSize) && r.logSize > r.leafIndex, `log size ${r.logSize} must be larger than the leaf index ${r.leafIndex}`);
  check(r.logRoot.length === HASH_SIZE, `log root must be ${HASH_SIZE} bytes`);
}

export function buildReceiptText(r: ReceiptFields): string {
  checkFields(r);
  const lines = [
    RECEIPT_HEADER,
    `origin ${r.origin}`,
    `sitting ${r.sittingId}`,
    `reg ${r.registrationNumber}`,
    `paper ${r.paperHash}`,
    `answers ${r.answersHash}`,
    `scores ${r.scores.map(([s, p]) => `${s}=${String(p)}`).join(' ')}`,
    `total ${String(receiptTotal(r.scores))}`,
    `leaf ${r.leafIndex}`,
    `log ${r.logSize} ${toBase64(r.logRoot)}`,
  ];
  return lines.map((l) => `${l}\n`).join('');
}

function parseNumber(text: string, what: string): number {
  const n = Number(text);
  check(NUMBER.test(text) && Number.isFinite(n) && String(n) === text, `${what} ${JSON.stringify(text)} is not a number in its canonical spelling`);
  return n;
}

function parseIndex(text: string, what: string): number {
  check(INDEX.test(text) && Number.isSafeInteger(Number(text)), `${what} ${JSON.stringify(text)} is not a non-negative integer`);
  return Number(text);
}

/** Strict: exactly the ten lines, keywords in order, single spaces, canonical numbers. */
export function parseReceiptText(text: string): Receipt {
  check(text.endsWith('\n'), 'receipt text does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  check(lines[0] === RECEIPT_HEADER, `receipt must start with ${RECEIPT_HEADER}, got ${JSON.stringify(lines[0])}`);
  check(lines.length === 10, `receipt has ${lines.length} lines, expected 10`);
  const keywords = ['origin', 'sitting', 'reg', 'paper', 'answers', 'scores', 'total', 'leaf', 'log'];
  const values = keywords.map((k, i) => {
    const line = lines[i + 1];
    check(line.startsWith(`${k} `) && line.length > k.length + 1, `receipt line ${i + 2} must be "${k} <value>", got ${JSON.stringify(line)}`);
    return line.slice(k.length + 1);
  });
  const [origin, sittingId, registrationNumber, paperHash, answersHash, scoresText, totalText, leafText, logText] = values;
  const scores = scoresText.split(' ').map((pair): [string, number] => {
    const eq = pair.indexOf('=');
    check(eq > 0, `score ${JSON.stringify(pair)} is not <section>=<points>`);
    return [pair.slice(0, eq), parseNumber(pair.slice(eq + 1), `score of ${pair.slice(0, eq)}`)];
  });
  const total = parseNumber(totalText, 'total');
  check(total === receiptTotal(scores), `total ${total} is not the sum of the scores (${receiptTotal(scores)})`);
  const log = logText.split(' ');
  check(log.length === 2, `log line must be "log <size> <root>", got ${JSON.stringify(`log ${logText}`)}`);
  let logRoot: Uint8Array;
  try {
    logRoot = fromBase64(log[1], 'log root');
  } catch (e) {
    throw new ReceiptError((e as Error).message);
  }
  const r: Receipt = {
    origin,
    sittingId,
    registrationNumber,
    paperHash,
    answersHash,
    scores,
    total,
    leafIndex: parseIndex(leafText, 'leaf index'),
    logSize: parseIndex(log[0], 'log size'),
    logRoot,
  };
  checkFields(r);
  return r;
}

export function signReceipt(r: ReceiptFields, signer: NoteSigner): string {
  return signNote(buildReceiptText(r), [signer]);
}

/** Checks the log's signature, then the text; throws NoteError or ReceiptError saying what is wrong. */
export function verifyReceipt(note: string, key: NoteVerifierKey, verify?: Ed25519VerifyFn): Receipt {
  return parseReceiptText(verifyNote(note, key, verify).text);
}

/** The string to put in a QR code: the signed note itself, refused when it would not fit comfortably. */
export function receiptQrPayload(note: string): string {
  const size = utf8(note).length;
  if (size > RECEIPT_QR_MAX_BYTES) throw new ReceiptError(`receipt note is ${size} bytes, more than the ${RECEIPT_QR_MAX_BYTES} a QR code should carry`);
  return note;
}
