import { describe, expect, it } from 'vitest';
import { AnswerSubmitSchema } from '../../server/src/contract/candidate.js';
import { KacaError } from '../../server/src/domain/errors.js';
import { nulAt, parseAnswer } from '../../server/src/domain/payload.js';

/** The engine's allocation-free answer check must agree with the contract's schema on every input. */
describe('the answer payload check', () => {
  const numbers: unknown[] = [0, 1, 2, 7, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_SAFE_INTEGER, '1', null, undefined, true, [], {}];
  const payloads: unknown[] = [null, undefined, 0, 'x', [], [1, 2, 3], new Date(0)];
  for (const seq of numbers) for (const item of numbers) for (const choice of numbers) payloads.push({ seq, item, choice });
  payloads.push({ seq: 1, item: 0 }, { seq: 1, choice: 2 }, { item: 0, choice: 2 }, { seq: 3, item: 4, choice: 1, extra: 'ignored' });

  it('accepts exactly what the schema accepts, with the same values', () => {
    let accepted = 0;
    for (const p of payloads) {
      const schema = AnswerSubmitSchema.safeParse(p);
      let ours: unknown;
      let error: unknown = null;
      try {
        ours = parseAnswer(p);
      } catch (err) {
        error = err;
      }
      if (schema.success) {
        accepted++;
        expect(error, JSON.stringify(p)).toBeNull();
        expect(ours).toEqual(schema.data);
      } else {
        expect(error, JSON.stringify(p)).toBeInstanceOf(KacaError);
        expect((error as KacaError).code).toBe('BAD_REQUEST');
      }
    }
    expect(accepted).toBeGreaterThan(50);
  });

  it('says what is wrong', () => {
    expect(() => parseAnswer({ seq: 0, item: 1, choice: 1 })).toThrow(/seq/);
    expect(() => parseAnswer({ seq: 1, item: 1, choice: 'B' })).toThrow(/choice/);
  });

  it('drops unknown keys', () => {
    expect(parseAnswer({ seq: 3, item: 4, choice: null, extra: 1 })).toStrictEqual({ seq: 3, item: 4, choice: null });
  });
});

describe('nulAt: where text holds a NUL character', () => {
  it('names the first string or key holding one, walks arrays and objects, and leaves bytes alone', () => {
    expect(nulAt({ seq: 1, item: 2, choice: null })).toBeNull();
    expect(nulAt('a\u0000')).toBe('');
    expect(nulAt({ reason: 'ok', notes: ['x', 'y\u0000'] })).toBe('notes[1]');
    expect(nulAt({ groups: { ['pa\u0000pua']: 'umum' } })).toBe('groups.pa\u0000pua');
    expect(nulAt([{ a: { b: 'c\u0000' } }])).toBe('[0].a.b');
    expect(nulAt(Object.assign(Object.create(null), { q: 'a\u0000b' }))).toBe('q');
    expect(nulAt(new Uint8Array([0, 0, 0]))).toBeNull();
    expect(nulAt('C:\\u0000 is six characters')).toBeNull();
  });

  it('names the first in order, a key before its value, and a root path given', () => {
    expect(nulAt({ a: 'x\u0000', ['b\u0000']: 1 })).toBe('a');
    expect(nulAt({ ['a\u0000']: 'y\u0000' })).toBe('a\u0000');
    expect(nulAt([['ok'], ['ok', { k: 'n\u0000' }]], 'body')).toBe('body[1][1].k');
  });

  it('walks a value nested ten thousand deep without running out of stack', () => {
    // as a body arrives: JSON text of 20 KB, parsed (JSON.stringify could not even write it back)
    const deep = (inner: string) => JSON.parse(`{"z":${'['.repeat(10_000)}${JSON.stringify(inner)}${']'.repeat(10_000)}}`) as unknown;
    expect(nulAt(deep('ok'))).toBeNull();
    expect(nulAt(deep('n\u0000'))).toBe(`z${'[0]'.repeat(10_000)}`);
  });
});
