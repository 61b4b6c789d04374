import type { z } from 'zod';
import { ErrorCode } from '../../contract/errors.js';
import { KacaError } from '../../domain/errors.js';

export function parse<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(payload);
  if (!r.success) throw new KacaError(ErrorCode.BAD_REQUEST, `invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`);
  return r.data;
}
