import { ErrorCode } from '../contract/errors.js';
import { fail } from './errors.js';
import { accept, attemptRecord, auditRecord, end, inProgress, loginRecord, type Actor, type Context, type Decision, type Examinee, type Login } from './examinee.js';
import { logged } from './log-events.js';
import { extend, pause, resume, type Clock } from './timing.js';
import type { Write } from './writes.js';

/** A proctor's action on one candidate; every one carries a reason and is audited with the change. */
export type ProctorAction =
  | { type: 'admit' | 'reset-login' | 'pause' | 'resume' | 'terminate'; actor: Actor; reason: string }
  | { type: 'extend'; actor: Actor; reason: string; minutes: number };

export function decideProctorAction(e: Examinee, action: ProctorAction, ctx: Context): Decision<void> {
  // the sitting's log ends at the close: nothing may change after it
  if (ctx.sitting.status === 'closed') fail(ErrorCode.SITTING_CLOSED, 'the sitting is closed: its record is final');
  const d = change(e, action, ctx);
  if (!d.outcome.ok) return d;
  const details = action.type === 'extend' ? { minutes: action.minutes } : action.type === 'reset-login' ? { generation: d.examinee.login.loginGeneration } : null;
  const audit: Write = { kind: 'audit', record: auditRecord(action.actor, ctx.now, ctx.sitting.id, e.profile.id, action.type, action.reason, details) };
  return { ...d, writes: [...d.writes, audit] };
}

function change(e: Examinee, action: ProctorAction, ctx: Context): Decision<void> {
  switch (action.type) {
    case 'admit': {
      const a = e.attempt;
      if (!a) fail(ErrorCode.INVALID_STATE, 'the candidate has not logged in yet');
      if (a.state !== 'waiting') fail(ErrorCode.INVALID_STATE, `the candidate is already ${a.state.replace('_', ' ')}`);
      return admit(e, ctx.now);
    }
    case 'reset-login': {
      const login: Login = { ...e.login, failedLogins: 0, lockedAt: null, lastFailedAt: null, loginGeneration: e.login.loginGeneration + 1 };
      return accept({ ...e, login }, undefined, [{ kind: 'login', record: loginRecord(e, login) }, logged(ctx.sitting.id, { type: 'reset-login', t: ctx.now, reg: e.profile.registrationNumber })], [
        { kind: 'revoked', reason: 'your login was reset by the proctor; continue on the PC you are given' },
        { kind: 'changed', audience: 'proctor' },
      ]);
    }
    case 'pause':
    case 'resume': {
      const a = inProgress<void>(e, ctx, "the candidate's time is already up");
      if ('outcome' in a) return a;
      const resuming = action.type === 'resume';
      if (resuming === (a.clock.pausedSince === null)) fail(ErrorCode.INVALID_STATE, resuming ? 'the candidate is not paused' : 'the candidate is already paused');
      return clockChange(e, resuming ? resume(a.clock, ctx.now) : pause(a.clock, ctx.now), resuming ? 'exam:resumed' : 'exam:paused', ctx.now);
    }
    case 'extend': {
      const a = inProgress<void>(e, ctx, "the candidate's time is already up");
      if ('outcome' in a) return a;
      const addedMs = Math.round(action.minutes * 60_000);
      return clockChange(e, extend(a.clock, addedMs), 'time:adjusted', ctx.now, addedMs);
    }
    case 'terminate': {
      const a = e.attempt;
      if (!a || (a.state !== 'in_progress' && a.state !== 'admitted' && a.state !== 'waiting')) fail(ErrorCode.INVALID_STATE, `the candidate's exam cannot be terminated (${a?.state ?? 'not logged in'})`);
      const d = end(e, 'terminated', ctx.now, ctx);
      // the terminate leaf goes before the finish it causes
      return { ...d, writes: [logged(ctx.sitting.id, { type: 'terminate', t: ctx.now, reg: e.profile.registrationNumber }), ...d.writes], outcome: { ok: true, value: undefined } };
    }
  }
}

/**
 * A new clock for an attempt in progress, pushed to the candidate with what changed (the minutes
 * added) but never the proctor's reason: that is for the berita acara, and the candidate's
 * screen says something fixed and polite instead. The sitting's log records the change.
 */
export function clockChange(e: Examinee, clock: Clock, event: 'time:adjusted' | 'exam:paused' | 'exam:resumed', at: number, addedMs?: number): Decision<void> {
  const attempt = { ...e.attempt!, clock };
  const reg = e.profile.registrationNumber;
  const sittingId = e.profile.sittingId;
  const entry =
    event === 'exam:paused'
      ? logged(sittingId, { type: 'pause', t: at, reg })
      : event === 'exam:resumed'
        ? logged(sittingId, { type: 'resume', t: at, reg })
        : logged(sittingId, { type: 'extend', t: at, reg, ms: clock.extensionMs - e.attempt!.clock.extensionMs });
  return accept({ ...e, attempt }, undefined, [{ kind: 'attempt', record: attemptRecord(e.profile.id, attempt) }, entry], [
    { kind: 'time', event, ...(addedMs !== undefined ? { addedMs } : {}) },
    { kind: 'changed', audience: 'all' },
  ]);
}

/** A waiting candidate admitted now: the candidate's screen moves on to the rules and the start. */
export function admit(e: Examinee, now: number): Decision<void> {
  const attempt = { ...e.attempt!, state: 'admitted' as const, admittedAt: now };
  return accept({ ...e, attempt }, undefined, [{ kind: 'attempt', record: attemptRecord(e.profile.id, attempt) }, logged(e.profile.sittingId, { type: 'admit', t: now, reg: e.profile.registrationNumber })], [
    { kind: 'admitted' },
    { kind: 'changed', audience: 'all' },
  ]);
}
