import { ErrorCode } from '../contract/errors.js';
import { isOpen, type Sitting } from './catalog.js';
import { fail, KacaError } from './errors.js';
import { ALERT_REASON, SYSTEM_ACTOR } from './alert-log.js';
import { accept, attemptRecord, auditRecord, loginRecord, type Attempt, type Context, type Decision, type Examinee, type Login } from './examinee.js';
import { logged } from './log-events.js';
import type { Write } from './writes.js';

const MINUTE = 60_000;

/** The room token as the shell found it (token.ts checks it against the sitting's secret). */
export type TokenCheck = 'not-required' | 'missing' | 'invalid' | 'ok';

export interface LoginCommand {
  pinOk: boolean;
  token: TokenCheck;
  /** failed PINs before the login locks until a proctor resets it */
  lockAfter: number;
}

/**
 * Which of a registration number's candidate rows a login is for: the one on an open sitting.
 * `sittingOf` gives each row's sitting.
 */
export function loginTarget<T extends { sittingId: string }>(rows: readonly T[], sittingOf: (row: T) => Pick<Sitting, 'status'>, sittingId?: string): T {
  const mine = rows.filter((c) => !sittingId || c.sittingId === sittingId);
  if (mine.length === 0) fail(ErrorCode.INVALID_CREDENTIALS, 'registration number or PIN is wrong');
  const open = mine.filter((c) => isOpen(sittingOf(c)));
  if (open.length === 0) {
    if (mine.some((c) => sittingOf(c).status === 'scheduled')) fail(ErrorCode.SITTING_NOT_OPEN, 'the sitting is not open yet: wait for the proctor');
    fail(ErrorCode.SITTING_CLOSED, 'the sitting is closed');
  }
  if (open.length > 1) fail(ErrorCode.BAD_REQUEST, 'this registration number is on more than one open sitting: give sittingId');
  return open[0];
}

/**
 * Registration number + PIN (+ the room token). The token is checked first, and a wrong PIN is
 * counted only when it came with a valid token (or the sitting needs none): whoever is outside
 * the room cannot test PINs or lock anyone out. A candidate already logged in is refused until
 * a proctor resets the login, so a second PC cannot take over a running exam; once the exam has
 * ended (finished or terminated) a login is let in again, to the result and nothing else.
 */
export function decideLogin(e: Examinee, cmd: LoginCommand, ctx: Context): Decision<{ generation: number }> {
  if (cmd.token === 'missing') fail(ErrorCode.TOKEN_REQUIRED, 'this sitting needs the token shown by the proctor');
  if (cmd.token === 'invalid') fail(ErrorCode.TOKEN_INVALID, 'the token is wrong or has expired: use the token shown now');
  const locked = () => new KacaError(ErrorCode.LOGIN_LOCKED, 'too many failed logins: ask the proctor to reset your login');
  if (e.login.lockedAt !== null) throw locked();
  if (!cmd.pinOk) {
    const failedLogins = e.login.failedLogins + 1;
    const login: Login = { ...e.login, failedLogins, lastFailedAt: ctx.now, lockedAt: failedLogins >= cmd.lockAfter ? ctx.now : null };
    // how many tries are left before the lock, so that the last one is not a surprise
    const error = login.lockedAt !== null ? locked() : new KacaError(ErrorCode.INVALID_CREDENTIALS, 'registration number or PIN is wrong', { attemptsLeft: cmd.lockAfter - failedLogins });
    const writes: Write[] = [{ kind: 'login', record: loginRecord(e, login) }];
    // the lock is the system's doing, and the berita acara keeps it
    if (login.lockedAt !== null) writes.push({ kind: 'audit', record: auditRecord(SYSTEM_ACTOR, ctx.now, ctx.sitting.id, e.profile.id, 'login-locked', ALERT_REASON['login-locked'], { failedLogins }) });
    return { examinee: { ...e, login }, writes, notices: [{ kind: 'changed', audience: 'proctor' }], outcome: { ok: false, error } };
  }
  // an exam that has ended has nothing to take over: its candidate may log in again to see the result
  const ended = e.attempt?.state === 'finished' || e.attempt?.state === 'terminated';
  if (e.login.sessionGeneration === e.login.loginGeneration && !ended) fail(ErrorCode.ALREADY_CONNECTED, 'you are already logged in on another PC: ask the proctor to reset your login');
  const generation = e.login.loginGeneration;
  const login: Login = { ...e.login, sessionGeneration: generation, failedLogins: 0, lastFailedAt: null };
  const writes: Write[] = [{ kind: 'login', record: loginRecord(e, login) }, logged(ctx.sitting.id, { type: 'login', t: ctx.now, reg: e.profile.registrationNumber })];
  let attempt = e.attempt;
  if (!attempt) {
    // The attempt exists from the first login: admission and the clock hang on it.
    const durationMs = Math.round((ctx.catalog.template.durationMinutes + e.profile.extraMinutes) * MINUTE);
    const admitted = !ctx.sitting.requireAdmission;
    attempt = { state: admitted ? 'admitted' : 'waiting', admittedAt: admitted ? ctx.now : null, clock: { startedAt: null, durationMs, extensionMs: 0, pausedMs: 0, pausedSince: null }, endedAt: null, endReason: null } satisfies Attempt;
    writes.push({ kind: 'attempt', record: attemptRecord(e.profile.id, attempt) });
  }
  return accept({ ...e, login, attempt }, { generation }, writes, [{ kind: 'changed', audience: 'all' }]);
}
