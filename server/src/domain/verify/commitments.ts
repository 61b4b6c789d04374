import { sha256 } from './sha256.js';
import { canonicalJson } from './canonical-json.js';
import { toHex, utf8 } from './encoding.js';
import { leafHashOfText, merkleRoot, type Hash } from './merkle.js';

/**
 * The hashes the engine publishes before or during a sitting and the verifier recomputes. Each
 * is SHA-256 over a domain tag and a canonical form, so no two kinds of commitment can collide
 * by having the same bytes (an empty paper and no answers are both "[]").
 */
function taggedHex(tag: string, body: string): string {
  return toHex(sha256(utf8(`${tag}\n${body}`)));
}

/** hex SHA-256("kaca-seed/v1\n" || seed): published when the sitting is created, seed revealed at close. */
export function seedCommitment(seed: string): string {
  return taggedHex('kaca-seed/v1', seed);
}

/**
 * The seed papers are dealt from when a public beacon round is mixed in: the operator fixes the
 * seed (committed) and the round before the beacon's value exists, so it cannot pick a seed
 * that deals someone a favourable paper.
 */
export function mixSeed(seed: string, beaconRandomness: string): string {
  return taggedHex('kaca-seed-mix/v1', `${seed}\n${beaconRandomness}`);
}

/**
 * hex SHA-256("kaca-template/v1\n" || canonical JSON of the template): the sections, their
 * question counts and marks, the time and the thresholds. Logged at sitting-open, so the rules
 * the scores were worked out under are fixed with the seed and the bank.
 */
export function templateCommitment(template: unknown): string {
  return taggedHex('kaca-template/v1', canonicalJson(template));
}

/** A question as the bank holds it; every field is hashed (key and weights included), `id` also orders the bank. */
export interface BankItem {
  readonly id: string;
}

/** RFC 6962 leaf hash of the question's canonical JSON. */
export function itemHash(question: BankItem): Hash {
  return leafHashOfText(canonicalJson(question));
}

const byId = (a: BankItem, b: BankItem) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Merkle root over the item hashes sorted by question id (UTF-16 order), as hex: the bank commitment. */
export function bankCommitment(bank: readonly BankItem[]): string {
  const sorted = [...bank].sort(byId);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].id === sorted[i - 1].id) throw new Error(`bank has question ${sorted[i].id} twice`);
  }
  return toHex(merkleRoot(sorted.map(itemHash)));
}

/** One item of a dealt paper, as deal.ts makes it. */
export interface DealtItem {
  questionId: string;
  section: string;
  /** optionOrder[shown position] = option index in the bank question */
  optionOrder: readonly number[];
}

/** hex SHA-256("kaca-paper/v1\n" || canonical JSON of [{questionId, section, optionOrder}, ...]). */
export function paperHash(items: readonly DealtItem[]): string {
  return taggedHex('kaca-paper/v1', paperJson(items));
}

const PLAIN = /^[\x20-\x7e]*$/;

/**
 * The canonical JSON paperHash hashes. Every candidate's start computes one, so the usual case
 * (ids and sections of printable ASCII, as the bank's schema makes them) is written out directly:
 * keys in code-unit order, integers as they print, strings as JSON.stringify writes them, which
 * is what canonical JSON prescribes. Anything else goes through canonicalJson.
 */
export function paperJson(items: readonly DealtItem[]): string {
  let out = '[';
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    if (!PLAIN.test(it.questionId) || !PLAIN.test(it.section) || !it.optionOrder.every((o) => Number.isSafeInteger(o))) {
      return canonicalJson(items.map((x) => ({ questionId: x.questionId, section: x.section, optionOrder: [...x.optionOrder] })));
    }
    out += `${k ? ',' : ''}{"optionOrder":[${it.optionOrder.join(',')}],"questionId":${JSON.stringify(it.questionId)},"section":${JSON.stringify(it.section)}}`;
  }
  return out + ']';
}

/**
 * hex SHA-256("kaca-answers/v1\n" || canonical JSON of the final choices): one entry per paper
 * position, the shown option position or null, exactly like CandidateState.answers.
 */
export function answersHash(answers: readonly (number | null)[]): string {
  return taggedHex('kaca-answers/v1', canonicalJson(answers));
}
