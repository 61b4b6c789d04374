import { samePoints } from './findings.js';
import { fromBase64 } from './encoding.js';
import { LeafSchema } from './leaf.js';
import { leafHashOfText, verifyConsistency, verifyInclusion } from './merkle.js';
import { parseReceiptText, type Receipt } from './receipt.js';
import { keyIdHex, openCheckpoint, parseNote, parseVerifierKey, verifyNote, type NoteVerifierKey } from './signed-note.js';

/**
 * A candidate's check of their receipt against the server that issued it, as the /verify/ page
 * runs it in the browser: the receipt's signature under the log's key, then, once the sitting is
 * closed, the finish leaf it names, its inclusion under the receipt's root, and the consistency
 * of that root with the latest signed checkpoint. Portable: the caller supplies the fetching.
 */
export interface LogInfoLike {
  origin: string;
  verifierKey: string;
  /** the seed, published once the sitting is closed (null before) */
  seed: string | null;
}

export interface LogProofLike {
  leafIndex: number;
  leaf: string;
  size: number;
  inclusion: string[];
  checkpoint: string;
  checkpointSize: number;
  consistency: string[];
}

export interface ReceiptSource {
  logInfo(sittingId: string): Promise<LogInfoLike>;
  proof(sittingId: string, leaf: number, size: number): Promise<LogProofLike>;
}

export type StepStatus = 'ok' | 'failed' | 'waiting';
export interface ReceiptStep {
  id: 'format' | 'key' | 'signature' | 'leaf' | 'inclusion' | 'checkpoint' | 'consistency';
  status: StepStatus;
  /** what was found, in English (the verifier's words; a failure's names what failed) */
  detail: string;
  /** what a passed step found beyond the receipt itself, for a page that says it in its own language */
  facts?: { keyGiven?: boolean; endReason?: string; checkpointSize?: number };
}

export interface ReceiptCheckResult {
  /** verified: every step passed; signed: the signature holds and the log's proofs wait for the close; failed: a step failed */
  verdict: 'verified' | 'signed' | 'failed';
  receipt: Receipt | null;
  key: NoteVerifierKey | null;
  steps: ReceiptStep[];
}

/** The note as pasted: Windows line ends, trailing spaces and a missing last newline are forgiven. */
export function normalizeReceipt(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[ \t]+$/, ''));
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n') + '\n';
}

export async function checkReceipt(text: string, source: ReceiptSource, publishedKey?: string): Promise<ReceiptCheckResult> {
  const steps: ReceiptStep[] = [];
  const done = (verdict: ReceiptCheckResult['verdict'], receipt: Receipt | null, key: NoteVerifierKey | null): ReceiptCheckResult => ({ verdict, receipt, key, steps });
  const fail = (id: ReceiptStep['id'], detail: string, receipt: Receipt | null = null, key: NoteVerifierKey | null = null) => {
    steps.push({ id, status: 'failed', detail });
    return done('failed', receipt, key);
  };

  const note = normalizeReceipt(text);
  let receipt: Receipt;
  try {
    receipt = parseReceiptText(parseNote(note).text);
  } catch (e) {
    return fail('format', `not a Kaca receipt: ${(e as Error).message}`);
  }
  steps.push({ id: 'format', status: 'ok', detail: `receipt of ${receipt.registrationNumber} in sitting ${receipt.sittingId}` });

  let info: LogInfoLike;
  try {
    info = await source.logInfo(receipt.sittingId);
  } catch (e) {
    return fail('key', `the log of sitting ${receipt.sittingId} cannot be read here: ${(e as Error).message}`, receipt);
  }
  let key: NoteVerifierKey;
  try {
    key = parseVerifierKey(publishedKey?.trim() || info.verifierKey);
  } catch (e) {
    return fail('key', `the key is not a verifier key: ${(e as Error).message}`, receipt);
  }
  if (receipt.origin !== info.origin) return fail('key', `the receipt is for log ${receipt.origin}, but this server keeps ${info.origin}`, receipt, key);
  steps.push({ id: 'key', status: 'ok', detail: `log ${info.origin}, key ${key.name} (id ${keyIdHex(key.keyId)})${publishedKey?.trim() ? ', as you gave it' : ', as this server publishes it: compare the id with the one posted in the hall'}`, facts: { keyGiven: !!publishedKey?.trim() } });

  try {
    verifyNote(note, key);
  } catch (e) {
    return fail('signature', `the signature does not verify: ${(e as Error).message}`, receipt, key);
  }
  steps.push({ id: 'signature', status: 'ok', detail: `signed by ${key.name}: the scores, paper and answers are as the server recorded them at leaf ${receipt.leafIndex}` });

  if (info.seed === null) {
    steps.push({ id: 'inclusion', status: 'waiting', detail: 'the sitting is still running: the proof that the log keeps this receipt is published when it closes' });
    return done('signed', receipt, key);
  }

  let proof: LogProofLike;
  try {
    proof = await source.proof(receipt.sittingId, receipt.leafIndex, receipt.logSize);
  } catch (e) {
    return fail('inclusion', `the log's proof cannot be read: ${(e as Error).message}`, receipt, key);
  }
  const parsed = LeafSchema.safeParse(safeJson(proof.leaf));
  const leaf = parsed.success ? parsed.data : null;
  if (!leaf || leaf.type !== 'finish' || leaf.i !== receipt.leafIndex || leaf.reg !== receipt.registrationNumber) {
    return fail('leaf', `leaf ${receipt.leafIndex} is not this candidate's finish`, receipt, key);
  }
  for (const [section, points] of receipt.scores) {
    if (!Object.hasOwn(leaf.scores, section) || !samePoints(leaf.scores[section], points)) return fail('leaf', `the log gives ${section} ${leaf.scores[section]}, the receipt ${points}`, receipt, key);
  }
  steps.push({ id: 'leaf', status: 'ok', detail: `leaf ${leaf.i}: ${leaf.reg} finished (${leaf.reason}) with ${receipt.scores.map(([s, p]) => `${s} ${p}`).join(', ')}`, facts: { endReason: leaf.reason } });

  if (!verifyInclusion(leafHashOfText(proof.leaf), receipt.leafIndex, receipt.logSize, proof.inclusion.map((h) => fromBase64(h)), receipt.logRoot)) {
    return fail('inclusion', `leaf ${receipt.leafIndex} is not under the receipt's root: the log differs from the one the receipt came from`, receipt, key);
  }
  steps.push({ id: 'inclusion', status: 'ok', detail: `included in the log of ${receipt.logSize} leaves the receipt names` });

  let cp;
  try {
    cp = openCheckpoint(proof.checkpoint, key, info.origin);
  } catch (e) {
    return fail('checkpoint', `the latest checkpoint does not verify: ${(e as Error).message}`, receipt, key);
  }
  steps.push({ id: 'checkpoint', status: 'ok', detail: `the latest checkpoint, ${cp.size} leaves, is signed by ${key.name}`, facts: { checkpointSize: cp.size } });
  if (cp.size < receipt.logSize || !verifyConsistency(receipt.logSize, cp.size, receipt.logRoot, cp.root, proof.consistency.map((h) => fromBase64(h)))) {
    return fail('consistency', `the log of ${receipt.logSize} leaves is not a prefix of the checkpoint's ${cp.size}: the log was rewritten after this receipt`, receipt, key);
  }
  steps.push({ id: 'consistency', status: 'ok', detail: `the log has only grown since: its ${receipt.logSize} leaves are the first of the checkpoint's ${cp.size}`, facts: { checkpointSize: cp.size } });
  return done('verified', receipt, key);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
