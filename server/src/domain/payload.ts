import type { z } from 'zod';
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
