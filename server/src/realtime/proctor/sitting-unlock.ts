import { SittingActionSchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { parse } from '../../domain/payload.js';
import { actorOf } from '../../engine/staff.js';
import type { EventHandler, ProctorCtx } from '../types.js';

/** Unlocks every locked login of the sitting, with one reason. */
export const sittingUnlockLogins =
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'sitting:unlock-logins'> =>
  async (payload) => {
    const { sittingId, reason } = parse(SittingActionSchema, payload, 'sitting action');
    engine.staff.assertCanProctor(account, sittingId);
    return { affected: await engine.sittings.unlockLogins(actorOf(account), sittingId, reason) };
  };
