import { isOpen, type Sitting } from '../domain/catalog.js';
import { currentToken, type TokenPolicy } from '../domain/token.js';

export function tokenPolicy(s: Sitting, graceMinutes: number): TokenPolicy {
  return { secret: s.tokenSecret, intervalMs: s.tokenIntervalSec * 1000, graceMs: graceMinutes * 60_000 };
}

/** The token the proctor reads out now; none when the sitting needs none or is not open. */
export function sittingToken(s: Sitting, graceMinutes: number, now: number): { token: string; rotatesAt: number } | null {
  if (!s.requireToken || !isOpen(s)) return null;
  return currentToken(tokenPolicy(s, graceMinutes), now);
}
