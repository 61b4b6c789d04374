import { describe, expect, it } from 'vitest';
import { createRng, randomInt } from '../../server/src/domain/rng.js';
import { encodeLeaf, parseAnswerFast, parseLeaf, parseLeafGeneral, type Leaf } from '../../server/src/domain/verify/leaf.js';

const answer = { v: 1, i: 12, t: 1_760_000_000_000, reg: '24100017', type: 'answer', item: 17, section: 'TWK', choice: 2, delta: 5, seq: 45 } as const;

describe('log leaves', () => {
  it('encode canonically and read back, every type', () => {
    const leaves: Leaf[] = [
      { v: 1, i: 0, t: 0, type: 'sitting-open', sitting: 's1', seedCommitment: 'a'.repeat(64), bankCommitment: 'b'.repeat(64), beaconRound: 7 },
      { v: 1, i: 1, t: 1, type: 'sitting-start', beaconRandomness: 'c'.repeat(64) },
      { v: 1, i: 2, t: 2, type: 'login', reg: 'r1' },
      { v: 1, i: 3, t: 3, type: 'admit', reg: 'r1', reason: 'late' },
      { v: 1, i: 4, t: 4, type: 'start', reg: 'r1', paper: 'd'.repeat(64), items: 110, base: { TWK: 0, TKP: -1.5 } },
      answer,
      { ...answer, choice: null, delta: -0.25 },
      { v: 1, i: 6, t: 6, type: 'flag', reg: 'r1', item: 3, flagged: true, seq: 2 },
      { v: 1, i: 7, t: 7, type: 'pause', reg: 'r1' },
      { v: 1, i: 8, t: 8, type: 'resume', reg: 'r1' },
      { v: 1, i: 9, t: 9, type: 'extend', reg: 'r1', ms: 60000 },
      { v: 1, i: 10, t: 10, type: 'reset-login', reg: 'r1' },
      { v: 1, i: 11, t: 11, type: 'terminate', reg: 'r1', reason: 'phone' },
      { v: 1, i: 12, t: 12, type: 'finish', reg: 'r1', reason: 'terminated', scores: { TWK: 85, TKP: 170 } },
      { v: 1, i: 13, t: 13, type: 'sitting-close' },
    ];
    for (const leaf of leaves) {
      const text = encodeLeaf(leaf);
      expect(parseLeaf(text)).toEqual({ ok: true, leaf });
    }
    expect(encodeLeaf(answer)).toBe('{"choice":2,"delta":5,"i":12,"item":17,"reg":"24100017","section":"TWK","seq":45,"t":1760000000000,"type":"answer","v":1}');
    expect(encodeLeaf({ v: 1, i: 3, t: 3, type: 'admit', reg: 'r1', reason: undefined })).toBe('{"i":3,"reg":"r1","t":3,"type":"admit","v":1}');
  });

  it('refuse bank data and unknown shapes when encoding and reading', () => {
    expect(() => encodeLeaf({ ...answer, questionId: 'TWK-001' } as unknown as Leaf)).toThrow('invalid log event: Unrecognized key: "questionId"');
    expect(parseLeaf('{"type":"vote","v":1}')).toEqual({ ok: false, error: 'has unknown type "vote"' });
    expect(parseLeaf('[1]')).toEqual({ ok: false, error: 'is not a JSON object' });
    expect(parseLeaf('{')).toEqual({ ok: false, error: 'is not JSON' });
    expect(parseLeaf(encodeLeaf(answer).replace('"choice":2', '"choice":64'))).toEqual({ ok: false, error: '(answer): choice: Too big: expected number to be <=63' });
  });

  it('takes the fast path for the answer leaves the writer writes, with their nonce or (older logs) without', () => {
    const withNonce = encodeLeaf({ ...answer, nonce: 'ab'.repeat(16) } as Leaf);
    expect(parseAnswerFast(withNonce)).toEqual(parseLeafGeneral(withNonce));
    expect(parseAnswerFast(withNonce)).toMatchObject({ ok: true, leaf: { nonce: 'ab'.repeat(16) } });
    expect(parseAnswerFast(encodeLeaf(answer))).toEqual(parseLeafGeneral(encodeLeaf(answer)));
  });

  it('reads answers the same way on the fast path as on the general one (property test)', () => {
    const rng = createRng('answer-fast-path');
    const pick = <T>(xs: readonly T[]): T => xs[randomInt(rng, xs.length)];
    // Raw spellings: [valid and canonical, anything else]
    const values: Record<string, [string[], string[]]> = {
      choice: [['null', '0', '5', '9', '10', '59', '63'], ['64', '-1', '01', '1.5', '1e0', '"2"']],
      delta: [['0', '5', '-5', '0.5', '-0.25', '2.5e-7', '1e+21'], ['-0', '0.50', '1e21', '100000000000000000000000', '05', '0.0000001', '12.', '.5', '1E3', 'NaN']],
      i: [['0', '7', '9007199254740991'], ['007', '9007199254740992', '99999999999999999', '-1', '1.5', '1e2']],
      item: [['0', '9999', '3'], ['10000', '017']],
      nonce: [['"0123456789abcdef0123456789abcdef"', '"ffffffffffffffffffffffffffffffff"'], ['"0123456789ABCDEF0123456789ABCDEF"', '"0123"', '1', 'null']],
      reg: [['"24100017"', `"${'a'.repeat(40)}"`, '"._-"'], [`"${'a'.repeat(41)}"`, '""', '"x y"', '"\u00e9"', '"\\u0032"', '"a\\"b"']],
      section: [['"TWK"', `"${'a'.repeat(64)}"`, '"T.W-K_1"'], ['"_x"', `"${'a'.repeat(65)}"`, '"\\u0054WK"']],
      seq: [['1', '45', '9007199254740991'], ['0', '9007199254740992', '01']],
      t: [['0', '1760000000000', '9007199254740991'], ['-5', '9007199254740993']],
      type: [['"answer"'], ['"flag"', '"answer "']],
      v: [['1'], ['2', '1.0']],
    };
    const keys = Object.keys(values);
    let fast = 0;
    for (let n = 0; n < 20000; n++) {
      // a log written before nonces has answer leaves without one
      const entries = keys.filter((k) => k !== 'nonce' || rng() < 0.6).map((k) => [k, rng() < 0.9 ? pick(values[k][0]) : pick(values[k][1])]);
      if (rng() < 0.05) entries.reverse();
      if (rng() < 0.05) entries.push(['delta', '0']);
      let text = `{${entries.map(([k, v]) => `"${k}":${v}`).join(',')}}`;
      if (rng() < 0.03) text = text.replace(',', ', ');
      if (rng() < 0.02) text += '\n';
      const general = parseLeafGeneral(text);
      expect(parseLeaf(text), text).toEqual(general);
      if (general.ok) fast++;
    }
    // the sample must exercise accepted answers as well as rejections
    expect(fast).toBeGreaterThan(3000);
    expect(fast).toBeLessThan(16000);
  });
});
