import type { z } from 'zod';
import { AnswerSubmitSchema, EmptySchema, type AnswerSubmit } from '../contract/candidate.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from './errors.js';

/**
 * A client payload checked against its contract schema, or BAD_REQUEST saying what is wrong
 * with which field (`whole` names the payload itself when the problem is at its top level).
 */
export function parse<S extends z.ZodType>(schema: S, payload: unknown, what: string, whole = 'payload'): z.infer<S> {
  const r = schema.safeParse(payload);
  if (!r.success) throw new KacaError(ErrorCode.BAD_REQUEST, `invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || whole}: ${i.message}`).join('; ')}`);
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
