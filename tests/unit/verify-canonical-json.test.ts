import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson, CanonicalJsonError } from '../../server/src/domain/verify/canonical-json.js';

describe('canonical JSON (RFC 8785 subset)', () => {
  it('gives the RFC 8785 section 3.2.2 example its published form', () => {
    const input = '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}';
    expect(canonicalJson(JSON.parse(input))).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts keys by UTF-16 code units (RFC 8785 section 3.2.3)', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the keys back as written (JSON.parse would move the integer-like "1" to the front).
    const written = [...canonicalJson(value).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`));
    expect(written).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('writes numbers in ECMAScript form', () => {
    expect(canonicalJson([0, -0, 1, -1.5, 5e-324, 1.7976931348623157e308, 9007199254740992, 1e21, 1e-7, 0.000001, 100])).toBe(
      '[0,0,1,-1.5,5e-324,1.7976931348623157e+308,9007199254740992,1e+21,1e-7,0.000001,100]',
    );
  });

  it('escapes strings as JSON.stringify does and nothing more', () => {
    expect(canonicalJson({ s: 'a"b\\c\n\u0001\u007f\u2028é😀<' })).toBe('{"s":"a\\"b\\\\c\\n\\u0001\u007f\u2028é😀<"}');
    expect(new TextDecoder().decode(canonicalBytes({ a: 'é' }))).toBe('{"a":"é"}');
  });

  it('has no whitespace and keeps nesting', () => {
    expect(canonicalJson({ b: [1, { d: null, c: true }], a: {} })).toBe('{"a":{},"b":[1,{"c":true,"d":null}]}');
    expect(canonicalJson(Object.assign(Object.create(null), { z: 1, y: 2 }))).toBe('{"y":2,"z":1}');
  });

  it.each([
    [{ a: Number.NaN }, '$.a: NaN is not a finite number'],
    [{ a: [1, Infinity] }, '$.a[1]: Infinity is not a finite number'],
    [{ a: { b: undefined } }, '$.a.b: undefined has no JSON form'],
    [[1, , 3], '$[1]: undefined has no JSON form'],
    [undefined, '$: undefined has no JSON form'],
    [{ f: () => 1 }, '$.f: a function has no JSON form'],
    [{ d: new Date(0) }, '$.d: a Date is not a plain object'],
    [{ m: new Map() }, '$.m: a Map is not a plain object'],
    [{ n: 10n }, '$.n: a bigint has no exact JSON number form'],
    [{ s: '\ud800x' }, '$.s: string contains a lone surrogate (not valid Unicode)'],
    [{ '\udc00': 1 }, '$.\udc00: string contains a lone surrogate (not valid Unicode)'],
    [{ [Symbol('k')]: 1 }, '$: symbol keys have no JSON form'],
  ])('refuses %o', (value, message) => {
    expect(() => canonicalJson(value)).toThrow(new CanonicalJsonError(message.slice(0, message.indexOf(': ')), message.slice(message.indexOf(': ') + 2)));
  });

  it('refuses class instances and cycles', () => {
    class Point {
      x = 1;
    }
    expect(() => canonicalJson({ p: new Point() })).toThrow('canonical JSON: $.p: a Point is not a plain object');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/nested deeper than 64 levels \(a cycle\?\)/);
  });
});
