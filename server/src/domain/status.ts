import type { ProctorStatus } from '../contract/proctor.js';
import type { Attempt, Examinee } from './examinee.js';

/** Where a candidate's attempt stands; `absent` = never logged in, or never admitted by the close. */
export type AttemptStatus = 'absent' | 'waiting' | 'admitted' | 'in_progress' | 'paused' | 'finished' | 'terminated';

/**
 * The one derivation every audience starts from: the proctor's room, the public board, the
 * results and the berita acara. A candidate who logged in but was never admitted is waiting
 * while the sitting runs, and absent once it has closed: nobody is "present" on one page and
 * "absent" on another.
 */
export function attemptStatus(a: Attempt | null, sitting: { status: string }): AttemptStatus {
  if (!a) return 'absent';
  if (a.state === 'waiting') return sitting.status === 'closed' ? 'absent' : 'waiting';
  if (a.state === 'in_progress' && a.clock.pausedSince !== null) return 'paused';
  return a.state;
}

export type Attendance = 'present' | 'waiting' | 'absent';

/**
 * Attendance: present once admitted (by the proctor, or at login when the sitting needs no
 * admission) or once the attempt ended (a candidate disqualified at the door was there);
 * waiting while logged in but not yet admitted; absent otherwise.
 */
export function attendance(a: Attempt | null, sitting: { status: string }): Attendance {
  const s = attemptStatus(a, sitting);
  return s === 'absent' ? 'absent' : s === 'waiting' ? 'waiting' : 'present';
}

/**
 * What a proctor needs to act on first: a locked login, then the attempt, with a candidate who
 * is sitting (or waiting) but has no live connection shown as disconnected. Once the sitting has
 * closed there is nothing left to act on: the attempt's end, or absent.
 */
export function proctorStatus(e: Examinee, connected: boolean, sitting: { status: string }): ProctorStatus {
  const s = attemptStatus(e.attempt, sitting);
  if (sitting.status === 'closed' && (s === 'absent' || s === 'finished' || s === 'terminated')) return s;
  if (e.login.lockedAt !== null) return 'locked';
  if (s === 'absent' || s === 'finished' || s === 'terminated' || s === 'paused') return s;
  if (!connected) return 'disconnected';
  return s;
}
