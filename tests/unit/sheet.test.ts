import { describe, expect, it } from 'vitest';
import { Sheet } from '../../server/src/domain/sheet.js';
import { createRng, randomInt } from '../../server/src/domain/rng.js';

describe('the persistent sheet', () => {
  it('every version keeps reading as it was, whichever is read or updated in whatever order', () => {
    const rng = createRng('sheet');
    const versions: { sheet: Sheet; expected: number[] }[] = [{ sheet: Sheet.filled(12, -1), expected: new Array(12).fill(-1) }];
    for (let step = 0; step < 2000; step++) {
      // update a random version (the newest most often, as the engine does), then check a few at random
      const from = randomInt(rng, 4) === 0 ? versions[randomInt(rng, versions.length)] : versions[versions.length - 1];
      const i = randomInt(rng, 12);
      const v = randomInt(rng, 6) - 1;
      const expected = [...from.expected];
      expected[i] = v;
      versions.push({ sheet: from.sheet.set(i, v), expected });
      for (let k = 0; k < 3; k++) {
        const probe = versions[randomInt(rng, versions.length)];
        expect(probe.sheet.toArray()).toEqual(probe.expected);
        expect(probe.sheet.map((x) => x * 2)).toEqual(probe.expected.map((x) => x * 2));
      }
    }
    for (const { sheet, expected } of versions) for (let i = 0; i < 12; i++) expect(sheet.get(i)).toBe(expected[i]);
  });

  it('counts and reads like the array it stands for', () => {
    const s = Sheet.of([-1, 2, -1, 0]);
    expect(s.count(-1)).toBe(2);
    expect(s.set(0, 3).count(-1)).toBe(3);
    expect(s.count(-1)).toBe(2);
    expect(s.length).toBe(4);
  });
});
