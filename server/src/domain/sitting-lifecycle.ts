import { ErrorCode } from '../contract/errors.js';
import { isOpen, type Sitting, type SittingStatus } from './catalog.js';
import { logged, sittingOpenEvent } from './log-events.js';
import { fail } from './errors.js';
import { accept, auditRecord, end, expiry, loginRecord, type Actor, type Context, type Decision, type Examinee, type Login } from './examinee.js';
import { admit, clockChange } from './proctor-actions.js';
import { extend, pause, resume } from './timing.js';
import type { Write } from './writes.js';

const NEXT: Record<'open' | 'running' | 'closed', SittingStatus[]> = { open: ['scheduled'], running: ['scheduled', 'open'], closed: ['scheduled', 'open', 'running'] };
const ACTION = { open: 'sitting-open', running: 'sitting-start', closed: 'sitting-close' } as const;

export interface SittingDecision {
  sitting: Sitting;
  /** the candidates a sitting-wide action changed, each with its own decision */
  candidates: Decision<unknown>[];
  writes: Write[];
  /** stored after the candidates' writes: the log's sitting-close leaf, which must be its last */
  closing?: Write[];
}

const RANDOMNESS = /^[0-9a-f]{64}$/;
const SIGNATURE = /^[0-9a-f]{96}$/;

/** A beacon round's value as entered at the start, its signature already checked by the shell (it takes a pairing). */
export interface BeaconValue {
  signature: string;
  randomness: string;
}

/**
 * Opens, starts or closes a sitting. Closing ends every attempt in progress (its answers so far
 * are its result) and every attempt admitted but never started (present, nothing answered); a
 * candidate never admitted is absent from then on (status.ts), which the boards must hear of.
 * Setting the status it already has changes nothing.
 */
export function decideSittingStatus(
  s: Sitting,
  to: 'open' | 'running' | 'closed',
  actor: Actor,
  reason: string,
  examinees: readonly Examinee[],
  ctx: Omit<Context, 'sitting'>,
  beacon: BeaconValue | null = null,
): SittingDecision {
  if (s.status === to) return { sitting: s, candidates: [], writes: [] };
  if (!NEXT[to].includes(s.status)) fail(ErrorCode.INVALID_STATE, `a ${s.status} sitting cannot become ${to}`);
  const starting = to === 'running';
  if (starting && s.beaconRound !== null && (beacon === null || !SIGNATURE.test(beacon.signature) || !RANDOMNESS.test(beacon.randomness))) {
    fail(ErrorCode.BAD_REQUEST, `this sitting mixes in beacon round ${s.beaconRound}: give that round's signature (96 hex digits) to start it`);
  }
  if (beacon !== null && !(starting && s.beaconRound !== null)) fail(ErrorCode.BAD_REQUEST, 'a beacon value is given only when starting a sitting that names a beacon round');
  const now = ctx.now;
  const sitting: Sitting = {
    ...s,
    status: to,
    openedAt: to === 'open' || (starting && !s.openedAt) ? now : s.openedAt,
    startedAt: starting ? now : s.startedAt,
    closedAt: to === 'closed' ? now : s.closedAt,
    beaconRandomness: starting ? (beacon?.randomness ?? null) : s.beaconRandomness,
    beaconSignature: starting ? (beacon?.signature ?? null) : s.beaconSignature,
    // the bank as it is when the sitting opens is the one it deals from to the end
    dealtWithout: s.status === 'scheduled' && to !== 'closed' ? [...ctx.catalog.retired].sort() : s.dealtWithout,
  };
  const status = {
    sittingId: s.id,
    status: to,
    openedAt: sitting.openedAt,
    startedAt: sitting.startedAt,
    closedAt: sitting.closedAt,
    beaconRandomness: sitting.beaconRandomness,
    beaconSignature: sitting.beaconSignature,
    dealtWithout: sitting.dealtWithout,
  };
  const writes: Write[] = [{ kind: 'sitting-status', record: status }, { kind: 'audit', record: auditRecord(actor, now, s.id, null, ACTION[to], reason, { from: s.status, to }) }];
  // the log opens with the commitments, before anyone can log in; it closes after the last finish
  // (a sitting called off before it opened has no log)
  if (s.status === 'scheduled' && to !== 'closed') writes.push(logged(s.id, sittingOpenEvent(sitting, ctx.catalog, now)));
  if (starting) writes.push(logged(s.id, beacon === null ? { type: 'sitting-start', t: now } : { type: 'sitting-start', t: now, beaconRandomness: beacon.randomness, beaconSignature: beacon.signature }));
  if (to !== 'closed') return { sitting, candidates: [], writes };
  const candidates = examinees.map((e) => closing(e, now, { ...ctx, sitting })).filter((d): d is Decision<unknown> => d !== null);
  return { sitting, candidates, writes, closing: s.status === 'scheduled' ? [] : [logged(s.id, { type: 'sitting-close', t: now })] };
}

function closing(e: Examinee, now: number, ctx: Context): Decision<unknown> | null {
  const state = e.attempt?.state;
  if (state === 'in_progress' || state === 'admitted') return end(e, 'sitting-closed', now, ctx);
  // never admitted: nothing to store, but every board now shows them absent
  if (!state || state === 'waiting') return accept(e, undefined, [], [{ kind: 'changed', audience: 'all' }]);
  return null;
}

/**
 * Candidates whose pause now is a proctor's pause of them alone (a PC being repaired), not the
 * hall's: the audit entry of that pause is the moment their clock stopped.
 */
export function pausedAlone(examinees: readonly Examinee[], audit: readonly { action: string; at: number; candidateId: number | null }[]): Set<number> {
  const ownPause = new Map<number, number>();
  for (const a of audit) if (a.action === 'pause' && a.candidateId !== null) ownPause.set(a.candidateId, Math.max(ownPause.get(a.candidateId) ?? -Infinity, a.at));
  const alone = new Set<number>();
  for (const e of examinees) {
    const since = e.attempt?.state === 'in_progress' ? e.attempt.clock.pausedSince : null;
    if (since !== null && since !== undefined && ownPause.get(e.profile.id) === since) alone.add(e.profile.id);
  }
  return alone;
}

/**
 * Pauses (or resumes) every attempt in progress at once: a power or network cut in the hall. A
 * resume leaves paused those a proctor paused on their own (`alone`, see pausedAlone).
 */
export function decideSittingPause(
  s: Sitting,
  resuming: boolean,
  actor: Actor,
  reason: string,
  examinees: readonly Examinee[],
  ctx: Omit<Context, 'sitting'>,
  hallPaused: boolean,
  alone: ReadonlySet<number> = new Set(),
): SittingDecision {
  if (s.status !== 'running') fail(ErrorCode.INVALID_STATE, `the sitting can be paused or resumed only while it runs (it is ${s.status})`);
  // a resume of the hall leaves alone whoever a proctor paused on their own (a PC being
  // repaired): their own resume, from their row, ends that pause
  const targets = examinees.filter((e) => e.attempt?.state === 'in_progress' && (resuming ? e.attempt.clock.pausedSince !== null && !alone.has(e.profile.id) : e.attempt.clock.pausedSince === null));
  // nothing to do is refused, not written to the berita acara as "0 candidates"
  if (targets.length === 0 && hallPaused !== resuming) fail(ErrorCode.INVALID_STATE, resuming ? 'nobody is paused by the sitting and the sitting is not paused (a candidate paused on their own is resumed from their row)' : 'the sitting is paused already');
  const candidates = targets.map((e): Decision<unknown> => {
    // one whose time ran out before the pause ends now, at its deadline
    const ended = expiry(e, { ...ctx, sitting: s });
    if (ended) return ended;
    const clock = resuming ? resume(e.attempt!.clock, ctx.now) : pause(e.attempt!.clock, ctx.now);
    return clockChange(e, clock, resuming ? 'exam:resumed' : 'exam:paused', ctx.now);
  });
  const writes: Write[] = [{ kind: 'audit', record: auditRecord(actor, ctx.now, s.id, null, resuming ? 'sitting-resume' : 'sitting-pause', reason, { candidates: targets.length }) }];
  return { sitting: s, candidates, writes };
}

/**
 * Gives every attempt in progress the same extra minutes at once: after the server or the hall's
 * network was down (the clocks kept running, time being the server's), or an announced delay.
 * An attempt whose time has already run out is ended at its deadline instead, as the sweep would.
 */
export function decideSittingExtend(s: Sitting, minutes: number, actor: Actor, reason: string, examinees: readonly Examinee[], ctx: Omit<Context, 'sitting'>): SittingDecision {
  if (s.status !== 'running') fail(ErrorCode.INVALID_STATE, `time can be added only while the sitting runs (it is ${s.status})`);
  const addedMs = Math.round(minutes * 60_000);
  const targets = examinees.filter((e) => e.attempt?.state === 'in_progress');
  let extended = 0;
  const candidates = targets.map((e): Decision<unknown> => {
    const ended = expiry(e, { ...ctx, sitting: s });
    if (ended) return ended;
    extended++;
    return clockChange(e, extend(e.attempt!.clock, addedMs), 'time:adjusted', ctx.now, addedMs);
  });
  const writes: Write[] = [{ kind: 'audit', record: auditRecord(actor, ctx.now, s.id, null, 'sitting-extend', reason, { minutes, candidates: extended }) }];
  return { sitting: s, candidates, writes };
}

/** Clears every locked login of the sitting at once (one reason for all: the hall's PINs were mistyped after a token mix-up, say). */
export function decideUnlockLogins(s: Sitting, actor: Actor, reason: string, examinees: readonly Examinee[], ctx: Omit<Context, 'sitting'>): SittingDecision {
  const candidates = examinees
    .filter((e) => e.login.lockedAt !== null)
    .map((e) => {
      const login: Login = { ...e.login, failedLogins: 0, lockedAt: null, lastFailedAt: null };
      return accept({ ...e, login }, undefined, [{ kind: 'login', record: loginRecord(e, login) }], [{ kind: 'changed', audience: 'proctor' }]);
    });
  const writes: Write[] = [{ kind: 'audit', record: auditRecord(actor, ctx.now, s.id, null, 'unlock-logins', reason, { candidates: candidates.length }) }];
  return { sitting: s, candidates, writes };
}

/**
 * Admits the listed candidates who are waiting, at once: the proctor checked them against the
 * roster's list (photo, card) and admits them with one reason and one audit entry, which lists
 * them. Candidates admitted meanwhile are left as they are; an id not on the sitting is refused.
 */
export function decideAdmitMany(s: Sitting, candidateIds: readonly number[], actor: Actor, reason: string, examinees: readonly Examinee[], ctx: Omit<Context, 'sitting'>): SittingDecision {
  if (!isOpen(s)) fail(ErrorCode.INVALID_STATE, `candidates can be admitted only while the sitting is open (it is ${s.status})`);
  const byId = new Map(examinees.map((e) => [e.profile.id, e]));
  const missing = candidateIds.filter((id) => !byId.has(id));
  if (missing.length > 0) fail(ErrorCode.NOT_FOUND, `not in sitting ${s.id}: candidate ${missing.slice(0, 10).join(', ')}`);
  const targets = [...new Set(candidateIds)].map((id) => byId.get(id)!).filter((e) => e.attempt?.state === 'waiting');
  if (targets.length === 0) return { sitting: s, candidates: [], writes: [] };
  const candidates = targets.map((e) => admit(e, ctx.now));
  const details = { candidates: targets.length, ids: targets.map((e) => e.profile.id), registrationNumbers: targets.map((e) => e.profile.registrationNumber) };
  return { sitting: s, candidates, writes: [{ kind: 'audit', record: auditRecord(actor, ctx.now, s.id, null, 'admit-many', reason, details) }] };
}
