import type { CandidateItem, CandidateState, PracticeItem, SectionInfo, TimePush } from '../contract/candidate.js';
import type { Question } from '../contract/question.js';
import type { ScoreboardDelta, ScoreboardSitting, ScoreboardSnapshot } from '../contract/scoreboard.js';
import type { Catalog, Sitting } from './catalog.js';
import type { Examinee } from './examinee.js';
import type { LivePaper } from './paper.js';
import { RawJson } from './raw-json.js';
import { remainingMs } from './timing.js';

/** What the candidate is sent: the paper's items are JSON text already (see paperItems). */
export type CandidateView = Omit<CandidateState, 'items'> & { items: RawJson<CandidateItem[]> | null };

/**
 * A question's candidate-facing JSON, serialized once and kept on the (immutable, cached) question
 * object itself: a symbol-keyed slot is read far faster than a WeakMap entry, and a hall's login
 * reads 110 of them per paper.
 */
const FRAGMENT = Symbol('candidate-json');
type Fragment = { head: string; options: string[] };
function fragment(q: Question): Fragment {
  const held = q as Question & { [FRAGMENT]?: Fragment };
  return (held[FRAGMENT] ??= { head: `"section":${JSON.stringify(q.section)},"stem":${JSON.stringify(q.stem)}`, options: q.options.map((o) => JSON.stringify(o)) });
}

/** Serializes every question of a bank ahead of the login rush (a hall logs in at one minute). */
export function warmFragments(questions: Iterable<Question>): void {
  for (const q of questions) fragment(q);
}

/**
 * The candidate's view of their paper, and the only place questions become what a candidate
 * receives: section, stem and options in the candidate's shuffled order. No key, weight, bank
 * id or shuffle mapping. Built as JSON text from per-question fragments: a hall logging in at
 * once would otherwise serialize the same question texts thousands of times.
 */
function paperItems(paper: LivePaper): RawJson<CandidateItem[]> {
  // one item a string, joined once: join makes one flat string. Appending everything to one
  // string was quicker here, but left a rope of some 1,600 pieces that the socket then had to
  // flatten to measure and write it (160-220 us a login during a storm, against 13-22 us now).
  const parts: string[] = new Array(paper.length);
  for (let i = 0; i < paper.length; i++) {
    const f = fragment(paper.questions[i]);
    let options = f.options[paper.bankIndex(i, 0)];
    for (let k = 1; k < f.options.length; k++) options += ',' + f.options[paper.bankIndex(i, k)];
    parts[i] = '{"n":' + i + ',' + f.head + ',"options":[' + options + ']}';
  }
  return new RawJson('[' + parts.join(',') + ']');
}

function sectionInfo(catalog: Catalog): SectionInfo[] {
  let from = 0;
  return catalog.template.sections.map((sec) => {
    const info = { id: sec.id, title: sec.title, from, to: from + sec.questionCount - 1 };
    from += sec.questionCount;
    return info;
  });
}

/** A new clock for the candidate: how much time is left and, for an extension, how much was added (never why). */
export function timePush(e: Examinee, now: number, addedMs?: number): TimePush {
  const clock = e.attempt!.clock;
  return { remainingMs: remainingMs(clock, now), serverTime: now, paused: clock.pausedSince !== null, ...(addedMs !== undefined ? { addedMs } : {}) };
}

/** The sitting as its candidates see it, on every status change: a start moves the waiting screens on at once. */
export function candidateSitting(sitting: Sitting): CandidateState['sitting'] {
  return { id: sitting.id, name: sitting.name, status: sitting.status, site: sitting.site, room: sitting.room };
}

/** What every candidate's view shares: the practice round's items, and where receipts are checked. */
export interface CandidateExtras {
  practice: () => PracticeItem[];
  /** the public address of the receipt check, when the server knows it (KACA_PUBLIC_URL) */
  verifyUrl: string | null;
}

export function candidateView(e: Examinee, sitting: Sitting, catalog: Catalog, now: number, extras: CandidateExtras): CandidateView {
  const a = e.attempt;
  const ended = a?.state === 'finished' || a?.state === 'terminated';
  return {
    sitting: candidateSitting(sitting),
    candidate: { registrationNumber: e.profile.registrationNumber, name: e.profile.name, formation: e.profile.formation, group: e.profile.group, photoUrl: e.profile.photoUrl },
    attempt: {
      state: a?.state ?? 'waiting',
      paused: !!a && a.clock.pausedSince !== null,
      remainingMs: a && !ended ? remainingMs(a.clock, now) : 0,
      durationMs: a ? a.clock.durationMs + a.clock.extensionMs : 0,
      serverTime: now,
      endReason: a?.endReason ?? null,
    },
    sections: sectionInfo(catalog),
    items: a?.state === 'in_progress' && e.paper ? paperItems(e.paper) : null,
    answers: e.answers.map((v) => (v < 0 ? null : v)),
    flags: e.flags.map((v) => v === 1),
    lastSeq: e.lastSeq,
    resumeAt: e.lastItem ?? 0,
    result: e.result,
    practice: sitting.practice && (!a || a.state === 'waiting' || a.state === 'admitted') ? extras.practice() : null,
    verifyUrl: extras.verifyUrl,
  };
}

/**
 * A wire type as the server hands it to the encoder: a CandidateView where the wire has a
 * CandidateState, and a board snapshot, delta or list of boards possibly serialized already (one
 * text for every viewer).
 */
export type AsSent<T> = T extends CandidateState
  ? CandidateView
  : T extends ScoreboardSnapshot
    ? ScoreboardSnapshot | RawJson<ScoreboardSnapshot>
    : T extends ScoreboardDelta
      ? ScoreboardDelta | RawJson<ScoreboardDelta>
      : T extends ScoreboardSitting[]
        ? T | RawJson<T>
        : T;
type SentArgs<A> = { [K in keyof A]: AsSent<A[K]> };
/** An event map whose payloads (and ack data) are given as the server sends them. */
export type SentEvents<M> = { [E in keyof M]: M[E] extends (...args: infer A) => void ? (...args: SentArgs<A>) => void : M[E] };
