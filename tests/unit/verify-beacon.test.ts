import { describe, expect, it } from 'vitest';
import { checkBeaconSignature, roundAt, roundTime } from '../../server/src/domain/verify/beacon.js';

// drand quicknet's published rounds 1000 and 1001 (public and immutable)
const R1000 = { signature: 'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39', randomness: 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd' };
const R1001 = 'b33bf3667cbd5a82de3a24b4e0e9fe5513cc1a0e840368c6e31f5fcfa79bea03f73896b25883abf2853d10337fb8fa41';

describe('the drand quicknet beacon, checked offline', () => {
  it("accepts a round's published signature and gives its randomness", () => {
    expect(checkBeaconSignature(1000, R1000.signature)).toEqual({ ok: true, randomness: R1000.randomness });
    expect(checkBeaconSignature(1001, R1001)).toMatchObject({ ok: true });
  });

  it("refuses another round's signature, a changed one, and one that is not hex of a point", () => {
    expect(checkBeaconSignature(1001, R1000.signature)).toEqual({ ok: false, problem: 'it is not the quicknet signature of round 1001' });
    const flipped = R1000.signature.slice(0, 40) + (R1000.signature[40] === '0' ? '1' : '0') + R1000.signature.slice(41);
    expect(checkBeaconSignature(1000, flipped).ok).toBe(false);
    expect(checkBeaconSignature(1000, 'ab'.repeat(32))).toMatchObject({ ok: false, problem: expect.stringContaining('96 lowercase hex digits') });
    expect(checkBeaconSignature(0, R1000.signature)).toMatchObject({ ok: false, problem: 'round 0 is not a round number' });
  });

  it('knows when each round is published: every 3 s from the genesis', () => {
    expect(new Date(roundTime(1000)).toISOString()).toBe('2023-08-23T15:59:24.000Z');
    expect(roundAt(roundTime(1000))).toBe(1000);
    expect(roundAt(roundTime(1000) + 1)).toBe(1001);
  });
});
