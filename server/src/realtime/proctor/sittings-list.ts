import type { ProctorClientEvents } from '../../contract/proctor.js';
import { expectEmpty } from '../../domain/payload.js';
import type { EventHandler, ProctorCtx } from '../types.js';

export const sittingsList =
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'sittings:list'> =>
  (payload) => {
    expectEmpty(payload, 'sittings:list');
    return engine.staff.sittingsFor(account);
  };
