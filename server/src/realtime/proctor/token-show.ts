import { WatchSchema } from '../../contract/proctor.js';
import { ErrorCode } from '../../contract/errors.js';
import { KacaError } from '../../domain/errors.js';
import type { ProctorCtx } from '../context.js';
import { parse } from '../../domain/payload.js';

export const tokenShow = ({ engine, account }: ProctorCtx) => (payload: unknown) => {
  const { sittingId } = parse(WatchSchema, payload, 'token request');
  engine.assertCanProctor(account, sittingId);
  const token = engine.token(sittingId);
  if (!token) throw new KacaError(ErrorCode.INVALID_STATE, 'this sitting has no token now (no token required, or not open)');
  return token;
};
