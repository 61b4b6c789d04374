/** A candidate's exam clock, in server milliseconds. */
export interface Clock {
  startedAt: number | null;
  durationMs: number;
  extensionMs: number;
  /** paused time already over */
  pausedMs: number;
  /** set while paused */
  pausedSince: number | null;
}

/** remaining = duration + extensions - (elapsed - paused time), never below 0. */
export function remainingMs(clock: Clock, now: number): number {
  if (clock.startedAt === null) return clock.durationMs + clock.extensionMs;
  const paused = clock.pausedMs + (clock.pausedSince !== null ? now - clock.pausedSince : 0);
  const elapsed = now - clock.startedAt;
  return Math.max(0, clock.durationMs + clock.extensionMs - (elapsed - paused));
}

/** When time runs out if nothing changes; null while paused or not started. */
export function deadline(clock: Clock): number | null {
  if (clock.startedAt === null || clock.pausedSince !== null) return null;
  return clock.startedAt + clock.durationMs + clock.extensionMs + clock.pausedMs;
}

export function pause(clock: Clock, now: number): Clock {
  return clock.pausedSince !== null ? clock : { ...clock, pausedSince: now };
}

export function resume(clock: Clock, now: number): Clock {
  if (clock.pausedSince === null) return clock;
  return { ...clock, pausedMs: clock.pausedMs + (now - clock.pausedSince), pausedSince: null };
}

export function extend(clock: Clock, ms: number): Clock {
  return { ...clock, extensionMs: clock.extensionMs + ms };
}

/**
 * The sitting's own clock, as the public board's header shows it: the sitting's start plus the
 * template's duration plus every hall-wide pause and extension (the audit log's sitting-pause,
 * sitting-resume and sitting-extend, in order), never one candidate's extension, extra minutes
 * or own pause.
 */
export function hallClock(startedAt: number, durationMs: number, events: readonly { action: string; at: number; details?: unknown }[]): Clock {
  let clock: Clock = { startedAt, durationMs, extensionMs: 0, pausedMs: 0, pausedSince: null };
  for (const e of events) {
    if (e.at < startedAt) continue;
    if (e.action === 'sitting-pause') clock = pause(clock, e.at);
    else if (e.action === 'sitting-resume') clock = resume(clock, e.at);
    else if (e.action === 'sitting-extend') {
      const minutes = (e.details as { minutes?: unknown } | null)?.minutes;
      if (typeof minutes === 'number') clock = extend(clock, Math.round(minutes * 60_000));
    }
  }
  return clock;
}
