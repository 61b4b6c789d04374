import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenBucket } from '../../server/src/realtime/token-bucket.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('token bucket', () => {
  it('takes a burst, then refills at its rate, and says how long until it is full again', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const b = new TokenBucket(0.5, 3);
    expect(b.untilFull()).toBe(0);
    expect([b.take(), b.take(), b.take()]).toEqual([0, 0, 0]);
    // empty: the next token in 2 s, the whole burst in 6
    expect(b.take()).toBe(2000);
    expect(b.untilFull()).toBe(6000);
    vi.advanceTimersByTime(2000);
    expect(b.untilFull()).toBe(4000);
    expect(b.take()).toBe(0);
    vi.advanceTimersByTime(10_000);
    // never more than the burst
    expect(b.untilFull()).toBe(0);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([0, 0, 0, 2000]);
  });
});
