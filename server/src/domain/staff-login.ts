import { ErrorCode } from '../contract/errors.js';
import { KacaError } from './errors.js';

/** Wrong passwords an account may have before it locks; each lock after lasts twice the one before. */
const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 60_000;
const LONGEST_LOCK_MS = 60 * 60_000;

export interface StaffLoginState {
  failedLogins: number;
  lockedUntil: number | null;
}

/** Refuses a login to a locked account before its password is even hashed (each hash costs CPU). */
export function assertStaffNotLocked(state: StaffLoginState, now: number): void {
  if (state.lockedUntil !== null && state.lockedUntil > now) {
    const ms = state.lockedUntil - now;
    throw new KacaError(ErrorCode.LOGIN_LOCKED, `too many wrong passwords: this account is locked for ${Math.ceil(ms / 60_000)} more minute(s)`, { retryAfterMs: ms });
  }
}

/**
 * A staff login's effect on the account: a right password clears the count; a wrong one counts,
 * and from the fifth on locks the account for 1, 2, 4... minutes (at most an hour) while the
 * password guesses it would take grow out of reach.
 */
export function staffLoginResult(state: StaffLoginState, passwordOk: boolean, now: number): StaffLoginState {
  if (passwordOk) return { failedLogins: 0, lockedUntil: null };
  const failedLogins = state.failedLogins + 1;
  const over = failedLogins - FREE_FAILURES;
  return { failedLogins, lockedUntil: over >= 0 ? now + Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** over) : null };
}

export interface StaffSessionTimes {
  createdAt: number;
  lastSeenAt: number;
  endedAt: number | null;
}

/** Why a staff session no longer holds, or null while it does; a live connection counts as activity. */
export function staffSessionEnd(s: StaffSessionTimes, connected: boolean, now: number, limits: { idleMs: number; absoluteMs: number }): 'ended' | 'expired' | null {
  if (s.endedAt !== null) return 'ended';
  if (now - s.createdAt >= limits.absoluteMs) return 'expired';
  if (!connected && now - s.lastSeenAt >= limits.idleMs) return 'expired';
  return null;
}
