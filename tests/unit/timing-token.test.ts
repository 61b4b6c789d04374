import { describe, expect, it } from 'vitest';
import { deadline, extend, pause, remainingMs, resume, type Clock } from '../../server/src/domain/timing.js';
import { currentToken, isTokenValid, tokenForWindow } from '../../server/src/domain/token.js';

const MIN = 60_000;
describe('exam clock', () => {
  const start: Clock = { startedAt: 1_000_000, durationMs: 100 * MIN, extensionMs: 0, pausedMs: 0, pausedSince: null };
  it('remaining = duration + extensions - (elapsed - paused)', () => {
    expect(remainingMs(start, 1_000_000 + 30 * MIN)).toBe(70 * MIN);
    let c = pause(start, 1_000_000 + 30 * MIN);
    expect(remainingMs(c, 1_000_000 + 45 * MIN)).toBe(70 * MIN); // paused time does not count
    expect(deadline(c)).toBeNull();
    c = resume(c, 1_000_000 + 45 * MIN);
    expect(remainingMs(c, 1_000_000 + 50 * MIN)).toBe(65 * MIN);
    c = extend(c, 10 * MIN);
    expect(remainingMs(c, 1_000_000 + 50 * MIN)).toBe(75 * MIN);
    expect(deadline(c)).toBe(1_000_000 + 125 * MIN);
    expect(remainingMs(c, 1_000_000 + 200 * MIN)).toBe(0);
  });
  it('not started: the whole duration is left', () => {
    expect(remainingMs({ ...start, startedAt: null, extensionMs: 30 * MIN }, 5)).toBe(130 * MIN);
  });
});

describe('rotating token', () => {
  const policy = { secret: 's3cret', intervalMs: 15 * MIN, graceMs: 2 * MIN };
  it('rotates every interval and accepts the previous one during the grace period', () => {
    const t0 = 15 * MIN * 1000; // start of a window
    const { token, rotatesAt } = currentToken(policy, t0 + 5 * MIN);
    expect(token).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(rotatesAt).toBe(t0 + 15 * MIN);
    expect(isTokenValid(policy, token.toLowerCase(), t0 + 5 * MIN)).toBe(true);
    // typed as the proctor's screen shows it, letters spaced out
    expect(isTokenValid(policy, ` ${token.slice(0, 3)} ${[...token.slice(3)].join(' ')} `, t0 + 5 * MIN)).toBe(true);
    expect(isTokenValid(policy, `${token.slice(0, 3)}\t${token.slice(3)}`, t0 + 5 * MIN)).toBe(true);
    const next = currentToken(policy, rotatesAt).token;
    expect(next).not.toBe(token);
    expect(isTokenValid(policy, token, rotatesAt + 1 * MIN)).toBe(true);
    expect(isTokenValid(policy, token, rotatesAt + 3 * MIN)).toBe(false);
    expect(isTokenValid(policy, 'WRONG1', t0)).toBe(false);
    expect(tokenForWindow('other', 1000)).not.toBe(tokenForWindow('s3cret', 1000));
  });
});
