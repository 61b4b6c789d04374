import type { ProctorRow } from '../../../server/src/contract/proctor';
import { ago } from '../shared/format';

export interface LiveRow {
  row: ProctorRow;
  /** server time the row was computed at (for the countdown) */
  at: number;
}

export const needsAttention = (r: ProctorRow) => r.alerts.length > 0 || r.status === 'disconnected' || r.status === 'locked';

export function remaining(l: LiveRow, now: number): number | null {
  const r = l.row;
  if (r.remainingMs === null) return null;
  return r.status === 'paused' ? r.remainingMs : Math.max(0, r.remainingMs - (now - l.at));
}

/**
 * Only rows whose countdown runs re-render on every tick; the others when the time since their
 * last activity reads differently ("2 mnt" becomes "3 mnt": a dead PC must not look active).
 */
export const sameTick = (a: { live: LiveRow; now: number }, b: { live: LiveRow; now: number }) =>
  a.live === b.live && (a.now === b.now || ((a.live.row.remainingMs === null || a.live.row.status === 'paused') && ago(a.live.row.lastActivity, a.now) === ago(b.live.row.lastActivity, b.now)));
