import type { z } from 'zod';
import { AnswerSubmitSchema, EmptySchema, type AnswerSubmit } from '../contract/candidate.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from './errors.js';

/**
 * A client payload checked against its contract schema, or BAD_REQUEST saying what is wrong
 * with which field (`whole` names the payload itself when the problem is at its top level).
 * Text holding a NUL character is refused here too, whatever the schema: every socket event
 * that carries text comes through here (the answer's quick check takes numbers only).
 */
export function parse<S extends z.ZodType>(schema: S, payload: unknown, what: string, whole = 'payload'): z.infer<S> {
  const r = schema.safeParse(payload);
  if (!r.success) throw new KacaError(ErrorCode.BAD_REQUEST, `invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || whole}: ${i.message}`).join('; ')}`);
  refuseNul(r.data, what);
  return r.data;
}

/**
 * An answer payload, checked without allocating for the common well-formed case (every click of
 * every candidate comes through here). The quick check accepts only what the schema accepts
 * (tests/unit/answer-payload.test.ts); anything else goes to the schema, which says precisely
 * what is wrong.
 */
export function parseAnswer(payload: unknown): AnswerSubmit {
  const p = payload as Partial<Record<keyof AnswerSubmit, unknown>> | null;
  if (
    typeof p === 'object' &&
    p !== null &&
    !Array.isArray(p) &&
    Number.isSafeInteger(p.seq) &&
    (p.seq as number) > 0 &&
    Number.isSafeInteger(p.item) &&
    (p.item as number) >= 0 &&
    (p.choice === null || (Number.isSafeInteger(p.choice) && (p.choice as number) >= 0))
  ) {
    return { seq: p.seq as number, item: p.item as number, choice: p.choice as number | null };
  }
  return parse(AnswerSubmitSchema, payload, 'answer');
}

/** For events that take no arguments. */
export function expectEmpty(payload: unknown, event: string): void {
  if (!EmptySchema.safeParse(payload).success) throw new KacaError(ErrorCode.BAD_REQUEST, `${event} takes no arguments`);
}

/** What every refusal of a NUL says: PostgreSQL cannot store it in text, so no dialect takes it. */
export const NUL_MESSAGE = 'text may not contain the NUL character (U+0000)';

/** A step into a value while looking for a NUL: the value, and how it is reached from its parent. */
interface Step {
  value: unknown;
  parent: Step | null;
  key: string | number | null;
}

function pathOf(step: Step, root: string): string {
  const keys: (string | number)[] = [];
  for (let s: Step | null = step; s && s.key !== null; s = s.parent) keys.push(s.key);
  let path = root;
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i];
    path = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
  }
  return path;
}

/**
 * Where a value holds text with a NUL character: the path of the first such string (or object
 * key), '' for the value itself, or null when there is none. Walks data as parsed from JSON,
 * a query string or a socket packet; bytes are not text. Depth-first with a stack of its own,
 * not by recursion: a body nested ten thousand deep (20 KB of brackets) would otherwise
 * overflow the call stack, and the path is only spelled out for the one string that has a NUL.
 */
export function nulAt(value: unknown, path = ''): string | null {
  const stack: Step[] = [{ value, parent: null, key: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const v = step.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return pathOf(step, path);
      continue;
    }
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) continue;
    // children pushed last-first, so the first in order is looked at first
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: step, key: i });
      continue;
    }
    // each key is looked at as text at its own path, just before its value
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (v as Record<string, unknown>)[keys[i]], parent: step, key: keys[i] }, { value: keys[i], parent: step, key: keys[i] });
  }
  return null;
}

/** BAD_REQUEST naming the field, when any text in `value` holds a NUL character. */
export function refuseNul(value: unknown, what: string): void {
  const at = nulAt(value);
  if (at !== null) throw new KacaError(ErrorCode.BAD_REQUEST, `invalid ${what}: ${at || what}: ${NUL_MESSAGE}`);
}
