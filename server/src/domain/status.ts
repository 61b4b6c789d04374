import type { ProctorStatus } from '../contract/proctor.js';
import type { Attempt, Examinee } from './examinee.js';

/** Where a candidate's attempt stands; `absent` = never logged in. Public and proctor views both start here. */
export type AttemptStatus = 'absent' | 'waiting' | 'admitted' | 'in_progress' | 'paused' | 'finished' | 'terminated';

export function attemptStatus(a: Attempt | null): AttemptStatus {
  if (!a) return 'absent';
  if (a.state === 'in_progress' && a.clock.pausedSince !== null) return 'paused';
  return a.state;
}

/**
 * What a proctor needs to act on first: a locked login, then the attempt, with a candidate who
 * is sitting (or waiting) but has no live connection shown as disconnected.
 */
export function proctorStatus(e: Examinee, connected: boolean): ProctorStatus {
  if (e.login.lockedAt !== null) return 'locked';
  const s = attemptStatus(e.attempt);
  if (s === 'absent' || s === 'finished' || s === 'terminated' || s === 'paused') return s;
  if (!connected) return 'disconnected';
  return s === 'in_progress' ? 'in_progress' : 'waiting';
}
