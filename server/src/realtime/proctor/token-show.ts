import { WatchSchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { ErrorCode } from '../../contract/errors.js';
import { fail } from '../../domain/errors.js';
import { parse } from '../../domain/payload.js';
import type { EventHandler, ProctorCtx } from '../types.js';

export const tokenShow =
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'token:show'> =>
  (payload) => {
    const { sittingId } = parse(WatchSchema, payload, 'token request');
    engine.staff.assertCanProctor(account, sittingId);
    return engine.views.token(sittingId) ?? fail(ErrorCode.INVALID_STATE, 'this sitting has no token now (no token required, or not open)');
  };
