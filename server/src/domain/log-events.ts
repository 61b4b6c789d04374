import type { ExamTemplate } from '../contract/exam.js';
import type { Question } from '../contract/question.js';
import type { Catalog, Sitting } from './catalog.js';
import type { Examinee } from './examinee.js';
import type { LivePaper } from './paper.js';
import type { SectionScores } from './scoring.js';
import { answersHash, bankCommitment, mixSeed, paperHash, seedCommitment, templateCommitment } from './verify/commitments.js';
import type { Leaf } from './verify/leaf.js';
import type { Write } from './writes.js';

/**
 * The sitting's log (docs/verifiability.md) as the core writes it: each decision that changes an
 * attempt adds the event it logs to its writes, and the writer numbers, encodes, hashes and
 * appends it in commit order. Events carry what the public may see of the change and nothing
 * else: positions in the candidate's paper, never a question id or a key. Proctors' reasons stay
 * in the audit log (they may name people); the log says only that the action happened.
 */
export type LogEvent = Leaf extends infer L ? (L extends Leaf ? Omit<L, 'v' | 'i'> : never) : never;

export function logged(sittingId: string, event: LogEvent): Write {
  return { kind: 'log', sittingId, event };
}

/** The seed a sitting's papers are dealt from: its own, or mixed with the beacon's value once entered. */
export function dealSeed(s: Pick<Sitting, 'seed' | 'beaconRound' | 'beaconRandomness'>): string | null {
  if (s.beaconRound === null) return s.seed;
  return s.beaconRandomness === null ? null : mixSeed(s.seed, s.beaconRandomness);
}

/** The form of a question the bank commitment hashes: every field it has, none it lacks. */
export function bankItem(q: Question): Question {
  const item: Question = { id: q.id, section: q.section, topic: q.topic, stem: q.stem, options: [...q.options] };
  if (q.difficulty != null) item.difficulty = q.difficulty;
  if (q.key != null) item.key = q.key;
  if (q.weights != null) item.weights = [...q.weights];
  return item;
}

const commitments = new WeakMap<Catalog, { bank: string; template: string }>();

/** The bank and template commitments of a catalog (worked out once: a large bank takes a while). */
export function catalogCommitments(catalog: Catalog): { bank: string; template: string } {
  let c = commitments.get(catalog);
  if (!c) {
    c = { bank: bankCommitment(catalog.dealt.map(bankItem)), template: templateCommitment(plainTemplate(catalog.template)) };
    commitments.set(catalog, c);
  }
  return c;
}

/** The template as JSON carries it, without undefined fields: what the commitment hashes and the export holds. */
export function plainTemplate(t: ExamTemplate): unknown {
  return JSON.parse(JSON.stringify(t)) as unknown;
}

export function sittingOpenEvent(s: Pick<Sitting, 'id' | 'seed' | 'beaconRound'>, catalog: Catalog, t: number): LogEvent {
  const c = catalogCommitments(catalog);
  const event: LogEvent = { type: 'sitting-open', t, sitting: s.id, seedCommitment: seedCommitment(s.seed), bankCommitment: c.bank, templateCommitment: c.template };
  if (s.beaconRound !== null) event.beaconRound = s.beaconRound;
  return event;
}

const paperHashes = new WeakMap<LivePaper, string>();

export function paperHashOf(paper: LivePaper): string {
  let h = paperHashes.get(paper);
  if (h === undefined) paperHashes.set(paper, (h = paperHash(paper.items())));
  return h;
}

/** The start of an attempt: which paper (by hash), how long, and what a blank paper scores. */
export function startEvent(e: Examinee, blank: SectionScores, t: number): LogEvent {
  return { type: 'start', t, reg: e.profile.registrationNumber, paper: paperHashOf(e.paper!), items: e.paper!.length, base: { ...blank } };
}

/**
 * The finish leaf and the receipt signed right after it, for an attempt that started (one that
 * never did has no start leaf, so nothing to finish in the log: it ends only in the results).
 */
export function finishWrites(e: Examinee, reason: 'candidate' | 'time' | 'terminated' | 'sitting-closed', sections: SectionScores, template: ExamTemplate, t: number): Write[] {
  if (e.attempt?.clock.startedAt == null || !e.paper) return [];
  const reg = e.profile.registrationNumber;
  const scores = template.sections.map((s): [string, number] => [s.id, sections[s.id] ?? 0]);
  return [
    logged(e.profile.sittingId, { type: 'finish', t, reg, reason, scores: { ...sections } }),
    {
      kind: 'receipt',
      candidateId: e.profile.id,
      sittingId: e.profile.sittingId,
      body: { registrationNumber: reg, paperHash: paperHashOf(e.paper), answersHash: answersHash(e.answers.map((v) => (v < 0 ? null : v))), scores },
    },
  ];
}
