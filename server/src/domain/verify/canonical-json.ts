import { hasLoneSurrogate, utf8 } from './encoding.js';

/**
 * Canonical JSON for hashing: RFC 8785 (JCS) for the values we hash, which are plain objects,
 * arrays, strings, finite numbers, booleans and null. Keys are sorted by UTF-16 code units,
 * there is no whitespace, and numbers and strings take ECMAScript's JSON.stringify form, which
 * is the form JCS prescribes. Anything JSON cannot say exactly (undefined, NaN, a Date, a Map,
 * a class instance) is refused rather than silently dropped or converted: a hash over a value
 * that quietly lost a field would commit to something nobody meant.
 */
export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`canonical JSON: ${path}: ${problem}`);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  return write(value, []);
}

/** UTF-8 bytes of the canonical form: what gets hashed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}

// Deeper than anything we hash, and shallow enough to stop a cycle long before the stack does.
const MAX_DEPTH = 64;

// The path is only spelled out when something fails: the verifier canonicalises every leaf, so
// building "$.scores.TWK" strings on the way down would cost more than the encoding itself.
function fail(path: readonly (string | number)[], problem: string): never {
  const where = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
  throw new CanonicalJsonError(`$${where}`, problem);
}

function writeString(s: string, path: (string | number)[]): string {
  let plain = true;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x20 || c === 0x22 || c === 0x5c) plain = false;
    else if (c >= 0xd800 && c <= 0xdfff) {
      if (hasLoneSurrogate(s)) fail(path, 'string contains a lone surrogate (not valid Unicode)');
      plain = false;
      break;
    }
  }
  // Nothing to escape: JSON.stringify would only add the quotes.
  return plain ? `"${s}"` : JSON.stringify(s);
}

// Code-unit order, as the default sort gives, without its string conversions on every compare.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function write(value: unknown, path: (string | number)[]): string {
  switch (typeof value) {
    case 'string':
      return writeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) fail(path, `${value} is not a finite number`);
      // For finite numbers String() is JSON.stringify's form (and ECMAScript's Number::toString, as JCS asks).
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return fail(path, 'undefined has no JSON form');
    case 'function':
      return fail(path, 'a function has no JSON form');
    case 'bigint':
      return fail(path, 'a bigint has no exact JSON number form');
    case 'symbol':
      return fail(path, 'a symbol has no JSON form');
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (path.length >= MAX_DEPTH) fail(path, `nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  if (Array.isArray(obj)) {
    let out = '[';
    for (let i = 0; i < obj.length; i++) {
      path.push(i);
      // A hole reads as undefined and is refused like any other undefined.
      out += (i ? ',' : '') + write(obj[i], path);
      path.pop();
    }
    return out + ']';
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    fail(path, `a ${(obj as { constructor?: { name?: string } }).constructor?.name ?? 'non-plain object'} is not a plain object`);
  }
  if (Object.getOwnPropertySymbols(obj).length) fail(path, 'symbol keys have no JSON form');
  const keys = Object.keys(obj).sort(byCodeUnits);
  let out = '{';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    path.push(key);
    out += (k ? ',' : '') + writeString(key, path) + ':' + write((obj as Record<string, unknown>)[key], path);
    path.pop();
  }
  return out + '}';
}

